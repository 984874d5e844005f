"""Referrals into the MASH."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from safehub.policy import TargetFacts


class ReferralSource(models.TextChoices):
    SCREENING = "screening", "Screening (web)"
    SCREENING_API = "screening_api", "Screening (partner system)"
    FORM = "form", "Referral form"
    API = "api", "Partner system"


class ReferralStatus(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting MASH triage"
    IN_TRIAGE = "in_triage", "In MASH triage"
    DECIDED = "decided", "Decision made"


class SharingBasis(models.TextChoices):
    CONSENT = "consent", "With the consent of the child or family"
    SAFEGUARDING = (
        "safeguarding",
        "Without consent: to safeguard a child (Data Protection Act 2018, Sch. 8 para 4)",
    )
    PUBLIC_TASK = "public_task", "Without consent: statutory duty or public task"
    VITAL_INTERESTS = "vital_interests", "Without consent: to protect someone's life"


class FamilyAware(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    ADVICE = "advice", "Advice and information"
    EARLY_HELP = "early_help", "Early help"
    CSE_ASSESSMENT = "cse_assessment", "CSE assessment by the CSE team"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (section 47)"


# What a referrer is told: the decision, never the detail behind it.
OUTCOME_FOR_REFERRER = {
    Decision.NO_FURTHER_ACTION: "MASH decision: no further action by children's services",
    Decision.ADVICE: "MASH decision: advice and information given",
    Decision.EARLY_HELP: "MASH decision: referred for early help",
    Decision.CSE_ASSESSMENT: "MASH decision: referred to the CSE team for assessment",
    Decision.STRATEGY_DISCUSSION: "MASH decision: a strategy discussion is being held",
}


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    screening = models.OneToOneField(
        "screening.Screening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
    )
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.AWAITING_TRIAGE
    )
    received_at = models.DateTimeField(db_index=True)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    concerns = models.TextField(blank=True)
    sharing_basis = models.CharField(
        "Information-sharing basis", max_length=20, choices=SharingBasis.choices, blank=True
    )
    family_aware = models.CharField(
        "Does the family know?", max_length=10, choices=FamilyAware.choices, blank=True
    )
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    # Bumped on every triage change, so two officers cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # What the referrer may be told about the outcome (DESIGN.md: nothing else about the child).
    outcome_for_referrer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"Referral {self.public_id}"

    @property
    def screening_result(self) -> Any:
        """The result category (label, severity) of the screening behind the referral, or None
        for a referral made without one (or scored by a tool no longer loaded)."""
        if self.screening is None:
            return None
        return self.screening.result_category()

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="referral",
            person_id=self.person_id,
            owner_user_id=self.referrer_id,
            owner_agency_id=self.referrer_agency_id,
            restricted=self.person.is_restricted,
        )


class RagChange(models.Model):
    """Each RAG rating a referral has had: ratings change as information arrives."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="rag_changes")
    rating = models.CharField(max_length=5, choices=Rag.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"RAG {self.rating} for referral {self.referral_id}"


class TriageDecision(models.Model):
    """The MASH's decision on a referral, with the statutory clocks it starts."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="decision")
    decision = models.CharField(max_length=25, choices=Decision.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    assessment_completed_on = models.DateField(null=True, blank=True)
    strategy_discussion_on = models.DateField(null=True, blank=True)
    icpc_held_on = models.DateField(
        "Initial child protection conference held on", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"Decision on referral {self.referral_id}"


class InformationRequest(models.Model):
    """A request to a partner agency for what it knows, with a due time and the answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Information request {self.public_id}"
