"""The perpetrators section: persons of interest by age, sex, ethnicity and linked
children, and the disruption recorded against them."""

from __future__ import annotations

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.labels import ADULT_AGE_ORDER, _choice_label, _ordered
from safehub.analytics.profile.model import Section
from safehub.intelligence.choices import DisruptionKind
from safehub.people.choices import Ethnicity, Sex


class PerpetratorsBuilder(BuilderBase):
    def perpetrators(self) -> Section:
        sources = self.snapshot.sources.get("persons_of_interest", [])
        total = self.one("poi_total")
        self.facts["pois"] = int(total.get("persons", 0))
        self.facts["poi_no_ethnicity"] = int(total.get("no_ethnicity", 0))
        tables = [
            self.breakdown(
                "poi-by-age",
                "Persons of interest by age",
                _ordered(self.q("poi_by_age"), "band", ADULT_AGE_ORDER),
                "band",
                "persons",
                "Age",
                "Persons of interest",
                sources,
                labeller=str,
            ),
            self.breakdown(
                "poi-by-sex",
                "Persons of interest by sex",
                self.q("poi_by_sex"),
                "sex",
                "persons",
                "Sex",
                "Persons of interest",
                sources,
                labeller=_choice_label(Sex),
            ),
            self.breakdown(
                "poi-by-ethnicity",
                "Persons of interest by ethnicity",
                self.q("poi_by_ethnicity"),
                "ethnicity",
                "persons",
                "Ethnic group",
                "Persons of interest",
                sources,
                note=(
                    "No ethnicity recorded for "
                    f"{self.share(self.facts['poi_no_ethnicity'], self.facts['pois'])} of persons"
                    " of interest: national inquiries found this gap in most profiles."
                ),
                labeller=_choice_label(Ethnicity),
            ),
            self.breakdown(
                "poi-linked-children",
                "Children each person of interest is linked to",
                self.q("poi_children"),
                "linked",
                "persons",
                "Linked children",
                "Persons of interest",
                sources,
                labeller=str,
            ),
            self.breakdown(
                "disruption-by-kind",
                "Disruption in the period",
                self.q("disruptions_by_kind"),
                "kind",
                "actions",
                "Action",
                "Actions",
                self.snapshot.sources.get("disruptions", []),
                labeller=_choice_label(DisruptionKind),
            ),
        ]
        links = int(self.one("poi_links").get("links", 0))
        taxi = int(self.one("poi_taxi").get("persons", 0))
        findings = [
            f"{self.num(self.facts['pois'])} active persons of interest; intelligence links "
            f"{self.num(links)} pairs of them to each other.",
            f"{self.num(taxi)} keep a vehicle on the council's taxi and private hire register.",
        ]
        return Section("perpetrators", "Perpetrators", findings=findings, tables=tables)
