"""Actions on referrals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.people.models import Person
from safehub.people.services import (
    MatchAnswer,
    PersonDetails,
    create_person,
    record_match_check,
)
from safehub.referrals.models import (
    FamilyAware,
    Referral,
    ReferralSource,
    ReferralStatus,
    SharingBasis,
)
from safehub.refusals import Refused

if TYPE_CHECKING:
    from safehub.screening.models import Screening


@transaction.atomic
def create_referral_from_screening(
    *,
    screening: Screening,
    actor: User,
    concerns: str = "",
    channel: str = "web",
    sharing_basis: str = "",
    family_aware: str = "",
) -> Referral:
    """Refer a screened child to the MASH. Called inside the screening's own transaction."""
    referral = Referral.objects.create(
        person_id=screening.person_id,
        screening=screening,
        source=ReferralSource.SCREENING_API if channel == "api" else ReferralSource.SCREENING,
        status=ReferralStatus.AWAITING_TRIAGE,
        received_at=timezone.now(),
        referrer=actor,
        referrer_agency_id=actor.agency_id,
        concerns=concerns,
        sharing_basis=sharing_basis,
        family_aware=family_aware,
        outcome_for_referrer="Received by the MASH; awaiting triage",
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.REFERRAL,
        object_id=referral.public_id,
        person_id=referral.person_id,
        channel=channel,
    )
    return referral


def referral_details_problems(
    *, concerns: str, sharing_basis: str, family_aware: str
) -> dict[str, str]:
    """What is wrong with the referral's own fields (the child is checked separately)."""
    errors: dict[str, str] = {}
    if not concerns.strip():
        errors["concerns"] = "Describe your concerns about the child"
    elif len(concerns) > 10000:
        errors["concerns"] = "Concerns must be 10,000 characters or fewer"
    if sharing_basis not in SharingBasis.values:
        errors["sharing_basis"] = "Select the basis on which you are sharing this information"
    if family_aware not in FamilyAware.values:
        errors["family_aware"] = "Say whether the family knows about this referral"
    return errors


@transaction.atomic
def make_referral(
    *,
    actor: User,
    concerns: str,
    sharing_basis: str,
    family_aware: str,
    person: Person | None = None,
    new_person: PersonDetails | None = None,
    channel: str = "web",
    match_answer: MatchAnswer | None = None,
) -> Referral:
    """A referral to the MASH from a form or a partner system (not from a screening).

    The front door's answer (`match_answer`, from the web form: the child chosen, or "none of
    these" and the child added) is recorded in the same transaction. Refuses (Refused, nothing
    stored) empty concerns, an unknown sharing basis or family-awareness answer; exactly one
    of person/new_person is needed.
    """
    if (person is None) == (new_person is None):
        raise ValueError("give exactly one of person or new_person")
    if match_answer is not None and match_answer.chosen != (person is not None):
        raise ValueError("the front door's answer does not say which child this is")
    errors = referral_details_problems(
        concerns=concerns, sharing_basis=sharing_basis, family_aware=family_aware
    )
    if errors:
        raise Refused(errors)
    if person is None:
        assert new_person is not None
        person = create_person(actor=actor, details=new_person, channel=channel)
    if match_answer is not None:
        record_match_check(actor=actor, answer=match_answer, person=person)
    referral = Referral.objects.create(
        person=person,
        source=ReferralSource.API if channel == "api" else ReferralSource.FORM,
        status=ReferralStatus.AWAITING_TRIAGE,
        received_at=timezone.now(),
        referrer=actor,
        referrer_agency_id=actor.agency_id,
        concerns=concerns.strip(),
        sharing_basis=sharing_basis,
        family_aware=family_aware,
        outcome_for_referrer="Received by the MASH; awaiting triage",
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.REFERRAL,
        object_id=referral.public_id,
        person_id=person.pk,
        channel=channel,
    )
    return referral
