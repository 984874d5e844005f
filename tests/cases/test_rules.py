"""The review schedule, the safe-document filter, edit diffs and the attendee window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.cases import rules
from safehub.timeline import TimelineEvent

SCHEDULE = rules.ReviewSchedule(significant_weeks=6, other_weeks=12, due_soon_days=7)


@pytest.mark.parametrize(
    ("level", "weeks"), [("low", 12), ("medium", 12), ("high", 6), ("exploited", 6)]
)
def test_significant_risk_is_reviewed_every_6_weeks_others_every_12(level: str, weeks: int) -> None:
    assert rules.next_review_due(date(2026, 1, 5), level, SCHEDULE) == date(2026, 1, 5) + timedelta(
        weeks=weeks
    )


def test_unknown_risk_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown risk level"):
        rules.next_review_due(date(2026, 1, 5), "severe", SCHEDULE)


def test_schedule_comes_from_settings(settings: object) -> None:
    settings.SAFEHUB_CASE_REVIEW_WEEKS_SIGNIFICANT = 4  # type: ignore[attr-defined]
    assert rules.next_review_due(date(2026, 1, 5), "high", rules.review_schedule()) == date(
        2026, 2, 2
    )


@given(st.dates(), st.sampled_from(rules.RISK_LEVELS))
def test_a_higher_risk_is_never_reviewed_later(start: date, level: str) -> None:
    try:
        due = rules.next_review_due(start, level, SCHEDULE)
        high = rules.next_review_due(start, "exploited", SCHEDULE)
    except OverflowError:
        return
    assert start < high <= due


def test_review_status() -> None:
    today = date(2026, 3, 1)
    assert rules.review_status(date(2026, 2, 28), today, SCHEDULE) == "overdue"
    assert rules.review_status(today, today, SCHEDULE) == "due_soon"
    assert rules.review_status(date(2026, 3, 8), today, SCHEDULE) == "due_soon"
    assert rules.review_status(date(2026, 3, 9), today, SCHEDULE) == "scheduled"
    assert rules.review_status(None, today, SCHEDULE) == "scheduled"


def test_attendee_window() -> None:
    held = datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert rules.attendee_may_see(held, held - timedelta(days=3), 14)
    assert rules.attendee_may_see(held, held + timedelta(days=14), 14)
    assert not rules.attendee_may_see(held, held + timedelta(days=14, seconds=1), 14)


def test_changed_fields_lists_only_differences_as_text() -> None:
    before = {"risk_level": "medium", "next_review_due": date(2026, 3, 1), "nrm_referred": False}
    after = {"risk_level": "high", "next_review_due": date(2026, 3, 1), "nrm_referred": True}
    assert rules.changed_fields(before, after) == {
        "risk_level": ["medium", "high"],
        "nrm_referred": ["False", "True"],
    }


events = st.builds(
    TimelineEvent,
    when=st.datetimes(timezones=st.just(UTC)),
    kind=st.sampled_from(["contact", "screening", "meeting"]),
    title=st.text(max_size=5),
    police_only=st.booleans(),
    third_party=st.booleans(),
)


@given(st.lists(events, max_size=20), st.booleans(), st.booleans())
def test_safe_document_accounts_for_every_event(
    items: list[TimelineEvent], police: bool, third: bool
) -> None:
    doc = rules.safe_document(items, include_police=police, include_third_party=third)
    assert len(doc.events) + doc.left_out_police + doc.left_out_third_party == len(items)
    if not police:
        assert not any(e.police_only for e in doc.events)
    if not third:
        assert not any(e.third_party for e in doc.events)


def test_safe_document_defaults_leave_out_police_and_third_party() -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        TimelineEvent(when, "contact", "Home visit"),
        TimelineEvent(when, "note", "Police intelligence", police_only=True),
        TimelineEvent(when, "note", "Friend's address", third_party=True),
    ]
    doc = rules.safe_document(items, include_police=False, include_third_party=False)
    assert [e.title for e in doc.events] == ["Home visit"]
    assert (doc.left_out_police, doc.left_out_third_party) == (1, 1)


def test_filter_events_by_kind_and_date_newest_first() -> None:
    a = TimelineEvent(datetime(2026, 1, 1, tzinfo=UTC), "contact", "a")
    b = TimelineEvent(datetime(2026, 2, 1, tzinfo=UTC), "screening", "b")
    c = TimelineEvent(datetime(2026, 3, 1, tzinfo=UTC), "contact", "c")
    assert rules.filter_events([a, b, c], kinds=None, since=None) == [c, b, a]
    assert rules.filter_events([a, b, c], kinds=["contact"], since=None) == [c, a]
    assert rules.filter_events([a, b, c], kinds=None, since=date(2026, 2, 1)) == [c, b]
