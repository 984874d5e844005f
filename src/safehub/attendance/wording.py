"""Plain-words sentences for each rule's finding: what fired, on which dates, with the counts.

Percentages are worked out here from the whole numbers a finding carries, so the scan and the
reference rules can never disagree about rounding.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from safehub.attendance.codes import WEEKDAYS
from safehub.attendance.rules import Finding

TITLES = {
    "sharp_fall": "Sharp fall in attendance",
    "persistent_absence": "Persistently absent",
    "part_day": "Absent in the afternoon after morning registration",
    "late_after_registers": "Late after registers closed, repeatedly",
    "same_weekday": "Absent on the same weekday, repeatedly",
    "around_missing": "Absences around missing episodes",
    "part_time_timetable": "Looks like a part-time timetable",
    "children_missing_education": "20 school days of unauthorised absence",
    "off_roll": "Left the roll with no known destination",
}


def _d(value: date | str) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%b %Y}"


def _pct(part: int, whole: int) -> int:
    """A whole percentage, rounded half up (so 9.5% reads 10%)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _period(facts: dict[str, Any], last_week: date) -> str:
    return f"{_d(facts['window_start'])} to {_d(last_week + timedelta(days=4))}"


def _s(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def sentence(finding: Finding) -> str:
    """One sentence for a finding, e.g. 'attendance fell from 96% to 71% over 6 weeks'.

    Pages show it after the rule's title (`TITLES`), so it does not repeat the title.
    """
    f, last = finding.facts, finding.last_week
    rule = finding.rule
    if rule == "sharp_fall":
        before = _pct(f["baseline_possible"] - f["baseline_absent"], f["baseline_possible"])
        now = _pct(f["window_possible"] - f["window_absent"], f["window_possible"])
        return (
            f"attendance fell from {before}% to {now}% over {_s(f['weeks'], 'week')} "
            f"({_period(f, last)}); {f['window_unauthorised']} of the "
            f"{_s(f['window_absent'], 'missed session')} unauthorised"
        )
    if rule == "persistent_absence":
        return (
            f"missed {f['absent']} of {f['possible']} sessions "
            f"({_pct(f['absent'], f['possible'])}%) by {_d(last + timedelta(days=4))}, "
            f"first at or over the persistent-absence line in the week of {_d(finding.first_week)}"
        )
    if rule == "part_day":
        return (
            f"{_s(f['days'], 'afternoon absence')} after morning registration ({_period(f, last)})"
        )
    if rule == "late_after_registers":
        return (
            f"late after registers closed (code U) {_s(f['sessions'], 'time')} ({_period(f, last)})"
        )
    if rule == "same_weekday":
        return (
            f"absent on a {WEEKDAYS[f['weekday']]} in {f['weeks']} of {f['window_weeks']} weeks "
            f"({f['weeks']} of the {_s(f['absent_days'], 'day')} with an absence; "
            f"{_period(f, last)})"
        )
    if rule == "around_missing":
        return (
            f"{_s(f['episodes'], 'missing episode')} in the same weeks, with "
            f"{_s(f['sessions'], 'session')} missed on the days around them "
            f"({_period(f, last)})"
        )
    if rule == "part_time_timetable":
        return (
            f"code C (authorised, exceptional circumstances) on {f['sessions']} sessions "
            f"in consecutive weeks ({_period(f, last)}): this looks like a part-time "
            f"timetable; check it is agreed, time-limited and reported to the local authority"
        )
    if rule == "children_missing_education":
        return (
            f"{f['days']} consecutive school days of unauthorised absence up to "
            f"{_d(last + timedelta(days=4))}: follow the children missing education procedure"
        )
    if rule == "off_roll":
        return (
            f"no longer on this school's register since the week of {_d(finding.first_week)} "
            f"(last registered the week of {_d(f['last_week'])}, {f['weeks']} school weeks "
            f"ago) and no other school records the pupil: destination unknown"
        )
    raise ValueError(f"unknown rule {rule!r}")


def summary(findings: list[Finding]) -> str:
    """All of an alert's findings in one line, in the order of the rules, each after its title."""
    return "; ".join(f"{TITLES[f.rule].lower()}: {sentence(f)}" for f in findings)
