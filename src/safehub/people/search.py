"""Finding people in the database for a search or a front-door match.

`find_people` fetches the children who could match a query and ranks them with the pure rules
in `safehub.people.matching`. Fetching is the database's work, done two ways:

- PostgreSQL: trigram similarity (pg_trgm) and Double Metaphone (fuzzystrmatch) over the
  given, family and also-known-as names, each backed by an index (migration 0004), with the
  dates of birth and identifiers by their own indexes. The database returns at most
  `FETCH_LIMIT` candidates, roughly ranked, and the matcher ranks those precisely.
- SQLite (the demo and the tests): every person's names are read and a cheap gate (the same
  first letter or first sound, a nickname, the date of birth, an identifier) picks the rows the
  matcher scores. Quick for the demo city's few thousand children; use PostgreSQL for a city.

Who may see what is not decided here: the caller passes the policy's `within` filter, masks
restricted people with the policy's person scope and writes the audit row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
from django.db import connection, transaction
from django.db.models import Func, Q, Value
from django.db.models.functions import Replace, Upper

from safehub.people.matching import (
    Candidate,
    Match,
    Query,
    nickname_table,
    normalise_name,
    rank,
)
from safehub.people.models import Person
from safehub.people.validators import (
    nhs_number_problem,
    normalise_nhs_number,
    normalise_upn,
    upn_problem,
)

# How many candidates the database hands the matcher at most (PostgreSQL).
FETCH_LIMIT = 200
# Trigram thresholds for the candidates (the matcher decides what is kept).
SIMILARITY_THRESHOLD = 0.3
WORD_SIMILARITY_THRESHOLD = 0.6
# Name words shorter than this fetch no candidates by name (they still score).
MIN_FETCH_WORD = 2


CANDIDATE_FIELDS = (
    "pk",
    "given_name",
    "family_name",
    "known_as",
    "date_of_birth",
    "nhs_number",
    "upn",
)


@dataclass(frozen=True)
class Found:
    """A person who matches, with how well and why."""

    person: Person
    match: Match


def possible_dates(born: date) -> list[date]:
    """The date typed, and with its day and month swapped when that is a date too."""
    dates = [born]
    if born.day <= 12 and born.day != born.month:
        try:
            dates.append(born.replace(month=born.day, day=born.month))
        except ValueError:
            pass
    return dates


def _fetch_words(query: Query) -> list[str]:
    return [w for w in query.name_parts if len(w.replace("-", "")) >= MIN_FETCH_WORD]


def _nickname_forms(word: str) -> list[str]:
    """Every name that `word` may be a short or full form of, upper case (for the index)."""
    table = nickname_table()
    full = table.get(word, frozenset({word}))
    forms = set(full) | {word}
    for name, fulls in table.items():
        if fulls & full:
            forms.add(name)
    return sorted(form.upper() for form in forms)


def plain_key(field_name: str) -> Func:
    """A reference field as compared with a typed reference (matching.normalise_reference):
    upper case, without the spaces, hyphens, slashes and dots people type in references."""
    key: Func = Upper(field_name)
    for mark in ("-", " ", "/", "."):
        key = Replace(key, Value(mark), Value(""))
    return key


# --- PostgreSQL ---------------------------------------------------------------------------------


def _postgres_ids(query: Query, person_ids: Iterable[int]) -> list[int]:
    """Up to FETCH_LIMIT candidate ids, the likeliest first, using the trigram and phonetic
    indexes."""
    clauses: list[str] = []
    scores: list[str] = []
    params: dict[str, Any] = {}
    for n, word in enumerate(_fetch_words(query)):
        w, nick = f"w{n}", f"n{n}"
        params[w] = word
        params[nick] = _nickname_forms(word)
        # Each branch is answered by its own index (GIN trigram, Double Metaphone, upper-case
        # given name); the union is scored below. One OR over the whole table would make
        # PostgreSQL compute trigrams for every row.
        clauses += [
            f"%({w})s <%% family_name",
            f"%({w})s <%% given_name",
            f"%({w})s <%% known_as",
            f"dmetaphone(family_name) = dmetaphone(%({w})s)",
            f"dmetaphone(given_name) = dmetaphone(%({w})s)",
            f"upper(given_name) = ANY(%({nick})s)",
        ]
        scores.append(
            "GREATEST("
            f"word_similarity(%({w})s, p.family_name), word_similarity(%({w})s, p.given_name), "
            f"word_similarity(%({w})s, p.known_as), "
            f"CASE WHEN dmetaphone(p.family_name) = dmetaphone(%({w})s) "
            f"OR dmetaphone(p.given_name) = dmetaphone(%({w})s) THEN 0.8 ELSE 0 END, "
            f"CASE WHEN upper(p.given_name) = ANY(%({nick})s) THEN 0.9 ELSE 0 END)"
        )
    if query.date_of_birth is not None:
        params["dates"] = possible_dates(query.date_of_birth)
        params["dob"] = query.date_of_birth
        clauses.append("date_of_birth = ANY(%(dates)s)")
        scores.append(
            "CASE WHEN p.date_of_birth = %(dob)s THEN 2.0 "
            "WHEN p.date_of_birth = ANY(%(dates)s) THEN 1.5 ELSE 0 END"
        )
    elif query.year_of_birth is not None:
        params["year_start"] = date(query.year_of_birth, 1, 1)
        params["year_end"] = date(query.year_of_birth, 12, 31)
        scores.append(
            "CASE WHEN p.date_of_birth BETWEEN %(year_start)s AND %(year_end)s THEN 1.0 ELSE 0 END"
        )
    if query.nhs_number:
        params["nhs"] = query.nhs_number
        clauses.append("nhs_number = %(nhs)s")
        scores.append("CASE WHEN p.nhs_number = %(nhs)s THEN 5.0 ELSE 0 END")
    if query.upn:
        params["upn"] = query.upn
        clauses.append("upn = %(upn)s")
        scores.append("CASE WHEN p.upn = %(upn)s THEN 5.0 ELSE 0 END")
    ids = sorted(set(person_ids))
    if ids:
        params["ids"] = ids
        clauses.append("id = ANY(%(ids)s)")
        scores.append("CASE WHEN p.id = ANY(%(ids)s) THEN 4.0 ELSE 0 END")
    if not clauses:
        return []
    params["limit"] = FETCH_LIMIT
    # Built only from the fixed fragments above; every typed value is a bound parameter.
    branches = " UNION ".join(f"SELECT id FROM people_person WHERE {c}" for c in clauses)  # noqa: S608
    sql = (
        f"WITH candidates AS ({branches}) "  # noqa: S608
        "SELECT p.id FROM people_person p WHERE p.id = ANY(ARRAY(SELECT id FROM candidates)) "
        "ORDER BY " + (" + ".join(scores) if scores else "0") + " DESC, p.id LIMIT %(limit)s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # The thresholds of the trigram operators, for this transaction only; and no table
        # scans: the planner cannot know that a trigram comparison on every row costs far
        # more than reading the index (measured: 200 ms against a few on the city).
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
            "set_config('pg_trgm.word_similarity_threshold', %s, true), "
            "set_config('enable_seqscan', 'off', true)",
            [str(SIMILARITY_THRESHOLD), str(WORD_SIMILARITY_THRESHOLD)],
        )
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# --- SQLite (and any other database) -----------------------------------------------------------


def _first_sound(text: str) -> str:
    plain = text.replace("-", "")
    return jellyfish.metaphone(plain)[:1] if plain else ""


def _scan_ids(query: Query, person_ids: Iterable[int]) -> list[int]:
    """Candidate ids by reading every person's names: for small databases."""
    words = _fetch_words(query)
    initials = {w[0] for w in words} | {s for w in words if (s := _first_sound(w))}
    nicknames = {form.lower() for w in words for form in _nickname_forms(w)}
    dates = set(possible_dates(query.date_of_birth)) if query.date_of_birth else set()
    wanted = set(person_ids)
    ids: list[int] = []
    rows = Person.objects.values_list(
        "pk", "given_name", "family_name", "known_as", "date_of_birth", "nhs_number", "upn"
    )
    for pk, given, family, known_as, born, nhs, upn in rows.iterator(chunk_size=5000):
        if (
            pk in wanted
            or (born is not None and born in dates)
            or (query.nhs_number and nhs == query.nhs_number)
            or (query.upn and upn == query.upn)
        ):
            ids.append(pk)
            continue
        if not words:
            continue
        for part in normalise_name(f"{given} {family} {known_as}").replace("-", " ").split():
            if part in nicknames or part[0] in initials or _first_sound(part) in initials:
                ids.append(pk)
                break
    return ids


# --- Both ---------------------------------------------------------------------------------------


def find_people(
    query: Query,
    *,
    references: Mapping[int, Sequence[str]] | None = None,
    within: Q | None = None,
    limit: int = 20,
) -> list[Found]:
    """The people who match `query` well enough, best first, at most `limit`.

    `references` maps person ids to references the caller found for the query's references
    (a police or agency reference, a Safehub reference): those people are candidates, and the
    matcher scores the reference. `within` is the policy's filter of people this search may
    return at all (for example: no persons of interest for non-police roles)."""
    if query.is_empty:
        return []
    known = dict(references or {})
    if connection.vendor == "postgresql":
        ids = _postgres_ids(query, known)
    else:
        ids = _scan_ids(query, known)
    if not ids:
        return []
    rows = Person.objects.filter(pk__in=ids)
    if within is not None:
        rows = rows.filter(within)
    candidates: dict[int, Candidate] = {}
    for pk, given, family, known_as, born, nhs, upn in rows.values_list(*CANDIDATE_FIELDS):
        candidates[pk] = Candidate(
            given_name=given,
            family_name=family,
            known_as=known_as,
            date_of_birth=born,
            nhs_number=nhs,
            upn=upn,
            references=list(known.get(pk, ())),
        )
    pk_of = {id(candidate): pk for pk, candidate in candidates.items()}
    ranked = rank(query, candidates.values(), limit=limit)
    # Only the people kept are read in full.
    people = Person.objects.select_related("school").in_bulk([pk_of[id(c)] for c, _ in ranked])
    return [Found(person=people[pk_of[id(c)]], match=match) for c, match in ranked]


# --- The front door: is the child being screened, referred or reported missing known? --------

# Which matches the front door offers. The form always asks for both names and a full date of
# birth, so the matcher's score has 100 points available: 60 for the names, 40 for the date.
# 75 keeps the likely matches and leaves out the coincidences:
#
# - the names nearly right and the same date (Kay Brierly-Test for Katherine Brierley-Test,
#   also known as Kay: 94), the right names with the day and month swapped (90), or with one
#   part of the date wrong (75), or with no date recorded (80);
# - not a child sharing only a date of birth (40), a twin or sibling sharing the family name
#   and date of birth but not the first name (70), nor a namesake with another date (60).
#
# Half the name evidence is needed as well, even when an NHS number or UPN matches: an
# identifier with someone else's name never says whose it is.
#
# A child with exactly the family name and date of birth typed is offered as well, whatever
# the first name (what the front door offered before fuzzy matching): a short form the
# nickname table does not know (measured on the city: 12% of nickname variants scored 70),
# and twins, whom the person at the door tells apart. It discloses nothing they did not type.
FRONT_DOOR_MIN_SCORE = 75
FRONT_DOOR_MIN_NAME_QUALITY = 0.5
# A screener, a referrer or a missing-episode recorder chooses among at most this many.
FRONT_DOOR_LIMIT = 5


def query_for_child(
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str = "",
    upn: str = "",
) -> Query:
    """The matcher's query for a child described on a form, field by field.

    The names are compared word by word (a family name typed with a space, "Brierley Test",
    is two words, which the matcher joins as a double-barrelled name); the identifiers only
    when they are valid."""
    words = normalise_name(f"{given_name} {family_name}").split()
    names = tuple(dict.fromkeys(word for word in words if word))
    parts = [part for name in names for part in (name, *name.split("-")) if part]
    nhs = normalise_nhs_number(nhs_number)
    pupil = normalise_upn(upn)
    return Query(
        names=names,
        name_parts=tuple(dict.fromkeys(parts)),
        date_of_birth=date_of_birth,
        nhs_number=nhs if nhs and nhs_number_problem(nhs) is None else None,
        upn=pupil if pupil and upn_problem(pupil) is None else None,
    )


def is_likely_match(match: Match) -> bool:
    """Whether the front door offers a match (see FRONT_DOOR_MIN_SCORE)."""
    return match.score >= FRONT_DOOR_MIN_SCORE and match.name_quality >= FRONT_DOOR_MIN_NAME_QUALITY


def likely_matches(
    query: Query, *, within: Q | None = None, limit: int = FRONT_DOOR_LIMIT
) -> list[Found]:
    """The children the front door offers for `query`, best first, at most `limit`.

    `within` is the policy's search scope (no persons of interest for non-police roles);
    restricted children are returned, for the caller to mask."""
    if not query.names or query.date_of_birth is None:
        return []
    found = find_people(query, within=within, limit=max(limit * 4, 20))
    return [f for f in found if is_offered(query, f)][: max(0, limit)]


def is_offered(query: Query, found: Found) -> bool:
    """Whether the front door (and a screener's search) offers this child for `query`: a
    likely match, or exactly the family name and date of birth typed. Without a date of birth
    the NHS number or UPN typed must be the child's: a name with any number finds no one."""
    if query.date_of_birth is None and not found.match.identified:
        return False
    return is_likely_match(found.match) or _same_family_and_birthday(query, found)


def _same_family_and_birthday(query: Query, found: Found) -> bool:
    family = normalise_name(found.person.family_name).replace(" ", "-")
    typed = "-".join(query.names[1:]) if len(query.names) > 1 else ""
    return (
        found.person.date_of_birth == query.date_of_birth
        and bool(family)
        and (family in query.names or family == typed)
    )
