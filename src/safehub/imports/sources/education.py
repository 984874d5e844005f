"""The local authority's school extract: schools and pupils (the census / enrolment list).

Attendance (attendance.csv) is registered by the attendance app (attendance/importer.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from safehub.accounts.models import Agency
from safehub.imports.people_rows import PersonRowWriter
from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter
from safehub.people.choices import Ethnicity
from safehub.policy.roles import AgencyType

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

ISO_DATE = "%Y-%m-%d"
SEXES = ("F", "M", "U")
YEAR_GROUPS = ("R", *(str(n) for n in range(1, 14)))

PERSON_COLUMNS = (
    Column.text("given_name", required=True, max_length=100),
    Column.text("family_name", required=True, max_length=100),
    Column.date("date_of_birth", fmt=ISO_DATE),
    Column.code("sex", codes=SEXES, required=True),
    Column.text("address_line1", max_length=200),
    Column.text("town", max_length=100),
    Column.postcode("postcode"),
)


def schools_by_urn(urns: set[str]) -> dict[str, int]:
    rows = Agency.objects.filter(agency_type=AgencyType.SCHOOL, urn__in=urns)
    return dict(rows.values_list("urn", "pk"))


class SchoolWriter(SourceRecordWriter):
    """Schools become agencies of type school, keyed by their URN."""

    source_name = "schools"

    @staticmethod
    def agency_name(name: str, urn: str) -> str:
        """The school's name, or "NAME (URN n)" when another agency has the name already:
        schools in different areas share names, and agency names are unique."""
        others = Agency.objects.filter(name=name).exclude(agency_type=AgencyType.SCHOOL, urn=urn)
        if not others.exists():
            return name
        suffix = f" (URN {urn})"
        return name[: 200 - len(suffix)] + suffix

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        urns = schools_by_urn({r.values["urn"] for r in rows})
        objects: dict[str, int | None] = {}
        for row in rows:
            values = row.values
            fields = {
                "name": self.agency_name(values["name"], values["urn"]),
                "school_phase": values["phase"],
            }
            if values["urn"] in urns:
                Agency.objects.filter(pk=urns[values["urn"]]).update(**fields)
                objects[row.key] = urns[values["urn"]]
            else:
                school = Agency.objects.create(
                    agency_type=AgencyType.SCHOOL, urn=values["urn"], **fields
                )
                objects[row.key] = school.pk
        self.remember(rows, run, objects=objects)


class PupilWriter(PersonRowWriter):
    """Pupils become people, keyed on pupil_id; an existing person with the UPN is linked."""

    source_name = "school_census"
    schools: dict[str, int]

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        known = schools_by_urn({r.values["school_urn"] for r in rows if r.values["school_urn"]})
        return {
            row.number: RowProblem(
                "school_urn", "is not a school Safehub knows: import the schools file first"
            )
            for row in rows
            if row.values["school_urn"] and row.values["school_urn"] not in known
        }

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        self.schools = schools_by_urn({r.values["school_urn"] for r in rows})
        super().write(rows, run)

    def person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        school = values["school_urn"]
        return {
            **super().person_fields(values),
            "ethnicity": values["ethnicity"] or Ethnicity.NOT_STATED,
            "upn": values["upn"],
            "school_id": self.schools.get(school) if school else None,
        }

    def identifiers(self, values: dict[str, Any]) -> list[str]:
        return [f"upn:{values['upn']}"]


SCHOOLS = register(
    Source(
        name="schools",
        version=1,
        title="Schools",
        file_name="schools.csv",
        description="The schools of the local authority's extract; each becomes an agency of "
        "type school, keyed by its URN.",
        columns=(
            Column.text(
                "urn",
                required=True,
                max_length=8,
                pattern=r"\d{6,8}",
                pattern_words="is not a URN (6 to 8 digits)",
            ),
            Column.text("name", required=True, max_length=200),
            Column.code("phase", codes=("primary", "secondary", "all_through"), required=True),
            Column.text("address_line1", max_length=200),
            Column.postcode("postcode"),
        ),
        key=("urn",),
        writer=SchoolWriter,
        agency_types=(AgencyType.COUNCIL, AgencyType.SCHOOL),
    )
)

SCHOOL_CENSUS = register(
    Source(
        name="school_census",
        version=1,
        title="School census (pupils)",
        file_name="pupils.csv",
        description="Pupils on the schools' rolls; each is a person, keyed on pupil_id and "
        "linked to a person already known by UPN.",
        columns=(
            Column.text(
                "pupil_id",
                required=True,
                max_length=20,
                pattern=r"ED\d{9}",
                pattern_words="is not a pupil id (ED and 9 digits)",
            ),
            Column.upn(required=True),
            *PERSON_COLUMNS,
            Column.code("ethnicity", codes=Ethnicity.values),
            Column.text("school_urn", max_length=8),
            Column.code("year_group", codes=YEAR_GROUPS),
            Column.code("sen", codes=("K", "E")),
            Column.code("fsm", codes=("Y", "N")),
            Column.code("looked_after", codes=("Y", "N")),
        ),
        key=("pupil_id",),
        writer=PupilWriter,
        agency_types=(AgencyType.COUNCIL, AgencyType.SCHOOL),
        after=("schools",),
    )
)
