"""People known to the partnership: names, date of birth, identifiers and address history."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.people.choices import Ethnicity, Sex
from safehub.policy import TargetFacts


class Person(models.Model):
    # URLs carry this random id, never a name, a date of birth or a sequential number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField("Also known as", max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField("Gender identity", max_length=60, blank=True)
    ethnicity = models.CharField(
        max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("Unique Pupil Number", max_length=13, blank=True, db_index=True)
    school = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        limit_choices_to={"agency_type": "school"},
    )
    # A restricted record (e.g. a staff member's child) is visible only with an explicit grant.
    is_restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["family_name", "date_of_birth"]),
            # Search by date of birth alone (the name indexes for search are PostgreSQL's
            # trigram and phonetic indexes, made by migration 0005).
            models.Index(fields=["date_of_birth"], name="people_person_born"),
        ]

    def __str__(self) -> str:
        return f"Person {self.public_id}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    def current_address(self) -> Address | None:
        return self.addresses.filter(moved_out__isnull=True).order_by("-moved_in").first()

    def access_facts(self) -> TargetFacts:
        return TargetFacts(
            kind="person",
            person_id=self.pk,
            owner_user_id=self.created_by_id,
            restricted=self.is_restricted,
        )


class Address(models.Model):
    """One address a person lived at, with dates: the history matters for linkage and risk."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_in"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"Address {self.pk}"


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def current(self, at: datetime) -> AccessGrantQuerySet:
        """Grants that give access at `at`: no end, or an end still to come."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))

    def finished(self, at: datetime) -> AccessGrantQuerySet:
        """Grants that had ended (run out or been ended by a manager) by `at`."""
        return self.filter(expires_at__lte=at)


class AccessGrant(models.Model):
    """Permission for one user to see one restricted person's record.

    A break-glass grant always has an end (`expires_at`): it runs out by itself, a reviewing
    manager may end it at once, or confirm it until a fixed date.
    """

    class Kind(models.TextChoices):
        EXPLICIT = "explicit", "Granted by a manager"
        BREAK_GLASS = "break_glass", "Break-glass"

    class ReviewOutcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        ENDED = "ended", "Ended"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Set by the service's clock (not auto_now_add) so the expiry is measured from the same now.
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Break-glass grants are flagged until a manager has reviewed them.
    needs_review = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="break_glass") | Q(expires_at__isnull=False),
                name="break_glass_grant_has_an_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} grant {self.pk}"

    def is_current(self, at: datetime) -> bool:
        return self.expires_at is None or self.expires_at > at

    @property
    def was_ended(self) -> bool:
        """Ended by a reviewing manager rather than run out."""
        return self.review_outcome == self.ReviewOutcome.ENDED


class MatchCheck(models.Model):
    """A front-door check answered: before a screening, a referral or a missing episode was
    recorded, the user was shown the likely matches and chose one, or said none of them was
    the child and a new person was added.

    Who, when, which journey, how many children were offered and what was chosen; never the
    names or details typed. A "none of these" with children offered is what a data officer
    looks at when duplicates turn up."""

    class Journey(models.TextChoices):
        SCREENING = "screening", "Screening"
        REFERRAL = "referral", "Referral without a screening"
        MISSING = "missing", "Missing episode"

    class Outcome(models.TextChoices):
        CHOSEN = "chosen", "A child already in Safehub chosen"
        NEW = "new", "A child new to Safehub added"

    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    journey = models.CharField(max_length=20, choices=Journey.choices)
    candidates_shown = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # The child chosen, or the child added. Kept as a count if the person is later removed
    # (the demo city's reload removes its people).
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="match_checks"
    )

    class Meta:
        indexes = [models.Index(fields=["journey", "outcome"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="chosen") | Q(candidates_shown__gt=0),
                name="match_check_chosen_from_candidates",
            )
        ]

    def __str__(self) -> str:
        return f"Match check {self.pk}"
