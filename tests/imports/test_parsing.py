"""The row parser and validators: typed values, reasons without values, never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from safehub.imports.parsing import parse_row, parse_value, row_hash
from safehub.imports.registry import Column, get_source
from safehub.people.validators import upn_check_letter

PUPILS = get_source("school_census")
ATTENDANCE = get_source("school_attendance")
CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_in_the_declared_format_comes_back_as_itself(day: date) -> None:
    column = Column.date("d", fmt="%d/%m/%Y")
    assert parse_value(column, day.strftime("%d/%m/%Y")) == (day, None)


@given(st.dictionaries(st.sampled_from(PUPILS.column_names), CELLS))
def test_any_row_is_either_accepted_or_rejected_with_reasons_that_do_not_echo_it(
    raw: dict[str, str],
) -> None:
    row, problems = parse_row(PUPILS, raw, 2)
    assert (row is None) == bool(problems)
    for problem in problems:
        assert problem.column in PUPILS.column_names
        value = raw.get(problem.column, "").strip()
        if len(value) > 3:
            assert value not in problem.reason


@given(st.from_regex(r"9[0-9]{11}", fullmatch=True))
def test_upns_with_their_check_letter_are_accepted_and_others_refused(body: str) -> None:
    good = upn_check_letter(body) + body
    assert parse_value(Column.upn(required=True), good.lower()) == (good, None)
    wrong = next(c for c in "ABCD" if c != good[0])
    value, problem = parse_value(Column.upn(required=True), wrong + body)
    assert value is None and problem == "is not a valid UPN"


@given(st.text(alphabet="/\\LUIMRCEOGN#", min_size=10, max_size=10))
def test_session_strings_of_dfe_codes_are_accepted(sessions: str) -> None:
    assert parse_value(ATTENDANCE.column("sessions"), sessions) == (sessions, None)


@given(st.text(min_size=1, max_size=12).filter(lambda s: len(s.strip()) != 10))
def test_sessions_of_the_wrong_length_are_refused(sessions: str) -> None:
    value, problem = parse_value(ATTENDANCE.column("sessions"), sessions)
    assert value is None and problem


def test_required_code_and_number_columns() -> None:
    assert parse_value(Column.code("sex", codes=("F", "M"), required=True), "") == (
        None,
        "is required but empty",
    )
    assert parse_value(Column.code("sex", codes=("F", "M")), "X")[1] == "is not one of: F, M"
    assert parse_value(Column.integer("n"), "12") == (12, None)
    assert parse_value(Column.integer("n"), "1.5")[1] == "is not a whole number"
    assert parse_value(Column.date("d", fmt="%Y-%m-%d"), "31/01/2020")[1] == (
        "is not a date in the form yyyy-mm-dd"
    )


def test_the_row_hash_ignores_columns_outside_the_declaration() -> None:
    values = {name: "" for name in ATTENDANCE.column_names}
    assert row_hash(ATTENDANCE, values) == row_hash(ATTENDANCE, {**values, "extra": "x"})
    assert row_hash(ATTENDANCE, values) != row_hash(ATTENDANCE, {**values, "sessions": "x"})
