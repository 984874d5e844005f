"""Import source for the HR extract of staff and councillors (docs/data/workforce.md).

Registered with the import framework in `WorkforceConfig.ready()`; run with
`safehub import workforce_staff staff.csv` or from the imports pages.

What the extract cannot say is stated here:
- `team` becomes the directorate (the ward for councillors).
- Whether a role works with children comes from the job title: every staff role does except
  the titles in SAFEHUB_WORKFORCE["not_child_facing_titles"]. Regulated activity is not in
  the extract: administrators mark it on the record, and an import never clears it.
- HR records no certificate number or result: an imported check is recorded as "clear" with
  no number. CSE training dates become a course "CSE awareness (HR record)".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter
from safehub.workforce import config
from safehub.workforce.choices import CourseKind, DbsLevel, DbsResult, StaffKind
from safehub.workforce.models import DbsCheck, StaffMember, TrainingCourse, TrainingRecord
from safehub.workforce.services import training_expiry

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

ISO = "%Y-%m-%d"
HR_COURSE = "CSE awareness (HR record)"
PREFIX = {"S": StaffKind.STAFF, "M": StaffKind.COUNCILLOR}


def _problem(row: ParsedRow) -> RowProblem | None:
    v = row.values
    if PREFIX.get(v["staff_number"][:1]) != v["kind"]:
        return RowProblem("kind", "does not match the number (S for staff, M for councillors)")
    if bool(v["dbs_level"]) != bool(v["dbs_issued"]):
        return RowProblem("dbs_issued", "and dbs_level must be given together")
    return None


class StaffWriter(SourceRecordWriter):
    """Creates or updates people on the register and adds dated checks and training."""

    source_name = "workforce_staff"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        found = {row.number: _problem(row) for row in rows}
        return {n: p for n, p in found.items() if p is not None}

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        away_from_children = config.not_child_facing_titles()
        course, _ = TrainingCourse.objects.get_or_create(
            name=HR_COURSE, defaults={"kind": CourseKind.CSE_AWARENESS}
        )
        objects: dict[str, int | None] = {}
        for row in rows:
            v = row.values
            facing = (
                v["kind"] == StaffKind.STAFF and v["job_title"].casefold() not in away_from_children
            )
            member, _ = StaffMember.objects.update_or_create(
                staff_number=v["staff_number"],
                defaults={
                    "given_name": v["given_name"],
                    "family_name": v["family_name"],
                    "date_of_birth": v["date_of_birth"],
                    "kind": v["kind"],
                    "job_title": v["job_title"],
                    "directorate": v["team"],
                    "works_with_children": facing,
                    "active": True,
                },
            )
            objects[row.key] = member.pk
            if v["dbs_level"]:
                DbsCheck.objects.get_or_create(
                    staff=member,
                    level=v["dbs_level"],
                    issued_on=v["dbs_issued"],
                    defaults={"result": DbsResult.CLEAR, "recorded_by": run.started_by},
                )
            if v["cse_training_completed"]:
                TrainingRecord.objects.get_or_create(
                    staff=member,
                    course=course,
                    completed_on=v["cse_training_completed"],
                    session=None,
                    defaults={
                        "expires_on": training_expiry(course, v["cse_training_completed"]),
                        "recorded_by": run.started_by,
                    },
                )
        self.remember(rows, run, objects=objects)


STAFF = Source(
    name="workforce_staff",
    version=1,
    title="Council staff and councillors (HR)",
    file_name="staff.csv",
    description="Children's services staff and councillors, with DBS and CSE training dates.",
    columns=(
        Column.text(
            "staff_number",
            required=True,
            max_length=20,
            pattern=r"[SM]\d{4,8}",
            pattern_words="is not a staff number like S00018 or M00069",
        ),
        Column.text("given_name", required=True, max_length=100),
        Column.text("family_name", required=True, max_length=100),
        Column.date("date_of_birth", fmt=ISO),
        Column.code("kind", codes=StaffKind.values, required=True),
        Column.text("job_title", max_length=200),
        Column.text("team", max_length=200),
        Column.code("dbs_level", codes=DbsLevel.values),
        Column.date("dbs_issued", fmt=ISO),
        Column.date("cse_training_completed", fmt=ISO),
    ),
    key=("staff_number",),
    writer=StaffWriter,
    agency_types=("council",),
)


def register_sources() -> None:
    register(STAFF)
