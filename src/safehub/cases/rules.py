"""The rules of case work as pure functions: review schedule, edit conflicts, safe documents.

Thresholds come from settings (with the defaults below), so a partnership can change them
without touching code: `SAFEHUB_CASE_REVIEW_WEEKS_SIGNIFICANT` (default 6),
`SAFEHUB_CASE_REVIEW_WEEKS_OTHER` (12), `SAFEHUB_CASE_REVIEW_DUE_SOON_DAYS` (7) and
`SAFEHUB_MEETING_ATTENDEE_DAYS` (14).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings

from safehub.timeline import TimelineEvent

# Risk levels as a CSE plan decides them (Coventry template: Low / Medium / High / Exploited).
RISK_LEVELS = ("low", "medium", "high", "exploited")
SIGNIFICANT_RISK_LEVELS = frozenset({"high", "exploited"})


@dataclass(frozen=True)
class ReviewSchedule:
    significant_weeks: int = 6
    other_weeks: int = 12
    due_soon_days: int = 7


def review_schedule() -> ReviewSchedule:
    """The review schedule from settings, with the defaults above."""
    return ReviewSchedule(
        significant_weeks=getattr(settings, "SAFEHUB_CASE_REVIEW_WEEKS_SIGNIFICANT", 6),
        other_weeks=getattr(settings, "SAFEHUB_CASE_REVIEW_WEEKS_OTHER", 12),
        due_soon_days=getattr(settings, "SAFEHUB_CASE_REVIEW_DUE_SOON_DAYS", 7),
    )


def attendee_window_days() -> int:
    """How many days after a meeting its attendees from other agencies may still see it."""
    return int(getattr(settings, "SAFEHUB_MEETING_ATTENDEE_DAYS", 14))


def next_review_due(last_review: date, risk_level: str, schedule: ReviewSchedule) -> date:
    """When the next review is due: every 6 weeks at significant risk, 12 otherwise (defaults).

    Refuses (ValueError) an unknown risk level.
    """
    if risk_level not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk_level!r}")
    weeks = (
        schedule.significant_weeks
        if risk_level in SIGNIFICANT_RISK_LEVELS
        else schedule.other_weeks
    )
    return last_review + timedelta(weeks=weeks)


def review_status(due: date | None, today: date, schedule: ReviewSchedule) -> str:
    """'overdue' after the due date, 'due_soon' within the warning days, else 'scheduled'."""
    if due is None:
        return "scheduled"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=schedule.due_soon_days):
        return "due_soon"
    return "scheduled"


def attendee_may_see(held_at: datetime, now: datetime, window_days: int) -> bool:
    """An attendee from another agency sees a meeting from when it is arranged until the
    window after it closes."""
    return now <= held_at + timedelta(days=window_days)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[str]]:
    """The fields whose value differs, as {field: [old, new]} in text, for the edit history."""
    return {
        key: [_text(before.get(key)), _text(value)]
        for key, value in after.items()
        if _text(before.get(key)) != _text(value)
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class SafeDocument:
    """The events to print, and what was left out (so the document can say so)."""

    events: tuple[TimelineEvent, ...]
    left_out_police: int
    left_out_third_party: int


def safe_document(
    events: Iterable[TimelineEvent], *, include_police: bool, include_third_party: bool
) -> SafeDocument:
    """Filter a chronology for sharing with a family or another agency.

    Leaves out police-only and third-party items unless the user chooses to include them; an
    item that is both is left out unless both are chosen, and counted under police.
    """
    kept: list[TimelineEvent] = []
    police = third = 0
    for event in events:
        if event.police_only and not include_police:
            police += 1
        elif event.third_party and not include_third_party:
            third += 1
        else:
            kept.append(event)
    return SafeDocument(tuple(kept), police, third)


def filter_events(
    events: Iterable[TimelineEvent], *, kinds: Iterable[str] | None, since: date | None
) -> list[TimelineEvent]:
    """Events of the given kinds (all if None) on or after `since`, newest first."""
    wanted = set(kinds) if kinds else None
    kept = [
        e
        for e in events
        if (wanted is None or e.kind in wanted) and (since is None or e.when.date() >= since)
    ]
    return sorted(kept, key=lambda e: e.when, reverse=True)
