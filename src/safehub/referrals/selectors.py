"""Reading referrals: the MASH queue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, time
from typing import Literal

from django.db.models import QuerySet

from safehub.accounts.models import User
from safehub.cases.selectors import closed_case_dates
from safehub.referrals.models import InformationRequest, Referral, ReferralStatus
from safehub.referrals.rereferral import ReReferral, re_referral, window_starts
from safehub.referrals.rules import (
    LONDON,
    RagTimescale,
    TriageClockSettings,
    england_and_wales_bank_holidays,
    needs_immediate_attention,
    next_clock,
    queue_urgency_key,
    referral_risk,
)
from safehub.tasks import Task, about
from safehub.timeline import TimelineEvent

QueueOrder = Literal["urgent", "newest", "oldest"]
QUEUE_ORDERS: tuple[QueueOrder, ...] = ("urgent", "oldest", "newest")


def mash_queue(*, order: QueueOrder = "oldest") -> QuerySet[Referral]:
    """Referrals waiting for MASH triage, the longest waiting first unless asked for newest.
    ("urgent" is `mash_queue_by_urgency`; asked for here it gives the longest waiting first.)"""
    queryset = Referral.objects.filter(
        status__in=[ReferralStatus.AWAITING_TRIAGE, ReferralStatus.IN_TRIAGE]
    ).select_related("person", "screening", "referrer_agency", "decision")
    return queryset.order_by("-received_at" if order == "newest" else "received_at", "pk")


def screening_severity(referral: Referral) -> int | None:
    """The severity of the referral's screening result (3 significant, 2 at risk, 1 lower),
    or None for a referral made without a screening."""
    result = referral.screening_result
    return None if result is None else int(result.severity)


def risk_of(referral: Referral) -> int:
    """The referral's risk as the queue and the task list rank it (rules.referral_risk)."""
    return referral_risk(referral.rag, screening_severity(referral))


def mash_queue_by_urgency(now: datetime | None = None) -> list[Referral]:
    """Referrals waiting for MASH triage in the default order: Red (or an unrated
    significant-risk screening) first, then the nearest due clock (decision or RAG response),
    then the longest waiting. Each referral gets `risk`, `next_due` and `look_now` (unrated
    significant risk) set for the page."""
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    referrals = list(mash_queue(order="oldest"))
    for referral in referrals:
        severity = screening_severity(referral)
        referral.risk = referral_risk(referral.rag, severity)  # type: ignore[attr-defined]
        referral.look_now = needs_immediate_attention(referral.rag, severity)  # type: ignore[attr-defined]
        referral.next_due = next_clock(referral.received_at, referral.rag, holidays, config)  # type: ignore[attr-defined]
    return sorted(
        referrals,
        key=lambda r: queue_urgency_key(r.risk, r.next_due, r.received_at),  # type: ignore[attr-defined]
    )


def referral_by_public_id(public_id: uuid.UUID | str) -> Referral | None:
    return (
        Referral.objects.select_related("person", "screening", "referrer", "referrer_agency")
        .filter(public_id=public_id)
        .first()
    )


def re_referral_flags(referrals: Sequence[Referral]) -> dict[int, ReReferral]:
    """The re-referral flag (rereferral.re_referral) of each referral, by referral pk, in two
    queries however many referrals are given: the children's other referrals in the window
    the earliest of them looks back over, and their closed CSE cases. Pass only the rows the
    user is shown in full: the flag itself tells the child's history."""
    if not referrals:
        return {}
    person_ids = {r.person_id for r in referrals}
    earliest = min(window_starts(r.received_at.astimezone(LONDON).date()) for r in referrals)
    others: dict[int, list[tuple[int, datetime]]] = {}
    rows = Referral.objects.filter(
        person_id__in=person_ids,
        received_at__gte=datetime.combine(earliest, time.min, LONDON),
        received_at__lt=max(r.received_at for r in referrals),
    ).values_list("pk", "person_id", "received_at")
    for pk, person_id, received_at in rows:
        others.setdefault(person_id, []).append((pk, received_at))
    closed = closed_case_dates(person_ids)
    return {
        r.pk: re_referral(
            r.received_at,
            [when for pk, when in others.get(r.person_id, []) if pk != r.pk],
            closed.get(r.person_id, []),
        )
        for r in referrals
    }


def re_referral_of(referral: Referral) -> ReReferral:
    """One referral's re-referral flag (two queries)."""
    return re_referral_flags([referral])[referral.pk]


def clock_settings() -> TriageClockSettings:
    """The triage clocks as configured (SAFEHUB_TRIAGE_CLOCKS), over the defaults."""
    from django.conf import settings

    overrides = dict(getattr(settings, "SAFEHUB_TRIAGE_CLOCKS", {}))
    if "rag" in overrides:
        overrides["rag"] = {k: RagTimescale(**v) for k, v in overrides["rag"].items()}
    return TriageClockSettings(**overrides)


def referrals_for_person(person_id: int) -> QuerySet[Referral]:
    """A child's referrals, newest first, with the referring agency."""
    return (
        Referral.objects.filter(person_id=person_id)
        .select_related("referrer_agency")
        .order_by("-received_at")
    )


def referrals_without_screening_by(user_id: int) -> QuerySet[Referral]:
    """Referrals a user made by form or API (their screenings list the rest)."""
    return (
        Referral.objects.filter(referrer_id=user_id, screening__isnull=True)
        .select_related("person")
        .order_by("-received_at")
    )


def timeline_for(person_id: int) -> list[TimelineEvent]:
    """A child's referrals to the MASH as chronology events (the referrer's words left out)."""
    from django.urls import reverse

    events = []
    for r in Referral.objects.filter(person_id=person_id).select_related("referrer_agency"):
        agency = r.referrer_agency.name if r.referrer_agency else "unknown agency"
        detail = f"From {agency} ({r.get_source_display()}). {r.get_status_display()}."
        events.append(
            TimelineEvent(
                when=r.received_at,
                kind="referral",
                title="Referral to the MASH",
                detail=detail,
                source="referrals",
                url=reverse("referrals:detail", args=[r.public_id]),
            )
        )
    return events


def tasks_for(user: User) -> list[Task]:
    """Triage deadlines for people who triage: each referral's decision (and RAG response)
    due today or overdue, and unanswered requests for information past their due time.
    Statutory (the decision clock is Working Together's); risk from the RAG rating or, before
    one, the screening; the child is carried for the page to name or mask."""
    from django.urls import reverse
    from django.utils import timezone

    from safehub.policy import Action, allows

    if not allows(user, Action.REFERRAL_QUEUE_VIEW):
        return []
    now = timezone.now()
    end_of_today = now.astimezone(LONDON).replace(hour=23, minute=59, second=59)
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    tasks: list[Task] = []
    for referral in mash_queue(order="oldest")[:500]:
        reference = str(referral.public_id)[:8].upper()
        url = reverse("referrals:detail", kwargs={"public_id": referral.public_id})
        due = next_clock(referral.received_at, referral.rag, holidays, config)
        if due <= end_of_today:
            tasks.append(
                Task(
                    due=due,
                    title=f"Triage referral {reference}",
                    url=url,
                    kind="triage",
                    statutory=True,
                    risk=risk_of(referral),
                    **about(referral.person),
                )
            )
    open_requests = InformationRequest.objects.filter(
        answered_at__isnull=True, due_at__lte=end_of_today
    ).select_related("referral__person", "referral__screening", "agency")
    for info in open_requests[:200]:
        tasks.append(
            Task(
                due=info.due_at,
                title=f"Chase {info.agency.name} for referral "
                f"{str(info.referral.public_id)[:8].upper()}",
                url=reverse("referrals:detail", kwargs={"public_id": info.referral.public_id}),
                kind="information_request",
                risk=risk_of(info.referral),
                **about(info.referral.person),
            )
        )
    return tasks


def count_referrals(*, start: datetime, end: datetime) -> int:
    """How many referrals the MASH received in the period. A count only."""
    return Referral.objects.filter(received_at__range=(start, end)).count()
