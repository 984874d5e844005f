"""The attendance patterns planted for exploited children, and the other planned changes.

`networks.py` decides when an exploited child's exploitation begins and plants one generic
change of attendance (more unauthorised absence, afternoons missed, late after registers).
Here each exploited child is given one of several patterns an education welfare officer would
recognise, as the days it changes on their register; "mixed" keeps the generic change. The
same functions turn a control's innocent change (an illness) and the sessions a child was
missing into planned days. Days are two codes, AM then PM; "." leaves a session to the
ordinary draw (see `schools.attendance_rows`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from safehub.demo.city.model import AttendanceChange, MissingEpisode, RegisterPlan
from safehub.demo.city.schools import missing_sessions

# The patterns, dealt out in turn (each round shuffled) so every one is planted in a chunk
# with seven or more exploited children.
PATTERNS: tuple[str, ...] = (
    "mixed",  # the generic change: unauthorised days, afternoons missed, late (U)
    "part_day",  # registered in the morning, gone in the afternoon (O)
    "masked_part_day",  # the same, but a carer rings the afternoons in as illness
    "missing_days",  # short runs of whole days with no reason given (N, O)
    "gradual_decline",  # absence creeping up over 6-12 weeks to a day or two a week
    "same_weekday",  # one weekday missed most weeks
    "part_time_timetable",  # the school puts the child on a reduced timetable (C)
)


def deal_patterns(count: int, rng: random.Random) -> list[str]:
    """`count` patterns: every pattern once per round, each round in a random order."""
    out: list[str] = []
    while len(out) < count:
        out.extend(rng.sample(PATTERNS, len(PATTERNS)))
    return out[:count]


def _set(plan: RegisterPlan, day: date, mark: str) -> None:
    plan.days[day] = mark


def plant_pattern(
    plan: RegisterPlan,
    pattern: str,
    began: date,
    days: Sequence[date],
    episodes: Sequence[MissingEpisode],
    change: AttendanceChange | None,
    rng: random.Random,
) -> None:
    """Plan the days of `pattern` on the pupil's open `days` from `began` on."""
    after = [d for d in days if d >= began]
    rand = rng.random
    if pattern == "mixed":
        if change is not None:
            apply_change(plan, change, days, rng)
    elif pattern == "part_day":
        p = rng.uniform(0.15, 0.4)
        for d in after:
            r = rand()
            if r < p:
                _set(plan, d, rng.choice(("/O", "/O", "/O", "LO", "/N")))
            elif r < p + 0.04:
                _set(plan, d, "OO")
    elif pattern == "masked_part_day":
        p = rng.uniform(0.15, 0.35)
        for d in after:
            r = rand()
            if r < p:
                _set(plan, d, rng.choice(("/I", "/I", "/I", "/I", "/I", "/I", "/M", "/O")))
            elif r < p + 0.12:
                _set(plan, d, "U.")
    elif pattern == "missing_days":
        _plant_missing_days(plan, after, episodes, rng)
    elif pattern == "gradual_decline":
        ramp = rng.randint(6, 12) * 5
        peak = rng.uniform(0.2, 0.45)
        for k, d in enumerate(after):
            if rand() < peak * (0.25 + 0.75 * min(1.0, k / ramp)):
                _set(plan, d, rng.choice(("OO", "OO", "NN", "II")))
    elif pattern == "same_weekday":
        weekday = rng.choices((0, 4, 1, 2, 3), (3, 3, 1, 1, 1))[0]
        p = rng.uniform(0.6, 0.9)
        for d in after:
            if d.weekday() == weekday and rand() < p:
                _set(plan, d, rng.choice(("OO", "OO", "NN", "II")))
    elif pattern == "part_time_timetable":
        _plant_part_time(plan, began, after, rng)
    else:
        raise ValueError(f"Unknown attendance pattern {pattern!r}")


def _plant_missing_days(
    plan: RegisterPlan, after: list[date], episodes: Sequence[MissingEpisode], rng: random.Random
) -> None:
    """Runs of one to three whole days with no reason given, every one to three weeks, and the
    days after a missing episode (most runs have no police report beside them)."""
    i = rng.randrange(0, 6)
    while i < len(after):
        code = "NN" if rng.random() < 0.6 else "OO"
        for d in after[i : i + rng.choice((1, 1, 2, 2, 3))]:
            _set(plan, d, code)
        i += rng.randint(5, 15)
    open_days = set(after)
    for e in episodes:
        day = e.found_at.date()
        for _ in range(rng.choice((1, 1, 2))):
            day += timedelta(days=1)
            while day.weekday() > 4:
                day += timedelta(days=1)
            if day in open_days and rng.random() < 0.7:
                _set(plan, day, "NN")


def _plant_part_time(
    plan: RegisterPlan, began: date, after: list[date], rng: random.Random
) -> None:
    """A reduced timetable agreed one to three weeks after the change began: `k` sessions a
    week recorded as C (afternoons first, from Friday back), for 8 to 16 weeks, with some
    unauthorised days before it starts."""
    start = began + timedelta(days=rng.randint(7, 21))
    end = start + timedelta(weeks=rng.randint(8, 16))
    k = rng.choice((2, 2, 3, 4, 6))
    # Sessions off, as (weekday, session): Friday PM, Thursday PM, ... then Friday AM, ...
    off = [(wd, s) for s in (1, 0) for wd in (4, 3, 2, 1, 0)][:k]
    for d in after:
        if d < start:
            if rng.random() < 0.12:
                _set(plan, d, "OO")
        elif d <= end:
            marks = [".", "."]
            for wd, s in off:
                if d.weekday() == wd:
                    marks[s] = "C"
                    if s == 1 and marks[0] == ".":
                        marks[0] = "/"
            if marks != [".", "."]:
                _set(plan, d, "".join(marks))


def apply_change(
    plan: RegisterPlan, change: AttendanceChange, days: Sequence[date], rng: random.Random
) -> None:
    """Plan the days of an `AttendanceChange` (see model.py): whole days absent with its codes,
    afternoons missed after a morning present, and mornings late after registers."""
    codes = change.codes
    rand = rng.random
    for d in days:
        if not change.start <= d <= change.end:
            continue
        r = rand()
        if r < change.extra_absence:
            code = codes[int(rand() * len(codes))]
            _set(plan, d, code + code)
        elif r < change.extra_absence + change.part_day:
            _set(plan, d, "/" + change.part_day_code)
        elif rand() < change.late / 4:
            _set(plan, d, "U.")


def apply_missing(plan: RegisterPlan, episodes: list[MissingEpisode], rng: random.Random) -> None:
    """The sessions a child was missing during are unauthorised (O, or N: no reason yet)."""
    for day, session in sorted(missing_sessions(episodes)):
        code = "O" if rng.random() < 0.7 else "N"
        mark = list(plan.days.get(day, ".."))
        mark[session] = code
        plan.days[day] = "".join(mark)
