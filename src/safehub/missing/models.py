"""Missing episodes, return home interviews, Philomena profiles, flagged places and alerts."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safehub.missing.choices import (
    DfECode,
    InterviewResponse,
    MentionKind,
    MissingFrom,
    PoliceCategory,
    RiskGrading,
    Trigger,
)
from safehub.policy import TargetFacts


class MissingEpisode(models.Model):
    """One time a child was missing or absent, from report to return."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="missing_episodes"
    )
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    category = models.CharField(max_length=10, choices=PoliceCategory.choices)
    # Looked-after children only (SSDA903); blank for children missing from home.
    dfe_code = models.CharField("DfE code", max_length=1, choices=DfECode.choices, blank=True)
    went_missing_at = models.DateTimeField("Last seen", db_index=True)
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200)
    reported_by_agency = models.CharField(max_length=200, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    risk = models.CharField(max_length=20, choices=RiskGrading.choices)
    found_at = models.DateTimeField(null=True, blank=True)
    found_place = models.CharField(max_length=200, blank=True)
    found_postcode = models.CharField(max_length=8, blank=True)
    found_with = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-went_missing_at"]
        indexes = [models.Index(fields=["person", "went_missing_at"])]

    def __str__(self) -> str:
        return f"Missing episode {self.public_id}"

    @property
    def reference(self) -> str:
        return str(self.public_id)[:8].upper()

    @property
    def duration(self) -> timedelta | None:
        """How long the child was away, from last seen to found; None while still missing."""
        if self.found_at is None:
            return None
        return self.found_at - self.went_missing_at

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="missing_episode",
            person_id=self.person_id,
            owner_user_id=self.recorded_by_id,
            owner_agency_id=self.recorded_by_agency_id,
            restricted=self.person.is_restricted,
        )


class ReturnInterview(models.Model):
    """The independent return home interview offered after an episode (72-hour clock)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="return_interview"
    )
    offered_at = models.DateTimeField()
    response = models.CharField(
        max_length=10, choices=InterviewResponse.choices, default=InterviewResponse.NOT_YET
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    outcome = models.TextField(blank=True)
    push_factors = models.JSONField(default=list)
    pull_factors = models.JSONField(default=list)
    exploitation_concerns = models.BooleanField(default=False)
    concerns_detail = models.TextField(blank=True)
    # When the service prompted a screening because exploitation concerns were disclosed.
    screening_prompted_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Return interview {self.public_id}"


class InterviewMention(models.Model):
    """A place or person the child named in a return interview, kept apart for collation."""

    interview = models.ForeignKey(
        ReturnInterview, on_delete=models.CASCADE, related_name="mentions"
    )
    kind = models.CharField(max_length=10, choices=MentionKind.choices)
    text = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["kind", "text"]

    def __str__(self) -> str:
        return f"{self.kind} mention {self.pk}"


class MissingProfile(models.Model):
    """Part 1 of the Philomena Protocol: filled in ahead of time for a child at risk.

    Carries a `version`: the edit form posts the version it read and a save against a newer
    one is refused (safehub.versioning), so nobody's change is overwritten. The history says
    who saved what, for that refusal.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="missing_profile"
    )
    description = models.TextField("Physical description", blank=True)
    photo_reference = models.CharField("Where the recent photo is kept", max_length=200, blank=True)
    associates = models.TextField("Friends and associates", blank=True)
    places_frequented = models.TextField("Addresses and places frequented", blank=True)
    phone_numbers = models.TextField(blank=True)
    social_media = models.TextField(blank=True)
    medical = models.TextField("Medical needs and medication", blank=True)
    money_and_transport = models.TextField("Money, bank cards and transport", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Missing profile {self.pk}"


class FlaggedLocation(models.Model):
    """A place the CSE team links to exploitation; being found there raises an alert."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Flagged location {self.public_id}"


class Alert(models.Model):
    """A trigger fired for a child: the CSE team should look, and a screening is prompted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        MissingEpisode, on_delete=models.PROTECT, null=True, related_name="alerts"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    explanation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A rule fires once per episode, however often the episode is saved.
            models.UniqueConstraint(fields=["episode", "trigger"], name="missing_alert_once")
        ]

    def __str__(self) -> str:
        return f"Alert {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="missing_alert", person_id=self.person_id, restricted=self.person.is_restricted
        )
