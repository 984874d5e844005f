"""The victims section: children identified, by month, age, sex, ethnicity, care, missing
history, school and screening indicator."""

from __future__ import annotations

from safehub.analytics import charts
from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.labels import (
    AGE_ORDER,
    MONTHS,
    _choice_label,
    _indicator_label,
    _ordered,
)
from safehub.analytics.profile.model import Section, Table
from safehub.people.choices import Ethnicity, Sex
from safehub.suppression import suppress_column


class VictimsBuilder(BuilderBase):
    def victims(self) -> Section:
        src = self.snapshot.sources
        sources = src.get("screenings", []) + src.get("cases", []) + src.get("children", [])
        total = self.one("victims_total")
        complete = self.one("victim_completeness")
        self.facts["victims"] = int(total.get("children", 0))
        self.facts["victim_records"] = int(total.get("records", 0))
        self.facts["victim_no_ethnicity"] = int(complete.get("no_ethnicity", 0))
        tables: list[Table] = []
        months = self.q("victims_by_month")
        month_labels = [f"{MONTHS[int(r['month']) - 1]} {int(r['year'])}" for r in months]
        month_counts = [int(r["children"]) for r in months]
        shown = month_counts if self.full else suppress_column(month_counts)
        tables.append(
            Table(
                "victims-by-month",
                "Children identified, by month first identified",
                ["Month", "Children"],
                [[m, c] for m, c in zip(month_labels, shown, strict=True)],
                sources,
                chart=charts.column_chart("Children identified by month", month_labels, shown)
                if months
                else "",
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-age",
                "Age on the profile date",
                _ordered(self.q("victims_by_age"), "band", AGE_ORDER),
                "band",
                "children",
                "Age",
                "Children",
                sources,
                labeller=str,
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-sex",
                "Sex",
                self.q("victims_by_sex"),
                "sex",
                "children",
                "Sex",
                "Children",
                sources,
                labeller=_choice_label(Sex),
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-ethnicity",
                "Ethnicity",
                self.q("victims_by_ethnicity"),
                "ethnicity",
                "children",
                "Ethnic group",
                "Children",
                sources,
                note=f"Not stated for {self.share(complete['no_ethnicity'], complete['children'])}"
                " of these children.",
                labeller=_choice_label(Ethnicity),
            )
        )
        looked_after = self.q("victims_looked_after")
        tables.append(
            self.breakdown(
                "victims-looked-after",
                "Looked-after children",
                looked_after,
                "looked_after",
                "children",
                "Looked after",
                "Children",
                sources,
                note="Looked after: missing from care, or looked after in the social care record.",
                labeller=lambda value: "Looked after" if value else "Not known to be looked after",
            )
        )
        tables.append(
            self.breakdown(
                "victims-missing",
                "Missing history",
                self.q("victims_missing"),
                "history",
                "children",
                "Missing episodes up to the profile date",
                "Children",
                src.get("missing", []),
                labeller=str,
            )
        )
        if self.full:
            tables.append(
                self.breakdown(
                    "victims-by-school",
                    "School",
                    self.q("victims_by_school")[:15],
                    "school",
                    "children",
                    "School",
                    "Children",
                    sources,
                    note="The fifteen schools with most children identified (analysts only).",
                    labeller=str,
                )
            )
        indicators = self.q("victim_indicators")[:12]
        tables.append(
            self.breakdown(
                "victim-indicators",
                "Indicators most often present in their screenings",
                indicators,
                "indicator",
                "children",
                "Indicator",
                "Children",
                src.get("screenings", []),
                labeller=_indicator_label,
            )
        )
        records = self.facts["victim_records"]
        findings = [
            f"{self.num(self.facts['victims'])} children identified in the period "
            f"({self.num(records)} agency records before de-duplication)."
        ]
        return Section("victims", "Victims and children at risk", findings=findings, tables=tables)
