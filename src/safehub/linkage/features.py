"""Preparing identity records for linkage: cleaning, nickname keys, identifier checks.

Pure functions over plain values; no database. Identifiers that fail their check (NHS
number modulus 11, UPN check letter) are flagged and left out of linkage rather than
trusted: a mistyped NHS number that happens to be someone else's would link strangers.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from safehub.people.validators import (
    POSTCODE_RE,
    nhs_number_problem,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_problem,
)

NICKNAMES_FILE = Path(__file__).parents[1] / "people" / "data" / "nicknames.csv"

# Problem codes stored on a record, and what they mean in words.
PROBLEMS = {
    "nhs_number_invalid": "NHS number fails its check digit or is not 10 digits",
    "upn_invalid": "UPN fails its check letter or is not 13 characters",
    "postcode_invalid": "Postcode is not a UK postcode",
    "date_of_birth_invalid": "Date of birth could not be read",
    "date_of_birth_future": "Date of birth is in the future",
    "name_missing": "Given or family name is empty",
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d")
SEX_CODES = {"f": "F", "female": "F", "m": "M", "male": "M"}


@dataclass(frozen=True)
class CleanIdentity:
    """A record's fields as stored, with the problems found in them."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    postcode: str
    previous_postcodes: list[str]
    nhs_number: str
    upn: str
    school_urn: str
    problems: list[str]


def parse_date(raw: object) -> tuple[date | None, bool]:
    """A date from a date, an ISO string or an agency's dd/mm/yyyy; (date, was it readable)."""
    if raw is None or raw == "":
        return None, True
    if isinstance(raw, datetime):
        return raw.date(), True
    if isinstance(raw, date):
        return raw, True
    text = str(raw).strip()
    if not text:
        return None, True
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date(), True  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None, False


def clean_identity(row: dict[str, Any], *, today: date | None = None) -> CleanIdentity:
    """Tidy one source row (keys as in `services.IDENTITY_COLUMNS`) and list its problems.

    Never raises on bad values: it flags them. Identifiers are kept as recorded (trimmed),
    so the data-quality report can show what arrived.
    """
    problems: list[str] = []
    given = str(row.get("given_name") or "").strip()[:100]
    family = str(row.get("family_name") or "").strip()[:100]
    if not given or not family:
        problems.append("name_missing")
    born, readable = parse_date(row.get("date_of_birth"))
    if not readable:
        problems.append("date_of_birth_invalid")
    elif born is not None and today is not None and born > today:
        problems.append("date_of_birth_future")
    sex = SEX_CODES.get(str(row.get("sex") or "").strip().lower(), "")
    postcode = str(row.get("postcode") or "").strip()[:12]
    if postcode and not POSTCODE_RE.match(normalise_postcode(postcode)):
        problems.append("postcode_invalid")
    previous = row.get("previous_postcodes") or []
    if isinstance(previous, str):
        previous = [p for p in re.split(r"[;|]", previous) if p.strip()]
    nhs = str(row.get("nhs_number") or "").strip()[:20]
    if nhs and nhs_number_problem(nhs):
        problems.append("nhs_number_invalid")
    upn = str(row.get("upn") or "").strip()[:20]
    if upn and upn_problem(upn):
        problems.append("upn_invalid")
    return CleanIdentity(
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex=sex,
        postcode=postcode,
        previous_postcodes=[str(p).strip()[:12] for p in previous][:10],
        nhs_number=nhs,
        upn=upn,
        school_urn=str(row.get("school_urn") or "").strip()[:10],
        problems=problems,
    )


def name_letters(raw: str) -> str | None:
    """Lower-case letters only (accents dropped): 'O'Brien-Smith' -> 'obriensmith'."""
    text = unicodedata.normalize("NFKD", raw or "").encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z]", "", text.lower())
    return letters or None


@cache
def nickname_table() -> dict[str, frozenset[str]]:
    """Each known name -> the full names it may stand for (itself included)."""
    keys: dict[str, set[str]] = defaultdict(set)
    with NICKNAMES_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            full, short = row["name"].strip().lower(), row["variant"].strip().lower()
            keys[full].add(full)
            keys[short].update({short, full})
    return {name: frozenset(full) for name, full in keys.items()}


def name_keys(given: str | None) -> list[str]:
    """The given name and every full name it may be short for, sorted: Kate -> [catherine,
    kate, kathryn, katherine]. Two records share a key when one name may be the other's."""
    if not given:
        return []
    return sorted(nickname_table().get(given, frozenset({given})))


def usable_nhs_number(raw: str) -> str | None:
    return normalise_nhs_number(raw) if raw and not nhs_number_problem(raw) else None


def usable_upn(raw: str) -> str | None:
    return normalise_upn(raw) if raw and not upn_problem(raw) else None


def usable_postcode(raw: str) -> str | None:
    if not raw:
        return None
    postcode = normalise_postcode(raw)
    return postcode if POSTCODE_RE.match(postcode) else None


def linkage_row(
    *,
    unique_id: int,
    source: str,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    sex: str,
    postcode: str,
    previous_postcodes: list[str],
    nhs_number: str,
    upn: str,
    school_urn: str,
) -> dict[str, Any]:
    """The columns Splink compares, for one stored record. Bad identifiers become null."""
    given = name_letters(given_name)
    family = name_letters(family_name)
    keys = name_keys(given)
    current = usable_postcode(postcode)
    history = [p for p in (usable_postcode(x) for x in previous_postcodes) if p]
    postcodes = sorted({p for p in [current, *history] if p})
    return {
        "unique_id": unique_id,
        "source": source,
        "given_name": given,
        "family_name": family,
        # The first full name the given name may stand for: a blocking key for nicknames.
        "given_key": keys[0] if keys else None,
        "given_keys": keys or None,
        "dob": date_of_birth.isoformat() if date_of_birth else None,
        "birth_year": str(date_of_birth.year) if date_of_birth else None,
        "sex": sex or None,
        "postcode": current,
        "postcode_district": current.split(" ")[0] if current else None,
        "postcodes": postcodes or None,
        "nhs_number": usable_nhs_number(nhs_number),
        "upn": usable_upn(upn),
        "school_urn": school_urn or None,
    }
