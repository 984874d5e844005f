"""The re-referral flag: has the MASH seen this child before?

A referral is a re-referral when, before it was received, the child had

- another referral received in the 12 months before it: on or after the same calendar date a
  year earlier (so a referral exactly 12 months before counts), and before this one's time of
  receipt; for a referral received on 29 February the year before starts on 28 February; or
- a CSE case that was closed, however long ago.

Dates are the partnership's calendar dates (Europe/London). Later referrals, the referral
itself and open cases never count. The reasons name each date once, newest first. Pure
functions over plain values; the selector (`selectors.re_referral_flags`) reads the dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from safehub.referrals.rules import LONDON

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class ReReferral:
    """Whether a referral is a re-referral, and why, in plain English (newest first: the
    earlier referrals, then the closed cases)."""

    reasons: tuple[str, ...] = ()

    @property
    def is_re_referral(self) -> bool:
        return bool(self.reasons)

    def __bool__(self) -> bool:
        return self.is_re_referral


NOT_A_RE_REFERRAL = ReReferral()


def long_date(day: date) -> str:
    """A date as GOV.UK writes it: '3 March 2026'."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def window_starts(received: date) -> date:
    """The first day of the 12 months before a referral received on `received`: the same date a
    year earlier (28 February for 29 February). A referral received on this day counts."""
    try:
        return received.replace(year=received.year - 1)
    except ValueError:  # 29 February, and the year before has none
        return received.replace(year=received.year - 1, day=28)


def _london_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(LONDON).date()


def re_referral(
    received_at: datetime,
    other_referrals: Iterable[datetime],
    closed_cases: Iterable[datetime],
) -> ReReferral:
    """Whether a referral received at `received_at` is a re-referral, given when the child's
    other referrals were received and when the child's CSE cases were closed (aware datetimes).

    Counts an earlier referral received on or after `window_starts` of this one's date, and a
    case closed at any time before this referral was received. A referral or closure at the
    same moment or later does not count (so passing the referral's own time is harmless).
    Refuses (ValueError) naive datetimes.
    """
    received = _london_date(received_at)
    start = window_starts(received)
    earlier: set[date] = set()
    for when in other_referrals:
        day = _london_date(when)  # checked first: a naive datetime is refused, not compared
        if when < received_at and day >= start:
            earlier.add(day)
    closed: set[date] = set()
    for when in closed_cases:
        day = _london_date(when)
        if when < received_at:
            closed.add(day)
    # Each date once (two referrals on one day are one reason), newest first.
    reasons = [f"Referred before on {long_date(day)}" for day in sorted(earlier, reverse=True)]
    reasons += [
        f"A CSE case was closed on {long_date(day)}" for day in sorted(closed, reverse=True)
    ]
    return ReReferral(tuple(reasons))
