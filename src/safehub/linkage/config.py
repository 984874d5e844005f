"""Linkage thresholds, from Django settings with defaults (tuning: docs/linkage.md)."""

from __future__ import annotations

from django.conf import settings

# A pair at or above this probability is linked automatically.
DEFAULT_LINK_THRESHOLD = 0.95
# A pair at or above this (and below the link threshold) goes to clerical review.
DEFAULT_REVIEW_THRESHOLD = 0.5


def link_threshold() -> float:
    return float(getattr(settings, "SAFEHUB_LINKAGE_LINK_THRESHOLD", DEFAULT_LINK_THRESHOLD))


def review_threshold() -> float:
    return float(getattr(settings, "SAFEHUB_LINKAGE_REVIEW_THRESHOLD", DEFAULT_REVIEW_THRESHOLD))


def run_inline() -> bool:
    """Run linkage inside the web request (tests) instead of a detached `safehub link`."""
    return bool(getattr(settings, "SAFEHUB_LINKAGE_INLINE", False))


def stale_after_seconds() -> float:
    """A run still "running" this long after it started has died."""
    return float(getattr(settings, "SAFEHUB_LINKAGE_STALE_SECONDS", 4 * 3600))
