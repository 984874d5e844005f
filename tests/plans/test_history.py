"""Versioning: every change is kept; the plan at a past date; comparing two dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.plans import selectors, services
from safehub.plans.rules import Rag, Status
from tests.plans.helpers import ago, make_action, make_lead, make_owner, make_plan

pytestmark = pytest.mark.django_db


def test_every_change_to_an_action_is_kept_with_who_made_it() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    action = make_action(plan, owner, lead=lead, now=ago(40))
    services.record_update(
        actor=owner,
        action=action,
        read_version=action.version,
        note="Two sessions held",
        progress=40,
        status="in_progress",
    )
    assert action.due_date is not None
    services.edit_action(
        actor=lead,
        action=action,
        read_version=action.version,
        changes={"due_date": action.due_date + timedelta(days=14)},
    )
    history = list(action.history.all())  # type: ignore[attr-defined]
    assert [h.history_user for h in history] == [lead, owner, lead]
    assert [h.progress for h in history] == [40, 40, 0]
    assert history[0].due_date - history[1].due_date == timedelta(days=14)


def test_the_plan_at_a_past_date_shows_it_as_it_stood_then() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    old = make_action(plan, owner, lead=lead, title="Letters to governors", now=ago(40))
    original_due = old.due_date
    services.edit_action(
        actor=lead,
        action=old,
        read_version=old.version,
        changes={"title": "Letters to all governors"},
        now=ago(20),
    )
    services.record_update(
        actor=owner,
        action=old,
        read_version=old.version,
        note="Sent",
        progress=100,
        status="complete",
        now=ago(5),
    )
    make_action(plan, owner, lead=lead, title="Parent sessions", now=ago(3))

    then = selectors.plan_at(plan, selectors.end_of(today - timedelta(days=30)))
    assert [a.title for a in then.values()] == ["Letters to governors"]
    assert then[str(old.public_id)].status == Status.NOT_STARTED
    assert then[str(old.public_id)].due_date == original_due
    middle = selectors.plan_at(plan, selectors.end_of(today - timedelta(days=10)))
    assert [a.title for a in middle.values()] == ["Letters to all governors"]
    now = selectors.plan_at(plan, selectors.end_of(today))
    assert sorted(a.title for a in now.values()) == ["Letters to all governors", "Parent sessions"]
    assert now[str(old.public_id)].rating is Rag.BLUE
    # Before the plan had any actions there is nothing to show.
    assert selectors.plan_at(plan, selectors.end_of(today - timedelta(days=60))) == {}


def test_comparing_two_dates_finds_added_closed_slipped_and_rerated_actions() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    closing = make_action(plan, owner, lead=lead, title="Closing", now=ago(60))
    slipping = make_action(plan, owner, lead=lead, title="Slipping", now=ago(60))
    rerated = make_action(plan, owner, lead=lead, title="Re-rated", now=ago(60))
    for a in (closing, slipping, rerated):
        services.record_update(
            actor=owner,
            action=a,
            read_version=a.version,
            note="Going well",
            progress=50,
            status="in_progress",
            now=ago(35),
        )
    services.record_update(
        actor=owner,
        action=closing,
        read_version=closing.version,
        note="Done",
        progress=100,
        status="complete",
        now=ago(10),
    )
    assert slipping.due_date is not None
    services.edit_action(
        actor=lead,
        action=slipping,
        read_version=slipping.version,
        changes={"due_date": slipping.due_date + timedelta(days=30)},
        now=ago(9),
    )
    services.edit_action(
        actor=lead,
        action=rerated,
        read_version=rerated.version,
        changes={"rag_override": "red", "rag_override_reason": "Funding withdrawn"},
        now=ago(8),
    )
    make_action(plan, owner, lead=lead, title="Added", now=ago(7))

    changes = selectors.changes_between(plan, today - timedelta(days=30), today)
    titles = {name: [c.current.title for c in getattr(changes, name)] for name in changes.__dict__}
    assert titles["added"] == ["Added"]
    assert titles["closed"] == ["Closing"]
    assert titles["slipped"] == ["Slipping"]
    assert "Re-rated" in titles["rerated"] and "Closing" in titles["rerated"]
    assert titles["removed"] == titles["reopened"] == titles["brought_forward"] == []
    # A window before any of it changed shows nothing.
    quiet = selectors.changes_between(plan, today - timedelta(days=30), today - timedelta(days=20))
    assert quiet.is_empty()


def test_a_rating_at_a_past_date_uses_the_updates_written_by_then() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    action = make_action(plan, owner, lead=lead, start=today - timedelta(days=100), now=ago(100))
    services.record_update(
        actor=owner,
        action=action,
        read_version=action.version,
        note="Started",
        progress=20,
        status="in_progress",
        now=ago(50),
    )
    # Fifty days without an update: amber today; a day after the update it was green.
    assert selectors.rating_of(action).rating is Rag.AMBER
    then = selectors.plan_at(plan, selectors.end_of(today - timedelta(days=49)))
    assert then[str(action.public_id)].rating is Rag.GREEN
