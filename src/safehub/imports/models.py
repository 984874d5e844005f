"""Imports: one row per file brought in from another agency's system, and where each stored
record came from."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.policy import TargetFacts


class ImportRun(models.Model):
    """One file imported (or only checked) for one source, by one user."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked (dry run)"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # URLs carry this random id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=60, db_index=True)
    source_version = models.PositiveIntegerField()
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # What went wrong, in words for the user; never row contents (they hold personal data).
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    channel = models.CharField(max_length=10, default="web")  # web or cli
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The first rejected rows: [{"row": n, "column": name, "reason": words}]; no values.
    rejections = models.JSONField(default=list, blank=True)
    # The user chose to import the good rows and leave the rejected ones out.
    skip_rejected = models.BooleanField(default=False)
    # The uploaded file, kept (0600) under VAR_DIR/imports/ until applied or abandoned.
    stored_file = models.CharField(max_length=500, blank=True)
    # The rejected rows with a reason column (0600), kept as long as the upload.
    rejected_file = models.CharField(max_length=500, blank=True)
    # The process doing the work, to tell a dead runner from a slow one (see progress.py).
    runner_pid = models.PositiveIntegerField(null=True, blank=True)
    runner_host = models.CharField(max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} v{self.source_version}: {self.file_name} ({self.status})"

    @property
    def reference(self) -> str:
        return str(self.public_id)[:8].upper()

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="import_run",
            owner_user_id=self.started_by_id,
            owner_agency_id=self.started_by.agency_id if self.started_by else None,
        )


class SourceRecord(models.Model):
    """Where a record in a shared model came from: a source's own key, the row hash last
    imported, and the import run and file row that last wrote it.

    For sources that write into models they do not own (`people.Person`, `accounts.Agency`,
    `missing.MissingEpisode`). `person` is the person the row is about, when there is one;
    `object_id` the other record it made (an agency, an episode), if any.
    """

    source = models.CharField(max_length=60)
    source_key = models.CharField(max_length=200)
    row_hash = models.CharField(max_length=64)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    source_row = models.PositiveIntegerField()
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_records",
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    # This source made the person (rather than linking to one already known): its later
    # rows may update the person's names and date of birth.
    created_person = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="import_source_key_once")
        ]
        indexes = [models.Index(fields=["source", "person"])]

    def __str__(self) -> str:
        return f"{self.source} record {self.pk}"
