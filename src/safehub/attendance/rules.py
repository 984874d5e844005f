"""The attendance rules, as plain Python over one pupil's weeks at one school.

This is the readable statement of every rule and the reference the fast scan (`scan.py`, the
same rules in DuckDB SQL over the whole city at once) is tested against. Each rule is
evaluated at every week, using only that week and the weeks before it, so the first week a
rule fires is the week a weekly scan would first have raised it. A rule's window counts the
pupil's own register weeks (weeks with no register, such as half-term, are not in the extract).

Thresholds live in `thresholds.yaml` (see `config.py`); the wording is in `wording.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from safehub.attendance import codes

RULE_NAMES = (
    "sharp_fall",
    "persistent_absence",
    "part_day",
    "late_after_registers",
    "same_weekday",
    "around_missing",
    "part_time_timetable",
    "children_missing_education",
    "off_roll",
)


@dataclass(frozen=True)
class SharpFall:
    window_weeks: int = 6
    drop_points: int = 15
    min_baseline_sessions: int = 40
    min_window_sessions: int = 30


@dataclass(frozen=True)
class PersistentAbsence:
    percent: float = 10
    min_sessions: int = 60


@dataclass(frozen=True)
class PartDay:
    window_weeks: int = 6
    min_days: int = 4


@dataclass(frozen=True)
class LateAfterRegisters:
    window_weeks: int = 4
    min_sessions: int = 3


@dataclass(frozen=True)
class SameWeekday:
    window_weeks: int = 8
    min_weeks: int = 5
    min_share_percent: int = 60


@dataclass(frozen=True)
class AroundMissing:
    window_weeks: int = 6
    days_either_side: int = 2
    min_sessions: int = 2


@dataclass(frozen=True)
class PartTimeTimetable:
    min_sessions_per_week: int = 3
    min_weeks: int = 3


@dataclass(frozen=True)
class ChildrenMissingEducation:
    min_days: int = 20


@dataclass(frozen=True)
class OffRoll:
    min_weeks: int = 2


@dataclass(frozen=True)
class Thresholds:
    sharp_fall: SharpFall = field(default_factory=SharpFall)
    persistent_absence: PersistentAbsence = field(default_factory=PersistentAbsence)
    part_day: PartDay = field(default_factory=PartDay)
    late_after_registers: LateAfterRegisters = field(default_factory=LateAfterRegisters)
    same_weekday: SameWeekday = field(default_factory=SameWeekday)
    around_missing: AroundMissing = field(default_factory=AroundMissing)
    part_time_timetable: PartTimeTimetable = field(default_factory=PartTimeTimetable)
    children_missing_education: ChildrenMissingEducation = field(
        default_factory=ChildrenMissingEducation
    )
    off_roll: OffRoll = field(default_factory=OffRoll)
    # Rules whose findings are added to an alert but never open one on their own.
    supporting_only: tuple[str, ...] = ("persistent_absence", "same_weekday")


@dataclass(frozen=True)
class Week:
    """One register week: its Monday and ten session codes, Monday AM first."""

    monday: date
    sessions: str


@dataclass(frozen=True)
class Episode:
    """A missing episode, by the days it began and ended (ended = as of, while still missing)."""

    start: date
    end: date


@dataclass(frozen=True)
class Finding:
    """A rule that fired for a pupil at a school: first and latest week, and the start of its
    latest unbroken run of weeks, with the facts of the latest week (whole numbers and dates)."""

    rule: str
    first_week: date
    last_week: date
    run_start: date
    facts: dict[str, Any]


@dataclass(frozen=True)
class WeekCounts:
    """What the rules count in one week."""

    possible: int
    absent: int
    unauthorised: int
    late_u: int
    code_c: int
    part_days: int
    absent_days: tuple[int, int, int, int, int]
    open_days: int
    leading_unauth: int
    trailing_unauth: int
    all_unauth: bool


def week_counts(sessions: str) -> WeekCounts:
    """Count one week's codes. Part day: morning attended, afternoon unauthorised (O, G, N)."""
    s = sessions.ljust(10, "-")[:10]
    day_state: list[str] = []  # per day: "closed", "unauth" (every counted session) or "other"
    absent_days = []
    part_days = 0
    for d in range(5):
        am, pm = s[2 * d], s[2 * d + 1]
        counted = [c for c in (am, pm) if c in codes.COUNTED]
        absent_days.append(int(any(c in codes.ABSENT for c in (am, pm))))
        if am in codes.ATTENDED and pm in "GNO":
            part_days += 1
        if not counted:
            day_state.append("closed")
        elif all(c in codes.UNAUTHORISED for c in counted):
            day_state.append("unauth")
        else:
            day_state.append("other")
    open_states = [st for st in day_state if st != "closed"]

    def run(states: Iterable[str]) -> int:
        n = 0
        for st in states:
            if st != "unauth":
                break
            n += 1
        return n

    return WeekCounts(
        possible=sum(c in codes.COUNTED for c in s),
        absent=sum(c in codes.ABSENT for c in s),
        unauthorised=sum(c in codes.UNAUTHORISED for c in s),
        late_u=s.count(codes.LATE_AFTER_REGISTERS),
        code_c=s.count(codes.PART_TIME),
        part_days=part_days,
        absent_days=tuple(absent_days),  # type: ignore[arg-type]
        open_days=len(open_states),
        leading_unauth=run(open_states),
        trailing_unauth=run(reversed(open_states)),
        all_unauth=all(st == "unauth" for st in open_states),
    )


def near_missing_sessions(week: Week, episodes: Sequence[Episode], days: int) -> int:
    """Absent sessions this week on days within `days` days of a missing episode."""
    margin = timedelta(days=days)
    n = 0
    for d in range(5):
        day = week.monday + timedelta(days=d)
        if any(e.start - margin <= day <= e.end + margin for e in episodes):
            n += sum(c in codes.ABSENT for c in week.sessions[2 * d : 2 * d + 2])
    return n


def episodes_between(episodes: Sequence[Episode], first: date, last: date, days: int) -> int:
    """Episodes within `days` days of the period from `first` to `last`."""
    margin = timedelta(days=days)
    return sum(1 for e in episodes if e.start - margin <= last and e.end + margin >= first)


def _fires(t: Thresholds, weeks: Sequence[Week], episodes: Sequence[Episode]) -> dict[str, list]:
    """For each rule, (week index, facts) for every week at which it fires."""
    counts = [week_counts(w.sessions) for w in weeks]
    near = [near_missing_sessions(w, episodes, t.around_missing.days_either_side) for w in weeks]
    out: dict[str, list] = {name: [] for name in RULE_NAMES}
    cum_possible = cum_absent = 0
    carry = 0  # unauthorised school days running up to the end of the previous week
    for i, wk in enumerate(weeks):
        c = counts[i]
        cum_possible += c.possible
        cum_absent += c.absent

        def window(n: int, i: int = i) -> Sequence[WeekCounts]:
            return counts[max(0, i - n + 1) : i + 1]

        def start(n: int, i: int = i) -> str:
            return weeks[max(0, i - n + 1)].monday.isoformat()

        r = t.sharp_fall
        win, base = window(r.window_weeks), counts[: max(0, i - r.window_weeks + 1)]
        bp, ba = sum(x.possible for x in base), sum(x.absent for x in base)
        wp, wa = sum(x.possible for x in win), sum(x.absent for x in win)
        if (
            bp >= r.min_baseline_sessions
            and wp >= r.min_window_sessions
            and 100 * ((bp - ba) * wp - (wp - wa) * bp) >= r.drop_points * bp * wp
        ):
            facts = {
                "baseline_possible": bp,
                "baseline_absent": ba,
                "window_possible": wp,
                "window_absent": wa,
                "window_unauthorised": sum(x.unauthorised for x in win),
                "weeks": len(win),
                "window_start": start(r.window_weeks),
            }
            out["sharp_fall"].append((i, facts))

        p = t.persistent_absence
        if cum_possible >= p.min_sessions and 100 * cum_absent >= p.percent * cum_possible:
            out["persistent_absence"].append((i, {"absent": cum_absent, "possible": cum_possible}))

        n = sum(x.part_days for x in window(t.part_day.window_weeks))
        if n >= t.part_day.min_days:
            out["part_day"].append((i, {"days": n, "window_start": start(t.part_day.window_weeks)}))

        lw = t.late_after_registers.window_weeks
        n = sum(x.late_u for x in window(lw))
        if n >= t.late_after_registers.min_sessions:
            out["late_after_registers"].append((i, {"sessions": n, "window_start": start(lw)}))

        sw = t.same_weekday
        per_day = [sum(x.absent_days[d] for x in window(sw.window_weeks)) for d in range(5)]
        top = max(per_day)
        total = sum(per_day)
        if top >= sw.min_weeks and 100 * top >= sw.min_share_percent * total:
            facts = {
                "weekday": per_day.index(top),
                "weeks": top,
                "absent_days": total,
                "window_weeks": len(window(sw.window_weeks)),
                "window_start": start(sw.window_weeks),
            }
            out["same_weekday"].append((i, facts))

        am = t.around_missing
        n = sum(near[max(0, i - am.window_weeks + 1) : i + 1])
        if n >= am.min_sessions:
            first = weeks[max(0, i - am.window_weeks + 1)].monday
            eps = episodes_between(
                episodes, first, wk.monday + timedelta(days=4), am.days_either_side
            )
            facts = {"sessions": n, "episodes": eps, "window_start": first.isoformat()}
            out["around_missing"].append((i, facts))

        pt = t.part_time_timetable
        recent = window(pt.min_weeks)
        if len(recent) == pt.min_weeks and all(
            x.code_c >= pt.min_sessions_per_week for x in recent
        ):
            facts = {"sessions": sum(x.code_c for x in recent), "window_start": start(pt.min_weeks)}
            out["part_time_timetable"].append((i, facts))

        run = carry + c.open_days if c.all_unauth else carry + c.leading_unauth
        carry = carry + c.open_days if c.all_unauth else c.trailing_unauth
        if run >= t.children_missing_education.min_days:
            out["children_missing_education"].append((i, {"days": run}))
    return out


def detect(
    weeks: Sequence[Week], episodes: Sequence[Episode] = (), thresholds: Thresholds | None = None
) -> list[Finding]:
    """Every rule that fired for one pupil at one school (all but `off_roll`, which needs the
    whole extract: see `detect_off_roll`). Weeks may come in any order; refuses duplicates."""
    t = thresholds or Thresholds()
    ordered = sorted(weeks, key=lambda w: w.monday)
    if len({w.monday for w in ordered}) != len(ordered):
        raise ValueError("a pupil has two rows for the same week at the same school")
    findings = []
    for rule, fired in _fires(t, ordered, episodes).items():
        if not fired:
            continue
        indexes = [i for i, _ in fired]
        run_start = indexes[-1]
        while run_start - 1 in indexes:
            run_start -= 1
        findings.append(
            Finding(
                rule=rule,
                first_week=ordered[indexes[0]].monday,
                last_week=ordered[indexes[-1]].monday,
                run_start=ordered[run_start].monday,
                facts=fired[-1][1],
            )
        )
    return findings


def detect_off_roll(
    rows: Iterable[tuple[str, int, date]], thresholds: Thresholds | None = None
) -> dict[tuple[str, int], Finding]:
    """Pupils whose register weeks stop at a school while it goes on taking registers for at
    least `min_weeks` more weeks, and whom no school records after that. Rows are
    (upn, school id, week commencing); returns findings keyed by (upn, school id)."""
    t = (thresholds or Thresholds()).off_roll
    school_weeks: dict[int, set[date]] = {}
    last_at: dict[tuple[str, int], date] = {}
    last_anywhere: dict[str, date] = {}
    for upn, school, monday in rows:
        school_weeks.setdefault(school, set()).add(monday)
        if monday > last_at.get((upn, school), date.min):
            last_at[(upn, school)] = monday
        if monday > last_anywhere.get(upn, date.min):
            last_anywhere[upn] = monday
    found = {}
    for (upn, school), last in last_at.items():
        after = sorted(w for w in school_weeks[school] if w > last)
        if len(after) >= t.min_weeks and last_anywhere[upn] == last:
            facts = {"last_week": last.isoformat(), "weeks": len(after)}
            found[(upn, school)] = Finding("off_roll", after[0], after[0], after[0], facts)
    return found


def detect_all(
    rows: Iterable[tuple[str, int, date, str]],
    episodes: dict[str, Sequence[Episode]] | None = None,
    thresholds: Thresholds | None = None,
) -> dict[tuple[str, int], list[Finding]]:
    """The reference rules over a whole extract of (upn, school id, week, sessions) rows, one
    pupil at a time: slow, for tests and for comparison in the benchmark."""
    by_pupil: dict[tuple[str, int], list[Week]] = {}
    keys = []
    for upn, school, monday, sessions in rows:
        by_pupil.setdefault((upn, school), []).append(Week(monday, sessions))
        keys.append((upn, school, monday))
    found: dict[tuple[str, int], list[Finding]] = {}
    for key, weeks in by_pupil.items():
        findings = detect(weeks, (episodes or {}).get(key[0], ()), thresholds)
        if findings:
            found[key] = findings
    for key, finding in detect_off_roll(keys, thresholds).items():
        found.setdefault(key, []).append(finding)
    return found
