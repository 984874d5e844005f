"""Safehub figures an action can cite as evidence or read a measure from.

Each figure is one aggregate count over a period; none returns or reveals anyone's details.
They ask the other apps' selectors for counts only (never rows), and live here in one list
that a reviewer can read at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from safehub.missing.selectors import count_episodes
from safehub.referrals.selectors import count_referrals
from safehub.screening.selectors import count_screenings


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: Callable[[date, date], int]


def _aware(day: date, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def _school_screenings(start: date, end: date) -> int:
    return count_screenings(start=start, end=end, agency_type="school")


def _all_screenings(start: date, end: date) -> int:
    return count_screenings(start=start, end=end)


def _referrals(start: date, end: date) -> int:
    return count_referrals(start=_aware(start), end=_aware(end, True))


def _missing_episodes(start: date, end: date) -> int:
    return count_episodes(start=_aware(start), end=_aware(end, True))


FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure("school_screenings", "Screenings completed by schools", _school_screenings),
        Figure("screenings", "Screenings completed by all agencies", _all_screenings),
        Figure("referrals", "Referrals received by the MASH", _referrals),
        Figure("missing_episodes", "Missing episodes reported", _missing_episodes),
    )
}


def term_start(today: date) -> date:
    """The first day of the school term `today` falls in (terms start Sep, Jan and Apr)."""
    if today.month >= 9:
        return date(today.year, 9, 1)
    if today.month >= 4:
        return date(today.year, 4, 1)
    return date(today.year, 1, 1)


def figure_value(key: str, start: date, end: date) -> int:
    """The figure's count for the period. Refuses (KeyError) an unknown figure."""
    return FIGURES[key].count(start, end)
