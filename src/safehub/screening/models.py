"""Completed screenings. Each pins the tool id and version it was scored with."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.policy import TargetFacts
from safehub.screening import registry
from safehub.screening.definitions import ResultCategory, ScreeningTool


class Judgement(models.TextChoices):
    NONE = "none", "Computed result accepted"
    RAISED = "raised", "Raised by the practitioner"
    LOWERING_PENDING = "lowering_pending", "Lower result awaiting a manager's approval"
    LOWERING_APPROVED = "lowering_approved", "Lower result approved by a manager"
    LOWERING_REFUSED = "lowering_refused", "Lower result refused by a manager"


class Screening(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="screenings")
    tool_id = models.CharField(max_length=60)
    tool_version = models.PositiveIntegerField()
    screening_date = models.DateField()
    age_at_screening = models.PositiveSmallIntegerField(null=True)
    answers = models.JSONField()
    # Per answer: "evidence" (seen or told) or "concern" (professional instinct). Never scored.
    marks = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    computed_category = models.CharField(max_length=40)
    computed_rule = models.CharField(max_length=40)
    computed_indicators = models.JSONField(default=list)
    final_category = models.CharField(max_length=40)
    judgement = models.CharField(max_length=20, choices=Judgement.choices, default=Judgement.NONE)
    judgement_reason = models.TextField(blank=True)
    # A lower result waits here until a manager approves it; the final category stays as computed.
    requested_category = models.CharField(max_length=40, blank=True)
    judgement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judgement_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judgement_decided_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings_submitted"
    )
    submitted_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=10, default="web")

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Screening {self.public_id}"

    def tool(self) -> ScreeningTool:
        """The tool (at the version) this screening was scored with; KeyError if no longer
        loaded."""
        return registry.get_tool(self.tool_id, self.tool_version)

    def result_category(self) -> ResultCategory | None:
        """The final result's category (label, severity), or None when the tool is gone."""
        try:
            return self.tool().category(self.final_category)
        except (KeyError, LookupError):
            return None

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="screening",
            person_id=self.person_id,
            owner_user_id=self.submitted_by_id,
            owner_agency_id=self.submitted_by_agency_id,
            restricted=self.person.is_restricted,
        )


class ScreeningDraft(models.Model):
    """A screening in progress, saved at every page so a timed-out session loses nothing.

    Only its author can open it; it is deleted when the screening is submitted or cancelled.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening_drafts"
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Screening draft {self.public_id}"
