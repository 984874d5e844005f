"""How long break-glass access lasts, each with a default, so deployments override only what
differs.

SAFEHUB_BREAK_GLASS_HOURS = 72                   # break-glass access ends by itself after this
SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS = 28        # a manager may confirm it for at most this long
SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS = 7     # ... and for this long if they pick no date

Checked when Safehub starts (see `PeopleConfig.ready`), so a bad value stops it at once rather
than at the first emergency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Upper bounds: past these a "temporary" access is not temporary any more.
MOST_HOURS = 24 * 14
MOST_CONFIRM_DAYS = 366


@dataclass(frozen=True)
class BreakGlassPeriods:
    hours: int
    confirm_max_days: int
    confirm_default_days: int


def _whole_number(name: str, default: int, most: int) -> int:
    value = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise ImproperlyConfigured(f"{name} must be a whole number from 1 to {most}, not {value!r}")
    return value


def break_glass_periods() -> BreakGlassPeriods:
    """The break-glass periods from settings. Refuses (ImproperlyConfigured) anything but a whole
    number within bounds, and a default confirmation longer than the maximum."""
    periods = BreakGlassPeriods(
        hours=_whole_number("SAFEHUB_BREAK_GLASS_HOURS", 72, MOST_HOURS),
        confirm_max_days=_whole_number(
            "SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS", 28, MOST_CONFIRM_DAYS
        ),
        confirm_default_days=_whole_number(
            "SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS", 7, MOST_CONFIRM_DAYS
        ),
    )
    if periods.confirm_default_days > periods.confirm_max_days:
        raise ImproperlyConfigured(
            "SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS must not be more than "
            "SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS"
        )
    return periods
