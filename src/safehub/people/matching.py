"""Matching rules for person search: find a child however the user types them.

Pure functions over plain values; no database. The search page and the front-door duplicate
check fetch candidate children and pass them here; `parse_query` reads the search box,
`score` compares the query with one child and says why, and `rank` keeps the good matches.

How a score is made (0 to 100, higher is a better match):

| Evidence                                        | Points                                   |
|-------------------------------------------------|------------------------------------------|
| Names typed (any order, best-fitting field)     | up to 60 x name quality (below)          |
| Full date of birth: the same                    | 40 of 40                                 |
| ... day and month swapped                       | 30 of 40                                 |
| ... only the day, month or year differs         | 15 of 40                                 |
| ... the child has no date of birth recorded     | 20 of 40                                 |
| ... different                                   | 0 of 40                                  |
| Year of birth alone: the same year              | 25 of 25                                 |
| ... no date of birth recorded                   | 12.5 of 25                               |
| ... a different year                            | 0 of 25                                  |

The score is the points earned as a share of the points available for what was typed, so a
query of a family name alone can still reach 100. Identifiers override that share:

| Identifier                                      | Effect                                   |
|-------------------------------------------------|------------------------------------------|
| NHS number or UPN the same                      | decisive: 95 + 5 x share of the rest     |
| A reference the same                            | 85 + 15 x share of the rest              |
| Both have valid NHS numbers, and they differ    | minus 40                                 |
| Both have valid UPNs, and they differ           | minus 20                                 |
| The child has no such identifier recorded       | no effect                                |

Name quality is the average over the name words typed of the best match each word finds
among the child's given names, family names and also-known-as names (each part of the
child's names is used by one word at most):

| A word that is ...                              | Quality                                  |
|-------------------------------------------------|------------------------------------------|
| the same                                        | 1.0                                      |
| a recorded also-known-as name                   | 0.95                                     |
| the two halves of a double-barrelled name, swapped | 0.95                                  |
| a short form of the given name (nickname table) | 0.9                                      |
| one letter out, or two letters swapped          | 0.85                                     |
| sounds the same (Metaphone or NYSIIS)           | 0.8                                      |
| the start of the name, 3 letters or more        | 0.65 to 0.8, by how much of it is typed  |
| two letters out (names of 6 letters or more)    | 0.7                                      |
| similar (Jaro-Winkler 0.88 or more)             | 0.6                                      |
| matched against one half of a double-barrelled  | the above x 0.9                          |
| name, or one part of a hyphenated given name    |                                          |

Two words that match the two halves of a double-barrelled family name (typed with a space, in
either order) count as the whole family name. `rank` keeps a child when an identifier or
reference matches, when a full date of birth typed is theirs exactly, or otherwise when the
score is at least 50 and, if names were typed, the name quality is at least 0.6.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import jellyfish

from safehub.people.validators import (
    nhs_number_problem,
    normalise_nhs_number,
    normalise_upn,
    upn_problem,
)

NICKNAMES_FILE = Path(__file__).parent / "data" / "nicknames.csv"

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8

NAME_WEIGHT = 60.0
DATE_WEIGHT = 40.0
DATE_SWAPPED = 30.0
DATE_ONE_PART = 15.0
DATE_MISSING = 20.0
YEAR_WEIGHT = 25.0
YEAR_MISSING = 12.5
IDENTIFIER_BASE = 95.0
REFERENCE_BASE = 85.0
NHS_DIFFERENT_PENALTY = 40.0
UPN_DIFFERENT_PENALTY = 20.0

EXACT = 1.0
ALIAS = 0.95
HALVES_SWAPPED = 0.95
NICKNAME = 0.9
ONE_LETTER = 0.85
SOUNDS_SAME = 0.8
TWO_LETTERS = 0.7
SIMILAR = 0.6
SIMILAR_JARO_WINKLER = 0.88
PART_FACTOR = 0.9

MIN_SCORE = 50
MIN_NAME_QUALITY = 0.6

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Words people type around a name that are not names.
IGNORED_WORDS = frozenset({"aka", "dob", "nee", "born", "known", "as"})

NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})")
ISO_DATE_RE = re.compile(r"([0-9]{4})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})")
ORDINAL_RE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
# An NHS number typed in its usual groups of 3, 3 and 4 digits.
SPACED_NHS_RE = re.compile(r"(?<![0-9A-Za-z])([0-9]{3})[ -]([0-9]{3})[ -]([0-9]{4})(?![0-9A-Za-z])")
APOSTROPHES_RE = re.compile(r"['’‘`´]")
DASHES_RE = re.compile(r"[‐‑‒–—―_]")
ALIAS_SEPARATORS_RE = re.compile(r"[,/;]|\baka\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """A name as compared: lower case, no accents or apostrophes, single spaces and hyphens.

    "O'Brien" -> "obrien", "Brierley - Test" -> "brierley-test", "Zoë" -> "zoe".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    plain = APOSTROPHES_RE.sub("", plain)
    plain = DASHES_RE.sub("-", plain)
    plain = re.sub(r"[^\w\s-]|\d", " ", plain)
    plain = re.sub(r"\s*-[\s-]*", "-", plain)
    words = (word.strip("-") for word in plain.split())
    return " ".join(word for word in words if word)


def normalise_reference(text: str) -> str:
    """A reference as compared: upper case, without spaces and punctuation."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


@cache
def nickname_table() -> dict[str, frozenset[str]]:
    """Each known name -> the full names it may stand for (itself included)."""
    keys: dict[str, set[str]] = defaultdict(set)
    with NICKNAMES_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            full, short = normalise_name(row["name"]), normalise_name(row["variant"])
            keys[full].add(full)
            keys[short].update({short, full})
    return {name: frozenset(full) for name, full in keys.items()}


# --- The query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What was typed in the search box, split into parts.

    `names` are the name words as typed (normalised, each once, in the order typed);
    `name_parts` adds the halves of hyphenated words, for fetching candidates.
    `year_of_birth` is set only when a year was typed without a full date.
    """

    names: tuple[str, ...] = ()
    name_parts: tuple[str, ...] = ()
    date_of_birth: date | None = None
    year_of_birth: int | None = None
    nhs_number: str | None = None
    upn: str | None = None
    references: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.names
            or self.date_of_birth
            or self.year_of_birth
            or self.nhs_number
            or self.upn
            or self.references
        )


def _full_year(two_digits: int, month: int, day: int, today: date) -> int | None:
    """The most recent year ending in `two_digits` that makes the date not in the future."""
    for century in (2000, 1900):
        candidate = _make_date(century + two_digits, month, day)
        if candidate is not None and candidate <= today:
            return century + two_digits
    return None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _past_date(year_text: str, month: int, day: int, today: date) -> date | None:
    """A date of birth from its parts, or None when it is not a date or is in the future."""
    year = int(year_text)
    if len(year_text) == 2:
        full = _full_year(year, month, day, today)
        if full is None:
            return None
        year = full
    if year < 1900:
        return None
    found = _make_date(year, month, day)
    return found if found is not None and found <= today else None


def _day_first(day: str, month: str, year: str, today: date) -> date | None:
    """Day first, as in the UK; month first only when day first cannot be a date."""
    found = _past_date(year, int(month), int(day), today)
    if found is None and int(month) > 12:
        found = _past_date(year, int(day), int(month), today)
    return found


def _numeric_date(token: str, today: date) -> date | None:
    """A date typed as one word: 12/03/2011, 12-3-11, 12.03.2011, 2011-03-12, 12032011."""
    if match := NUMERIC_DATE_RE.fullmatch(token):
        day, month, year = match.groups()
        return _day_first(day, month, year, today)
    if match := ISO_DATE_RE.fullmatch(token):
        year, month, day = match.groups()
        return _past_date(year, int(month), int(day), today)
    if re.fullmatch(r"[0-9]{8}", token):
        found = _past_date(token[4:], int(token[2:4]), int(token[:2]), today)
        return found or _past_date(token[:4], int(token[4:6]), int(token[6:]), today)
    if re.fullmatch(r"[0-9]{6}", token):
        return _past_date(token[4:], int(token[2:4]), int(token[:2]), today)
    return None


def _spoken_date(tokens: list[str], start: int, today: date) -> date | None:
    """A date typed as three words from `start`: 12 March 2011, 12th Mar 11, 12 03 2011."""
    if start + 3 > len(tokens):
        return None
    day_word, month_word, year_word = (
        word.lower().strip(",.") for word in tokens[start : start + 3]
    )
    day_match = ORDINAL_RE.fullmatch(day_word)
    if day_match is None or not re.fullmatch(r"[0-9]{2}|[0-9]{4}", year_word):
        return None
    if month_word in MONTHS:
        return _past_date(year_word, MONTHS[month_word], int(day_match.group(1)), today)
    if re.fullmatch(r"[0-9]{1,2}", month_word) and re.fullmatch(r"[0-9]{1,2}", day_word):
        return _day_first(day_word, month_word, year_word, today)
    return None


def _join_spaced_nhs_numbers(text: str) -> str:
    """Join "485 777 3456" into one word, when the ten digits are a valid NHS number."""

    def join(match: re.Match[str]) -> str:
        digits = "".join(match.groups())
        return digits if nhs_number_problem(digits) is None else match.group(0)

    return SPACED_NHS_RE.sub(join, text)


def _is_upn(token: str) -> bool:
    return len(token) == 13 and upn_problem(token) is None


def parse_query(text: str, *, today: date) -> Query:
    """Split one search box into name words, a date or year of birth, identifiers and
    references. Never raises: anything unreadable is a name word or is left out."""
    raw = _join_spaced_nhs_numbers((text or "")[:MAX_QUERY_CHARS])
    tokens = [token for token in re.split(r"[\s,;]+", raw) if token][:MAX_QUERY_WORDS]
    names: list[str] = []
    references: list[str] = []
    date_of_birth: date | None = None
    year_of_birth: int | None = None
    nhs_number: str | None = None
    upn: str | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].strip('.,:()[]"')
        index += 1
        if not token:
            continue
        if date_of_birth is None and (spoken := _spoken_date(tokens, index - 1, today)):
            date_of_birth = spoken
            index += 2
            continue
        if date_of_birth is None and (numeric := _numeric_date(token, today)):
            date_of_birth = numeric
            continue
        if re.fullmatch(r"[0-9]{10}", token) and nhs_number_problem(token) is None:
            nhs_number = nhs_number or token
            continue
        if _is_upn(token.upper()):
            upn = upn or normalise_upn(token)
            continue
        if re.fullmatch(r"[0-9]{4}", token) and 1900 <= int(token) <= today.year:
            year_of_birth = year_of_birth or int(token)
            continue
        if NUMERIC_DATE_RE.fullmatch(token) or ISO_DATE_RE.fullmatch(token):
            continue  # a date that cannot be a date of birth, or a second date: left out
        if re.search(r"\d", token):
            reference = normalise_reference(token)
            if len(reference) >= 4:
                references.append(reference)
            continue
        # A month word outside a date is a name word: May and June are names too.
        name = normalise_name(token).replace(" ", "-")
        if len(name) >= 2 and name not in IGNORED_WORDS:
            names.append(name)
    unique_names = tuple(dict.fromkeys(names))
    parts = [part for name in unique_names for part in (name, *name.split("-")) if part]
    return Query(
        names=unique_names,
        name_parts=tuple(dict.fromkeys(parts)),
        date_of_birth=date_of_birth,
        year_of_birth=None if date_of_birth else year_of_birth,
        nhs_number=nhs_number,
        upn=upn,
        references=tuple(dict.fromkeys(references)),
    )


# --- Candidates and scores -------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A child as the matching rules see them. `known_as` is free text: names separated by
    commas or slashes, as entered on the child's record."""

    given_name: str = ""
    family_name: str = ""
    known_as: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """How well a candidate matches a query, and why, in words a social worker reads.

    `name_quality` (0 to 1) is the names' share of the evidence; `identified` is True when an
    NHS number, UPN or reference matched."""

    score: int
    reasons: list[str]
    name_quality: float = 0.0
    identified: bool = False


@dataclass(frozen=True)
class _Part:
    """One name on the candidate's record that a query word can match."""

    key: int
    text: str
    field: str  # "given", "family" or "alias"
    shown: str  # as recorded, for reasons
    whole: int | None = None  # for a half: the key of the whole name it is part of
    halves: tuple[int, ...] = ()


def _shown(text: str) -> str:
    return "-".join(word.capitalize() for word in text.split("-"))


def _candidate_parts(candidate: Candidate) -> list[_Part]:
    parts: list[_Part] = []

    def add(text: str, field_name: str, shown: str) -> None:
        whole_key = len(parts)
        pieces = [piece for piece in text.split("-") if piece]
        half_keys = (
            tuple(range(whole_key + 1, whole_key + 1 + len(pieces))) if len(pieces) > 1 else ()
        )
        parts.append(_Part(whole_key, text, field_name, shown, halves=half_keys))
        for offset, piece in enumerate(pieces if half_keys else []):
            parts.append(
                _Part(half_keys[offset], piece, field_name, _shown(piece), whole=whole_key)
            )

    for word in normalise_name(candidate.given_name).split():
        add(word, "given", _shown(word))
    family = normalise_name(candidate.family_name)
    if family:
        # A double-barrelled family name may be recorded with a space instead of a hyphen.
        add(family.replace(" ", "-"), "family", candidate.family_name.strip())
    for alias in ALIAS_SEPARATORS_RE.split(candidate.known_as or ""):
        for word in normalise_name(alias).split():
            add(word, "alias", _shown(word))
    return parts


def _subject(part: _Part) -> str:
    if part.field == "alias":
        return f"also-known-as name {part.shown}"
    if part.whole is None:
        return f"{part.field} name"
    if part.field == "family":
        return "one half of the double-barrelled family name"
    return "part of the given name"


def _nickname_reason(word: str, part: _Part) -> str | None:
    """Why `word` may be a short form of the given name in `part` (or it of `word`)."""
    table = nickname_table()
    word_full = table.get(word, frozenset({word}))
    name_full = table.get(part.text, frozenset({part.text}))
    if part.text in word_full:
        return f"given name {_shown(word)} is a short form of {part.shown}"
    if word in name_full:
        return f"given name {part.shown} is a short form of {_shown(word)}"
    shared = word_full & name_full
    if shared:
        # The full name nearest in spelling to what was typed: Katie -> Katherine, not Catherine.
        full = max(sorted(shared), key=lambda name: jellyfish.jaro_winkler_similarity(word, name))
        return f"{_shown(word)} and {part.shown} are both short forms of {_shown(full)}"
    return None


def _is_transposition(first: str, second: str) -> bool:
    if len(first) != len(second):
        return False
    differ = [index for index, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and first[differ[0]] == second[differ[1]]
        and first[differ[1]] == second[differ[0]]
    )


def _spelling(word: str, target: str) -> tuple[float, str] | None:
    """How close two different spellings are, and the words for it."""
    shorter = min(len(word), len(target))
    if shorter < 3:
        return None
    distance = jellyfish.damerau_levenshtein_distance(word, target)
    if distance == 1:
        if _is_transposition(word, target):
            return ONE_LETTER, "has two letters the other way round"
        return ONE_LETTER, "differs by one letter"
    plain_word, plain_target = word.replace("-", ""), target.replace("-", "")
    if jellyfish.metaphone(plain_word) == jellyfish.metaphone(plain_target) or (
        jellyfish.nysiis(plain_word) == jellyfish.nysiis(plain_target)
    ):
        return SOUNDS_SAME, "sounds the same"
    if target.startswith(word) and len(word) >= 3:
        quality = 0.65 + 0.15 * len(word) / len(target)
        return quality, f"begins with {_shown(word)}"
    if distance == 2 and shorter >= 6:
        return TWO_LETTERS, "differs by two letters"
    if jellyfish.jaro_winkler_similarity(word, target) >= SIMILAR_JARO_WINKLER:
        return SIMILAR, "is similar"
    return None


def _word_against_part(word: str, part: _Part) -> tuple[float, str] | None:
    """The quality of one query word against one name on the record, and the reason."""
    factor = PART_FACTOR if part.whole is not None else 1.0
    if word == part.text:
        if part.field == "alias":
            return ALIAS, f"{part.shown} is a recorded also-known-as"
        if part.whole is not None and part.field == "family":
            return EXACT * factor, "matches one half of the double-barrelled family name"
        return EXACT * factor, f"{_subject(part)} matches"
    word_halves, part_halves = word.split("-"), part.text.split("-")
    if len(word_halves) > 1 and sorted(word_halves) == sorted(part_halves):
        return HALVES_SWAPPED, f"{_subject(part)} matches with its two halves in the other order"
    if part.field == "given" and (reason := _nickname_reason(word, part)):
        return NICKNAME * factor, reason
    best: tuple[float, str] | None = None
    if spelling := _spelling(word, part.text):
        best = spelling[0] * factor, f"{_subject(part)} {spelling[1]}"
    if len(word_halves) > 1 and part.whole is None and part.field == "family":
        # A double-barrelled name typed, and only one of its halves recorded.
        if part.text in word_halves and (best is None or best[0] < EXACT * PART_FACTOR):
            best = EXACT * PART_FACTOR, "family name matches one half of the name searched for"
    return best


def _name_evidence(names: Iterable[str], candidate: Candidate) -> tuple[float, list[str]]:
    """Name quality (0 to 1) and the reasons, matching each word to its best-fitting name."""
    words = sorted(set(names))
    if not words:
        return 0.0, []
    parts = _candidate_parts(candidate)
    options: list[tuple[float, str, int, str]] = []
    for word in words:
        for part in parts:
            found = _word_against_part(word, part)
            if found is not None:
                options.append((found[0], word, part.key, found[1]))
    # Best pairs first; ties broken by the words themselves, so typing order never matters.
    options.sort(key=lambda option: (-option[0], option[1], option[2]))
    used: set[int] = set()
    chosen: dict[str, tuple[float, int, str]] = {}
    for quality, word, key, reason in options:
        if word in chosen or key in used:
            continue
        part = parts[key]
        chosen[word] = (quality, key, reason)
        used.update({key, *part.halves})
        if part.whole is not None:
            used.add(part.whole)
    _join_halves(chosen, parts)
    reasons = list(dict.fromkeys(chosen[word][2] for word in words if word in chosen))
    quality = sum(chosen[word][0] for word in words if word in chosen) / len(words)
    return quality, reasons


def _join_halves(chosen: dict[str, tuple[float, int, str]], parts: list[_Part]) -> None:
    """Two words that matched both halves of a double-barrelled family name exactly count as
    the whole name, typed with a space in either order."""
    by_whole: dict[int, list[str]] = defaultdict(list)
    for word, (_quality, key, _reason) in chosen.items():
        part = parts[key]
        if part.whole is not None and part.field == "family" and word == part.text:
            by_whole[part.whole].append(word)
    for whole, words in by_whole.items():
        if len(words) == len(parts[whole].halves):
            for word in words:
                key = chosen[word][1]
                chosen[word] = (EXACT, key, "both halves of the double-barrelled family name match")


def _date_evidence(query: Query, candidate: Candidate) -> tuple[float, float, list[str]]:
    """Points earned, points available, and the reasons, for the date or year of birth."""
    born = candidate.date_of_birth
    if query.date_of_birth is not None:
        typed = query.date_of_birth
        if born is None:
            return DATE_MISSING, DATE_WEIGHT, ["no date of birth recorded"]
        if born == typed:
            return DATE_WEIGHT, DATE_WEIGHT, ["date of birth matches"]
        if (born.year, born.month, born.day) == (typed.year, typed.day, typed.month):
            return DATE_SWAPPED, DATE_WEIGHT, ["date of birth matches with day and month swapped"]
        same = [born.year == typed.year, born.month == typed.month, born.day == typed.day]
        if sum(same) == 2:
            differs = ("year", "month", "day")[same.index(False)]
            return DATE_ONE_PART, DATE_WEIGHT, [f"date of birth differs only in the {differs}"]
        return 0.0, DATE_WEIGHT, ["date of birth is different"]
    if query.year_of_birth is not None:
        if born is None:
            return YEAR_MISSING, YEAR_WEIGHT, ["no date of birth recorded"]
        earned = YEAR_WEIGHT if born.year == query.year_of_birth else 0.0
        return earned, YEAR_WEIGHT, [f"born in {born.year}"]
    return 0.0, 0.0, []


def _valid_nhs(raw: str) -> str | None:
    return normalise_nhs_number(raw) if raw and nhs_number_problem(raw) is None else None


def _valid_upn(raw: str) -> str | None:
    return normalise_upn(raw) if raw and upn_problem(raw) is None else None


def score(query: Query, candidate: Candidate) -> Match:
    """How well `candidate` matches `query` (0 to 100), with the reasons in plain English."""
    name_quality, reasons = _name_evidence(query.names, candidate)
    earned = NAME_WEIGHT * name_quality if query.names else 0.0
    available = NAME_WEIGHT if query.names else 0.0
    date_earned, date_available, date_reasons = _date_evidence(query, candidate)
    earned, available = earned + date_earned, available + date_available
    share = earned / available if available else 0.0
    result = 100.0 * share

    identified = False
    candidate_nhs, candidate_upn = _valid_nhs(candidate.nhs_number), _valid_upn(candidate.upn)
    identifier_reasons: list[str] = []
    penalty = 0.0
    if query.nhs_number and candidate_nhs:
        if query.nhs_number == candidate_nhs:
            identified = True
            identifier_reasons.append("NHS number matches")
        else:
            penalty += NHS_DIFFERENT_PENALTY
            identifier_reasons.append("NHS number is different")
    if query.upn and candidate_upn:
        if query.upn == candidate_upn:
            identified = True
            identifier_reasons.append("UPN matches")
        else:
            penalty += UPN_DIFFERENT_PENALTY
            identifier_reasons.append("UPN is different")
    rest = share if available else 1.0
    if identified:
        result = IDENTIFIER_BASE + (100.0 - IDENTIFIER_BASE) * rest
    else:
        recorded = {normalise_reference(reference) for reference in candidate.references}
        if set(query.references) & (recorded - {""}):
            identified = True
            identifier_reasons.append("reference matches")
            result = REFERENCE_BASE + (100.0 - REFERENCE_BASE) * rest
    result -= penalty
    final = max(0, min(100, round(result)))
    return Match(
        score=final,
        reasons=identifier_reasons + reasons + date_reasons,
        name_quality=round(name_quality, 4),
        identified=identified,
    )


def _qualifies(query: Query, candidate: Candidate, match: Match) -> bool:
    if match.identified:
        return True
    if query.date_of_birth is not None and candidate.date_of_birth == query.date_of_birth:
        return match.score > 0
    if query.names and match.name_quality < MIN_NAME_QUALITY:
        return False
    return match.score >= MIN_SCORE


def rank(
    query: Query, candidates: Iterable[Candidate], limit: int = 20
) -> list[tuple[Candidate, Match]]:
    """The candidates that match well enough, best first (then by family and given name)."""
    if query.is_empty:
        return []
    kept = [
        (candidate, match)
        for candidate in candidates
        if _qualifies(query, candidate, match := score(query, candidate))
    ]
    kept.sort(
        key=lambda pair: (
            -pair[1].score,
            normalise_name(pair[0].family_name),
            normalise_name(pair[0].given_name),
        )
    )
    return kept[: max(0, limit)]
