"""Each pupil's school year as their register will show it: the plan `attendance_rows` follows.

Real registers are noisy in ways that look like a change of pattern and are not one: winter
illness and an outbreak in a year group, a long illness with hospital appointments, a family
holiday beside half-term, Year 11 on study leave and then gone, a school's INSET days, a pupil
who moves school, a pupil late every morning, a pupil who has missed a day a week all year.
This module decides which of these each pupil lives through (their truth labels, written to
`truth/pupils.csv`), each school's non-teaching days, and, for each exploited child, which
attendance pattern was planted (`patterns.py`). Everything is drawn from the chunk's own
"registers" random generator, so the same seed and size give the same plans.

The rates aim at England's published figures (docs/data/education.md): about 6.5-7% of
sessions missed, most of it illness, and about one pupil in five persistently absent.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from safehub.demo.city.model import Chunk, MissingEpisode, Person, RegisterPlan, School
from safehub.demo.city.patterns import apply_change, apply_missing, deal_patterns, plant_pattern
from safehub.demo.city.schools import MEAN_SPELL_DAYS, school_days

# Truth labels. A pupil may hold several; `category_of` picks one by this precedence.
PRECEDENCE = (
    "exploited",
    "control",
    "study_leave_leaver",
    "mover",
    "long_illness",
    "disengaged",
    "late_but_present",
    "holiday",
)
LOOK_ALIKES = PRECEDENCE[2:]
ORDINARY = "ordinary"
# Share of background pupils given each (exclusive) look-alike, by phase.
LOOK_ALIKE_SHARES = {
    "primary": (
        ("long_illness", 0.02),
        ("disengaged", 0.015),
        ("late_but_present", 0.03),
        ("mover", 0.03),
    ),
    "secondary": (
        ("long_illness", 0.03),
        ("disengaged", 0.055),
        ("late_but_present", 0.03),
        ("mover", 0.025),
    ),
}
HOLIDAY_SHARE = {"primary": 0.15, "secondary": 0.09}  # drawn apart from the look-alikes
LEAVING_GROUPS = (11, 13)  # study leave from mid-May, gone after their last day in late June
# A pupil's own absence rate (Person.absence_rate) scaled to the ordinary days' share.
BASE_SCALE = {"primary": 0.85, "secondary": 1.3}
INSET_DAYS = 5


def category_of(labels: Sequence[str]) -> str:
    """The first of a pupil's labels in PRECEDENCE order, or "ordinary" when there is none."""
    for label in PRECEDENCE:
        if label in labels:
            return label
    return ORDINARY


def _phase(pupil: Person) -> str:
    return "primary" if (pupil.year_group or 0) <= 6 else "secondary"


class Calendar:
    """The base open days of the year, its breaks, and each school's own open days."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.days = school_days(year)
        # Holidays of a week or more: (last open day before, first open day after).
        self.breaks = [
            (a, b) for a, b in zip(self.days, self.days[1:], strict=False) if (b - a).days >= 7
        ]
        self.first, self.last = self.days[0], self.days[-1]
        self.open: dict[str, list[date]] = {}

    def school_days_of(self, urn: str, closures: dict[date, str]) -> list[date]:
        if urn not in self.open:
            self.open[urn] = [d for d in self.days if d not in closures]
        return self.open[urn]


def plan_closures(chunk: Chunk, cal: Calendar, rng: random.Random) -> date:
    """Five INSET days per school, on days of its own choosing (most often the first day of a
    term or a day beside a half-term), and a snow day that closes some schools. Returns the
    snow day."""
    days = cal.days
    weights: dict[date, float] = {d: 0.15 for d in days if d.weekday() in (0, 4)}
    weights[days[0]] = 6.0
    weights[days[1]] = 2.0
    weights[cal.last] = 3.0
    for before, after in cal.breaks:
        weights[before] = 2.0
        weights[after] = 4.0 if before.month == 12 else 3.0
    candidates = sorted(weights)
    snow_pool = [d for d in days if date(cal.year + 1, 1, 12) <= d <= date(cal.year + 1, 2, 6)]
    snow = rng.choice(snow_pool)
    for school in chunk.schools:
        pool = list(candidates)
        w = [weights[d] for d in pool]
        closed: dict[date, str] = {}
        while len(closed) < INSET_DAYS:
            i = rng.choices(range(len(pool)), w)[0]
            closed[pool.pop(i)] = "inset"
            del w[i]
        if snow not in closed and rng.random() < 0.35:
            closed[snow] = "snow"
        chunk.closures[school.urn] = dict(sorted(closed.items()))
    return snow


def _leaving_dates(chunk: Chunk, cal: Calendar, rng: random.Random) -> dict[str, tuple[date, date]]:
    """Per secondary school: the Monday study leave begins and Year 11's last day (a Friday,
    or the open day before it when that Friday is an INSET day)."""
    out = {}
    y = cal.year + 1
    for school in chunk.schools:
        if school.phase != "secondary":
            continue
        leave = date(y, 5, 11) + timedelta(days=(0 - date(y, 5, 11).weekday()) % 7)
        leave += timedelta(weeks=rng.randrange(2))
        last = date(y, 6, 19) + timedelta(days=(4 - date(y, 6, 19).weekday()) % 7)
        last += timedelta(weeks=rng.randrange(2))
        open_days = cal.school_days_of(school.urn, chunk.closures[school.urn])
        last = max(d for d in open_days if d <= last)
        out[school.urn] = (leave, last)
    return out


def _ordinary_plan(pupil: Person, cal: Calendar, rng: random.Random) -> RegisterPlan:
    """The pupil's own chances on an ordinary day, from their absence rate and phase."""
    phase = _phase(pupil)
    # Spread about the pupil's rate (mean 1), so some ordinary pupils miss more than others.
    r = pupil.absence_rate * BASE_SCALE[phase] * rng.lognormvariate(-0.36, 0.85)
    ill_share = rng.uniform(0.55, 0.78)
    return RegisterPlan(
        labels=[],
        spans=[(pupil.school_urn, cal.first, cal.last)],
        ill_start=r * ill_share / MEAN_SPELL_DAYS,
        unauth_day=r * (1 - ill_share) * 0.55,
        pm_unauth=r * 0.03 if phase == "secondary" else 0.0,
        medical=0.002 + r * 0.02,
        late=min(0.2, 0.02 + r / 3),
        late_u=0.0005 + r / 50,
    )


def _run(plan: RegisterPlan, days: list[date], start: int, length: int, mark: str) -> None:
    for d in days[start : start + length]:
        plan.days[d] = mark


def _holiday(plan: RegisterPlan, cal: Calendar, days: list[date], rng: random.Random) -> None:
    """A week or two away in term time, usually beside a half-term or the end of a term."""
    length = rng.choice((3, 4, 5, 5, 5, 5, 7, 8, 10, 10))
    mark = "GG" if rng.random() < 0.8 else "HH"
    index = {d: i for i, d in enumerate(days)}
    breaks = list(cal.breaks)
    if plan.study_leave_from:
        breaks = [b for b in breaks if b[1] < date(cal.year + 1, 4, 1)]
    roll = rng.random()
    if roll < 0.35 and breaks:  # leave early for a half-term or holiday
        before = rng.choice(breaks)[0]
        end = max((i for d, i in index.items() if d <= before), default=None)
        if end is not None:
            _run(plan, days, max(0, end - length + 1), length, mark)
            return
    if roll < 0.7:  # come back late from one, or leave before the summer
        summer = [] if plan.study_leave_from else [(cal.last, cal.last)]
        choice = rng.choice([*breaks, *summer])
        if choice[0] == cal.last:
            _run(plan, days, max(0, len(days) - length), length, mark)
            return
        start = min((i for d, i in index.items() if d >= choice[1]), default=None)
        if start is not None:
            _run(plan, days, start, length, mark)
            return
    _run(plan, days, rng.randrange(max(1, len(days) - length)), length, mark)


def _long_illness(plan: RegisterPlan, days: list[date], rng: random.Random) -> None:
    """Either one long spell of illness and a phased return, or a chronic condition: months of
    illness days and hospital appointments (the pupil's own, not an outbreak's)."""
    if rng.random() < 0.5:
        start = rng.randrange(max(1, len(days) - 40))
        length = rng.randint(10, 30)
        for d in days[start : start + length]:
            plan.days[d] = "MM" if rng.random() < 0.05 else "II"
        for d in days[start + length : start + length + rng.randint(10, 20)]:
            r = rng.random()
            if r < 0.35:
                plan.days[d] = rng.choice(("/I", "/I", "/M", "M\\"))
            elif r < 0.45:
                plan.days[d] = "II"
    else:
        length = rng.randint(60, 120)
        start = rng.randrange(max(1, len(days) - length))
        ill, appointment = rng.uniform(0.06, 0.12), rng.uniform(0.1, 0.2)
        spell = 0
        for d in days[start : start + length]:
            if spell:
                plan.days[d] = "II"
                spell -= 1
            elif rng.random() < ill:
                plan.days[d] = "II"
                spell = rng.choice((0, 1, 1, 2))
            elif rng.random() < appointment:
                plan.days[d] = rng.choice(("M\\", "/M", "MM"))


def _disengaged(plan: RegisterPlan, rng: random.Random) -> None:
    """Steady non-attendance all year, not a change: whole days unauthorised, some afternoons
    missed and mornings late."""
    # Most miss a day or two a week; about two in five miss more than half their sessions.
    plan.unauth_day = rng.uniform(0.08, 0.25) if rng.random() < 0.6 else rng.uniform(0.4, 0.65)
    plan.pm_unauth = rng.uniform(0.01, 0.06)
    plan.late = rng.uniform(0.1, 0.3)
    plan.late_u = rng.uniform(0.02, 0.08)


def _late_but_present(plan: RegisterPlan, rng: random.Random) -> None:
    """Late nearly every morning but there: L, and now and then after registers close (U)."""
    plan.late = rng.uniform(0.6, 0.95)
    plan.late_u = rng.uniform(0.03, 0.1)


def _mover(
    plan: RegisterPlan,
    pupil: Person,
    chunk: Chunk,
    cal: Calendar,
    same_phase: list[School],
    rng: random.Random,
) -> None:
    """A move in the year: from another school in the city (which records the pupil until
    they leave; the new school from the day they join), or from outside it. A Year 11 pupil
    who moves still leaves after their last day."""
    urn, _, last = plan.spans[-1]
    days = cal.school_days_of(urn, chunk.closures[urn])
    pool = [
        i for i, d in enumerate(days) if date(cal.year, 10, 1) <= d <= date(cal.year + 1, 5, 15)
    ]
    i = rng.choice(pool)
    joined = days[min(i + rng.choice((0, 0, 1, 2, 3, 5, 5, 10)), len(days) - 1)]
    plan.spans = [(urn, joined, last)]
    if rng.random() < 0.7 and pupil.address is not None:
        here = pupil.address
        others = sorted(
            (s for s in same_phase if s.urn != urn),
            key=lambda s: (s.address.x - here.x) ** 2 + (s.address.y - here.y) ** 2,
        )[:3]
        if others:
            origin = rng.choice(others).urn
            before = [d for d in cal.school_days_of(origin, chunk.closures[origin]) if d < days[i]]
            plan.spans.insert(0, (origin, cal.first, before[-1]))


def _extras(plan: RegisterPlan, days: list[date], secondary: bool, rng: random.Random) -> None:
    """Occasional authorised days: a suspension (E), exceptional leave (C), religious
    observance (R)."""
    if secondary and rng.random() < 0.03:
        _run(plan, days, rng.randrange(len(days)), rng.randint(1, 3), "EE")
    if rng.random() < 0.015:
        _run(plan, days, rng.randrange(len(days)), rng.randint(1, 2), "CC")
    if rng.random() < 0.02:
        _run(plan, days, rng.randrange(len(days)), 1, "RR")


def plan_registers(chunk: Chunk, rng: random.Random, year: int) -> None:
    """Fill `chunk.closures` and `chunk.registers` (one plan per pupil on a roll)."""
    cal = Calendar(year)
    snow = plan_closures(chunk, cal, rng)
    leaving = _leaving_dates(chunk, cal, rng)
    by_phase = {
        phase: [s for s in chunk.schools if s.phase == phase] for phase in ("primary", "secondary")
    }
    pupils = [p for p in chunk.people if p.kind == "child" and p.upn]
    episodes: dict[str, list[MissingEpisode]] = {}
    for e in chunk.episodes:
        episodes.setdefault(e.pid, []).append(e)
    exploited = [p.pid for p in pupils if p.role == "exploited"]
    patterns = dict(zip(exploited, deal_patterns(len(exploited), rng), strict=True))
    for pupil in pupils:
        phase = _phase(pupil)
        plan = _ordinary_plan(pupil, cal, rng)
        chunk.registers[pupil.pid] = plan
        urn = pupil.school_urn
        if pupil.role in ("exploited", "control"):
            plan.labels.append(pupil.role)
        if pupil.year_group in LEAVING_GROUPS and urn in leaving:
            plan.labels.append("study_leave_leaver")
            plan.study_leave_from, last = leaving[urn]
            plan.spans = [(urn, cal.first, last)]
        if pupil.role == "background":
            roll = rng.random()
            for label, share in LOOK_ALIKE_SHARES[phase]:
                if roll < share:
                    plan.labels.append(label)
                    break
                roll -= share
            if rng.random() < HOLIDAY_SHARE[phase]:
                plan.labels.append("holiday")
        days = cal.school_days_of(urn, chunk.closures[urn])
        if "mover" in plan.labels:
            _mover(plan, pupil, chunk, cal, by_phase[phase], rng)
        if "holiday" in plan.labels:
            _holiday(plan, cal, days, rng)
        if "long_illness" in plan.labels:
            _long_illness(plan, days, rng)
        if "disengaged" in plan.labels:
            _disengaged(plan, rng)
        if "late_but_present" in plan.labels:
            _late_but_present(plan, rng)
        _extras(plan, days, phase == "secondary", rng)
        changes = chunk.attendance_changes.get(pupil.pid, [])
        if pupil.role == "exploited":
            story = chunk.stories[pupil.pid]
            began = story["began"]
            assert isinstance(began, date)
            plan.pattern = patterns[pupil.pid]
            plan.pattern_began = began
            story["pattern"] = plan.pattern
            plant_pattern(
                plan,
                plan.pattern,
                began,
                days,
                episodes.get(pupil.pid, []),
                changes[0] if changes else None,
                rng,
            )
        else:
            for change in changes:
                apply_change(plan, change, days, rng)
    _outbreaks(chunk, cal, pupils, rng)
    _snow(chunk, pupils, snow, rng)
    for pupil in pupils:
        if pupil.pid in episodes:
            apply_missing(chunk.registers[pupil.pid], episodes[pupil.pid], rng)


def _outbreaks(chunk: Chunk, cal: Calendar, pupils: list[Person], rng: random.Random) -> None:
    """An outbreak (flu, norovirus, chickenpox) in one year group of a school, mostly in
    winter: a fifth to nearly half of the group ill for two to four days within two weeks."""
    groups: dict[tuple[str, int], list[Person]] = {}
    for p in pupils:
        groups.setdefault((p.school_urn, p.year_group or 0), []).append(p)
    for school in chunk.schools:
        days = cal.school_days_of(school.urn, chunk.closures[school.urn])
        year_groups = sorted(g for (urn, g) in groups if urn == school.urn)
        if not year_groups:
            continue
        weights = [3.0 if d.month in (11, 12, 1, 2, 3) else 1.0 for d in days]
        for _ in range(rng.choices((0, 1, 2), (0.15, 0.55, 0.3))[0]):
            start = rng.choices(range(len(days) - 12), weights[: len(days) - 12])[0]
            window = rng.randint(5, 10)
            attack = rng.uniform(0.2, 0.45)
            for pupil in groups[(school.urn, rng.choice(year_groups))]:
                if rng.random() >= attack:
                    continue
                first = start + rng.randrange(window)
                plan = chunk.registers[pupil.pid]
                for d in days[first : first + rng.randint(2, 4)]:
                    plan.days.setdefault(d, "II")


def _snow(chunk: Chunk, pupils: list[Person], snow: date, rng: random.Random) -> None:
    """On the snow day, schools that stayed open see some pupils unable to get in (Y)."""
    for pupil in pupils:
        if snow not in chunk.closures[pupil.school_urn] and rng.random() < 0.12:
            chunk.registers[pupil.pid].days[snow] = "YY"
