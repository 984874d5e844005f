"""Triage clocks: working days across weekends and bank holidays, office hours, RAG, statutory."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.referrals.rules import (
    LONDON,
    TriageClockSettings,
    add_working_days,
    add_working_hours,
    assessment_due,
    deadline_status,
    decision_due,
    england_and_wales_bank_holidays,
    icpc_due,
    is_working_day,
    needs_immediate_attention,
    queue_urgency_key,
    rag_due,
    referral_risk,
    working_days_between,
)

HOLIDAYS = england_and_wales_bank_holidays()
CONFIG = TriageClockSettings()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_packaged_bank_holidays_include_known_dates() -> None:
    assert date(2026, 12, 25) in HOLIDAYS and date(2026, 12, 28) in HOLIDAYS  # Boxing Day (sub)
    assert date(2026, 4, 3) in HOLIDAYS and date(2026, 4, 6) in HOLIDAYS  # Good Friday, Easter Mon


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Monday -> Tuesday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday -> Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # over Christmas, Boxing Day substitute
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 11, 23), 45, date(2027, 1, 28)),  # 45 working days over Christmas
    ],
)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days, HOLIDAYS) == expected


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, HOLIDAYS)


@given(st.dates(date(2013, 1, 1), date(2028, 6, 30)), st.integers(0, 60))
def test_working_days_round_trip(start: date, days: int) -> None:
    end = add_working_days(start, days, HOLIDAYS)
    assert working_days_between(start, end, HOLIDAYS) == days
    assert days == 0 or is_working_day(end, HOLIDAYS)
    # Every calendar week holds at most 5 working days.
    assert (end - start).days >= days


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 23, 10), 6, at(2026, 11, 23, 16)),  # within the day
        (at(2026, 11, 23, 15), 6, at(2026, 11, 24, 13)),  # over the night
        (at(2026, 11, 27, 16), 6, at(2026, 11, 30, 14)),  # Friday afternoon -> Monday
        (at(2026, 11, 28, 12), 6, at(2026, 11, 30, 15)),  # received on Saturday
        (at(2026, 11, 23, 20), 1, at(2026, 11, 24, 10)),  # received at night
        (at(2026, 12, 24, 16), 24, at(2026, 12, 31, 16)),  # over Christmas and Boxing Day
        (at(2026, 11, 23, 9), 8, at(2026, 11, 23, 17)),  # exactly one office day
    ],
)
def test_add_working_hours(start: datetime, hours: float, expected: datetime) -> None:
    assert add_working_hours(start, hours, HOLIDAYS, CONFIG) == expected


@given(
    st.datetimes(datetime(2020, 1, 1), datetime(2028, 6, 1), timezones=st.just(LONDON)),
    st.floats(0.25, 60, allow_nan=False),
)
def test_working_hours_never_end_outside_the_office(start: datetime, hours: float) -> None:
    end = add_working_hours(start, hours, HOLIDAYS, CONFIG)
    local = end.astimezone(LONDON)
    assert end > start
    assert is_working_day(local.date(), HOLIDAYS)
    assert CONFIG.day_starts <= local.time() <= CONFIG.day_ends
    assert local.time() != CONFIG.day_starts or hours == 0


def test_red_runs_through_the_night_and_weekend() -> None:
    friday_night = at(2026, 11, 27, 22)
    assert rag_due(friday_night, "red", HOLIDAYS, CONFIG) == at(2026, 11, 28, 0)
    assert rag_due(friday_night, "amber", HOLIDAYS, CONFIG) == at(2026, 11, 30, 15)
    assert rag_due(friday_night, "green", HOLIDAYS, CONFIG) == at(2026, 12, 2, 17)
    with pytest.raises(ValueError):
        rag_due(friday_night, "purple", HOLIDAYS, CONFIG)


def test_statutory_deadlines() -> None:
    # A referral on Christmas Eve needs a decision by the end of the next working day.
    assert decision_due(at(2026, 12, 24, 11), HOLIDAYS, CONFIG) == at(2026, 12, 29, 17)
    assert assessment_due(date(2026, 11, 23), HOLIDAYS, CONFIG) == date(2027, 1, 28)
    assert icpc_due(date(2026, 12, 21), HOLIDAYS, CONFIG) == date(2027, 1, 14)


def test_configured_timescales_are_used() -> None:
    from safehub.referrals.rules import RagTimescale

    config = TriageClockSettings(
        day_starts=time(8, 30), rag={"red": RagTimescale(4, working_hours=True)}
    )
    assert rag_due(at(2026, 11, 23, 7), "red", HOLIDAYS, config) == at(2026, 11, 23, 12, 30)


@pytest.mark.parametrize(
    ("due", "now", "done", "status"),
    [
        (at(2026, 11, 23, 16), at(2026, 11, 23, 10), None, "due_today"),
        (at(2026, 11, 23, 16), at(2026, 11, 23, 17), None, "overdue"),
        (at(2026, 11, 24, 16), at(2026, 11, 23, 10), None, "upcoming"),
        (at(2026, 11, 23, 16), at(2026, 11, 25, 10), at(2026, 11, 23, 15), "met"),
        (at(2026, 11, 23, 16), at(2026, 11, 25, 10), at(2026, 11, 24, 9), "missed"),
    ],
)
def test_deadline_status(due: datetime, now: datetime, done: datetime | None, status: str) -> None:
    assert deadline_status(due, now, done) == status


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_hours(datetime(2026, 11, 23, 10) + timedelta(0), 1, HOLIDAYS, CONFIG)


def test_referral_risk_is_the_rag_once_rated_and_the_screening_before() -> None:
    assert [referral_risk(r, 1) for r in ("red", "amber", "green")] == [3, 2, 1]
    assert referral_risk("", 3) == 3 and referral_risk("", 2) == 2 and referral_risk("", 1) == 1
    # No screening and no rating yet: counted as Amber, never below Green.
    assert referral_risk("", None) == 2
    with pytest.raises(ValueError):
        referral_risk("purple", None)


def test_only_an_unrated_significant_screening_needs_immediate_attention() -> None:
    assert needs_immediate_attention("", 3)
    assert not needs_immediate_attention("red", 3)
    assert not needs_immediate_attention("", 2) and not needs_immediate_attention("", None)


def test_the_queue_order_is_risk_then_nearest_clock_then_longest_waiting() -> None:
    early, late = datetime(2026, 1, 1, 9, tzinfo=LONDON), datetime(2026, 1, 1, 12, tzinfo=LONDON)
    keys = {
        "red late": queue_urgency_key(3, late, late),
        "red early": queue_urgency_key(3, early, late),
        "amber early": queue_urgency_key(2, early, early),
    }
    assert sorted(keys, key=keys.__getitem__) == ["red early", "red late", "amber early"]
