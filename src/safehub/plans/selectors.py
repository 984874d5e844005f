"""Named queries over the delivery plan, its history and its governance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.plans import rules
from safehub.plans.models import (
    DeliveryPlan,
    Evidence,
    ForwardPlanItem,
    GovernanceBody,
    Measure,
    Meeting,
    PlanAction,
    ProgressReport,
    ProgressUpdate,
    Resolution,
)
from safehub.plans.rules import ActionSnapshot, Rag, RagResult, RagThresholds, Status
from safehub.policy import Action, users_who_may
from safehub.tasks import Task


def rag_thresholds() -> RagThresholds:
    """The RAG thresholds from settings (SAFEHUB_PLAN_RAG_*), with the rules' defaults."""
    d = RagThresholds()
    return RagThresholds(
        due_soon_days=getattr(settings, "SAFEHUB_PLAN_RAG_DUE_SOON_DAYS", d.due_soon_days),
        due_soon_min_progress=getattr(
            settings, "SAFEHUB_PLAN_RAG_DUE_SOON_MIN_PROGRESS", d.due_soon_min_progress
        ),
        stale_after_days=getattr(settings, "SAFEHUB_PLAN_RAG_STALE_DAYS", d.stale_after_days),
    )


def end_of(day: date) -> datetime:
    """The last moment of a day, in the local time zone: "the plan on 3 May" means at its end."""
    return timezone.make_aware(datetime.combine(day, time.max))


def _uuid(public_id: uuid.UUID | str) -> uuid.UUID:
    # A garbled id becomes the nil UUID, which no record carries (ids are random, version 4).
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        return uuid.UUID(int=0)


def plans() -> QuerySet[DeliveryPlan]:
    """Every delivery plan."""
    return DeliveryPlan.objects.select_related("owning_body", "lead")


def plan_by_public_id(public_id: uuid.UUID | str) -> DeliveryPlan | None:
    """The plan with that public id, or None."""
    return plans().filter(public_id=_uuid(public_id)).first()


def action_by_public_id(public_id: uuid.UUID | str) -> PlanAction | None:
    """The action with that public id, or None."""
    qs = PlanAction.objects.select_related("objective__plan", "owner", "owner_agency")
    return qs.filter(public_id=_uuid(public_id)).first()


def evidence_of(action: PlanAction, public_id: uuid.UUID | str) -> Evidence | None:
    """One piece of the action's evidence, or None."""
    return action.evidence.filter(public_id=_uuid(public_id)).first()


def measure_of(action: PlanAction, public_id: uuid.UUID | str) -> Measure | None:
    """One of the action's measures, or None."""
    return action.measures.filter(public_id=_uuid(public_id)).first()


def body_by_public_id(public_id: uuid.UUID | str) -> GovernanceBody | None:
    """The governance body with that public id, or None."""
    return GovernanceBody.objects.filter(public_id=_uuid(public_id)).first()


def meeting_by_public_id(public_id: uuid.UUID | str) -> Meeting | None:
    """The meeting with that public id, or None."""
    return Meeting.objects.select_related("body").filter(public_id=_uuid(public_id)).first()


def report_by_public_id(public_id: uuid.UUID | str) -> ProgressReport | None:
    """The progress report with that public id, or None."""
    qs = ProgressReport.objects.select_related("body", "plan")
    return qs.filter(public_id=_uuid(public_id)).first()


def actions_of(plan: DeliveryPlan) -> QuerySet[PlanAction]:
    """The plan's current actions, by objective then due date (no deadline last)."""
    return PlanAction.objects.filter(objective__plan=plan).select_related(
        "objective", "owner", "owner_agency", "resolution__body"
    )


def last_updates(action_ids: list[int], at: datetime | None = None) -> dict[int, date]:
    """The date of each action's latest progress update (written by `at`, if given)."""
    qs = ProgressUpdate.objects.filter(action_id__in=action_ids)
    if at is not None:
        qs = qs.filter(written_at__lte=at)
    rows = qs.values("action_id").annotate(latest=Max("written_at"))
    return {r["action_id"]: timezone.localdate(r["latest"]) for r in rows}


def facts_of(action: PlanAction, last_update: date | None) -> rules.ActionFacts:
    """The plain facts the RAG rules need about an action (current or historical)."""
    return rules.ActionFacts(
        status=Status(action.status),
        start_date=action.start_date,
        due_date=action.due_date,
        progress=action.progress,
        last_update=last_update,
        override=Rag(action.rag_override) if action.rag_override else None,
        override_reason=action.rag_override_reason,
    )


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    rag: RagResult
    last_update: date | None


def action_rows(plan: DeliveryPlan, today: date | None = None) -> list[ActionRow]:
    """Every current action with its RAG rating today and its last update date."""
    today = today or timezone.localdate()
    actions = list(actions_of(plan))
    latest = last_updates([a.pk for a in actions])
    t = rag_thresholds()
    return [
        ActionRow(a, rules.rate(facts_of(a, latest.get(a.pk)), today, t), latest.get(a.pk))
        for a in actions
    ]


def rating_of(action: PlanAction, today: date | None = None) -> RagResult:
    """One action's RAG rating today."""
    latest = last_updates([action.pk]).get(action.pk)
    return rules.rate(facts_of(action, latest), today or timezone.localdate(), rag_thresholds())


def owner_label(user: User) -> str:
    """An owner as a board sees them: name and agency (staff, never a child)."""
    name = user.get_full_name() or user.username
    return f"{name}, {user.agency.name}" if user.agency else name


def plan_at(plan: DeliveryPlan, when: datetime) -> dict[str, ActionSnapshot]:
    """The plan's actions as they stood at `when`, rated as on that day, keyed by public id.

    Read from the version history, so later edits, closures and deletions do not show.
    """
    objectives = {o.pk: o.title for o in plan.objectives.all()}
    historical = [a for a in PlanAction.history.as_of(when) if a.objective_id in objectives]  # type: ignore[attr-defined]
    owners = {
        u.pk: owner_label(u)
        for u in User.objects.filter(pk__in={a.owner_id for a in historical}).select_related(
            "agency"
        )
    }
    latest = last_updates([a.pk for a in historical], at=when)
    day, t = timezone.localdate(when), rag_thresholds()
    return {
        str(a.public_id): ActionSnapshot(
            key=str(a.public_id),
            title=a.title,
            objective=objectives[a.objective_id],
            owner=owners.get(a.owner_id, ""),
            status=Status(a.status),
            due_date=a.due_date,
            rating=rules.rate(facts_of(a, latest.get(a.pk)), day, t).rating,
        )
        for a in historical
    }


def changes_between(plan: DeliveryPlan, earlier: date, later: date) -> rules.PlanChanges:
    """What changed in the plan from the end of `earlier` to the end of `later`."""
    return rules.compare(plan_at(plan, end_of(earlier)), plan_at(plan, end_of(later)))


def last_report(plan: DeliveryPlan, *, before: date | None = None) -> ProgressReport | None:
    """The latest progress report on the plan (ending before `before`, if given)."""
    qs = plan.reports.select_related("body")
    if before is not None:
        qs = qs.filter(period_end__lt=before)
    return qs.order_by("-period_end", "-issued_at").first()


def not_updated_since(plan: DeliveryPlan, since: datetime) -> list[ActionRow]:
    """Open actions with no progress update written after `since` (e.g. the last report)."""
    updated = set(
        ProgressUpdate.objects.filter(action__objective__plan=plan, written_at__gt=since)
        .values_list("action_id", flat=True)
        .distinct()
    )
    return [
        row
        for row in action_rows(plan)
        if row.action.pk not in updated and row.action.status != Status.COMPLETE
    ]


def bodies() -> QuerySet[GovernanceBody]:
    """Every governance body, by name."""
    return GovernanceBody.objects.all()


def forward_plan(*, include_received: bool = False) -> QuerySet[ForwardPlanItem]:
    """What each body should receive next, soonest first."""
    qs = ForwardPlanItem.objects.select_related("body")
    return qs if include_received else qs.filter(received=False)


@dataclass(frozen=True)
class ResolutionState:
    resolution: Resolution
    open_actions: int
    total_actions: int
    next_due: date | None  # the earliest deadline of its open actions; None if none has one

    @property
    def outstanding(self) -> bool:
        return self.total_actions == 0 or self.open_actions > 0


def resolution_states(
    *, body: GovernanceBody | None = None, at: datetime | None = None
) -> list[ResolutionState]:
    """Each resolution (made by or addressed to one body, if given) with the state of its
    tracked actions, as at `at` (now if not given)."""
    resolutions = Resolution.objects.select_related("body", "responsible_body", "item__meeting")
    if body is not None:
        resolutions = resolutions.filter(Q(body=body) | Q(responsible_body=body))
    if at is not None:
        resolutions = resolutions.filter(resolved_on__lte=timezone.localdate(at))
        actions = list(PlanAction.history.as_of(at))  # type: ignore[attr-defined]
    else:
        actions = list(PlanAction.objects.filter(resolution__isnull=False))
    states = []
    for resolution in resolutions:
        mine = [a for a in actions if a.resolution_id == resolution.pk]
        still_open = [a for a in mine if a.status != Status.COMPLETE]
        states.append(
            ResolutionState(
                resolution=resolution,
                open_actions=len(still_open),
                total_actions=len(mine),
                next_due=min((a.due_date for a in still_open if a.due_date), default=None),
            )
        )
    return states


def action_owners() -> QuerySet[User]:
    """Who may own an action: active users holding the action owner or CSE manager role."""
    return (
        User.objects.filter(users_who_may(Action.PLAN_ACTION_OWN))
        .select_related("agency")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def tasks_for(user: User) -> list[Task]:
    """The user's open plan actions that are due within the amber window or overdue. An
    action with no deadline is never due, so it is not a task (its owner updates it from the
    plan)."""
    t = rag_thresholds()
    horizon = timezone.localdate() + timedelta(days=t.due_soon_days)
    actions = PlanAction.objects.filter(
        owner=user, due_date__isnull=False, due_date__lte=horizon
    ).exclude(status=Status.COMPLETE)
    return [
        Task(
            due=end_of(a.due_date),
            title=f"Update delivery plan action: {a.title}",
            url=reverse("plans:action", args=[a.public_id]),
            kind="action",
        )
        for a in actions.order_by("due_date")
        if a.due_date is not None
    ]
