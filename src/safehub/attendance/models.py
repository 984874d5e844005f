"""School attendance as the schools' systems export it, one row per pupil per school week."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.attendance.choices import ACTIVE, AlertStatus, DismissalReason, RuleName
from safehub.policy import TargetFacts


class AttendanceWeek(models.Model):
    """A pupil's ten sessions in one school week (DfE attendance codes, Monday AM first).

    Keyed as the source keys it: UPN, school and week. `person` is the pupil's record when
    the UPN is known to Safehub. Each row knows the import and the file row it came from.
    """

    upn = models.CharField("Unique Pupil Number", max_length=13)
    school = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    week_commencing = models.DateField()
    sessions = models.CharField(max_length=10)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_weeks",
    )
    import_run = models.ForeignKey(
        "imports.ImportRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["upn", "school", "week_commencing"], name="attendance_week_unique"
            )
        ]
        indexes = [models.Index(fields=["school", "week_commencing"])]

    def __str__(self) -> str:
        return f"{self.week_commencing}: {self.sessions}"


class SchoolAssignment(models.Model):
    """An education welfare officer covers a school: they receive its attendance alerts."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_assignments"
    )
    school = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "school"], name="attendance_assignment_once")
        ]

    def __str__(self) -> str:
        return f"Assignment {self.pk}"


class AttendanceAlert(models.Model):
    """A pupil's attendance at a school matched one or more rules; the EWO decides what next.

    At most one open or acknowledged alert per pupil and school: a new scan updates it. A
    dismissed or escalated alert is kept as it was; only a rule that fires anew opens another.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    upn = models.CharField("Unique Pupil Number", max_length=13)
    school = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The scan's "as of" date when a finding was last added or changed.
    as_of = models.DateField()
    # A rule fired that the officer has not seen since acknowledging.
    has_new_findings = models.BooleanField(default=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.TextField(blank=True)
    # Why, as one of a fixed list (counted by the rules review); blank when not dismissed, or
    # dismissed before the list existed.
    dismissal_category = models.CharField(
        max_length=30, choices=DismissalReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["upn", "school"],
                condition=models.Q(status__in=[s.value for s in ACTIVE]),
                name="attendance_one_active_alert",
            )
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["upn"])]

    def __str__(self) -> str:
        return f"Attendance alert {self.public_id}"

    @property
    def reference(self) -> str:
        return str(self.public_id)[:8].upper()

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="attendance_alert",
            person_id=self.person_id,
            owner_agency_id=self.school_id,
            restricted=bool(self.person and self.person.is_restricted),
            object_id=self.pk,
            school_id=self.school_id,
        )


class AlertFinding(models.Model):
    """One rule's finding on an alert: when it fired, its facts and the sentence shown."""

    alert = models.ForeignKey(AttendanceAlert, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=40, choices=RuleName.choices)
    first_week = models.DateField()
    last_week = models.DateField()
    run_start = models.DateField()
    facts = models.JSONField(default=dict)
    sentence = models.TextField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "rule"], name="attendance_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} finding {self.pk}"
