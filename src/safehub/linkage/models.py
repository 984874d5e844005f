"""Identity records (one agency's record of a person), the clusters that say which records
are the same person, the trained linkage model, and the clerical review of doubtful pairs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.linkage.choices import (
    DecisionVia,
    Engine,
    LinkBasis,
    ReviewStatus,
    RunMode,
    RunStatus,
)
from safehub.policy import HasAccessFacts, TargetFacts


def restricted_people(person_ids: set[int | None]) -> list[int]:
    """Which of these Safehub people are restricted, in id order."""
    from safehub.people.models import Person

    ids = {i for i in person_ids if i is not None}
    if not ids:
        return []
    return sorted(
        Person.objects.filter(pk__in=ids, is_restricted=True).values_list("pk", flat=True)
    )


class LinkedPersonTarget:
    """The policy's view of a pair or cluster for one restricted person it links: a page
    showing two restricted children's records needs a grant for each (`access_targets`)."""

    def __init__(self, kind: str, object_id: int, person_id: int) -> None:
        self.facts = TargetFacts(
            kind=kind, person_id=person_id, object_id=object_id, restricted=True
        )

    def access_facts(self) -> TargetFacts:
        return self.facts


def _facts(kind: str, object_id: int, people: set[int | None]) -> list[HasAccessFacts]:
    return [LinkedPersonTarget(kind, object_id, p) for p in restricted_people(people)]


class IdentityRecord(models.Model):
    """One source's record of a person, as the source recorded it (errors and all)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=60)
    source_key = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)  # F, M or empty (not known)
    postcode = models.CharField(max_length=12, blank=True)
    # Earlier postcodes the source knows, newest first: address history helps linkage.
    previous_postcodes = models.JSONField(default=list, blank=True)
    nhs_number = models.CharField("NHS number", max_length=20, blank=True)
    upn = models.CharField("Unique Pupil Number", max_length=20, blank=True)
    school_urn = models.CharField("School URN", max_length=10, blank=True)
    # What is wrong with the record as received: codes from `features.PROBLEMS`. A flagged
    # identifier is left out of linkage, never a reason to refuse the record.
    problems = models.JSONField(default=list, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identity_records",
    )
    # Where the record came from, when an import brought it in.
    import_run = models.ForeignKey(
        "imports.ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identity_records",
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="identity_source_key")
        ]

    def __str__(self) -> str:
        return f"{self.source} identity record {self.pk}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="identity_record", person_id=self.person_id, object_id=self.pk)


class LinkageModel(models.Model):
    """A trained Splink model (settings with m and u probabilities), kept so a run can be
    repeated exactly. The newest one is used until someone retrains."""

    created_at = models.DateTimeField(auto_now_add=True)
    engine = models.CharField(max_length=20, choices=Engine.choices)
    records_trained_on = models.PositiveIntegerField()
    model_json = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Linkage model {self.pk}"


class LinkageRun(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engine = models.CharField(max_length=20, choices=Engine.choices)
    mode = models.CharField(max_length=20, choices=RunMode.choices, default=RunMode.FULL)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    channel = models.CharField(max_length=10, default="cli")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    scored_pairs = models.PositiveIntegerField(default=0)
    links = models.PositiveIntegerField(default=0)
    review_pairs = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    # What went wrong, in words; never record contents.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Linkage run {self.public_id} ({self.status})"


class PersonCluster(models.Model):
    """The records believed to be one person. Its id stays the same from run to run for as
    long as most of its records stay together."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linkage_clusters",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Cluster {self.public_id}"

    def linked_people(self) -> set[int | None]:
        """The Safehub people this cluster's records (and the cluster itself) stand for."""
        people = set(
            IdentityRecord.objects.filter(membership__cluster=self).values_list(
                "person_id", flat=True
            )
        )
        return people | {self.person_id}

    def access_facts(self) -> TargetFacts:
        """Restricted when any person it links is restricted (then `person_id` is the
        first such person, for the policy's grant check)."""
        restricted = restricted_people(self.linked_people())
        return TargetFacts(
            kind="person_cluster",
            person_id=restricted[0] if restricted else self.person_id,
            object_id=self.pk,
            restricted=bool(restricted),
        )

    def access_targets(self) -> list[HasAccessFacts]:
        """Itself, and one target per further restricted person: each needs a grant."""
        return [self, *_facts("person_cluster", self.pk, self.linked_people())[1:]]


class ClusterMembership(models.Model):
    """Which cluster a record is in after the latest successful run, and how sure we are."""

    record = models.OneToOneField(
        IdentityRecord, on_delete=models.CASCADE, related_name="membership"
    )
    cluster = models.ForeignKey(PersonCluster, on_delete=models.CASCADE, related_name="members")
    # The strongest link from this record to another in its cluster (None when alone).
    match_probability = models.FloatField(null=True, blank=True)
    basis = models.CharField(max_length=20, choices=LinkBasis.choices)
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Membership {self.pk}"


class LinkDecision(models.Model):
    """A data officer's word on two records: the same person or not. Automatic runs obey it."""

    record_a = models.ForeignKey(IdentityRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(IdentityRecord, on_delete=models.CASCADE, related_name="+")
    same_person = models.BooleanField()
    via = models.CharField(max_length=20, choices=DecisionVia.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="one_decision_per_pair"),
            models.CheckConstraint(
                condition=models.Q(record_a__lt=models.F("record_b")), name="decision_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk}"


class ReviewPair(models.Model):
    """Two records whose link probability falls between the review thresholds."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_a = models.ForeignKey(IdentityRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(IdentityRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # Per comparison: {"comparison", "level", "weight"} from the run that queued the pair.
    evidence = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    queued_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="one_review_per_pair"),
            models.CheckConstraint(
                condition=models.Q(record_a__lt=models.F("record_b")), name="review_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"])]

    def __str__(self) -> str:
        return f"Review pair {self.public_id}"

    def linked_people(self) -> set[int | None]:
        """The Safehub people the two records stand for (where known)."""
        return {self.record_a.person_id, self.record_b.person_id}

    def access_facts(self) -> TargetFacts:
        """Restricted when either record is a restricted person's (then `person_id` is
        that person, for the policy's grant check)."""
        restricted = restricted_people(self.linked_people())
        return TargetFacts(
            kind="review_pair",
            person_id=restricted[0] if restricted else None,
            object_id=self.pk,
            restricted=bool(restricted),
        )

    def access_targets(self) -> list[HasAccessFacts]:
        """Itself, and one target per further restricted person: each needs a grant."""
        return [self, *_facts("review_pair", self.pk, self.linked_people())[1:]]
