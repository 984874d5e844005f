"""Schools, enrolments, the school calendar and a year of AM/PM attendance marks.

Attendance is written the way a school MIS exports it: one row per pupil per week, with the
ten sessions Monday AM to Friday PM as a string of DfE codes (see docs/data/education.md).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from safehub.demo.city.geography import Grid
from safehub.demo.city.identifiers import upn
from safehub.demo.city.model import AttendanceChange, Chunk, MissingEpisode, Person, School

SCHOOL_WORDS = (
    "Hillfield Brookside Ashgrove Meadowbank Oakwood Riverside Stonebridge Whitmore Elmtree "
    "Kingsway Parkgate Fairfield Greenacre Highfield Larkspur Millfield Northbrook Orchard "
    "Queensbury Redhill Southfields Thornhill Westwood Willowbank Foxhollow Heronsgate Kestrel "
    "Beechwood Cedarwood Longford Moorlands Swallowdale Windmill Hawthorn Chestnut Primrose"
).split()
CLOSED = "#"
# Baseline absence codes and their shares (illness first, as in national statistics).
ABSENCE_CODES = "IIIIIIIIIMMOOOGCRNE"
PRESENT_AM, PRESENT_PM = "/", "\\"


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


def school_weeks(year: int) -> list[tuple[date, str, tuple[bool, ...]]]:
    """Each week with at least one open day: its Monday, ISO date and which sessions are open."""
    open_days = set(school_days(year))
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
    weeks: list[tuple[date, str, tuple[bool, ...]]],
    changes: dict[str, list[AttendanceChange]],
    missing: dict[str, set[tuple[date, int]]],
    rng: random.Random,
) -> Iterator[tuple[str, str, str, str]]:
    """Yield (upn, school urn, week commencing, ten session codes) for every pupil and week."""
    rand = rng.random
    codes = ABSENCE_CODES
    n_codes = len(codes)
    one_day = timedelta(days=1)
    for pupil in pupils:
        p_abs = pupil.absence_rate
        p_late = 0.02 + p_abs / 4
        upn_, urn = pupil.upn, pupil.school_urn
        pupil_changes = changes.get(pupil.pid, ())
        pupil_missing = missing.get(pupil.pid, ())
        for monday, monday_iso, mask in weeks:
            active = [
                c for c in pupil_changes if c.start <= monday + 4 * one_day and c.end >= monday
            ]
            marks = []
            for s in range(10):
                if not mask[s]:
                    marks.append(CLOSED)
                    continue
                day = monday + (s // 2) * one_day if (active or pupil_missing) else monday
                if pupil_missing and (day, s % 2) in pupil_missing:
                    marks.append("O" if rand() < 0.7 else "N")
                    continue
                p = p_abs
                change = None
                for c in active:
                    if c.start <= day <= c.end:
                        change = c
                        p = p_abs + c.extra_absence
                if (
                    change is not None
                    and s % 2 == 1
                    and marks[-1] in "/L"
                    and rand() < change.part_day
                ):
                    marks.append(change.part_day_code)
                    continue
                r = rand()
                if r < p:
                    if change is not None and rand() < change.extra_absence / p:
                        planted = change.codes
                        marks.append(planted[int(rand() * len(planted))])
                    else:
                        marks.append(codes[int(rand() * n_codes)])
                elif s % 2 == 0 and r < p + p_late:
                    marks.append("U" if change is not None and rand() < change.late else "L")
                else:
                    marks.append(PRESENT_PM if s % 2 else PRESENT_AM)
            yield (upn_, urn, monday_iso, "".join(marks))
