"""Person search on the synthetic city: how fast, how often the right child comes first, and
how many duplicates the front door would create.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/safehub migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/python bench/bench_search.py \
        --size city --seed 1 --load
    .venv/bin/python bench/bench_search.py --size small --load        # SQLite, the demo's size

`--load` loads the city of that size and seed first (replacing a loaded city); without it the
database must already hold that city (`bench_city.py load`). Safehub holds each child's true
details; the queries are made from the same truth, the way people mistype them:

- misspelt: one keyboard slip in the given or family name, with the date of birth
- partial: the given name and the first four letters of the family name, with the year
- nickname: a short form of the given name (the city's nickname list), family name, date
- swapped: full name with the day and month of the date of birth swapped
- agency: the name and date as an agency recorded them (`demo.city.errors.record_person`
  with every error kind made likely: nickname, typo, surname change, order, dates)
- date only: the date of birth alone (every child born that day is an equally good answer,
  so only whether she is shown among them is meaningful)

Each query is searched as a MASH officer through `search.selectors.search_people` (audit row
included) and timed. The front-door replay takes each screened child and types their details
as a referrer might (no identifiers): once with the city's own error rates, and once per kind
of variant (a typo, a nickname, names swapped, a changed family name, day and month swapped)
with only that variant. It counts the children the front door would not offer (so a second
record would be made): the old exact rule (same family name and date of birth) against the
matcher with the front door's threshold (`people.search.likely_matches`).
Prints figures, then one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")

KINDS = ("misspelt", "partial", "nickname", "swapped", "agency", "date only")
# Every kind of agency error made likely, for the "agency" queries.
VARIANT_RATES = {
    "typo": 0.3,
    "nickname": 0.3,
    "name_order_swapped": 0.05,
    "surname_change": 0.3,
    "dob_day_month_swapped": 0.15,
    "dob_missing": 0.0,
    "old_address": 0.0,
    "duplicate": 0.0,
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def children_and_people(size: str, seed: int) -> list[tuple[Any, int]]:
    """(truth child, Safehub person id) for every child of the loaded city, in load order."""
    from safehub.demo.city.build import generate_chunk
    from safehub.demo.city.load import _loader
    from safehub.demo.city.spec import make_spec
    from safehub.people.models import Person

    spec = make_spec(size, seed)
    children = [
        p for i in range(spec.chunks) for p in generate_chunk(spec, i).people if p.kind == "child"
    ]
    people = list(
        Person.objects.filter(created_by=_loader())
        .order_by("pk")
        .values_list("pk", "given_name", "family_name", "date_of_birth")
    )
    if len(people) != len(children):
        raise SystemExit(f"the database holds {len(people)} city children, not {len(children)}")
    for child, (_pk, given, family, born) in zip(children[:50], people[:50], strict=True):
        if (child.given, child.family, child.dob) != (given, family, born):
            raise SystemExit("the loaded city is not this size and seed: use --load")
    return [(child, pk) for child, (pk, *_rest) in zip(children, people, strict=True)]


def screened_children(size: str, seed: int) -> set[str]:
    from safehub.demo.city.build import generate_chunk
    from safehub.demo.city.spec import make_spec

    spec = make_spec(size, seed)
    return {s.pid for i in range(spec.chunks) for s in generate_chunk(spec, i).screenings}


def day_first(born: date) -> str:
    return f"{born.day:02d}/{born.month:02d}/{born.year}"


def make_query(kind: str, child: Any, rng: random.Random) -> str | None:
    from safehub.demo.city.errors import record_person, swappable
    from safehub.demo.city.names import nicknames, typo

    if kind == "misspelt":
        if rng.random() < 0.5:
            return f"{typo(rng, child.given)} {child.family} {day_first(child.dob)}"
        return f"{child.given} {typo(rng, child.family)} {day_first(child.dob)}"
    if kind == "partial":
        return f"{child.given} {child.family[:4]} {child.dob.year}"
    if kind == "nickname":
        short = nicknames().get(child.given)
        if not short:
            return None
        return f"{rng.choice(short)} {child.family} {day_first(child.dob)}"
    if kind == "swapped":
        if not swappable(child.dob):
            return None
        born = child.dob
        return f"{child.given} {child.family} {born.month:02d}/{born.day:02d}/{born.year}"
    if kind == "agency":
        seen = record_person(child, rng, VARIANT_RATES)
        born = day_first(seen.dob) if seen.dob else ""
        return f"{seen.given} {seen.family} {born}".strip()
    return day_first(child.dob)


def bench_user() -> Any:
    from safehub.accounts.models import User
    from safehub.accounts.services import create_agency, create_user
    from safehub.policy.roles import AgencyType, Role

    user = User.objects.filter(username="bench.search").first()
    if user is None:
        agency = create_agency(name="Bench MASH", agency_type=AgencyType.COUNCIL)
        user = create_user(
            username="bench.search",
            password=None,
            agency=agency,
            roles=[Role.MASH_OFFICER],
            first_name="Bench",
            last_name="Search",
        )
    return user


def recall_and_speed(pairs: list[tuple[Any, int]], queries: int, seed: int) -> dict[str, Any]:
    from django.utils import timezone

    from safehub.search.selectors import search_people

    rng = random.Random(seed * 7919 + 17)  # noqa: S311 - repeatable synthetic queries
    user = bench_user()
    today = timezone.localdate()
    sample = rng.sample(pairs, min(queries, len(pairs)))
    ranks: dict[str, list[int | None]] = defaultdict(list)
    times: list[float] = []
    for index, (child, person_id) in enumerate(sample):
        kind = KINDS[index % len(KINDS)]
        text = make_query(kind, child, rng)
        if text is None:
            continue
        started = time.perf_counter()
        outcome = search_people(user, text, today=today)
        times.append((time.perf_counter() - started) * 1000)
        rank = None
        for position, result in enumerate(outcome.results, start=1):
            ids = {p.pk for p in ([result.person] if result.person else []) + result.others}
            if person_id in ids:
                rank = position
                break
        ranks[kind].append(rank)
    per_kind = {}
    for kind in KINDS:
        found = ranks.get(kind, [])
        per_kind[kind] = {
            "queries": len(found),
            "top1": round(sum(1 for r in found if r == 1) / len(found), 4) if found else None,
            "top5": round(sum(1 for r in found if r and r <= 5) / len(found), 4) if found else None,
            "shown": round(sum(1 for r in found if r) / len(found), 4) if found else None,
        }
    named = [r for kind in KINDS if kind != "date only" for r in ranks.get(kind, [])]
    return {
        "queries": len(times),
        "ms_p50": round(statistics.median(times), 1),
        "ms_p95": round(percentile(times, 0.95), 1),
        "ms_max": round(max(times), 1),
        "named_top1": round(sum(1 for r in named if r == 1) / len(named), 4),
        "named_top5": round(sum(1 for r in named if r and r <= 5) / len(named), 4),
        "per_kind": per_kind,
    }


def old_rule_finds(child: Any, given: str, family: str, born: date | None, person_id: int) -> bool:
    """The front door before issue 17: the same family name (any case) and date of birth."""
    from safehub.people.models import Person

    if born is None or not family.strip():
        return False
    return Person.objects.filter(
        pk=person_id, family_name__iexact=family.strip(), date_of_birth=born
    ).exists()


def front_door_finds(given: str, family: str, born: date | None, person_id: int) -> bool:
    from safehub.people import search

    query = search.query_for_child(given_name=given, family_name=family, date_of_birth=born)
    shown = search.likely_matches(query)
    return any(found.person.pk == person_id for found in shown)


FRONT_DOOR_KINDS = (
    "typo",
    "nickname",
    "name_order_swapped",
    "surname_change",
    "dob_day_month_swapped",
)


def front_door(pairs: list[tuple[Any, int]], screened: set[str], seed: int) -> dict[str, Any]:
    """Replay each screened child at the front door: once as the city's own error model would
    record them (most exactly right), and once per kind of variant with only that variant."""
    from safehub.demo.city.errors import NO_ERRORS, record_person
    from safehub.demo.city.spec import DEFAULT_ERROR_RATES

    rng = random.Random(seed * 104729 + 3)  # noqa: S311 - repeatable synthetic variants
    plans = {"city's error rates": dict(DEFAULT_ERROR_RATES)} | {
        kind: {**NO_ERRORS, kind: 1.0} for kind in FRONT_DOOR_KINDS
    }
    rows: dict[str, dict[str, Any]] = {}
    times: list[float] = []
    for label, rates in plans.items():
        replayed = before = after = 0
        for child, person_id in pairs:
            if child.pid not in screened:
                continue
            seen = record_person(child, rng, rates)
            if label != "city's error rates" and not seen.errors:
                continue  # this kind cannot apply (no nickname for the name, say)
            replayed += 1
            if not old_rule_finds(child, seen.given, seen.family, seen.dob, person_id):
                before += 1
            started = time.perf_counter()
            offered = front_door_finds(seen.given, seen.family, seen.dob, person_id)
            times.append((time.perf_counter() - started) * 1000)
            after += not offered
        rows[label] = {
            "replayed": replayed,
            "rate_before": round(before / replayed, 4) if replayed else None,
            "rate_after": round(after / replayed, 4) if replayed else None,
        }
    return {"by_variant": rows, "ms_p95": round(percentile(times, 0.95), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="small", choices=("small", "city", "region"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1200)
    parser.add_argument("--load", action="store_true", help="load the city first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from safehub.demo.city.load import load_city

    figures: dict[str, Any] = {"size": args.size, "seed": args.seed, "database": connection.vendor}
    if args.load:
        started = time.perf_counter()
        load_city(args.size, args.seed, replace=True)
        figures["load_seconds"] = round(time.perf_counter() - started, 1)
        print(f"Loaded the {args.size} city in {figures['load_seconds']} s")
    pairs = children_and_people(args.size, args.seed)
    figures["children"] = len(pairs)
    print(f"{len(pairs):,} children in Safehub ({connection.vendor})")

    search = recall_and_speed(pairs, args.queries, args.seed)
    figures["search"] = search
    print(
        f"\nSearch as a MASH officer, {search['queries']} queries: p50 {search['ms_p50']} ms, "
        f"p95 {search['ms_p95']} ms, max {search['ms_max']} ms"
    )
    print(f"{'kind':<10} {'queries':>7} {'top 1':>7} {'top 5':>7} {'shown':>7}")
    for kind, row in search["per_kind"].items():
        print(
            f"{kind:<10} {row['queries']:>7} {row['top1'] or 0:>7.1%} {row['top5'] or 0:>7.1%} "
            f"{row['shown'] or 0:>7.1%}"
        )
    print(
        f"Named queries (all but date only): top 1 {search['named_top1']:.1%}, "
        f"top 5 {search['named_top5']:.1%}"
    )

    door = front_door(pairs, screened_children(args.size, args.seed), args.seed)
    figures["front_door"] = door
    print(
        "\nFront door: the share of screened children who would get a second record (not "
        f"offered), exact rule against the matcher; p95 {door['ms_p95']} ms per check"
    )
    print(f"{'typed with':<22} {'children':>8} {'before':>8} {'after':>8}")
    for label, row in door["by_variant"].items():
        print(
            f"{label:<22} {row['replayed']:>8} {(row['rate_before'] or 0):>8.1%} "
            f"{(row['rate_after'] or 0):>8.1%}"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
