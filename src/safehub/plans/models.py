"""The delivery plan and its governance: objectives, actions, updates, evidence, measures,
governance bodies, their meetings and resolutions, the forward plan and progress reports.

No child's personal data belongs here: the plan is about the partnership's work. Actions,
objectives, resolutions and forward-plan items keep a full version history
(django-simple-history), so the plan can be read as it stood on any past date.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safehub.plans.rules import Rag, Status
from safehub.policy import TargetFacts

USER = settings.AUTH_USER_MODEL


class GovernanceBody(models.Model):
    """A board, committee or office-holder the plan reports to (the LSCB, a scrutiny board)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    remit = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="governance_body")


class DeliveryPlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True)
    owning_body = models.ForeignKey(
        GovernanceBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="delivery_plan")


class Objective(models.Model):
    """A strategic objective (Prevent, Protect, Pursue...)."""

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.PROTECT, related_name="objectives")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_objective_key")]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A meeting of a governance body, at which items are considered."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(GovernanceBody, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.body} {self.held_on:%d %B %Y}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="governance_meeting")


class AgendaItem(models.Model):
    """An item a meeting considered (a report, a briefing)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Resolution(models.Model):
    """What a body resolved; tracked through the plan actions created for it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=60, blank=True)
    body = models.ForeignKey(GovernanceBody, on_delete=models.PROTECT, related_name="resolutions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="resolutions"
    )
    text = models.TextField()
    # A resolution may be addressed to another body (e.g. "refer to the Scrutiny Board").
    responsible_body = models.ForeignKey(
        GovernanceBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolved_on", "id"]

    def __str__(self) -> str:
        return f"Resolution {self.key or self.public_id}"


class PlanAction(models.Model):
    """One action under an objective, owned by a person in an agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=60, blank=True)
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    success_measure = models.TextField(blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="plan_actions")
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="plan_actions"
    )
    start_date = models.DateField()
    # None: no deadline set (a resolution whose minutes give none). Never overdue.
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices(), default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(default=0)
    completed_on = models.DateField(null=True, blank=True)
    rag_override = models.CharField(max_length=10, choices=Rag.choices(), blank=True)
    rag_override_reason = models.TextField(blank=True)
    # The lead's edit and the owner's update post the version they read; a save against a
    # newer one is refused (safehub.versioning), so nobody's change is overwritten.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        # Dated actions first, soonest first; those with no deadline after them.
        ordering = ["objective__position", models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title

    def access_facts(self) -> TargetFacts:
        # The owner is the one person who may update the action besides the plan lead.
        return TargetFacts(
            kind="plan_action",
            owner_user_id=self.owner_id,
            owner_agency_id=self.owner_agency_id,
            object_id=self.pk,
        )


class ProgressUpdate(models.Model):
    """A dated progress note from the owner (or the lead). Never edited once written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(db_index=True)
    note = models.TextField()
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices())

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Update {self.public_id}"


class EvidenceKind(models.TextChoices):
    NOTE = "note", "A note"
    FILE = "file", "An attached file"
    LINK = "link", "A link"
    FIGURE = "figure", "A Safehub figure"


class Evidence(models.Model):
    """Evidence for an action: a note, a file (kept in the database), a link or a figure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    url = models.URLField(blank=True)
    figure = models.CharField(max_length=60, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-added_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def access_facts(self) -> TargetFacts:
        return self.action.access_facts()


class Measure(models.Model):
    """A success measure with readings over time; optionally read from a Safehub figure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    figure = models.CharField(max_length=60, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Reading(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    taken_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.taken_on}"


class ForwardPlanItem(models.Model):
    """What a body should receive next, and when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(GovernanceBody, on_delete=models.PROTECT, related_name="forward")
    expected_on = models.DateField()
    subject = models.CharField(max_length=300)
    presented_by = models.CharField(max_length=200, blank=True)
    received = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["expected_on", "id"]

    def __str__(self) -> str:
        return self.subject


class ProgressReport(models.Model):
    """A progress report issued to a body for a period; its contents are rebuilt from the
    plan's history as it stood at the end of the period, so it reads the same forever."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DeliveryPlan, on_delete=models.PROTECT, related_name="reports")
    body = models.ForeignKey(GovernanceBody, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField()
    period_end = models.DateField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-period_end", "-issued_at"]

    def __str__(self) -> str:
        return f"Progress report {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="progress_report")
