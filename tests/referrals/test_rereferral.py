"""The re-referral rule: an earlier referral in the 12 months before, or any closed CSE case."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safehub.referrals.rereferral import long_date, re_referral, window_starts
from safehub.referrals.rules import LONDON


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


RECEIVED = at(date(2026, 3, 10), 9, 30)


def test_a_first_referral_is_not_a_re_referral() -> None:
    flag = re_referral(RECEIVED, [], [])
    assert not flag and not flag.is_re_referral and flag.reasons == ()


def test_an_earlier_referral_in_the_12_months_says_when() -> None:
    flag = re_referral(RECEIVED, [at(date(2026, 3, 3))], [])
    assert flag.is_re_referral
    assert flag.reasons == ("Referred before on 3 March 2026",)


def test_a_referral_exactly_12_months_before_counts_and_the_day_before_does_not() -> None:
    assert re_referral(RECEIVED, [at(date(2025, 3, 10), 0, 0)], []).reasons == (
        "Referred before on 10 March 2025",
    )
    assert not re_referral(RECEIVED, [at(date(2025, 3, 9), 23, 59)], [])


def test_the_12_months_are_calendar_months_not_365_days() -> None:
    # 2024 was a leap year: 365 days before 10 March 2025 is 11 March 2024, a year is 10 March.
    received = at(date(2025, 3, 10))
    assert re_referral(received, [at(date(2024, 3, 10), 8)], []).is_re_referral
    assert not re_referral(received, [at(date(2024, 3, 9), 20)], [])


def test_the_boundary_is_the_london_calendar_day() -> None:
    # 23:30 UTC on 9 June 2025 is 00:30 BST on 10 June: in London it is inside the year.
    june = at(date(2026, 6, 10), 10)
    just_in = datetime(2025, 6, 9, 23, 30, tzinfo=UTC)
    assert re_referral(june, [just_in], []).reasons == ("Referred before on 10 June 2025",)
    assert not re_referral(june, [datetime(2025, 6, 9, 22, 59, tzinfo=UTC)], [])


def test_a_year_before_29_february_starts_on_28_february() -> None:
    assert window_starts(date(2028, 2, 29)) == date(2027, 2, 28)
    received = at(date(2028, 2, 29))
    assert re_referral(received, [at(date(2027, 2, 28), 9)], []).is_re_referral
    assert not re_referral(received, [at(date(2027, 2, 27), 9)], [])


def test_later_referrals_and_the_referral_itself_do_not_count() -> None:
    later = RECEIVED + timedelta(minutes=1)
    assert not re_referral(RECEIVED, [RECEIVED, later, at(date(2026, 9, 1))], [])


def test_an_earlier_referral_the_same_day_counts() -> None:
    flag = re_referral(RECEIVED, [RECEIVED - timedelta(hours=1)], [])
    assert flag.reasons == ("Referred before on 10 March 2026",)


def test_a_closed_case_counts_however_long_ago() -> None:
    flag = re_referral(RECEIVED, [], [at(date(2019, 6, 12))])
    assert flag.reasons == ("A CSE case was closed on 12 June 2019",)


def test_a_case_closed_after_the_referral_does_not_count() -> None:
    assert not re_referral(RECEIVED, [], [RECEIVED + timedelta(days=2), RECEIVED])


def test_reasons_are_newest_first_referrals_then_cases_and_each_date_once() -> None:
    flag = re_referral(
        RECEIVED,
        [at(date(2025, 8, 1), 9), at(date(2026, 1, 5), 9), at(date(2026, 1, 5), 15)],
        [at(date(2023, 4, 2)), at(date(2025, 6, 12))],
    )
    assert flag.reasons == (
        "Referred before on 5 January 2026",
        "Referred before on 1 August 2025",
        "A CSE case was closed on 12 June 2025",
        "A CSE case was closed on 2 April 2023",
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        re_referral(datetime(2026, 3, 10, 9), [], [])
    with pytest.raises(ValueError, match="timezone-aware"):
        re_referral(RECEIVED, [datetime(2026, 3, 1, 9)], [])
    with pytest.raises(ValueError, match="timezone-aware"):
        re_referral(RECEIVED, [], [datetime(2026, 3, 1, 9)])


def test_long_date() -> None:
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    assert long_date(date(2025, 12, 31)) == "31 December 2025"


# --- properties --------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(LONDON)
)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(days)
def test_the_window_starts_a_calendar_year_before(day: date) -> None:
    start = window_starts(day)
    assert start.year == day.year - 1 and start.month == day.month
    assert start.day == day.day or (day.month, day.day, start.day) == (2, 29, 28)
    assert timedelta(days=365) <= day - start <= timedelta(days=366)


@given(moments, st.lists(moments, max_size=6), st.lists(moments, max_size=6))
def test_the_flag_is_whether_anything_earlier_qualifies(
    received: datetime, referrals: list[datetime], closed: list[datetime]
) -> None:
    start = window_starts(received.astimezone(LONDON).date())
    qualifying_referrals = {
        r.astimezone(LONDON).date()
        for r in referrals
        if r < received and r.astimezone(LONDON).date() >= start
    }
    qualifying_cases = {c.astimezone(LONDON).date() for c in closed if c < received}
    flag = re_referral(received, referrals, closed)
    assert flag.is_re_referral == bool(qualifying_referrals or qualifying_cases)
    assert len(flag.reasons) == len(qualifying_referrals) + len(qualifying_cases)


@given(moments, st.lists(moments, max_size=6), st.lists(moments, max_size=6), moments, moments)
def test_later_referrals_and_closures_never_change_the_answer(
    received: datetime,
    referrals: list[datetime],
    closed: list[datetime],
    later_referral: datetime,
    later_closure: datetime,
) -> None:
    assume(later_referral >= received and later_closure >= received)
    before = re_referral(received, referrals, closed)
    after = re_referral(received, [*referrals, later_referral, received], [*closed, later_closure])
    assert after == before


@given(moments, st.lists(moments, max_size=6), st.lists(moments, max_size=6), moments)
def test_more_history_never_unflags_a_referral(
    received: datetime, referrals: list[datetime], closed: list[datetime], extra: datetime
) -> None:
    flagged = re_referral(received, referrals, closed).is_re_referral
    assert re_referral(received, [*referrals, extra], closed).is_re_referral >= flagged
    assert re_referral(received, referrals, [*closed, extra]).is_re_referral >= flagged


@given(moments, moments)
def test_any_closure_before_the_referral_flags_it(received: datetime, closure: datetime) -> None:
    assume(closure < received)
    assert re_referral(received, [], [closure]).reasons == (
        f"A CSE case was closed on {long_date(closure.astimezone(LONDON).date())}",
    )


@given(moments, st.integers(min_value=1, max_value=5 * 366))
def test_an_earlier_referral_counts_exactly_when_it_is_within_the_year(
    received: datetime, days_before: int
) -> None:
    earlier = received - timedelta(days=days_before)
    within = earlier.astimezone(LONDON).date() >= window_starts(received.astimezone(LONDON).date())
    assert re_referral(received, [earlier], []).is_re_referral == within
    # A clock change can move a moment across midnight: a day's margin either side of a year.
    if days_before <= 364:
        assert within
    if days_before >= 368:
        assert not within
