"""The missing app's settings, each with a default, so deployments override only what differs.

SAFEHUB_MISSING_TRIGGERS = {"repeat_episodes": 3, "repeat_window_days": 90, "rhi_due_hours": 72}
SAFEHUB_MISSING_FINDINGS_MIN_CHILDREN = 3   # smaller counts hidden from roles not allowed
SAFEHUB_MISSING_PROFILE_REVIEW_DAYS = 90    # a Philomena profile older than this needs review
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safehub.missing.rules import Thresholds


def thresholds() -> Thresholds:
    """The trigger and clock thresholds; refuses unknown keys and values below 1."""
    configured: dict[str, Any] = dict(getattr(settings, "SAFEHUB_MISSING_TRIGGERS", {}) or {})
    known = {f.name for f in fields(Thresholds)}
    unknown = set(configured) - known
    if unknown:
        raise ImproperlyConfigured(f"SAFEHUB_MISSING_TRIGGERS: unknown keys {sorted(unknown)}")
    for key, value in configured.items():
        if not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(f"SAFEHUB_MISSING_TRIGGERS[{key!r}] must be a whole number")
    return Thresholds(**configured)


def findings_min_children() -> int:
    """Counts of children below this are shown only to roles allowed to see small numbers."""
    return int(getattr(settings, "SAFEHUB_MISSING_FINDINGS_MIN_CHILDREN", 3))


def profile_review_days() -> int:
    """A profile not updated for this many days is shown as needing review."""
    return int(getattr(settings, "SAFEHUB_MISSING_PROFILE_REVIEW_DAYS", 90))
