"""Code lists for taxi and private hire licensing (DOMAIN.md section 7)."""

from __future__ import annotations

from django.db import models


class BadgeType(models.TextChoices):
    HACKNEY = "hackney", "Hackney carriage"
    PRIVATE_HIRE = "private_hire", "Private hire"
    DUAL = "dual", "Dual (hackney and private hire)"


class DecisionKind(models.TextChoices):
    GRANT = "grant", "Grant"
    RENEW = "renew", "Renewal"
    REFUSE = "refuse", "Refusal"
    REVOKE = "revoke", "Revocation"


# Decisions the national register (NR3S) records.
FOR_NATIONAL_REGISTER = frozenset({DecisionKind.REFUSE, DecisionKind.REVOKE})


class RegisterResult(models.TextChoices):
    """The answer of a search of the national register of refusals and revocations."""

    NO_MATCH = "no_match", "No match"
    MATCH = "match", "Match found — details requested and considered"


class LicenceStatus(models.TextChoices):
    CURRENT = "current", "Current"
    REVOKED = "revoked", "Revoked"


class AlertKind(models.TextChoices):
    DBS = "dbs", "DBS certificate"
    UPDATE_SERVICE = "update_service", "Update Service status check"
    TRAINING = "training", "CSE/safeguarding training"
    LICENCE = "licence", "Driver licence"
