"""Identifier validation: NHS number check digit, UPN check letter, postcodes."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safehub.people.validators import (
    UPN_LETTERS,
    nhs_check_digit,
    nhs_number_problem,
    normalise_postcode,
    postcode_problem,
    upn_check_letter,
    upn_problem,
)

digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(digits)
def test_a_number_with_its_check_digit_is_valid(first_nine: str) -> None:
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    assert nhs_number_problem(first_nine + str(check)) is None
    # Spaces as people type them are accepted.
    spaced = f"{first_nine[:3]} {first_nine[3:6]} {first_nine[6:]}{check}"
    assert nhs_number_problem(spaced) is None


@given(digits, st.integers(0, 9))
def test_any_other_final_digit_is_refused(first_nine: str, wrong: int) -> None:
    assume(nhs_check_digit(first_nine) != wrong)
    assert "does not match" in (nhs_number_problem(first_nine + str(wrong)) or "")


@given(digits, st.integers(0, 8))
def test_a_single_digit_typo_is_caught(first_nine: str, position: int) -> None:
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    typo_digit = str((int(first_nine[position]) + 1) % 10)
    typo = first_nine[:position] + typo_digit + first_nine[position + 1 :]
    assert nhs_number_problem(typo + str(check)) is not None


@pytest.mark.parametrize("raw", ["", "12345", "12345678901", "94347659l9", "abcdefghij"])
def test_malformed_nhs_numbers_are_refused(raw: str) -> None:
    assert "10 digits" in (nhs_number_problem(raw) or "")


def test_known_valid_nhs_number() -> None:
    # 943 476 5919 is the NHS's own published test number.
    assert nhs_number_problem("943 476 5919") is None


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_upn_with_its_check_letter_is_valid(body: str) -> None:
    assert upn_problem(upn_check_letter(body) + body) is None


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from(UPN_LETTERS))
def test_temporary_upn_ending_in_a_letter_is_valid(body: str, last: str) -> None:
    upn = upn_check_letter(body + last) + body + last
    assert upn_problem(upn.lower()) is None


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from(UPN_LETTERS))
def test_upn_with_the_wrong_check_letter_is_refused(body: str, letter: str) -> None:
    assume(letter != upn_check_letter(body))
    assert "check letter" in (upn_problem(letter + body) or "")


@pytest.mark.parametrize("raw", ["", "A1234567890", "I123456789012", "1234567890123"])
def test_malformed_upns_are_refused(raw: str) -> None:
    assert "13 characters" in (upn_problem(raw) or "")


@pytest.mark.parametrize(
    ("raw", "normal"), [("cv15rr", "CV1 5RR"), ("B1 1AA", "B1 1AA"), ("sw1a 1aa", "SW1A 1AA")]
)
def test_postcodes_are_normalised_and_accepted(raw: str, normal: str) -> None:
    assert normalise_postcode(raw) == normal and postcode_problem(raw) is None


@pytest.mark.parametrize("raw", ["", "12345", "CV1", "CV1 5R", "ZZZZ ZZZ"])
def test_malformed_postcodes_are_refused(raw: str) -> None:
    assert postcode_problem(raw) is not None


@given(st.text(max_size=20))
def test_validators_never_crash_on_any_text(raw: str) -> None:
    for check in (nhs_number_problem, upn_problem, postcode_problem):
        result = check(raw)
        assert result is None or isinstance(result, str)
