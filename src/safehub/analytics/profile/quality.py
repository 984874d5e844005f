"""The data quality section: what fed the profile, de-duplication and missing ethnicity."""

from __future__ import annotations

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.model import Section, Table


class QualityBuilder(BuilderBase):
    def quality(self) -> Section:
        counts = {row["name"]: int(row["n"]) for row in self.q("table_rows")}
        dedup = self.one("dedup")
        rows = [
            [
                name.replace("_", " ").capitalize(),
                ", ".join(self.snapshot.sources.get(name, [])) or "None",
                self.count(counts.get(name, 0)),
            ]
            for name in (
                "children",
                "screenings",
                "cases",
                "missing",
                "persons_of_interest",
                "locations",
                "vehicles",
                "associations",
                "disruptions",
            )
        ]
        victims = self.facts.get("victims", 0)
        findings = [
            self.snapshot.linkage_note,
            f"{self.num(int(dedup.get('records', 0)))} children's records are "
            f"{self.num(int(dedup.get('children', 0)))} children once de-duplicated.",
            "Ethnicity is not stated for "
            f"{self.share(self.facts.get('victim_no_ethnicity', 0), victims)} of the children "
            "identified.",
            f"Built from a snapshot of the {self.snapshot.origin} taken on "
            f"{self.snapshot.as_of:%d %B %Y}.",
        ]
        table = Table(
            "data-sources",
            "What fed this profile",
            ["Records", "Sources", "Rows in the snapshot"],
            rows,
        )
        return Section("quality", "Data quality", findings=findings, tables=[table])
