"""CSE cases: allocation, risk, safety plan, interventions, reviews, chronology and meetings.

A case, its safety plan and a meeting carry a `version`: every edit form posts the version it
read and a save against a newer version is refused (safehub.versioning), so nobody's change
is overwritten.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from safehub.cases.factors import FACTORS
from safehub.policy import TargetFacts

USER = settings.AUTH_USER_MODEL


class Record(models.Model):
    """Base for the case's child records: never shown by name (no personal data in __str__)."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    EXPLOITED = "exploited", "Exploited"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "Risk reduced: plan outcomes met"
    STEP_DOWN = "step_down", "Stepped down to early help or universal services"
    STEP_UP = "step_up", "Stepped up to child protection or care (CSE work continues there)"
    MOVED_AWAY = "moved_away", "Moved out of the area (transferred)"
    TURNED_18 = "turned_18", "Turned 18 (transition to adult services)"
    DECLINED = "declined", "Child and family declined support"
    OTHER = "other", "Other (explained in the notes)"


class EducationStatus(models.TextChoices):
    YES = "yes", "In education, training or employment"
    NO = "no", "Not in education, training or employment"
    NOT_KNOWN = "not_known", "Not known"


class NrmOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a decision"
    REASONABLE_POSITIVE = "reasonable_positive", "Positive reasonable grounds"
    REASONABLE_NEGATIVE = "reasonable_negative", "Negative reasonable grounds"
    CONCLUSIVE_POSITIVE = "conclusive_positive", "Positive conclusive grounds"
    CONCLUSIVE_NEGATIVE = "conclusive_negative", "Negative conclusive grounds"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    allocated_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_cases"
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default="medium")
    next_review_due = models.DateField()
    nrm_referred = models.BooleanField("NRM referral made", default=False)
    nrm_referral_date = models.DateField(null=True, blank=True)
    nrm_outcome = models.CharField(max_length=30, choices=NrmOutcome.choices, blank=True)
    nrm_outcome_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_notes = models.TextField(blank=True)
    risk_at_closure = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    in_education_at_closure = models.CharField(
        max_length=10, choices=EducationStatus.choices, blank=True
    )
    missing_episodes_last_3_months = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # One open case per child: the database refuses a second, whatever the code does.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="one_open_case_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"Case {self.public_id}"

    def access_facts(self) -> TargetFacts:
        # The allocated worker "owns" the case: a practitioner's relationship is OWN only there.
        return TargetFacts(
            kind="case",
            person_id=self.person_id,
            owner_user_id=self.allocated_to_id,
            restricted=self.person.is_restricted,
            object_id=self.pk,
        )


class Allocation(Record):
    """One period of a case with one worker; the history survives reallocation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    allocated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-allocated_at", "-id"]


class RiskChange(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_changes")
    previous_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]


class SafetyPlan(Record):
    """The plan agreed with the child and family, in editable sections."""

    SECTIONS = (
        ("risks", "Risks"),
        ("protective_factors", "Protective factors"),
        ("agreed_actions", "Agreed actions"),
        ("contacts", "Contacts"),
    )
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    risks = models.TextField(blank=True)
    protective_factors = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)


class Revision(Record):
    """Who changed what on a versioned record, so a refused stale save can show it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    record = models.CharField(max_length=20)  # "case" or "safety_plan"
    version = models.PositiveIntegerField()  # the version this change produced
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    what = models.CharField(max_length=60)
    changes = models.JSONField(default=dict)  # {field: [old, new]}

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "record", "version"], name="one_revision")
        ]


class InterventionKind(models.TextChoices):
    DIRECT_WORK = "direct_work", "Direct work session"
    YOUTH_WORK = "youth_work", "Youth work"
    HEALTH = "health", "Health"
    FAMILY = "family", "Work with the family"
    OTHER = "other", "Other"


class Intervention(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    date = models.DateField()
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]


class Review(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField()
    next_due = models.DateField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class CaseFactor(Record):
    """An assessment factor, stored as its DfE Children in Need census code."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=4, choices=[(f.code, f.label) for f in FACTORS])
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="one_factor_code")]


class EntryKind(models.TextChoices):
    CONTACT = "contact", "Contact"
    VISIT = "visit", "Visit"
    DIRECT_WORK = "direct_work", "Direct work"
    NOTE = "note", "Case note"


class ChronologyEntry(Record):
    """Something recorded by hand in a child's chronology."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    police_only = models.BooleanField(default=False)
    third_party = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "chronology entries"


class MeetingKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy discussion"
    MASE = "mase", "Multi-agency sexual exploitation (MASE) meeting"


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    held_at = models.DateTimeField(db_index=True)
    agenda = models.ManyToManyField(Case, related_name="meetings", blank=True)
    # Free text for now; shown only to police members and the CSE team.
    places_and_persons_of_concern = models.TextField(blank=True)
    information_shared = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # Who saved what and when, so a refused stale save of the outcome can show it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"Meeting {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="meeting", owner_user_id=self.created_by_id, object_id=self.pk)


class Attendee(Record):
    """A user who attended, or someone without an account (name and agency as text)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=200, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="one_attendance_per_user",
            )
        ]


class MeetingAction(Record):
    """An action agreed at a meeting: on the meeting's tracker and in the child's chronology."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="meeting_actions")
    due_date = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="meeting_action",
            person_id=self.case.person_id if self.case is not None else None,
            owner_user_id=self.owner_id,
            object_id=self.pk,
        )
