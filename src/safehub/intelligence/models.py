"""Police intelligence: persons of interest, places, vehicles, who is linked to what, and the
disruption used against them (DOMAIN.md sections 2.7 and 2.8).

Police roles only: `safehub.policy` gives these records to the police intelligence officer and
the police analyst and no one else, and every read is audited. A person of interest is a
`people.Person` (so linkage, de-duplication and the person's other records apply); children
appear in associations and notices as Persons too.

A person of interest and a disruption carry a `version`: their edit forms post the version they
read and a save against a newer one is refused (safehub.versioning), so one officer's change is
never overwritten by another's; their history says who saved what, for that refusal.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safehub.intelligence.choices import (
    AssociationKind,
    DisruptionKind,
    DisruptionOutcome,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    PoiStatus,
    SourceEvaluation,
)
from safehub.policy import TargetFacts


class PersonOfInterest(models.Model):
    """An adult the police hold intelligence on in connection with child sexual exploitation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="person_of_interest"
    )
    # The police system's nominal reference (e.g. a PNC or Niche id), when known.
    police_reference = models.CharField(max_length=30, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=PoiStatus.choices, default=PoiStatus.ACTIVE)
    reason = models.CharField("Why they are of interest", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "person of interest"
        verbose_name_plural = "persons of interest"

    def __str__(self) -> str:
        return f"Person of interest {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="person_of_interest", owner_user_id=self.created_by_id)


class PersonOfInterestStatusChange(models.Model):
    """One change of a person of interest's status (closed or reopened): who, when, from what
    to what, and why. Written only by `status_changes.change_status`; never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_of_interest = models.ForeignKey(
        PersonOfInterest, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=PoiStatus.choices)
    to_status = models.CharField(max_length=10, choices=PoiStatus.choices)
    reason = models.CharField("Why", max_length=500)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"Status change {self.public_id}"


class Location(models.Model):
    """An address or premises named in intelligence or where a missing child was found."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The police system's own location reference, when imported.
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=LocationKind.choices)
    name = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    # British National Grid, metres (what police systems hold); the profile maps them.
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"Location {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="intel_location", owner_user_id=self.created_by_id)


class Vehicle(models.Model):
    """A vehicle named in intelligence. A licensed taxi links to the licensing register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vrm = models.CharField("Registration mark", max_length=10, unique=True)  # normalised
    make_model = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    keeper = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kept_vehicles",
    )
    licensed_vehicle = models.ForeignKey(
        "licensing.Vehicle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intelligence_vehicles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["vrm"]

    def __str__(self) -> str:
        return f"Vehicle {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="intel_vehicle", owner_user_id=self.created_by_id)


class Association(models.Model):
    """A link between two of: a person, a location, a vehicle, graded 3x5x2.

    Exactly two ends are set: (person, other_person), (person, location), (person, vehicle) or
    (location, vehicle). `person` is the subject of the intelligence when there is one.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=25, choices=AssociationKind.choices)
    recorded_on = models.DateField()
    # When the sighting happened, if the time is known (for time-of-day patterns).
    occurred_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_as_subject",
    )
    other_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_as_other",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associations",
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="associations"
    )
    source = models.CharField("Source", max_length=200, blank=True)
    source_evaluation = models.CharField(
        max_length=1, choices=SourceEvaluation.choices, default=SourceEvaluation.UNTESTED
    )
    intelligence_assessment = models.CharField(
        max_length=1,
        choices=IntelligenceAssessment.choices,
        default=IntelligenceAssessment.KNOWN_INDIRECTLY,
    )
    handling_code = models.CharField(
        max_length=1, choices=HandlingCode.choices, default=HandlingCode.LAWFUL_SHARING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["recorded_on"])]

    def __str__(self) -> str:
        return f"Association {self.public_id}"

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.intelligence_assessment}{self.handling_code}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="association", owner_user_id=self.created_by_id)


class Disruption(models.Model):
    """Action taken against a person or a place, with its date and outcome."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=DisruptionKind.choices)
    subject = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruptions",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruptions",
    )
    # The child a child abduction warning notice names.
    child = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protecting_disruptions",
    )
    occurred_on = models.DateField("Date served, made or done")
    ends_on = models.DateField("Expires or ends", null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=DisruptionOutcome.choices, default=DisruptionOutcome.PENDING
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"Disruption {self.public_id}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="disruption", owner_user_id=self.created_by_id)
