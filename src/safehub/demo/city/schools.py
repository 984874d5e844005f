"""Schools, enrolments, the school calendar and a year of AM/PM attendance marks.

Attendance is written the way a school MIS exports it: one row per pupil per week, with the
ten sessions Monday AM to Friday PM as a string of DfE codes (see docs/data/education.md).
What each pupil's year holds (illness, holidays, study leave, moves, planted patterns) and each
school's INSET days are planned in `registers.py`; `attendance_rows` writes the plans out.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator
from datetime import date, datetime, timedelta

from safehub.demo.city.geography import Grid
from safehub.demo.city.identifiers import upn
from safehub.demo.city.model import Chunk, MissingEpisode, Person, RegisterPlan, School

SCHOOL_WORDS = (
    "Hillfield Brookside Ashgrove Meadowbank Oakwood Riverside Stonebridge Whitmore Elmtree "
    "Kingsway Parkgate Fairfield Greenacre Highfield Larkspur Millfield Northbrook Orchard "
    "Queensbury Redhill Southfields Thornhill Westwood Willowbank Foxhollow Heronsgate Kestrel "
    "Beechwood Cedarwood Longford Moorlands Swallowdale Windmill Hawthorn Chestnut Primrose"
).split()
CLOSED = "#"
NOT_ON_ROLL = "Z"
STUDY_LEAVE = "S"
PRESENT_AM, PRESENT_PM = "/", "\\"
# An illness spell's length in school days (mostly a day or two), and its mean.
SPELL_DAYS = (1,) * 9 + (2,) * 5 + (3,) * 3 + (4,) * 2 + (5,)
MEAN_SPELL_DAYS = sum(SPELL_DAYS) / len(SPELL_DAYS)
SENT_HOME_ILL = 0.12  # an illness spell that starts with the pupil sent home at lunchtime
EXAM_SESSION = 0.3  # on study leave, the share of sessions a pupil is in for an exam
# Illness by month, relative to the year's average: low in September and summer, highest
# from December to February (DfE's weekly attendance figures show the same shape).
SEASON = {9: 0.65, 10: 0.9, 11: 1.05, 12: 1.3, 1: 1.25, 2: 1.3, 3: 1.05, 4: 0.85, 5: 0.8}
SEASON |= {6: 0.75, 7: 0.8, 8: 0.8}


def build_schools(
    chunk: Chunk, grid: Grid, rng: random.Random, primary: int, secondary: int
) -> None:
    """Create the chunk's primary and secondary schools at addresses on the grid."""
    words = rng.sample(SCHOOL_WORDS, len(SCHOOL_WORDS))
    for i in range(primary + secondary):
        phase = "primary" if i < primary else "secondary"
        word = words[i % len(words)] + ("" if i < len(words) else " Park")
        kind = rng.choice(("Primary School", "Primary Academy", "C of E Primary School"))
        if phase == "secondary":
            kind = rng.choice(("Academy", "School", "High School", "Community College"))
        name = f"{word} {kind}" if chunk.index < 2 else f"{word} {kind} ({grid.town})"
        estab = f"{(2000 if phase == 'primary' else 4000) + chunk.index * 80 + i:04d}"
        urn = f"9{chunk.index:02d}{i:03d}"
        chunk.schools.append(School(urn, estab, name, phase, grid.random_address(name=name)))


def enrol(chunk: Chunk, rng: random.Random, year: int) -> None:
    """Put each school-age child on the roll of a nearby school of the right phase, with a UPN."""
    by_phase = {
        phase: [s for s in chunk.schools if s.phase == phase] for phase in ("primary", "secondary")
    }
    serials: dict[tuple[str, int], int] = {}
    la_code = 900 + chunk.index
    for child in chunk.people:
        if child.kind != "child" or child.address is None:
            continue
        age = year - child.dob.year - (1 if (child.dob.month, child.dob.day) > (8, 31) else 0)
        if age < 4:
            continue
        group = age - 4  # 0 = Reception, 1..13 = Years 1 to 13
        if group >= 12 and rng.random() < 0.45:
            continue  # at college or in training, not on a school roll
        if rng.random() < 0.003:
            continue  # educated at home or missing education
        schools = by_phase["primary" if group <= 6 else "secondary"]
        x = child.address.x + rng.randint(-1200, 1200)
        y = child.address.y + rng.randint(-1200, 1200)
        school = min(schools, key=lambda s: (s.address.x - x) ** 2 + (s.address.y - y) ** 2)
        entry_year = year - group
        key = (school.estab, entry_year)
        serials[key] = serials.get(key, 0) + 1
        child.school_urn = school.urn
        child.year_group = group
        child.upn = upn(la_code, school.estab, entry_year, serials[key])


def _nth_weekday(year: int, month: int, day: int, weekday: int) -> date:
    """The first date on or after (year, month, day) falling on `weekday` (Monday = 0)."""
    d = date(year, month, day)
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def school_days(year: int) -> list[date]:
    """The days schools are open in the academic year starting in September of `year`."""
    terms = [
        (_nth_weekday(year, 9, 3, 2), _nth_weekday(year, 12, 16, 4)),
        (_nth_weekday(year + 1, 1, 5, 0), _nth_weekday(year + 1, 3, 27, 4)),
        (_nth_weekday(year + 1, 4, 13, 0), _nth_weekday(year + 1, 7, 17, 4)),
    ]
    half_terms = [
        _nth_weekday(year, 10, 20, 0),
        _nth_weekday(year + 1, 2, 16, 0),
        _nth_weekday(year + 1, 5, 25, 0),
    ]
    closed = {_nth_weekday(year + 1, 5, 1, 0)}  # early May bank holiday
    for monday in half_terms:
        closed.update(monday + timedelta(days=i) for i in range(5))
    days: list[date] = []
    for start, end in terms:
        d = start
        while d <= end:
            if d.weekday() < 5 and d not in closed:
                days.append(d)
            d += timedelta(days=1)
    return days


def school_weeks(
    year: int, closed: Collection[date] = ()
) -> list[tuple[date, str, tuple[bool, ...]]]:
    """Each week with at least one open day: its Monday, ISO date and which sessions are open.
    `closed` are a school's own non-teaching days (INSET days, a snow day)."""
    open_days = set(school_days(year)) - set(closed)
    mondays = sorted({d - timedelta(days=d.weekday()) for d in open_days})
    weeks = []
    for monday in mondays:
        mask = tuple(monday + timedelta(days=s // 2) in open_days for s in range(10))
        weeks.append((monday, monday.isoformat(), mask))
    return weeks


def missing_sessions(episodes: list[MissingEpisode]) -> set[tuple[date, int]]:
    """The (day, session) pairs a child was missing during: 0 = AM, 1 = PM."""
    out: set[tuple[date, int]] = set()
    for ep in episodes:
        start: datetime = ep.reported_at
        end: datetime = ep.found_at
        d = start.date()
        while d <= end.date():
            for session, hour in ((0, 9), (1, 13)):
                moment = datetime(d.year, d.month, d.day, hour)
                if start - timedelta(hours=3) <= moment <= end:
                    out.add((d, session))
            d += timedelta(days=1)
    return out


def attendance_rows(
    pupils: list[Person],
    plans: dict[str, RegisterPlan],
    calendars: dict[str, list[tuple[date, str, tuple[bool, ...]]]],
    rng: random.Random,
) -> Iterator[tuple[str, str, str, str]]:
    """Yield (upn, school urn, week commencing, ten session codes) for every pupil and every
    week they are on a school's roll, following each pupil's `RegisterPlan`.

    Days the school is closed are `#`; days the pupil is not on its roll that week are `Z`. From
    `study_leave_from` a Year 11 or 13 pupil is on study leave (S), in for exams now and then.
    A planned day is written as planned ("." sessions drawn as usual). An ordinary day is an
    illness spell (whole days of I, more often in winter: `SEASON`), a whole day unauthorised
    (O, or N: no reason yet), or a day present with the pupil's own chances of being late (L, U),
    missing the afternoon (O) and a medical appointment (M). A week with no possible session
    for the pupil is not written.
    """
    rand = rng.random
    n_spell = len(SPELL_DAYS)
    weeks_of = {
        urn: [
            (
                monday,
                monday + timedelta(days=4),
                iso,
                tuple(monday + timedelta(days=d) if mask[2 * d] else None for d in range(5)),
                SEASON[monday.month],
            )
            for monday, iso, mask in weeks
        ]
        for urn, weeks in calendars.items()
    }
    for pupil in pupils:
        plan = plans[pupil.pid]
        planned = plan.days
        upn_ = pupil.upn
        ill, unauth, pm_unauth = plan.ill_start, plan.unauth_day, plan.pm_unauth
        late, late_total = plan.late, plan.late + plan.late_u
        medical = 1.0 - plan.medical
        leave_from = plan.study_leave_from or date.max
        ill_left = 0
        for urn, first, last in plan.spans:
            for monday, friday, iso, days, season in weeks_of[urn]:
                if friday < first or monday > last:
                    continue
                if (monday < first or friday > last) and not any(
                    d is not None and first <= d <= last for d in days
                ):
                    continue
                p_ill = ill * season
                p_absent = p_ill + unauth
                marks = []
                for day in days:
                    if day is None:
                        marks.append(CLOSED * 2)
                        continue
                    if day < first or day > last:
                        marks.append(NOT_ON_ROLL * 2)
                        continue
                    if day >= leave_from:
                        am = PRESENT_AM if rand() < EXAM_SESSION else STUDY_LEAVE
                        marks.append(am + (PRESENT_PM if rand() < EXAM_SESSION else STUDY_LEAVE))
                        continue
                    fixed = planned.get(day) if planned else None
                    if fixed is not None and "." not in fixed:
                        marks.append(fixed)
                        continue
                    if ill_left:
                        ill_left -= 1
                        mark = "II"
                    else:
                        r = rand()
                        if r < p_ill:
                            ill_left = SPELL_DAYS[int(rand() * n_spell)] - 1
                            mark = "/I" if rand() < SENT_HOME_ILL else "II"
                        elif r < p_absent:
                            mark = "NN" if rand() < 0.3 else "OO"
                        else:
                            r = rand()
                            am = (
                                "L"
                                if r < late
                                else "U"
                                if r < late_total
                                else "M"
                                if r > medical
                                else PRESENT_AM
                            )
                            r = rand()
                            pm = "O" if r < pm_unauth else "M" if r > medical else PRESENT_PM
                            mark = am + pm
                    if fixed is not None:
                        mark = (mark[0] if fixed[0] == "." else fixed[0]) + (
                            mark[1] if fixed[1] == "." else fixed[1]
                        )
                    marks.append(mark)
                yield (upn_, urn, iso, "".join(marks))


def chunk_attendance_rows(
    chunk: Chunk, year: int, rng: random.Random
) -> Iterator[tuple[str, str, str, str]]:
    """The chunk's attendance extract rows, from its register plans and school closures."""
    pupils = [p for p in chunk.people if p.kind == "child" and p.upn]
    calendars = {s.urn: school_weeks(year, chunk.closures.get(s.urn, {})) for s in chunk.schools}
    return attendance_rows(pupils, chunk.registers, calendars, rng)
