"""Reading cases: caseloads, the chronology, tasks, and the facts the policy looks up."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safehub import timeline
from safehub.accounts.models import User
from safehub.cases import rules
from safehub.cases.models import (
    Attendee,
    Case,
    CaseStatus,
    ChronologyEntry,
    Meeting,
    MeetingAction,
    RiskChange,
    RiskLevel,
)
from safehub.policy import Action, users_who_may
from safehub.tasks import Task, about
from safehub.timeline import TimelineEvent


def is_allocated(*, user_id: int, person_id: int) -> bool:
    """Whether the person is the child of an open case allocated to the user."""
    return Case.objects.filter(
        person_id=person_id, allocated_to_id=user_id, status=CaseStatus.OPEN
    ).exists()


def is_attending(*, user_id: int, meeting_id: int) -> bool:
    """Whether the user attends the meeting and its attendee window is still open."""
    meeting = Meeting.objects.filter(pk=meeting_id, attendees__user_id=user_id).first()
    if meeting is None:
        return False
    return rules.attendee_may_see(meeting.held_at, timezone.now(), rules.attendee_window_days())


def case_by_public_id(public_id: uuid.UUID | str) -> Case | None:
    return (
        Case.objects.select_related("person", "allocated_to", "referral", "safety_plan")
        .filter(public_id=public_id)
        .first()
    )


def open_case_for(person_id: int) -> Case | None:
    """The child's open case, if there is one."""
    return Case.objects.filter(person_id=person_id, status=CaseStatus.OPEN).first()


def closed_case_dates(person_ids: Iterable[int]) -> dict[int, list[datetime]]:
    """When each of these children's CSE cases closed, by person id (one query; children
    without a closed case are left out). Open cases are not counted."""
    closed: dict[int, list[datetime]] = {}
    rows = Case.objects.filter(
        person_id__in=list(person_ids), status=CaseStatus.CLOSED
    ).values_list("person_id", "closed_at")
    for person_id, closed_at in rows:
        if closed_at is not None:  # set by every closure; the column itself allows none
            closed.setdefault(person_id, []).append(closed_at)
    return closed


def cse_workers() -> QuerySet[User]:
    """Active CSE practitioners and managers: the people cases can be allocated to."""
    return (
        User.objects.filter(users_who_may(Action.CASE_HOLD))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class WorkerLoad:
    """A member of the CSE team with the open cases they hold, for choosing whom to allocate."""

    worker: User
    open_cases: int
    high_risk: int  # of the open cases, those at high risk or exploited


def cse_workers_with_caseload() -> list[WorkerLoad]:
    """The people cases can be allocated to (`cse_workers`), each with how many open cases
    they hold and how many of those are at high risk or exploited, counted by the database
    in one query."""
    held = Q(allocated_cases__status=CaseStatus.OPEN)
    high = held & Q(allocated_cases__risk_level__in=[RiskLevel.HIGH, RiskLevel.EXPLOITED])
    workers = cse_workers().annotate(
        # distinct: a worker holding both team roles is joined twice through the roles.
        open_cases=Count("allocated_cases", filter=held, distinct=True),
        high_risk=Count("allocated_cases", filter=high, distinct=True),
    )
    return [WorkerLoad(w, w.open_cases, w.high_risk) for w in workers]


def staff_who_may(action: Action) -> QuerySet[User]:
    """Active staff the policy grants `action`, with their agency, listed by agency then name
    (the people a meeting may name as attendees or give an action to)."""
    return (
        User.objects.filter(users_who_may(action))
        .distinct()
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class CaseloadRow:
    case: Case
    review_status: str  # "overdue", "due_soon" or "scheduled"


@dataclass
class TeamCaseload:
    rows: list[CaseloadRow]
    by_risk: list[tuple[str, int]]
    overdue: int
    unallocated: int
    by_worker: list[tuple[str, int, int]] = field(default_factory=list)  # name, cases, overdue


def _rows(cases: Iterable[Case]) -> list[CaseloadRow]:
    today, schedule = timezone.localdate(), rules.review_schedule()
    return [CaseloadRow(c, rules.review_status(c.next_review_due, today, schedule)) for c in cases]


def caseload(user: User) -> list[CaseloadRow]:
    """The user's open cases, the review soonest due first."""
    cases = Case.objects.filter(allocated_to=user, status=CaseStatus.OPEN)
    return _rows(cases.select_related("person").order_by("next_review_due"))


def team_caseload() -> TeamCaseload:
    """Every open case, with counts by risk level, overdue reviews and per-worker load."""
    cases = list(
        Case.objects.filter(status=CaseStatus.OPEN)
        .select_related("person", "allocated_to")
        .order_by("next_review_due")
    )
    rows = _rows(cases)
    risk_counts = Counter(c.risk_level for c in cases)
    workers: dict[str, list[int]] = {}
    for row in rows:
        if row.case.allocated_to is None:
            continue
        name = row.case.allocated_to.get_full_name() or row.case.allocated_to.username
        counts = workers.setdefault(name, [0, 0])
        counts[0] += 1
        counts[1] += row.review_status == "overdue"
    return TeamCaseload(
        rows=rows,
        by_risk=[(label, risk_counts.get(value, 0)) for value, label in RiskLevel.choices],
        overdue=sum(r.review_status == "overdue" for r in rows),
        unallocated=sum(c.allocated_to_id is None for c in cases),
        by_worker=sorted((n, c[0], c[1]) for n, c in workers.items()),
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def timeline_for(person_id: int) -> list[TimelineEvent]:
    """The cases app's own entries in a child's chronology: case opened/closed, risk changes,
    hand-written entries, interventions, reviews, meetings and their actions."""
    events: list[TimelineEvent] = []
    cases = list(Case.objects.filter(person_id=person_id).select_related("closed_by"))
    for case in cases:
        url = reverse("cases:detail", args=[case.public_id])
        events.append(
            TimelineEvent(case.opened_at, "case", "CSE case opened", case.reason, "cases", url)
        )
        if case.closed_at:
            detail = f"{case.get_closure_reason_display()}. {case.closure_notes}".strip()
            events.append(
                TimelineEvent(case.closed_at, "case", "CSE case closed", detail, "cases", url)
            )
        for change in case.risk_changes.select_related("changed_by"):
            events.append(_risk_event(change, url))
        for item in case.interventions.select_related("worker"):
            title = f"{item.get_kind_display()} by {item.worker.get_full_name()}"
            events.append(
                TimelineEvent(_at(item.date), "intervention", title, item.notes, "cases", url)
            )
        for review in case.reviews.all():
            events.append(
                TimelineEvent(
                    _at(review.held_on), "review", "Case review", review.summary, "cases", url
                )
            )
    for entry in ChronologyEntry.objects.filter(case__person_id=person_id):
        events.append(
            TimelineEvent(
                entry.occurred_at,
                entry.kind,
                entry.title,
                entry.detail,
                "cases",
                police_only=entry.police_only,
                third_party=entry.third_party,
            )
        )
    for meeting in Meeting.objects.filter(agenda__person_id=person_id).distinct():
        url = reverse("cases:meeting", args=[meeting.public_id])
        title = meeting.get_kind_display()
        events.append(
            TimelineEvent(meeting.held_at, "meeting", title, meeting.decisions, "cases", url)
        )
    for action in MeetingAction.objects.filter(case__person_id=person_id).select_related(
        "owner", "meeting"
    ):
        owner = action.owner.get_full_name() or action.owner.username
        state = "done" if action.completed_at else f"due {action.due_date:%d %b %Y}"
        title = f"Meeting action for {owner} ({state})"
        url = reverse("cases:meeting", args=[action.meeting.public_id])
        events.append(
            TimelineEvent(action.created_at, "action", title, action.description, "cases", url)
        )
    return events


def _risk_event(change: RiskChange, url: str) -> TimelineEvent:
    by = change.changed_by.get_full_name() or change.changed_by.username
    title = f"Risk level: {change.get_level_display()}"
    return TimelineEvent(change.changed_at, "risk", title, f"{change.reason} ({by})", "cases", url)


def chronology(
    person_id: int, kinds: Iterable[str] | None = None, since: date | None = None
) -> list[TimelineEvent]:
    """A child's single timeline, newest first: screenings, referrals, missing episodes and the
    case's own entries, filtered by kind and by date (on or after `since`)."""
    return rules.filter_events(timeline.events_for(person_id), kinds=kinds, since=since)


def risk_history(case: Case) -> list[TimelineEvent]:
    """Risk changes on the case and every screening of the child (a re-screening shows here)."""
    url = reverse("cases:detail", args=[case.public_id])
    events = [_risk_event(c, url) for c in case.risk_changes.select_related("changed_by")]
    screenings = timeline.events_for(case.person_id, sources=["screening"])
    return rules.filter_events([*events, *screenings], kinds=None, since=None)


def meetings_list() -> QuerySet[Meeting]:
    return Meeting.objects.prefetch_related("agenda__person").order_by("-held_at")


def meeting_by_public_id(public_id: uuid.UUID | str) -> Meeting | None:
    return Meeting.objects.filter(public_id=public_id).first()


def action_by_public_id(public_id: uuid.UUID | str) -> MeetingAction | None:
    return (
        MeetingAction.objects.select_related("case", "meeting").filter(public_id=public_id).first()
    )


def open_actions() -> QuerySet[MeetingAction]:
    """Every action not yet done, the earliest due first: the team's action tracker."""
    return (
        MeetingAction.objects.filter(completed_at__isnull=True)
        .select_related("owner", "meeting", "case__person")
        .order_by("due_date", "id")
    )


def attendees_of(meeting: Meeting) -> QuerySet[Attendee]:
    return meeting.attendees.select_related("user__agency")


# A case's risk level as the task list ranks it (safehub.tasks RISK_ numbers).
CASE_RISK = {"exploited": 3, "high": 3, "medium": 2, "low": 1}


def tasks_for(user: User) -> list[Task]:
    """Reviews due within the warning days (or overdue) on the user's open cases, and open
    meeting actions the user owns, soonest first. Titles carry no child's name."""
    schedule = rules.review_schedule()
    horizon = timezone.localdate()
    soon = horizon.toordinal() + schedule.due_soon_days
    tasks: list[Task] = []
    cases = Case.objects.filter(
        allocated_to=user, status=CaseStatus.OPEN, next_review_due__lte=date.fromordinal(soon)
    ).select_related("person")
    for case in cases:
        tasks.append(
            Task(
                due=_at(case.next_review_due),
                title="Review a CSE case",
                url=reverse("cases:detail", args=[case.public_id]),
                kind="review",
                risk=CASE_RISK.get(case.risk_level, 0),
                **about(case.person),
            )
        )
    actions = MeetingAction.objects.filter(
        Q(owner=user) & Q(completed_at__isnull=True) & Q(due_date__lte=date.fromordinal(soon))
    ).select_related("meeting", "case__person")
    for action in actions:
        tasks.append(
            Task(
                due=_at(action.due_date),
                title=f"Meeting action: {action.description[:80]}",
                url=reverse("cases:meeting", args=[action.meeting.public_id]),
                kind="action",
                **about(action.case.person if action.case is not None else None),
            )
        )
    return sorted(tasks, key=lambda t: t.due)


def cases_opened_up_to(as_of: date) -> Iterable[tuple[int, datetime, str]]:
    """(person id, opened at, status) of the CSE cases opened on or before `as_of`, for the
    problem profile's snapshot."""
    return Case.objects.filter(opened_at__date__lte=as_of).values_list(
        "person_id", "opened_at", "status"
    )
