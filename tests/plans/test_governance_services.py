"""Governance services: a resolution is recorded with the deadline the minutes give, or none;
its tracked action, its state on the body's page and the owner's task list follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.audit.models import AccessEvent
from safehub.plans import governance_services, selectors
from safehub.plans.models import PlanAction, Resolution
from safehub.plans.rules import Rag
from safehub.refusals import Refused
from tests.plans.helpers import make_action, make_body, make_lead, make_owner, make_plan

pytestmark = pytest.mark.django_db


def test_a_resolution_is_recorded_without_a_deadline_when_the_minutes_give_none() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    body = make_body("Test Cabinet Member")
    resolved_on = timezone.localdate() - timedelta(days=200)
    resolution = governance_services.record_resolution(
        actor=lead,
        body=body,
        text="Refer the delivery plan to the Scrutiny Board for monitoring",
        resolved_on=resolved_on,
        objective=plan.objectives.first(),
        owner=owner,
        due_date=None,
    )
    action = resolution.actions.get()
    assert (action.due_date, action.start_date, action.owner) == (None, resolved_on, owner)
    assert AccessEvent.objects.filter(
        object_type="resolution", object_id=str(resolution.public_id)
    ).exists()
    # 200 days on and never updated: slipping (amber), never overdue.
    rating = selectors.rating_of(action)
    assert rating.rating is Rag.AMBER
    assert rating.rule == "No deadline set: should have started and has not"
    [state] = selectors.resolution_states(body=body)
    assert state.outstanding and state.next_due is None


def test_the_next_deadline_of_a_resolution_is_its_earliest_dated_open_action() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    body = make_body()
    today = timezone.localdate()
    resolution = governance_services.record_resolution(
        actor=lead,
        body=body,
        text="Write to the chairs of all school governing bodies",
        resolved_on=today,
        objective=plan.objectives.first(),
        owner=owner,
        due_date=None,
    )
    dated = make_action(plan, owner, lead=lead, due=today + timedelta(days=40))
    PlanAction.objects.filter(pk=dated.pk).update(resolution=resolution)
    [state] = selectors.resolution_states(body=body)
    assert (state.open_actions, state.next_due) == (2, today + timedelta(days=40))


def test_a_deadline_before_the_resolution_is_refused_and_nothing_is_written() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    with pytest.raises(Refused) as refused:
        governance_services.record_resolution(
            actor=lead,
            body=make_body(),
            text="Report progress",
            resolved_on=today,
            objective=plan.objectives.first(),
            owner=owner,
            due_date=today - timedelta(days=1),
        )
    assert refused.value.errors == {
        "due_date": "The deadline must be on or after the date of the resolution"
    }
    assert not Resolution.objects.exists() and not PlanAction.objects.exists()


def test_an_action_with_no_deadline_is_never_on_the_owners_task_list() -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    undated = make_action(plan, owner, lead=lead, title="Undated", no_deadline=True)
    make_action(plan, owner, lead=lead, title="Late", due=today - timedelta(days=1))
    assert undated.due_date is None
    assert [t.title for t in selectors.tasks_for(owner)] == ["Update delivery plan action: Late"]
