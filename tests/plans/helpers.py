"""Test data for the delivery plan: a plan with objectives, its lead, owners and actions."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from safehub.accounts.models import User
from safehub.plans import services
from safehub.plans.models import DeliveryPlan, GovernanceBody, Objective, PlanAction
from safehub.policy.roles import AgencyType, Role
from tests.factories import make_agency, make_user

_seq = itertools.count(1)


def make_lead() -> User:
    return make_user(Role.CSE_MANAGER, agency=make_agency(AgencyType.COUNCIL))


def make_owner(agency: Any = None) -> User:
    return make_user(Role.ACTION_OWNER, agency=agency or make_agency(AgencyType.COUNCIL))


def make_body(name: str = "") -> GovernanceBody:
    n = next(_seq)
    return GovernanceBody.objects.create(key=f"body-{n}", name=name or f"Test Scrutiny Board {n}")


def make_plan(*, lead: User | None = None) -> DeliveryPlan:
    n = next(_seq)
    plan = DeliveryPlan.objects.create(
        key=f"plan-{n}", title=f"Test delivery plan {n}", owning_body=make_body(), lead=lead
    )
    for i, title in enumerate(("Prevent", "Protect")):
        Objective.objects.create(plan=plan, key=title.lower(), title=title, position=i)
    return plan


def ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def make_action(
    plan: DeliveryPlan,
    owner: User,
    *,
    lead: User | None = None,
    title: str = "",
    start: date | None = None,
    due: date | None = None,
    no_deadline: bool = False,
    now: datetime | None = None,
) -> PlanAction:
    """An action due in 120 days unless `due` is given, or with no deadline at all."""
    today = timezone.localdate()
    return services.create_action(
        actor=lead or owner,
        objective=plan.objectives.first(),  # type: ignore[arg-type]
        title=title or f"Test action {next(_seq)}",
        owner=owner,
        start_date=start or today - timedelta(days=10),
        due_date=None if no_deadline else due or today + timedelta(days=120),
        now=now,
    )


PLAN_KINDS = {
    "plan",
    "plan_action",
    "plan_evidence",
    "plan_measure",
    "governance_body",
    "governance_meeting",
    "progress_report",
}


def matrix_target(kind: str, rel: str, user: User) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix. "own" = an action the user owns; anything
    else (other, restricted) = an action someone in another agency owns."""
    from safehub.plans.models import Evidence, Measure, Meeting, ProgressReport

    lead = make_lead()
    plan = make_plan(lead=lead)
    if kind == "plan":
        return {"public_id": plan.public_id}
    if kind in ("governance_body", "governance_meeting", "progress_report"):
        body = make_body()
        if kind == "governance_body":
            return {"public_id": body.public_id}
        if kind == "governance_meeting":
            meeting = Meeting.objects.create(body=body, held_on=timezone.localdate())
            return {"public_id": meeting.public_id}
        today = timezone.localdate()
        report = ProgressReport.objects.create(
            plan=plan,
            body=body,
            period_start=today - timedelta(days=30),
            period_end=today,
            issued_at=timezone.now(),
            issued_by=lead,
        )
        return {"public_id": report.public_id}
    owner = user if rel == "own" else make_owner()
    today = timezone.localdate()
    # Made directly: the matrix gives actions to users of every role, not only owners.
    action = PlanAction.objects.create(
        objective=plan.objectives.first(),
        title="Matrix action",
        owner=owner,
        owner_agency_id=owner.agency_id,
        start_date=today,
        due_date=today + timedelta(days=60),
    )
    kwargs: dict[str, Any] = {"public_id": action.public_id}
    if kind == "plan_evidence":
        evidence = Evidence.objects.create(
            action=action,
            kind="file",
            title="Attendance register",
            file_name="register.csv",
            content_type="text/csv",
            content=b"school,attended\n",
            added_by=owner,
            added_at=timezone.now(),
        )
        kwargs["evidence_id"] = evidence.public_id
    if kind == "plan_measure":
        kwargs["measure_id"] = Measure.objects.create(action=action, name="Sessions").public_id
    return kwargs
