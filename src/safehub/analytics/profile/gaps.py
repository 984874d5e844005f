"""The intelligence gaps section: what the intelligence does not yet say."""

from __future__ import annotations

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.model import Section, Table


class GapsBuilder(BuilderBase):
    def gaps(self) -> Section:
        grading = self.one("grading")
        located = self.one("location_gaps")
        unlinked = int(self.one("victims_without_poi").get("children", 0))
        unscreened = int(self.one("named_unscreened").get("children", 0))
        undisrupted = int(self.one("poi_undisrupted").get("persons", 0))
        graded = int(grading.get("associations", 0))
        pois = self.facts.get("pois", 0)
        gaps = [
            (
                "Persons of interest with no recorded ethnicity",
                self.facts.get("poi_no_ethnicity", 0),
                pois,
            ),
            (
                "Children identified with no link to a person of interest",
                unlinked,
                self.facts.get("victims", 0),
            ),
            ("Children named in intelligence who have never been screened", unscreened, 0),
            ("Active persons of interest with no disruption recorded", undisrupted, pois),
            (
                "Intelligence from a source graded 3 (not reliable)",
                int(grading.get("unreliable_source", 0)),
                graded,
            ),
            (
                "Intelligence assessed D or E (not known, or suspected false)",
                int(grading.get("weak_assessment", 0)),
                graded,
            ),
            (
                "Places with no map reference",
                int(located.get("unmapped", 0)),
                int(located.get("places", 0)),
            ),
        ]
        rows = [
            [gap, self.count_of(part, whole), self.share(part, whole) if whole else ""]
            for gap, part, whole in gaps
        ]
        table = Table(
            "intelligence-gaps",
            "Intelligence gaps",
            ["Gap", "Number", "Share"],
            rows,
            self.snapshot.sources.get("associations", []),
        )
        return Section("gaps", "Intelligence gaps", tables=[table])
