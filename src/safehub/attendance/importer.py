"""The attendance extract (attendance.csv) as an import source: rows into AttendanceWeek.

One row per pupil per school week, keyed as the schools key it: UPN, school URN and the
Monday of the week. The stored week carries the import run and file row that last wrote it;
its row hash is recomputed from what is stored, so no extra column is needed.

Each row is checked before anything is stored, with a reason that says exactly what is wrong:
`sessions_problem` (ten DfE codes, and which session holds which unknown code) and
`week_problem` (the week must be given by its Monday, or by the school's first open day that
week when the sessions before it are not possible sessions). A week given by a later day is
stored under its Monday, so it updates the same week and never makes a second one beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection

from safehub.accounts.models import Agency
from safehub.attendance.codes import COUNTED, MEANINGS, WEEKDAYS
from safehub.attendance.models import AttendanceWeek
from safehub.imports.parsing import row_hash
from safehub.imports.registry import Column, ColumnKind, ParsedRow, RowProblem, Source, register
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
_SESSIONS = re.compile(SESSIONS_PATTERN)
SESSIONS_PER_WEEK = 10
# Session 1 is Monday morning, session 10 Friday afternoon.
SESSION_NAMES = tuple(f"{day} {half}" for day in WEEKDAYS for half in ("morning", "afternoon"))
# How many unknown characters a reason names before it says "and others".
NAMED_AT_MOST = 3


def _shown(char: str) -> str:
    """One character as a reason shows it: quoted, or described when it cannot be seen."""
    if char == " ":
        return "a space"
    if not char.isprintable() or char.isspace():
        return f"the character U+{ord(char):04X}"
    return f'"{char}"'


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _capitals_hint(chars: Sequence[str]) -> str:
    lower = [c for c in chars if c != c.upper() and c.upper() in MEANINGS]
    return " (the codes are capital letters)" if lower else ""


def sessions_problem(text: str) -> str | None:
    """Why `text` is not a week's ten sessions (Monday morning first, each a DfE attendance
    code, `codes.MEANINGS`), in one sentence; None when it is.

    A string of the wrong length is told its length (and up to three characters in it that
    are not codes); one of ten is told which characters that are not codes it has on which
    sessions, named by day and half day ("Wednesday afternoon (session 6)")."""
    if _SESSIONS.fullmatch(text):
        return None
    if len(text) != SESSIONS_PER_WEEK:
        count = f"has {len(text)} code{'' if len(text) == 1 else 's'}, not {SESSIONS_PER_WEEK}"
        unknown = list(dict.fromkeys(c for c in text if c not in MEANINGS))
        if not unknown:
            return count
        named = [_shown(c) for c in unknown[:NAMED_AT_MOST]]
        if len(unknown) > NAMED_AT_MOST:
            named.append("others")
        verb = "is not a DfE attendance code" if len(named) == 1 else "are not DfE attendance codes"
        return f"{count}, and {_and(named)} {verb}{_capitals_hint(unknown)}"
    wrong = [(i, c) for i, c in enumerate(text) if c not in MEANINGS]
    held = [f"{_shown(c)} on {SESSION_NAMES[i]} (session {i + 1})" for i, c in wrong]
    verb = "is not a DfE attendance code" if len(wrong) == 1 else "are not DfE attendance codes"
    return f"has {_and(held)}, which {verb}{_capitals_hint([c for _, c in wrong])}"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def week_problem(day: date, sessions: str) -> str | None:
    """Why `day` cannot start the week whose ten `sessions` are given; None when it can.

    A week is given by its Monday, or by a later weekday when that was the school's first open
    day that week: the sessions before it (the week's sessions are always Monday morning
    first) are then all not possible sessions (# school closed, or another code outside
    `codes.COUNTED`). A Saturday or a Sunday never starts a week."""
    weekday = day.weekday()
    if weekday == 0:
        return None
    monday = day - timedelta(days=weekday)
    if weekday > 4:
        return f"is {_day(day)}, not a school day: give the week's Monday"
    if not any(code in COUNTED for code in sessions[: 2 * weekday]):
        return None
    before = ("Monday", "Monday and Tuesday", "Monday to Wednesday", "Monday to Thursday")
    return (
        f"is {_day(day)}, not a Monday: give the week's Monday ({_day(monday)}), or, if the "
        f"school first opened that week on {day:%A}, mark the sessions of {before[weekday - 1]} "
        "as not possible (# for school closed)"
    )


def week_under_its_monday(values: dict[str, Any]) -> tuple[dict[str, Any], list[RowProblem]]:
    """The row check: a week given by a later day is stored under its Monday; one that cannot
    be is refused with `week_problem`'s reason."""
    day: date = values["week_commencing"]
    if day.weekday() == 0:
        return values, []
    problem = week_problem(day, values["sessions"])
    if problem is not None:
        return values, [RowProblem("week_commencing", problem)]
    return {**values, "week_commencing": day - timedelta(days=day.weekday())}, []


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
        "first, as DfE attendance codes. Keyed on UPN, school URN and week (its Monday).",
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
            # No maximum length: sessions_problem says how many codes a value has.
            Column("sessions", ColumnKind.TEXT, required=True, check=sessions_problem),
        ),
        key=("upn", "school_urn", "week_commencing"),
        row_check=week_under_its_monday,
        writer=AttendanceWriter,
        agency_types=(AgencyType.COUNCIL, AgencyType.SCHOOL),
        after=("schools", "school_census"),
    )
)
