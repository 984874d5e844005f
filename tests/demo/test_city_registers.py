"""The synthetic city's school registers: school calendars, study leave and leaving, moves,
the truth categories, the planted patterns, national shares and determinism."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from safehub.attendance.codes import ABSENT, ATTENDED, COUNTED, UNAUTHORISED
from safehub.attendance.rules import detect_off_roll
from safehub.demo.city.build import build_city, generate_chunk
from safehub.demo.city.registers import LOOK_ALIKES, PRECEDENCE, category_of
from safehub.demo.city.schools import chunk_attendance_rows, school_days
from safehub.demo.city.spec import make_spec

Marks = dict[tuple[str, date], str]  # (school URN, day) -> AM and PM codes


def rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / table).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registers") / "seed7"
    build_city(make_spec("small", 7), out, workers=1)
    return out


@pytest.fixture(scope="module")
def attendance(city: Path) -> list[dict[str, str]]:
    return rows(city, "extracts/education/attendance.csv")


@pytest.fixture(scope="module")
def days_of(attendance: list[dict[str, str]]) -> dict[str, Marks]:
    """Per UPN, each school day's two codes, by school."""
    out: dict[str, Marks] = defaultdict(dict)
    for r in attendance:
        monday = date.fromisoformat(r["week_commencing"])
        s = r["sessions"]
        for d in range(5):
            out[r["upn"]][(r["school_urn"], monday + timedelta(days=d))] = s[2 * d : 2 * d + 2]
    return out


@pytest.fixture(scope="module")
def pupils(city: Path) -> dict[str, dict[str, str]]:
    return {r["upn"]: r for r in rows(city, "truth/pupils.csv")}


def _weeks_of(attendance: list[dict[str, str]]) -> dict[str, set[date]]:
    out: dict[str, set[date]] = defaultdict(set)
    for r in attendance:
        out[r["school_urn"]].add(date.fromisoformat(r["week_commencing"]))
    return out


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def test_inset_days_close_the_whole_school(city: Path, days_of: dict[str, Marks]) -> None:
    closures = rows(city, "truth/school_closures.csv")
    closed = {(c["school_urn"], date.fromisoformat(c["date"])) for c in closures}
    inset: dict[str, set[date]] = defaultdict(set)
    for c in closures:
        if c["reason"] == "inset":
            inset[c["school_urn"]].add(date.fromisoformat(c["date"]))
    schools = {r["urn"] for r in rows(city, "extracts/education/schools.csv")}
    assert set(inset) == schools
    assert all(len(days) == 5 for days in inset.values())
    assert len({frozenset(days) for days in inset.values()}) > 1, "every school chose the same"
    term = set(school_days(2025))
    pupils_closed = 0
    for upn, marks in days_of.items():
        for key, mark in marks.items():
            if key in closed:
                assert mark == "##", f"{upn} has {mark} on a day {key[0]} was closed"
                pupils_closed += 1
            elif key[1] in term:
                assert "#" not in mark, f"{upn} has {mark} on a day {key[0]} was open"
    assert pupils_closed > 1000


def test_year_11_registers_stop_after_their_last_day_while_the_school_goes_on(
    attendance: list[dict[str, str]], days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    school_weeks = _weeks_of(attendance)
    leavers = [p for p in pupils.values() if p["category"] == "study_leave_leaver"]
    assert len(leavers) > 50
    assert {p["year_group"] for p in leavers} <= {"11", "13"}
    assert "11" in {p["year_group"] for p in leavers}
    for p in leavers:
        last = date.fromisoformat(p["last_day"])
        assert date(2026, 6, 19) <= last <= date(2026, 6, 26)
        marks = days_of[p["upn"]]
        assert max(day for _, day in marks) <= _monday(last) + timedelta(days=4)
        after = [m for (_, day), m in marks.items() if day > last]
        assert all(c not in COUNTED for m in after for c in m)
        assert sum(1 for w in school_weeks[p["school_urn"]] if w > last) >= 3


def test_study_leave_is_coded_s_from_mid_may_and_nowhere_else(
    days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    for upn, marks in days_of.items():
        leave = pupils[upn]["study_leave_from"]
        start = date.fromisoformat(leave) if leave else date.max
        if leave:
            assert date(2026, 5, 11) <= start <= date(2026, 5, 18)
        for (_, day), mark in marks.items():
            if day < start:
                assert "S" not in mark, f"{upn} on study leave on {day}, before it began"
            else:
                assert set(mark) <= set("S/\\#Z"), f"{upn} has {mark} on study leave"
    on_leave = [m for u, ms in days_of.items() for (_, d), m in ms.items() if "S" in m]
    assert len(on_leave) > 1000


def test_movers_are_recorded_by_the_school_they_move_to(
    attendance: list[dict[str, str]], days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    movers = [p for p in pupils.values() if p["moved_from_urn"]]
    joiners = [p for p in pupils.values() if p["category"] == "mover" and not p["moved_from_urn"]]
    assert len(movers) >= 10 and joiners
    for p in movers:
        left = date.fromisoformat(p["left_previous_on"])
        joined = date.fromisoformat(p["joined_on"])
        assert left < joined
        marks = days_of[p["upn"]]
        assert {urn for urn, _ in marks} == {p["moved_from_urn"], p["school_urn"]}
        for (urn, day), mark in marks.items():
            on_roll = day <= left if urn == p["moved_from_urn"] else day >= joined
            if not on_roll:
                assert set(mark) <= {"Z", "#"}, f"{p['upn']} marked {mark} off the roll"
        last_week = max(day for _, day in marks)
        assert (p["school_urn"], last_week) in marks
    for p in joiners:
        joined = date.fromisoformat(p["joined_on"])
        first = min(day for _, day in days_of[p["upn"]])
        assert first == _monday(joined) > date(2025, 9, 29)
    keys = [
        (r["upn"], int(r["school_urn"]), date.fromisoformat(r["week_commencing"]))
        for r in attendance
    ]
    off_roll = {upn for upn, _ in detect_off_roll(keys)}
    # (A Year 11 pupil who moved still leaves in June, so counts as a leaver.)
    assert not off_roll & {p["upn"] for p in movers + joiners if p["category"] == "mover"}
    assert {p["upn"] for p in pupils.values() if p["category"] == "study_leave_leaver"} <= off_roll


def test_the_same_seed_gives_the_same_registers_and_another_seed_does_not() -> None:
    def digest(seed: int) -> str:
        spec = replace(make_spec("small", seed), children_per_chunk=400)
        chunk = generate_chunk(spec, 0)
        h = hashlib.sha256()
        for row in chunk_attendance_rows(chunk, spec.year, spec.rng(0, "attendance")):
            h.update(",".join(row).encode())
        return h.hexdigest()

    assert digest(5) == digest(5)
    assert digest(5) != digest(6)


def test_absence_and_persistent_absence_are_near_the_national_figures(
    days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    """About 6-7% of sessions missed, most for illness, secondary above primary, and about one
    pupil in five persistently absent (study leave left out, as in the national figures)."""
    counted = set(COUNTED) - {"S"}
    totals: Counter[str] = Counter()
    by_phase: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    persistent = 0
    for upn, marks in days_of.items():
        codes = "".join(marks.values())
        possible = sum(c in counted for c in codes)
        absent = sum(c in ABSENT and c != "S" for c in codes)
        totals.update(c for c in codes if c in counted)
        phase = "primary" if int(pupils[upn]["year_group"]) <= 6 else "secondary"
        by_phase[phase][0] += possible
        by_phase[phase][1] += absent
        persistent += 10 * absent >= possible
    possible = sum(totals.values())
    absent = sum(n for c, n in totals.items() if c in ABSENT)
    assert 0.055 <= absent / possible <= 0.08
    assert 0.14 <= persistent / len(days_of) <= 0.26
    assert 0.025 <= totals["I"] / possible <= 0.045
    assert 0.015 <= sum(totals[c] for c in UNAUTHORISED) / possible <= 0.035
    primary, secondary = (b / a for a, b in (by_phase["primary"], by_phase["secondary"]))
    assert secondary > primary + 0.01


def test_illness_peaks_in_winter_and_outbreaks_hit_a_year_group(
    days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    by_month: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    group_week: dict[tuple[str, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for upn, marks in days_of.items():
        for (urn, day), mark in marks.items():
            if not set(mark) & set(COUNTED):
                continue
            ill = "I" in mark
            by_month[day.month][0] += 1
            by_month[day.month][1] += ill
            key = (urn, pupils[upn]["year_group"], _monday(day))
            group_week[key][0] += 1
            group_week[key][1] += ill
    share = {m: ill / days for m, (days, ill) in by_month.items()}
    assert min(share[12], share[1], share[2]) > 1.4 * max(share[9], share[6])
    city_week = sum(ill for _, ill in group_week.values()) / sum(n for n, _ in group_week.values())
    outbreaks = [k for k, (n, ill) in group_week.items() if n >= 50 and ill / n > 4 * city_week]
    assert outbreaks, "no year group had an outbreak"


def test_every_pupil_has_a_category_by_the_documented_precedence(
    city: Path, attendance: list[dict[str, str]], pupils: dict[str, dict[str, str]]
) -> None:
    assert set(pupils) == {r["upn"] for r in attendance}
    children = {r["person_id"]: r["role"] for r in rows(city, "truth/children.csv")}
    for p in pupils.values():
        labels = p["labels"].split(";") if p["labels"] else []
        assert set(labels) <= set(PRECEDENCE)
        assert p["category"] == category_of(labels)
        if p["person_id"] in children:
            assert p["category"] == children[p["person_id"]]
        if p["year_group"] in ("11", "13"):
            assert "study_leave_leaver" in labels
    counts = Counter(p["category"] for p in pupils.values())
    assert set(LOOK_ALIKES) <= set(counts)
    assert 0.6 <= counts["ordinary"] / len(pupils) <= 0.8
    assert any(";" in p["labels"] for p in pupils.values()), "no pupil has two labels"


def _sign(pattern: str, after: list[str], before: list[str]) -> bool:
    """Whether the days since the pattern began show the planted pattern."""

    def share(marks: list[str], codes: str) -> float:
        return sum(c in codes for m in marks for c in m) / max(1, 2 * len(marks))

    part_days = [m for m in after if m[0] in ATTENDED]
    if pattern in ("mixed", "part_day"):
        return sum(m[1] in "GNO" for m in part_days) >= 3
    if pattern == "masked_part_day":
        return sum(m[1] in "IM" for m in part_days) >= 3
    if pattern == "missing_days":
        return sum(m in ("NN", "OO") for m in after) >= 3
    if pattern == "gradual_decline":
        return share(after, "GNOI") > share(before, "GNOI") + 0.08
    if pattern == "part_time_timetable":
        return sum(m.count("C") for m in after) >= 10
    return False


def test_each_exploited_child_shows_their_planted_pattern(
    days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    exploited = [p for p in pupils.values() if p["category"] == "exploited"]
    assert exploited and all(p["attendance_pattern"] for p in exploited)
    for p in exploited:
        began = date.fromisoformat(p["pattern_began"])
        marks = sorted(days_of[p["upn"]].items(), key=lambda kv: kv[0][1])
        after = [m for (_, d), m in marks if d >= began and set(m) & set(COUNTED)]
        before = [m for (_, d), m in marks if d < began and set(m) & set(COUNTED)]
        pattern = p["attendance_pattern"]
        if pattern == "same_weekday":
            absent = ("OO", "NN", "II")
            weekdays = Counter(d.weekday() for (_, d), m in marks if d >= began and m in absent)
            (_, top), *rest = weekdays.most_common() or [(0, 0)]
            assert top >= 4 and all(top >= 2 * n for _, n in rest)
        else:
            assert _sign(pattern, after, before), f"{p['upn']} does not show {pattern}"


def test_look_alikes_show_their_own_pattern(
    days_of: dict[str, Marks], pupils: dict[str, dict[str, str]]
) -> None:
    for p in pupils.values():
        marks = [m for _, m in sorted(days_of[p["upn"]].items(), key=lambda kv: kv[0][1])]
        open_days = [m for m in marks if set(m) & set(COUNTED)]
        codes = "".join(open_days)
        category = p["category"]
        if category == "holiday":
            assert "GGGGGG" in codes or "HHHHHH" in codes, f"{p['upn']} has no holiday"
        elif category == "late_but_present":
            mornings = [m[0] for m in open_days if m[0] in ATTENDED | {"U"}]
            assert sum(c in "LU" for c in mornings) >= 0.5 * len(mornings)
        elif category == "long_illness":
            assert sum(c in "IM" for c in codes) >= 16
        elif category == "disengaged":
            assert sum(c in UNAUTHORISED for c in codes) >= 0.06 * len(codes)
