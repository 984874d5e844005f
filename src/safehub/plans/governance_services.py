"""Named actions on governance: meetings, resolutions (each turned into a tracked action),
the forward plan and progress reports. Same contract as services.py: validate everything
first (Refused, nothing written), one transaction, version history and audit row."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.plans.models import (
    AgendaItem,
    DeliveryPlan,
    ForwardPlanItem,
    GovernanceBody,
    Meeting,
    Objective,
    ProgressReport,
    Resolution,
)
from safehub.plans.services import (
    audit,
    check_owner,
    create_action,
    raise_if,
    required_text,
    save_versioned,
)


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    body: GovernanceBody,
    held_on: date | None,
    title: str,
    items: list[str],
) -> Meeting:
    """Record a body's meeting and the items it considered (one per line). Refuses no date
    or no items."""
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    items = [i.strip()[:300] for i in items if i.strip()]
    if not items:
        errors["items"] = "Enter at least one item the meeting considered"
    raise_if(errors)
    assert held_on is not None
    meeting = Meeting.objects.create(
        body=body, held_on=held_on, title=title.strip()[:200], recorded_by=actor
    )
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, title=t, position=i) for i, t in enumerate(items)]
    )
    audit(actor, AuditAction.CREATE, AuditObjectType.GOVERNANCE_MEETING, meeting.public_id)
    return meeting


@transaction.atomic
def record_resolution(
    *,
    actor: User,
    body: GovernanceBody,
    text: str,
    resolved_on: date | None,
    objective: Objective | None,
    owner: User | None,
    due_date: date | None,
    item: AgendaItem | None = None,
    responsible_body: GovernanceBody | None = None,
    key: str = "",
    now: datetime | None = None,
) -> Resolution:
    """Record what a body resolved and turn it into a tracked plan action, with the deadline
    the minutes give or none (`due_date` None: no deadline set; never invent one).

    Refuses missing text, date, objective or owner, or a deadline before the date.
    """
    errors: dict[str, str] = {}
    text = required_text(errors, "text", text, "Enter what was resolved", 2000)
    if resolved_on is None:
        errors["resolved_on"] = "Enter the date of the resolution"
    if objective is None:
        errors["objective"] = "Choose the objective the action belongs to"
    check_owner(errors, owner)
    if due_date is not None and resolved_on and due_date < resolved_on:
        errors["due_date"] = "The deadline must be on or after the date of the resolution"
    raise_if(errors)
    assert resolved_on is not None and objective is not None
    now = now or timezone.now()
    resolution = Resolution(
        body=body,
        item=item,
        text=text,
        resolved_on=resolved_on,
        responsible_body=responsible_body,
        key=key,
    )
    save_versioned(resolution, actor, now)
    create_action(
        actor=actor,
        objective=objective,
        title=text if len(text) <= 300 else text[:299] + "…",
        owner=owner,
        start_date=resolved_on,
        due_date=due_date,
        description=f"Resolved by {body.name} on {resolved_on:%d %B %Y}.",
        resolution=resolution,
        key=key,
        now=now,
    )
    audit(actor, AuditAction.CREATE, AuditObjectType.RESOLUTION, resolution.public_id)
    return resolution


@transaction.atomic
def add_forward_item(
    *,
    actor: User,
    body: GovernanceBody | None,
    expected_on: date | None,
    subject: str,
    presented_by: str = "",
    now: datetime | None = None,
) -> ForwardPlanItem:
    """Put an item on a body's forward plan. Refuses no body, date or subject."""
    errors: dict[str, str] = {}
    if body is None:
        errors["body"] = "Choose the body"
    if expected_on is None:
        errors["expected_on"] = "Enter when the body should receive it"
    subject = required_text(errors, "subject", subject, "Enter what the body should receive", 300)
    raise_if(errors)
    assert body is not None and expected_on is not None
    item = ForwardPlanItem(
        body=body, expected_on=expected_on, subject=subject, presented_by=presented_by.strip()
    )
    save_versioned(item, actor, now or timezone.now())
    audit(actor, AuditAction.CREATE, AuditObjectType.FORWARD_PLAN_ITEM, item.public_id)
    return item


@transaction.atomic
def issue_report(
    *,
    actor: User,
    plan: DeliveryPlan,
    body: GovernanceBody | None,
    period_start: date | None,
    period_end: date | None,
) -> ProgressReport:
    """Issue a progress report on the plan to a body for a period. Refuses no body, missing
    dates, an end before the start, or an end in the future (the plan is not known yet)."""
    errors: dict[str, str] = {}
    if body is None:
        errors["body"] = "Choose the body the report is for"
    if period_start is None:
        errors["period_start"] = "Enter the start of the period"
    if period_end is None:
        errors["period_end"] = "Enter the end of the period"
    elif period_end > timezone.localdate():
        errors["period_end"] = "The period must not end in the future"
    elif period_start and period_end < period_start:
        errors["period_end"] = "The end must be the same as or after the start"
    raise_if(errors)
    assert body is not None and period_start is not None and period_end is not None
    report = ProgressReport.objects.create(
        plan=plan,
        body=body,
        period_start=period_start,
        period_end=period_end,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    audit(actor, AuditAction.CREATE, AuditObjectType.PROGRESS_REPORT, report.public_id)
    return report
