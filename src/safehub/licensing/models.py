"""Hackney carriage and private hire drivers: licences, checks, training and decisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehub.licensing.choices import BadgeType, DecisionKind, LicenceStatus, RegisterResult
from safehub.licensing.rules import condition_label
from safehub.policy import TargetFacts
from safehub.workforce.models import DbsCheckBase, StatusCheckBase, TrainingRecordBase


class Driver(models.Model):
    """A licensed (or applying) driver. Not a child: none of Safehub's child records link here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_number = models.CharField(max_length=12, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    badge_type = models.CharField(max_length=15, choices=BadgeType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name", "badge_number"]
        indexes = [models.Index(fields=["family_name"])]

    def __str__(self) -> str:
        return f"Driver {self.public_id}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="driver")


class Licence(models.Model):
    """A driver's licence for a period (three years by default)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="licences")
    badge_type = models.CharField(max_length=15, choices=BadgeType.choices)
    starts_on = models.DateField()
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.CURRENT
    )

    class Meta:
        ordering = ["-expires_on", "-id"]

    def __str__(self) -> str:
        return f"Licence {self.public_id}"


class DriverDbsCheck(DbsCheckBase):
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="dbs_checks")

    class Meta(DbsCheckBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Driver DBS check {self.public_id}"


class DriverStatusCheck(StatusCheckBase):
    certificate = models.ForeignKey(
        DriverDbsCheck, on_delete=models.CASCADE, related_name="status_checks"
    )

    class Meta(StatusCheckBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Driver status check {self.pk}"


class DriverTraining(TrainingRecordBase):
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="training")

    class Meta(TrainingRecordBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Driver training {self.public_id}"


class NationalRegisterCheck(models.Model):
    """A search of the national register of refusals, revocations and suspensions (NR3S)."""

    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, related_name="national_register_checks"
    )
    checked_on = models.DateField()
    result = models.CharField(max_length=10, choices=RegisterResult.choices)
    # Null only for checks imported from the licensing system, which does not say who checked.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"National register check {self.pk}"


class LicensingDecision(models.Model):
    """A grant, renewal, refusal or revocation, with who decided, why, and any rule override."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    # A grant or renewal the rules refused, made anyway by a named senior officer.
    overridden_conditions = models.JSONField(default=list, blank=True)
    override_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Refusals and revocations are recorded on the national register; when that was done.
    register_recorded_on = models.DateField(null=True, blank=True)
    register_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Licensing decision {self.public_id}"

    @property
    def is_override(self) -> bool:
        return self.override_officer_id is not None

    @property
    def overridden_labels(self) -> list[str]:
        """The conditions overridden, in words (the codes stay in `overridden_conditions`)."""
        return [condition_label(code) for code in self.overridden_conditions]

    def access_facts(self) -> TargetFacts:
        return TargetFacts(kind="licensing_decision")


class SeniorLicensingOfficer(models.Model):
    """Licensing officers designated senior: only they may override the licensing rules.

    A flag, not a role: seniority is a designation within the licensing team, made by a
    system administrator with `safehub designate_senior_officer USERNAME`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="senior_licensing"
    )
    designated_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Senior licensing officer {self.user_id}"


class Vehicle(models.Model):
    """A licensed vehicle and the driver it is licensed with."""

    plate_number = models.CharField(max_length=12, unique=True)
    vrm = models.CharField("Registration mark", max_length=10, db_index=True)
    make_model = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    driver = models.ForeignKey(
        Driver, on_delete=models.SET_NULL, null=True, blank=True, related_name="vehicles"
    )

    class Meta:
        ordering = ["plate_number"]

    def __str__(self) -> str:
        return self.plate_number
