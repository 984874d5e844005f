"""The register of council staff and councillors: DBS checks, training, sessions, campaigns.

DBS and training records keep only what the partnership may keep: level, certificate number,
dates and a result of "clear" or "information disclosed — decision recorded", never the
disclosed content. The abstract bases are shared with taxi licensing's driver records.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.policy import TargetFacts
from safehub.workforce.choices import (
    Audience,
    CourseKind,
    DbsLevel,
    DbsResult,
    StaffKind,
    StatusCheckResult,
)


class DbsCheckBase(models.Model):
    """One DBS certificate: level, number, issue date, result and Update Service subscription."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    level = models.CharField(max_length=30, choices=DbsLevel.choices)
    # Blank only for checks imported from HR, whose extract does not carry the number.
    certificate_number = models.CharField(max_length=12, blank=True)
    issued_on = models.DateField()
    result = models.CharField(max_length=10, choices=DbsResult.choices)
    update_service = models.BooleanField("Subscribed to the DBS Update Service", default=False)
    update_service_id = models.CharField(max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-issued_on", "-id"]


class StatusCheckBase(models.Model):
    """One DBS Update Service status check of a certificate."""

    checked_on = models.DateField()
    result = models.CharField(max_length=10, choices=StatusCheckResult.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-checked_on", "-id"]


class TrainingCourse(models.Model):
    """A course people complete: CSE awareness, safeguarding levels; how long it counts."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=CourseKind.choices)
    provider = models.CharField(max_length=200, blank=True)
    valid_months = models.PositiveSmallIntegerField(
        "Valid for (months)", null=True, blank=True, help_text="Blank: the configured default"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingRecordBase(models.Model):
    """One person's completion of a course, with its expiry (the last day it counts)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    expires_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-completed_on", "-id"]


class StaffMember(models.Model):
    """A member of council staff or a councillor on the register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff_number = models.CharField(max_length=20, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=StaffKind.choices)
    job_title = models.CharField(max_length=200, blank=True)
    # Directorate or team for staff; ward for councillors.
    directorate = models.CharField(max_length=200, blank=True)
    works_with_children = models.BooleanField("Role works with children", default=False)
    regulated_activity = models.BooleanField("In regulated activity with children", default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name", "staff_number"]
        indexes = [models.Index(fields=["family_name"])]

    def __str__(self) -> str:
        return f"Staff member {self.public_id}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="staff_member")


class DbsCheck(DbsCheckBase):
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="dbs_checks")

    class Meta(DbsCheckBase.Meta):
        pass

    def __str__(self) -> str:
        return f"DBS check {self.public_id}"


class DbsStatusCheck(StatusCheckBase):
    certificate = models.ForeignKey(
        DbsCheck, on_delete=models.CASCADE, related_name="status_checks"
    )

    class Meta(StatusCheckBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Status check {self.pk}"


class TrainingSession(models.Model):
    """A session of a course on a day, and who attended it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    trainer = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(StaffMember, blank=True, related_name="training_sessions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Training session {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="training_session")


class TrainingRecord(TrainingRecordBase):
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="training")
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )

    class Meta(TrainingRecordBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "session"], name="workforce_training_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"Training record {self.public_id}"


class AwarenessCampaign(models.Model):
    """An awareness-raising campaign: a name, the agency that ran it and its materials."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    running_agency = models.CharField(max_length=200)
    materials = models.TextField(blank=True)
    starts_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="awareness_campaign")


class AwarenessSession(models.Model):
    """One session of a campaign: when, for whom, how many came, who ran it, what was used."""

    campaign = models.ForeignKey(
        AwarenessCampaign, on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(db_index=True)
    audience = models.CharField(max_length=30, choices=Audience.choices)
    venue = models.CharField(max_length=200, blank=True)
    attendance = models.PositiveIntegerField()
    running_agency = models.CharField(max_length=200)
    materials = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Awareness session {self.pk}"
