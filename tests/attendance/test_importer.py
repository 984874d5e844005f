"""The attendance extract's checks: ten DfE codes with a precise reason for each fault, and a
week given by its Monday (or by the school's first open day), never a second week beside it."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from safehub.attendance.codes import COUNTED, MEANINGS
from safehub.attendance.importer import (
    SCHOOL_ATTENDANCE,
    SESSION_NAMES,
    sessions_problem,
    week_problem,
)
from safehub.attendance.models import AttendanceWeek
from safehub.imports.models import ImportRun
from safehub.imports.parsing import parse_row
from safehub.imports.registry import RowProblem
from safehub.people.validators import upn_check_letter

CODES = sorted(MEANINGS)
NOT_POSSIBLE = sorted(set(MEANINGS) - COUNTED)
VALID_SESSIONS = st.text(alphabet=st.sampled_from(CODES), min_size=10, max_size=10)
MONDAY = date(2025, 9, 1)
PRESENT = "/\\/\\/\\/\\/\\"
UPN = upn_check_letter("900200500001") + "900200500001"
# Characters a spreadsheet may put in a cell: any letter, digit, punctuation or space.
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    min_size=1,
    max_size=14,
)


def row(**values: str) -> dict[str, str]:
    return {
        "upn": UPN,
        "school_urn": "900000",
        "week_commencing": MONDAY.isoformat(),
        "sessions": PRESENT,
        **values,
    }


@given(VALID_SESSIONS)
def test_any_ten_dfe_codes_are_accepted(sessions: str) -> None:
    assert sessions_problem(sessions) is None
    parsed, problems = parse_row(SCHOOL_ATTENDANCE, row(sessions=sessions), 2)
    assert problems == [] and parsed is not None and parsed.values["sessions"] == sessions


@given(ANY_TEXT.filter(lambda s: s.strip() != "" and s.strip() == s))
def test_any_other_string_gets_exactly_one_precise_reason(sessions: str) -> None:
    wrong = [i for i, c in enumerate(sessions) if c not in MEANINGS]
    if len(sessions) == 10 and not wrong:
        return
    _, problems = parse_row(SCHOOL_ATTENDANCE, row(sessions=sessions), 2)
    assert problems == [RowProblem("sessions", sessions_problem(sessions) or "")]
    reason = problems[0].reason
    assert reason and "\n" not in reason
    if len(sessions) != 10:
        plural = "" if len(sessions) == 1 else "s"
        assert reason.startswith(f"has {len(sessions)} code{plural}, not 10")
        assert " on " not in reason  # no session is named when the count is wrong
    else:
        for i in wrong:
            assert f"on {SESSION_NAMES[i]} (session {i + 1})" in reason
        named = [name for name in SESSION_NAMES if f" {name} (" in reason]
        assert len(named) == len(wrong)  # only the sessions at fault are named
        assert ("are not DfE attendance codes" if len(wrong) > 1 else "is not a DfE") in reason


def test_the_reasons_read_as_a_person_would_say_them() -> None:
    assert sessions_problem(PRESENT[:9]) == "has 9 codes, not 10"
    assert sessions_problem(PRESENT + "/") == "has 11 codes, not 10"
    assert sessions_problem("/\\/\\/Q/\\/\\") == (
        'has "Q" on Wednesday afternoon (session 6), which is not a DfE attendance code'
    )
    assert sessions_problem("i\\/\\/\\/\\/ ") == (
        'has "i" on Monday morning (session 1) and a space on Friday afternoon (session 10), '
        "which are not DfE attendance codes (the codes are capital letters)"
    )
    assert sessions_problem("/\\/\\/\\/\\/\\ /\\") == (
        "has 13 codes, not 10, and a space is not a DfE attendance code"
    )


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2040, 12, 31)), VALID_SESSIONS)
def test_a_monday_always_starts_a_week(day: date, sessions: str) -> None:
    monday = day - timedelta(days=day.weekday())
    assert week_problem(monday, sessions) is None


@given(
    st.dates(min_value=date(2000, 1, 3), max_value=date(2040, 12, 31)),
    st.integers(min_value=1, max_value=4),
    st.data(),
)
def test_a_later_weekday_starts_the_week_only_when_the_days_before_were_not_possible(
    day: date, weekday: int, data: Any
) -> None:
    later = day - timedelta(days=day.weekday()) + timedelta(days=weekday)
    closed = data.draw(
        st.text(alphabet=st.sampled_from(NOT_POSSIBLE), min_size=2 * weekday, max_size=2 * weekday)
    )
    size = 10 - 2 * weekday
    rest = data.draw(st.text(alphabet=st.sampled_from(CODES), min_size=size, max_size=size))
    assert week_problem(later, closed + rest) is None
    parsed, problems = parse_row(
        SCHOOL_ATTENDANCE, row(week_commencing=later.isoformat(), sessions=closed + rest), 2
    )
    # Stored under its Monday: the same key, and the same row hash, as the Monday's row.
    monday = later - timedelta(days=weekday)
    as_monday, _ = parse_row(
        SCHOOL_ATTENDANCE, row(week_commencing=monday.isoformat(), sessions=closed + rest), 2
    )
    assert problems == [] and parsed is not None and as_monday is not None
    assert parsed.values["week_commencing"] == monday
    assert (parsed.key, parsed.row_hash) == (as_monday.key, as_monday.row_hash)

    position = data.draw(st.integers(min_value=0, max_value=2 * weekday - 1))
    open_code = data.draw(st.sampled_from(sorted(COUNTED)))
    opened = closed[:position] + open_code + closed[position + 1 :] + rest
    problem = week_problem(later, opened)
    assert problem is not None
    assert problem.startswith(f"is {later:%A} {later.day} {later:%B %Y}, not a Monday")
    assert f"({monday:%A} {monday.day} {monday:%B %Y})" in problem


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), VALID_SESSIONS)
def test_a_weekend_day_never_starts_a_week(day: date, sessions: str) -> None:
    weekend = day - timedelta(days=day.weekday()) + timedelta(days=5 + day.toordinal() % 2)
    problem = week_problem(weekend, sessions)
    assert problem == f"is {weekend:%A} {weekend.day} {weekend:%B %Y}, not a school day: " + (
        "give the week's Monday"
    )


def test_a_week_that_cannot_start_on_its_day_is_refused_naming_the_date_and_weekday() -> None:
    _, problems = parse_row(SCHOOL_ATTENDANCE, row(week_commencing="2025-09-02"), 2)
    assert problems == [
        RowProblem(
            "week_commencing",
            "is Tuesday 2 September 2025, not a Monday: give the week's Monday (Monday 1 "
            "September 2025), or, if the school first opened that week on Tuesday, mark the "
            "sessions of Monday as not possible (# for school closed)",
        )
    ]


# --- through the import engine -------------------------------------------------------------

SCHOOLS = "urn,name,phase,address_line1,postcode\n900000,Moorlands Primary School,primary,,\n"


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.SAFEHUB_IMPORTS_DIR = str(tmp_path / "imports")
    settings.SAFEHUB_IMPORTS_INLINE = True
    (tmp_path / "schools.csv").write_text(SCHOOLS)
    call_command(
        "import", "schools", str(tmp_path / "schools.csv"), "--no-progress", stdout=StringIO()
    )
    return tmp_path


def import_rows(folder: Path, *rows: tuple[str, str], skip: bool = True) -> ImportRun:
    """Import the pupil's weeks (week, sessions); the run, whether or not it was refused."""
    lines = ["upn,school_urn,week_commencing,sessions"]
    lines += [f"{UPN},900000,{week},{sessions}" for week, sessions in rows]
    path = folder / "attendance.csv"
    path.write_text("\n".join(lines) + "\n")
    flags = ["--skip-rejected"] if skip else []
    try:
        call_command(
            "import", "school_attendance", str(path), "--no-progress", *flags, stdout=StringIO()
        )
    except CommandError:
        assert not skip  # only a file with rejected rows, imported without skipping them
    return ImportRun.objects.filter(source="school_attendance").latest("pk")


@pytest.mark.django_db
def test_a_week_from_its_first_open_day_updates_the_mondays_week_never_a_second(
    files: Path,
) -> None:
    after_bank_holiday = "##" + PRESENT[2:]
    run = import_rows(files, ("2025-09-01", PRESENT))
    assert (run.new, run.rejected) == (1, 0)
    run = import_rows(files, ("2025-09-02", after_bank_holiday))
    assert (run.new, run.changed, run.rejected) == (0, 1, 0)
    (week,) = AttendanceWeek.objects.all()
    assert (week.week_commencing, week.sessions) == (date(2025, 9, 1), after_bank_holiday)
    # The same week under either date is unchanged: one week, whatever the file calls it.
    assert import_rows(files, ("2025-09-01", after_bank_holiday)).unchanged == 1
    # Both in one file: the later row repeats the earlier one's week and is rejected.
    run = import_rows(files, ("2025-09-01", after_bank_holiday), ("2025-09-02", after_bank_holiday))
    assert (run.unchanged, run.rejected) == (1, 1)
    assert AttendanceWeek.objects.count() == 1


@pytest.mark.django_db
def test_a_tuesday_with_a_monday_register_is_refused_and_nothing_is_stored(files: Path) -> None:
    run = import_rows(files, ("2025-09-02", PRESENT), ("2025-09-08", "/\\/\\/\\/\\/"), skip=False)
    assert run.rejected == 2 and AttendanceWeek.objects.count() == 0
    assert run.rejections == [
        {
            "row": 2,
            "column": "week_commencing",
            "reason": "is Tuesday 2 September 2025, not a Monday: give the week's Monday "
            "(Monday 1 September 2025), or, if the school first opened that week on Tuesday, "
            "mark the sessions of Monday as not possible (# for school closed)",
        },
        {"row": 3, "column": "sessions", "reason": "has 9 codes, not 10"},
    ]
