"""Workforce register settings, each with a default: deployments override only what differs.

SAFEHUB_WORKFORCE = {
    "dbs_valid_months": 36,            # a certificate counts this long without the Update Service
    "update_check_months": 6,          # Update Service status checks needed this often
    "training_valid_months": 36,       # default validity of a course (a course may set its own)
    "required_dbs": {                  # the DBS level each group needs ("" = none)
        "councillor": "basic",
        "regulated_activity": "enhanced_barred_lists",
        "child_facing": "enhanced",
        "other_staff": "",
    },
    "not_child_facing_titles": ["Business support officer"],  # HR import: roles away from children
    "coverage_quarters": 4,            # how many past quarter-ends the coverage trend shows
    "alert_days": 60,                  # list checks and training running out this soon
}
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safehub.workforce.choices import DbsLevel
from safehub.workforce.rules import (
    CHILD_FACING,
    COUNCILLOR,
    OTHER_STAFF,
    REGULATED,
    DbsPolicy,
)

DEFAULTS: dict[str, Any] = {
    "dbs_valid_months": 36,
    "update_check_months": 6,
    "training_valid_months": 36,
    "required_dbs": {
        COUNCILLOR: DbsLevel.BASIC.value,
        REGULATED: DbsLevel.ENHANCED_BARRED.value,
        CHILD_FACING: DbsLevel.ENHANCED.value,
        OTHER_STAFF: "",
    },
    "not_child_facing_titles": ["Business support officer"],
    "coverage_quarters": 4,
    "alert_days": 60,
}
WHOLE_NUMBERS = ("dbs_valid_months", "update_check_months", "training_valid_months")


def _settings() -> dict[str, Any]:
    configured: dict[str, Any] = dict(getattr(settings, "SAFEHUB_WORKFORCE", {}) or {})
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"SAFEHUB_WORKFORCE: unknown keys {sorted(unknown)}")
    merged = {**DEFAULTS, **configured}
    for key in (*WHOLE_NUMBERS, "coverage_quarters", "alert_days"):
        if not isinstance(merged[key], int) or merged[key] < 1:
            raise ImproperlyConfigured(f"SAFEHUB_WORKFORCE[{key!r}] must be a whole number")
    return merged


def dbs_policy() -> DbsPolicy:
    """How long a staff member's or councillor's DBS check counts."""
    conf = _settings()
    return DbsPolicy(
        valid_months=conf["dbs_valid_months"], update_check_months=conf["update_check_months"]
    )


def training_valid_months() -> int:
    """Default validity of a training course, for courses that do not set their own."""
    return int(_settings()["training_valid_months"])


def required_dbs() -> dict[str, str]:
    """The DBS level each group needs; an empty string means the group needs none."""
    required = {**DEFAULTS["required_dbs"], **_settings()["required_dbs"]}
    valid = {level.value for level in DbsLevel} | {""}
    for group, level in required.items():
        if level not in valid:
            raise ImproperlyConfigured(f"SAFEHUB_WORKFORCE['required_dbs'][{group!r}]: {level!r}")
    return required


def not_child_facing_titles() -> frozenset[str]:
    return frozenset(t.casefold() for t in _settings()["not_child_facing_titles"])


def coverage_quarters() -> int:
    return int(_settings()["coverage_quarters"])


def alert_days() -> int:
    """Checks and training running out within this many days are listed ahead of time."""
    return int(_settings()["alert_days"])
