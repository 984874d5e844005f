"""MASH triage: RAG ratings, decisions, statutory milestones and requests for information.

Every action validates completely before writing, refuses a stale save (someone else changed
the referral since the form was read), and writes its audit row.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.referrals.models import (
    OUTCOME_FOR_REFERRER,
    Decision,
    InformationRequest,
    Rag,
    RagChange,
    Referral,
    ReferralStatus,
    TriageDecision,
)
from safehub.referrals.rules import (
    RAG_CASE_RISK_LEVEL,
    decision_due,
    england_and_wales_bank_holidays,
    rag_due,
)
from safehub.referrals.selectors import clock_settings
from safehub.refusals import Refused

MILESTONES = {
    "assessment_completed_on": "Assessment completed",
    "strategy_discussion_on": "Strategy discussion held",
    "icpc_held_on": "Initial child protection conference held",
}
OPENS_A_CASE = {Decision.CSE_ASSESSMENT, Decision.STRATEGY_DISCUSSION}


def _audit(actor: User, referral: Referral, reason: str) -> None:
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.REFERRAL,
        object_id=referral.public_id,
        person_id=referral.person_id,
        reason=reason,
    )


def _bump(referral: Referral, version: int, **changes: object) -> None:
    """Save `changes` only if nobody else has changed the referral since `version` was read."""
    updated = Referral.objects.filter(pk=referral.pk, version=version).update(
        version=version + 1, **changes
    )
    if updated != 1:
        latest = Referral.objects.get(pk=referral.pk)
        last = latest.rag_changes.select_related("changed_by").last()
        who = f" by {last.changed_by.get_full_name() or last.changed_by.username}" if last else ""
        raise Refused(
            {
                "version": "Someone else changed this referral while you were looking at it"
                f"{who}. Your change was not saved: check the referral as it is now and "
                "try again."
            }
        )
    referral.version = version + 1
    for key, value in changes.items():
        setattr(referral, key, value)


@transaction.atomic
def rate_referral(
    *, actor: User, referral: Referral, rating: str, reason: str, version: int
) -> RagChange:
    """Set or change the RAG rating, keeping every earlier rating. Refuses an unknown rating,
    an empty reason, a decided referral and a stale save."""
    errors: dict[str, str] = {}
    if rating not in Rag.values:
        errors["rating"] = "Select Red, Amber or Green"
    if not reason.strip():
        errors["reason"] = "Say why you chose this rating"
    if referral.status == ReferralStatus.DECIDED:
        errors["rating"] = "This referral has a decision already; it cannot be re-rated"
    if errors:
        raise Refused(errors)
    _bump(referral, version, rag=rating, status=ReferralStatus.IN_TRIAGE)
    change = RagChange.objects.create(
        referral=referral,
        rating=rating,
        reason=reason.strip(),
        changed_by=actor,
        changed_at=timezone.now(),
    )
    _audit(actor, referral, f"RAG {rating}")
    return change


@transaction.atomic
def decide_referral(
    *, actor: User, referral: Referral, decision: str, rationale: str, version: int
) -> TriageDecision:
    """Record the MASH decision; tell the referrer the outcome (not the detail); open a CSE
    case where the decision calls for one, at the risk of the referral's RAG rating. Refuses:
    no RAG rating yet, an unknown decision, an empty rationale, a referral already decided, a
    stale save."""
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Select a decision"
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for the decision"
    if not referral.rag:
        errors["decision"] = "Give the referral a RAG rating before deciding"
    if hasattr(referral, "decision"):
        errors["decision"] = "This referral has a decision already"
    if errors:
        raise Refused(errors)
    outcome = OUTCOME_FOR_REFERRER[Decision(decision)]
    _bump(referral, version, status=ReferralStatus.DECIDED, outcome_for_referrer=outcome)
    made = TriageDecision.objects.create(
        referral=referral,
        decision=decision,
        rationale=rationale.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _audit(actor, referral, f"decision {decision}")
    if decision in OPENS_A_CASE:
        from safehub.cases.errors import CaseAlreadyOpen
        from safehub.cases.services import open_case

        try:
            with transaction.atomic():
                open_case(
                    actor=actor,
                    person=referral.person,
                    referral=referral,
                    reason=outcome,
                    # The case starts at the risk the MASH rated (Red -> high, ...).
                    risk_level=RAG_CASE_RISK_LEVEL[referral.rag],
                )
        except CaseAlreadyOpen:
            # The child is already on the CSE team's caseload: the case carries on, and the
            # new referral shows in its chronology.
            pass
    transaction.on_commit(lambda: notify_referrer(referral))
    return made


def notify_referrer(referral: Referral) -> None:
    """Email the referrer that there is an outcome. No personal data in the subject or body:
    the link leads to their submissions, behind sign-in."""
    email = referral.referrer.email
    if not email:
        return
    link = getattr(settings, "SAFEHUB_BASE_URL", "") + reverse("screening:my_submissions")
    send_mail(
        subject="Safehub: a referral you made has an outcome",
        message=(
            "The MASH has made a decision on a referral you made.\n\n"
            f"Sign in to see it under My submissions: {link}\n"
        ),
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def record_milestone(
    *, actor: User, referral: Referral, milestone: str, on: date, version: int
) -> TriageDecision:
    """Record when an assessment completed, a strategy discussion was held or an initial
    child protection conference took place. Refuses dates before the referral or in the
    future, and a conference before its strategy discussion."""
    decision: TriageDecision | None = getattr(referral, "decision", None)
    errors: dict[str, str] = {}
    if decision is None:
        errors["milestone"] = "Record the MASH decision first"
    if milestone not in MILESTONES:
        errors["milestone"] = "Select what happened"
    received = timezone.localtime(referral.received_at).date()
    if on < received:
        errors["on"] = "The date cannot be before the referral was received"
    if on > timezone.localdate():
        errors["on"] = "The date cannot be in the future"
    if (
        decision is not None
        and milestone == "icpc_held_on"
        and (decision.strategy_discussion_on is None or on < decision.strategy_discussion_on)
    ):
        errors["on"] = "The conference must follow the strategy discussion: record that first"
    if errors:
        raise Refused(errors)
    assert decision is not None
    _bump(referral, version)
    setattr(decision, milestone, on)
    decision.save(update_fields=[milestone])
    _audit(actor, referral, MILESTONES[milestone])
    return decision


@transaction.atomic
def request_information(
    *,
    actor: User,
    referral: Referral,
    agency_id: int | None,
    question: str,
    due_at: datetime | None = None,
) -> InformationRequest:
    """Ask a partner agency what it knows. The due time defaults to the RAG timescale (or the
    decision deadline before rating). Refuses an unknown agency, an empty question, a due
    time in the past and a decided referral."""
    errors: dict[str, str] = {}
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None:
        errors["agency"] = "Select the agency you are asking"
    if not question.strip():
        errors["question"] = "Say what you need to know"
    now = timezone.now()
    if due_at is not None and due_at <= now:
        errors["due_at"] = "The answer must be due in the future"
    if referral.status == ReferralStatus.DECIDED:
        errors["question"] = "This referral has a decision already"
    if errors:
        raise Refused(errors)
    assert agency is not None
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    if due_at is None:
        due_at = (
            rag_due(now, referral.rag, holidays, config)
            if referral.rag
            else decision_due(referral.received_at, holidays, config)
        )
    request = InformationRequest.objects.create(
        referral=referral,
        agency=agency,
        question=question.strip(),
        requested_by=actor,
        requested_at=now,
        due_at=due_at,
    )
    _audit(actor, referral, f"information requested from agency {agency.pk}")
    return request


@transaction.atomic
def record_information_answer(
    *, actor: User, request: InformationRequest, answer: str
) -> InformationRequest:
    """Record a partner agency's answer. Refuses an empty answer or a second answer."""
    if request.answered_at is not None:
        raise Refused({"answer": "This request has been answered already"})
    if not answer.strip():
        raise Refused({"answer": "Enter the agency's answer"})
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.recorded_by = actor
    request.save(update_fields=["answer", "answered_at", "recorded_by"])
    _audit(actor, request.referral, "information answer recorded")
    return request
