"""Agencies, users, the roles they hold and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from safehub.policy.roles import AgencyType, Role


class Agency(models.Model):
    """A partner organisation: the council, the police, a school, a health trust..."""

    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    # Schools carry their DfE Unique Reference Number; other agencies leave it blank.
    urn = models.CharField("URN", max_length=8, blank=True)
    school_phase = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("primary", "Primary"),
            ("secondary", "Secondary"),
            ("all_through", "All-through"),
        ],
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff of one agency. What they may do comes from their roles and the policy."""

    # Administration pages address a user by this random id, never by name or number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="users")
    job_title = models.CharField(max_length=120, blank=True)
    # Set when an administrator issues a password: the user must choose their own next.
    must_change_password = models.BooleanField(default=False)

    def own_school_id(self) -> int | None:
        """The school this user works at, or None: a form about a child starts with it as the
        child's school (a convenience, never an access decision)."""
        agency = self.agency
        return agency.pk if agency is not None and agency.agency_type == AgencyType.SCHOOL else None

    def role_set(self) -> frozenset[str]:
        """The roles this user holds, cached on the instance for the request."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_cache = cached
        return cached


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw_token() -> str:
        return "sh_" + secrets.token_urlsafe(32)


class HeldSubmission(models.Model):
    """A form a user sent just after their session timed out, kept so no work is lost.

    Only kept when the form's CSRF token was valid; only its author can send it again (with a
    fresh token) or discard it; it expires after a day.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="held_submissions")
    path = models.CharField(max_length=500)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Held submission {self.public_id}"


class EnrolmentCode(models.Model):
    """A one-time code a system administrator issues so that its owner, and nobody holding only
    their password, can set up two-factor authentication.

    Only a salted hash is stored; the code is shown once to the administrator. One per user:
    issuing a new one replaces the old. It works once, until it expires, and stops working
    after too many wrong tries.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="enrolment_code")
    digest = models.CharField(max_length=128)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Enrolment code for user {self.user_id}"
