"""Children's social care: the children known to the case management system."""

from __future__ import annotations

from typing import Any

from safehub.imports.people_rows import PersonRowWriter
from safehub.imports.registry import Column, Source, register
from safehub.people.choices import Ethnicity
from safehub.policy.roles import AgencyType

UK_DATE = "%d/%m/%Y"
LEGAL_STATUSES = ("looked_after", "child_in_need", "early_help", "contact_only")


class ChildWriter(PersonRowWriter):
    """Children become people keyed on sc_id, linked by NHS number, else by UPN."""

    source_name = "social_care_children"

    def person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **super().person_fields(values),
            "ethnicity": values["ethnicity"] or Ethnicity.NOT_STATED,
            "nhs_number": values["nhs_number"],
            "upn": values["upn"],
        }

    def identifiers(self, values: dict[str, Any]) -> list[str]:
        found = []
        if values["nhs_number"]:
            found.append(f"nhs:{values['nhs_number']}")
        if values["upn"]:
            found.append(f"upn:{values['upn']}")
        return found


SOCIAL_CARE_CHILDREN = register(
    Source(
        name="social_care_children",
        version=1,
        title="Social care children",
        file_name="children.csv",
        description="Children known to children's social care; each is a person keyed on "
        "sc_id, linked to a person already known by NHS number or UPN.",
        columns=(
            Column.text(
                "sc_id",
                required=True,
                max_length=20,
                pattern=r"SC\d{9}",
                pattern_words="is not a social care id (SC and 9 digits)",
            ),
            Column.text("given_name", required=True, max_length=100),
            Column.text("family_name", required=True, max_length=100),
            Column.date("date_of_birth", fmt=UK_DATE),
            Column.code("sex", codes=("F", "M", "U"), required=True),
            Column.text("address_line1", max_length=200),
            Column.text("town", max_length=100),
            Column.postcode("postcode"),
            Column.code("ethnicity", codes=Ethnicity.values),
            Column.nhs_number(),
            Column.upn(),
            Column.code("legal_status", codes=LEGAL_STATUSES, required=True),
        ),
        key=("sc_id",),
        writer=ChildWriter,
        agency_types=(AgencyType.COUNCIL,),
        after=("school_census",),
    )
)
