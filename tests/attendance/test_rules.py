"""Each attendance rule on hand-made registers, at and either side of its threshold; and
properties of the rules as a whole (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.attendance.rules import (
    Episode,
    Finding,
    Thresholds,
    Week,
    detect,
    detect_off_roll,
    week_counts,
)
from safehub.attendance.wording import sentence

MONDAY = date(2025, 9, 8)
PRESENT = "/\\/\\/\\/\\/\\"


def weeks(*sessions: str) -> list[Week]:
    return [Week(MONDAY + timedelta(weeks=i), s) for i, s in enumerate(sessions)]


def fired(ws: list[Week], episodes: tuple[Episode, ...] = ()) -> dict[str, Finding]:
    return {f.rule: f for f in detect(ws, episodes)}


def absent(n: int, code: str = "O") -> str:
    """A week with `n` sessions missed (from Monday AM), the rest present."""
    return "".join(code if i < n else "/\\"[i % 2] for i in range(10))


def test_week_counts_count_each_class_of_code() -> None:
    c = week_counts("/OLU#\\CIN\\")
    assert (c.possible, c.absent, c.unauthorised, c.late_u, c.code_c) == (9, 5, 3, 1, 1)
    assert c.part_days == 1  # Monday: present AM, O PM
    assert c.open_days == 5  # Wednesday AM closed, but its afternoon is a school session
    assert c.absent_days == (1, 1, 0, 1, 1)


# --- persistent absence: 10% or more of possible sessions, after 60 sessions ---
def test_persistent_absence_fires_at_exactly_ten_percent() -> None:
    ws = weeks(*[absent(1)] * 6)  # 6 of 60 sessions = 10%
    found = fired(ws)["persistent_absence"]
    assert found.facts == {"absent": 6, "possible": 60}
    assert found.first_week == ws[5].monday
    assert "missed 6 of 60 sessions (10%)" in sentence(found)


def test_persistent_absence_not_below_ten_percent_or_too_early() -> None:
    assert "persistent_absence" not in fired(weeks(*[absent(1)] * 5, PRESENT))  # 5 of 60
    assert "persistent_absence" not in fired(weeks(*[absent(2)] * 5))  # 50 sessions only


def test_not_counted_codes_are_left_out_of_possible_sessions() -> None:
    # Friday closed every week: 8 possible sessions a week, so 60 are reached in week 8.
    ws = weeks(*[absent(1)[:8] + "##"] * 8)
    found = fired(ws)["persistent_absence"]
    assert found.facts == {"absent": 8, "possible": 64}
    assert found.first_week == ws[7].monday


# --- sharp fall: 15 points below the pupil's own baseline over 6 weeks ---
def test_sharp_fall_fires_at_fifteen_points_not_fourteen() -> None:
    # Baseline 100%; window of 6 weeks with 9 of 60 sessions missed = 85%: a 15-point fall.
    base = [PRESENT] * 4
    ws = weeks(*base, *[absent(2)] * 4, absent(1), PRESENT)
    found = fired(ws)["sharp_fall"]
    assert (found.facts["window_absent"], found.facts["window_possible"]) == (9, 60)
    assert sentence(found).startswith("attendance fell from 100% to 85% over 6 weeks")
    ws = weeks(*base, *[absent(2)] * 4, PRESENT, PRESENT)  # 8 of 60: 87%
    assert "sharp_fall" not in fired(ws)


def test_sharp_fall_needs_a_baseline() -> None:
    assert "sharp_fall" not in fired(weeks(PRESENT, PRESENT, PRESENT, *[absent(10)] * 6))


def test_a_pupil_who_always_misses_a_lot_has_no_sharp_fall() -> None:
    assert "sharp_fall" not in fired(weeks(*[absent(4)] * 20))


# --- part day: present in the morning, unauthorised absence in the afternoon ---
def test_part_day_fires_at_four_afternoons_in_six_weeks() -> None:
    three = weeks("/O/\\/\\/\\/\\", "/\\/N/\\/\\/\\", "/\\/\\/G/\\/\\", *[PRESENT] * 3)
    assert "part_day" not in fired(three)
    four = weeks("/O/\\/\\/\\/\\", "/\\/N/\\/\\/\\", "/\\/\\/G/\\/\\", PRESENT, "L\\/\\/\\/O/\\")
    found = fired(four)["part_day"]
    assert found.facts["days"] == 4
    assert sentence(found).startswith("4 afternoon absences after morning registration")


def test_an_authorised_afternoon_absence_is_not_a_part_day() -> None:
    assert "part_day" not in fired(weeks(*["/M/M/\\/\\/\\"] * 4))


def test_part_days_outside_the_window_do_not_count() -> None:
    ws = weeks("/O/O/\\/\\/\\", "/O/O/\\/\\/\\", *[PRESENT] * 6)
    f = fired(ws)["part_day"]
    assert f.first_week == ws[1].monday
    assert f.last_week == ws[5].monday  # in week 7 the window no longer holds week 1


# --- late after registers closed ---
def test_late_after_registers_three_times_in_four_weeks() -> None:
    assert "late_after_registers" not in fired(weeks("U\\/\\/\\/\\/\\", "U\\" + PRESENT[2:]))
    ws = weeks("U\\/\\/\\/\\/\\", PRESENT, PRESENT, "U\\U\\/\\/\\/\\")
    assert fired(ws)["late_after_registers"].facts["sessions"] == 3
    ws = weeks("U\\/\\/\\/\\/\\", PRESENT, PRESENT, PRESENT, "U\\U\\/\\/\\/\\")
    assert "late_after_registers" not in fired(ws)  # the first U is five weeks back


# --- the same weekday ---
def test_same_weekday_five_fridays_in_eight_weeks() -> None:
    friday = "/\\/\\/\\/\\OO"
    ws = weeks(friday, PRESENT, friday, PRESENT, friday, PRESENT, friday, friday)
    f = fired(ws)["same_weekday"]
    assert f.facts["weekday"] == 4 and f.facts["weeks"] == 5
    assert sentence(f).startswith("absent on a Friday in 5 of 8 weeks")
    four = weeks(friday, PRESENT, friday, PRESENT, friday, PRESENT, friday, PRESENT)
    assert "same_weekday" not in fired(four)


def test_same_weekday_at_exactly_sixty_percent() -> None:
    friday = "/\\/\\/\\/\\OO"
    mon_tue, mon_to_wed = "OOOO/\\/\\/\\", "OOOOOO/\\/\\"
    # 6 Fridays out of 10 days with an absence: exactly 60%.
    f = fired(weeks(mon_tue, mon_tue, *[friday] * 6))["same_weekday"]
    assert (f.facts["weeks"], f.facts["absent_days"]) == (6, 10)
    # 6 Fridays out of 11: 55%.
    assert "same_weekday" not in fired(weeks(mon_to_wed, mon_tue, *[friday] * 6))


def test_same_weekday_needs_most_of_the_absent_days() -> None:
    friday_and_more = "OO/\\OO/\\OO"  # Monday, Wednesday and Friday every week
    assert "same_weekday" not in fired(weeks(*[friday_and_more] * 8))


# --- absences around a missing episode ---
def test_absences_around_a_missing_episode() -> None:
    ws = weeks(PRESENT, PRESENT, "/\\/\\/\\OOOO")  # Thursday and Friday of week 3
    saturday = ws[2].monday + timedelta(days=5)
    f = fired(ws, (Episode(saturday, saturday),))["around_missing"]
    assert f.facts == {"sessions": 4, "episodes": 1, "window_start": MONDAY.isoformat()}
    far = ws[2].monday + timedelta(days=20)
    assert "around_missing" not in fired(ws, (Episode(far, far),))


def test_one_absent_session_around_an_episode_is_not_enough() -> None:
    ws = weeks(PRESENT, "/\\/\\/\\/\\/O")
    friday = ws[1].monday + timedelta(days=4)
    assert "around_missing" not in fired(ws, (Episode(friday, friday),))


# --- part-time timetable: code C on 3+ sessions a week, 3 weeks running ---
def test_part_time_timetable() -> None:
    pm_off = "/C/C/C/\\/\\"
    assert "part_time_timetable" not in fired(weeks(pm_off, pm_off, PRESENT, pm_off))
    f = fired(weeks(pm_off, pm_off, pm_off))["part_time_timetable"]
    assert f.facts["sessions"] == 9
    assert "part-time timetable" in sentence(f)
    assert "part_time_timetable" not in fired(weeks(*["/C/C/\\/\\/\\"] * 5))  # 2 a week


# --- children missing education: 20 consecutive school days unauthorised ---
def test_twenty_consecutive_unauthorised_days_across_weeks_and_closures() -> None:
    away = "O" * 10
    # Thursday and Friday of week 1, then weeks 2 to 4 (a bank-holiday Monday in week 3).
    ws = weeks(PRESENT[:6] + "OOOO", away, "##" + "O" * 8, away, "OOOOOOOO/\\")
    f = fired(ws)["children_missing_education"]
    assert f.facts["days"] == 2 + 5 + 4 + 5 + 4
    assert f.first_week == ws[4].monday
    ws = weeks(PRESENT[:6] + "OOOO", away, "##" + "O" * 8, away, "OOOOOO/\\/\\")
    assert "children_missing_education" not in fired(ws)  # 19 days


def test_an_authorised_session_breaks_the_run() -> None:
    away = "O" * 10
    ws = weeks(away, away, "OOOOIOOOOO", away, away)
    assert "children_missing_education" not in fired(ws)


# --- removed from roll without a known destination ---
def test_off_roll_when_the_register_stops_and_no_school_has_the_pupil() -> None:
    w = [MONDAY + timedelta(weeks=i) for i in range(6)]
    rows = [("A", 1, m) for m in w] + [("B", 1, m) for m in w[:3]]
    found = detect_off_roll(rows)
    assert set(found) == {("B", 1)}
    assert found[("B", 1)].first_week == w[3] and found[("B", 1)].facts["weeks"] == 3
    moved = rows + [("B", 2, m) for m in w[3:]]
    assert ("B", 1) not in detect_off_roll(moved)  # destination known: another school
    assert ("B", 1) not in detect_off_roll([r for r in rows if r[2] <= w[3]])  # 1 week only


# --- properties ---
session = st.sampled_from(list("/\\LUOGNIMCE#"))
week_text = st.lists(session, min_size=10, max_size=10).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=40), st.lists(st.booleans(), min_size=10, max_size=10))
def test_a_pupil_present_at_every_session_never_alerts(n: int, closed: list[bool]) -> None:
    sessions = "".join("#" if c else PRESENT[i] for i, c in enumerate(closed))
    assert detect(weeks(*[sessions] * n)) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(week_text, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_rules_do_not_depend_on_the_order_rows_arrive_in(
    texts: list[str], rnd: random.Random
) -> None:
    ws = weeks(*texts)
    shuffled = list(ws)
    rnd.shuffle(shuffled)
    assert detect(shuffled) == detect(ws)


@settings(max_examples=60, deadline=None)
@given(st.lists(week_text, min_size=1, max_size=25))
def test_every_finding_has_a_sentence_and_its_dates_are_register_weeks(texts: list[str]) -> None:
    ws = weeks(*texts)
    mondays = {w.monday for w in ws}
    for f in detect(ws):
        assert {f.first_week, f.last_week, f.run_start} <= mondays
        assert f.first_week <= f.run_start <= f.last_week
        assert sentence(f)


@settings(max_examples=40, deadline=None)
@given(st.lists(week_text, min_size=1, max_size=20))
def test_more_absence_never_hides_persistent_absence(texts: list[str]) -> None:
    before = "persistent_absence" in fired(weeks(*texts))
    worse = [t.replace("/", "O", 1) for t in texts]
    assert not before or "persistent_absence" in fired(weeks(*worse))


def test_duplicate_weeks_are_refused() -> None:
    with pytest.raises(ValueError, match="two rows for the same week"):
        detect([Week(MONDAY, PRESENT), Week(MONDAY, PRESENT)])


def test_thresholds_change_what_fires() -> None:
    ws = weeks(*[absent(1)] * 6)
    strict = Thresholds()
    lenient = Thresholds(persistent_absence=type(strict.persistent_absence)(percent=11))
    assert "persistent_absence" in {f.rule for f in detect(ws, (), strict)}
    assert "persistent_absence" not in {f.rule for f in detect(ws, (), lenient)}
