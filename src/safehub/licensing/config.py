"""Taxi licensing settings, each with a default, so deployments override only what differs.

SAFEHUB_LICENSING = {
    "dbs_valid_months": 36,                # enhanced DBS counts this long by certificate alone
    "update_check_months": 6,              # Update Service status checks needed this often
    "national_register_max_age_days": 90,  # an NR3S check must be this recent at a grant
    "licence_months": 36,                  # a driver licence runs this long
    "alert_days": 60,                      # warn this many days before anything expires
}
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safehub.licensing.rules import LicensingPolicy
from safehub.workforce.rules import DbsPolicy

DEFAULTS: dict[str, int] = {
    "dbs_valid_months": 36,
    "update_check_months": 6,
    "national_register_max_age_days": 90,
    "licence_months": 36,
    "alert_days": 60,
}


def policy() -> LicensingPolicy:
    """The licensing policy from settings; refuses unknown keys and values below 1."""
    configured: dict[str, Any] = dict(getattr(settings, "SAFEHUB_LICENSING", {}) or {})
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"SAFEHUB_LICENSING: unknown keys {sorted(unknown)}")
    merged = {**DEFAULTS, **configured}
    for key, value in merged.items():
        if not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(f"SAFEHUB_LICENSING[{key!r}] must be a whole number")
    return LicensingPolicy(
        dbs=DbsPolicy(
            valid_months=merged["dbs_valid_months"],
            update_check_months=merged["update_check_months"],
        ),
        national_register_max_age_days=merged["national_register_max_age_days"],
        licence_months=merged["licence_months"],
        alert_days=merged["alert_days"],
    )
