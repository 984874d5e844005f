"""Professional judgement: the computed result is never the last word.

The practitioner may record a different final result with a reason. Raising it takes effect at
once (and refers to the MASH if the new category calls for it); lowering it waits for a
manager's approval, and until then the computed result stands. Both results are kept.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.referrals.services import create_referral_from_screening
from safehub.refusals import Refused
from safehub.screening import registry
from safehub.screening.models import Judgement, Screening
from safehub.screening.services import referral_sharing_problems

MIN_REASON = 10


@transaction.atomic
def record_judgement(
    *,
    actor: User,
    screening: Screening,
    category_id: str,
    reason: str,
    sharing_basis: str = "",
    family_aware: str = "",
) -> Screening:
    """Record the practitioner's own result for a screening.

    Refuses: an unknown category, the category the screening already has, a reason shorter
    than 10 characters, a screening with a lowering still awaiting approval, or a raised
    result that refers the child to the MASH without the basis for sharing and whether the
    family knows (the MASH must never receive a referral without them).
    """
    tool = registry.get_tool(screening.tool_id, screening.tool_version)
    errors: dict[str, str] = {}
    ids = {c.id for c in tool.categories}
    if category_id not in ids:
        errors["category"] = "Select the result you judge to be right"
    elif category_id == screening.final_category:
        errors["category"] = "Select a result different from the current one"
    if len(reason.strip()) < MIN_REASON:
        errors["reason"] = "Explain why the result should be different"
    if screening.judgement == Judgement.LOWERING_PENDING:
        errors["category"] = "A lower result is already waiting for a manager's approval"
    if category_id in ids and not _has_referral(screening):
        refers = (
            tool.category(category_id).creates_referral
            and tool.category(category_id).severity
            > tool.category(screening.final_category).severity
        )
        for problem in referral_sharing_problems(
            refers=refers, sharing_basis=sharing_basis, family_aware=family_aware
        ):
            errors[problem.indicator_id] = problem.message
    if errors:
        raise Refused(errors)
    new = tool.category(category_id)
    current = tool.category(screening.final_category)
    screening.judgement_reason = reason.strip()
    screening.judgement_by_id = actor.pk
    if new.severity > current.severity:
        screening.judgement = Judgement.RAISED
        screening.final_category = new.id
        screening.requested_category = ""
    else:
        screening.judgement = Judgement.LOWERING_PENDING
        screening.requested_category = new.id
    screening.save()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.SCREENING,
        object_id=screening.public_id,
        person_id=screening.person_id,
        reason=f"{screening.judgement}: {new.id}",
    )
    if screening.judgement == Judgement.RAISED and new.creates_referral:
        if not _has_referral(screening):
            create_referral_from_screening(
                screening=screening,
                actor=actor,
                concerns=reason,
                sharing_basis=sharing_basis,
                family_aware=family_aware,
            )
    return screening


def _has_referral(screening: Screening) -> bool:
    return hasattr(screening, "referral")


@transaction.atomic
def decide_lowering(*, actor: User, screening: Screening, approve: bool) -> Screening:
    """A manager approves or refuses a lower result. Refuses if nothing is awaiting approval
    or if the manager is the practitioner who asked for it."""
    if screening.judgement != Judgement.LOWERING_PENDING:
        raise Refused({"decision": "No lower result is waiting for approval"})
    if screening.judgement_by_id == actor.pk:
        raise Refused({"decision": "Another manager must approve your own request"})
    if approve:
        screening.final_category = screening.requested_category
        screening.judgement = Judgement.LOWERING_APPROVED
    else:
        screening.judgement = Judgement.LOWERING_REFUSED
    screening.judgement_decided_by_id = actor.pk
    screening.judgement_decided_at = timezone.now()
    screening.save()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.SCREENING,
        object_id=screening.public_id,
        person_id=screening.person_id,
        reason=str(screening.judgement),
    )
    return screening
