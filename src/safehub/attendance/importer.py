"""The attendance extract (attendance.csv) as an import source: rows into AttendanceWeek.

One row per pupil per school week, keyed as the schools key it: UPN, school URN and the
Monday of the week. The stored week carries the import run and file row that last wrote it;
its row hash is recomputed from what is stored, so no extra column is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import connection

from safehub.accounts.models import Agency
from safehub.attendance.codes import MEANINGS
from safehub.attendance.models import AttendanceWeek
from safehub.imports.parsing import row_hash
from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.people.models import Person
from safehub.policy.roles import AgencyType

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

_COLUMNS = (
    "upn",
    "school_id",
    "week_commencing",
    "sessions",
    "person_id",
    "import_run_id",
    "source_row",
)
# Rows per INSERT statement (7 parameters each: well inside SQLite's 32,766).
UPSERT_ROWS = 500


def upsert_sql(rows: int) -> str:
    """One multi-row upsert; ON CONFLICT ... DO UPDATE reads the same on SQLite and PostgreSQL."""
    one = f"({', '.join(['%s'] * len(_COLUMNS))})"
    return (
        f"INSERT INTO {AttendanceWeek._meta.db_table} ({', '.join(_COLUMNS)}) "  # noqa: S608
        f"VALUES {', '.join([one] * rows)} "
        "ON CONFLICT (upn, school_id, week_commencing) DO UPDATE SET "
        "sessions = excluded.sessions, person_id = excluded.person_id, "
        "import_run_id = excluded.import_run_id, source_row = excluded.source_row"
    )


PG_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS import_attendance_stage (upn varchar(13), "
    "school_id bigint, week_commencing date, sessions varchar(10), person_id bigint, "
    "import_run_id bigint, source_row integer) ON COMMIT DROP"
)
PG_COPY = f"COPY import_attendance_stage ({', '.join(_COLUMNS)}) FROM STDIN"
PG_UPSERT = (
    f"INSERT INTO {AttendanceWeek._meta.db_table} ({', '.join(_COLUMNS)}) "  # noqa: S608
    f"SELECT {', '.join(_COLUMNS)} FROM import_attendance_stage "
    "ON CONFLICT (upn, school_id, week_commencing) DO UPDATE SET "
    "sessions = excluded.sessions, person_id = excluded.person_id, "
    "import_run_id = excluded.import_run_id, source_row = excluded.source_row"
)
SESSION_CODES = "".join(sorted(MEANINGS))
SESSIONS_PATTERN = (
    "[" + "".join("\\" + c if not c.isalnum() else c for c in SESSION_CODES) + "]{10}"
)


def _schools(urns: set[str]) -> dict[str, int]:
    found = Agency.objects.filter(agency_type=AgencyType.SCHOOL, urn__in=urns)
    return dict(found.values_list("urn", "pk"))


class AttendanceWriter:
    """Writes AttendanceWeek rows with one upsert per chunk (SQLite and PostgreSQL alike)."""

    def __init__(self) -> None:
        self.schools: dict[str, int] = {}

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        wanted = {r.values["school_urn"] for r in rows} - set(self.schools)
        if wanted:
            self.schools.update(_schools(wanted))
        return {
            row.number: RowProblem(
                "school_urn", "is not a school Safehub knows: import the schools file first"
            )
            for row in rows
            if row.values["school_urn"] not in self.schools
        }

    def existing(self, keys: Sequence[str]) -> dict[str, str]:
        """The hash of each stored week among these keys ("upn|urn|yyyy-mm-dd")."""
        parts = [k.split("|") for k in keys]
        wanted = set(keys)
        urn_of = {pk: urn for urn, pk in self.schools.items()}
        stored = AttendanceWeek.objects.filter(
            upn__in={p[0] for p in parts},
            school_id__in={self.schools[p[1]] for p in parts if p[1] in self.schools},
            week_commencing__in={p[2] for p in parts},
        ).values_list("upn", "school_id", "week_commencing", "sessions")
        found: dict[str, str] = {}
        for upn, school_id, week, sessions in stored:
            urn = urn_of.get(school_id, "")
            key = f"{upn}|{urn}|{week.isoformat()}"
            if key in wanted:
                values = {
                    "upn": upn,
                    "school_urn": urn,
                    "week_commencing": week,
                    "sessions": sessions,
                }
                found[key] = row_hash(SCHOOL_ATTENDANCE, values)
        return found

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        upns = {r.values["upn"] for r in rows}
        people = dict(Person.objects.filter(upn__in=upns).order_by("-pk").values_list("upn", "pk"))
        params = [
            (
                r.values["upn"],
                self.schools[r.values["school_urn"]],
                r.values["week_commencing"],
                r.values["sessions"],
                people.get(r.values["upn"]),
                run.pk,
                r.number,
            )
            for r in rows
        ]
        # Plain multi-row upserts: building model instances for bulk_create took most of the
        # import's time. The conflict target is the constraint attendance_week_unique.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY into a staging table, then one upsert: several times faster there
                # than statements with thousands of parameters.
                cursor.execute(PG_STAGE)
                with cursor.cursor.copy(PG_COPY) as copy:
                    for row in params:
                        copy.write_row(row)
                cursor.execute(PG_UPSERT)
                cursor.execute("TRUNCATE import_attendance_stage")
                return
            for start in range(0, len(params), UPSERT_ROWS):
                batch = params[start : start + UPSERT_ROWS]
                cursor.execute(upsert_sql(len(batch)), [v for row in batch for v in row])


SCHOOL_ATTENDANCE = register(
    Source(
        name="school_attendance",
        version=1,
        title="School attendance",
        file_name="attendance.csv",
        description="One row per pupil per school week: the ten sessions, Monday morning "
        "first, as DfE attendance codes. Keyed on UPN, school URN and week.",
        columns=(
            Column.upn(required=True),
            Column.text(
                "school_urn",
                required=True,
                max_length=8,
                pattern=r"\d{6,8}",
                pattern_words="is not a URN (6 to 8 digits)",
            ),
            Column.date("week_commencing", fmt="%Y-%m-%d", required=True),
            Column.text(
                "sessions",
                required=True,
                max_length=10,
                pattern=SESSIONS_PATTERN,
                pattern_words="is not 10 DfE attendance codes",
            ),
        ),
        key=("upn", "school_urn", "week_commencing"),
        writer=AttendanceWriter,
        agency_types=(AgencyType.COUNCIL, AgencyType.SCHOOL),
        after=("schools", "school_census"),
    )
)
