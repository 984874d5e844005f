"""Validation of identifiers used across agencies. Pure functions; no database."""

from __future__ import annotations

import re

NHS_WEIGHTS = range(10, 1, -1)
# DfE's check-letter alphabet: the 23 letters without I, O and S.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


def normalise_nhs_number(raw: str) -> str:
    """Strip spaces and hyphens, as people type NHS numbers as 485 777 3456."""
    return re.sub(r"[\s-]", "", raw or "")


def nhs_number_problem(raw: str) -> str | None:
    """Why `raw` is not a valid NHS number (10 digits, modulus 11 check digit), or None."""
    number = normalise_nhs_number(raw)
    if not re.fullmatch(r"\d{10}", number):
        return "Enter an NHS number with 10 digits, like 485 777 3456"
    total = sum(int(d) * w for d, w in zip(number[:9], NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10 or check != int(number[9]):
        return "Enter a valid NHS number: the last digit does not match (check for a typing error)"
    return None


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid NHS number starts with them."""
    total = sum(int(d) * w for d, w in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    return None if check == 10 else check


def normalise_upn(raw: str) -> str:
    return re.sub(r"\s", "", raw or "").upper()


def upn_check_letter(body: str) -> str:
    """DfE check letter for the 12 characters after it (weights 2..13, modulus 23).

    A temporary UPN ends in a letter, which counts as its position in the check alphabet.
    """
    total = 0
    for weight, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


def upn_problem(raw: str) -> str | None:
    """Why `raw` is not a valid Unique Pupil Number, or None."""
    upn = normalise_upn(raw)
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]", upn):
        return "Enter a UPN of 13 characters: a letter, 11 digits, then a digit or a letter"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "Enter a valid UPN: the check letter does not match (check for a typing error)"
    return None


def normalise_postcode(raw: str) -> str:
    """Upper-case a postcode and put the single space before the inward code."""
    compact = re.sub(r"\s", "", raw or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_problem(raw: str) -> str | None:
    """Why `raw` is not a UK postcode in the usual format, or None."""
    if not POSTCODE_RE.match(normalise_postcode(raw)):
        return "Enter a full UK postcode, like CV1 5RR"
    return None
