"""The attendance rules' thresholds: `thresholds.yaml`, overridden by settings, checked at start.

SAFEHUB_ATTENDANCE_RULES = {"part_day": {"min_days": 5}}   # only what differs from the file
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safehub.attendance.rules import RULE_NAMES, Thresholds

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")


def build_thresholds(*layers: dict[str, Any]) -> Thresholds:
    """Thresholds from the defaults, each layer overriding the one before.

    Refuses (ImproperlyConfigured) an unknown rule or key, and a value that is not a positive
    whole number (a percentage may be a number from 0 to 100, above 0).
    """
    result = Thresholds()
    for layer in layers:
        if not isinstance(layer, dict):
            raise ImproperlyConfigured("attendance thresholds: expected a mapping of rules")
        for rule, values in layer.items():
            if rule == "supporting_only":
                result = replace(result, supporting_only=_rule_list(values))
                continue
            known = {f.name for f in fields(Thresholds)} - {"supporting_only"}
            if rule not in known:
                raise ImproperlyConfigured(f"attendance thresholds: unknown rule {rule!r}")
            current = getattr(result, rule)
            if not isinstance(values, dict):
                raise ImproperlyConfigured(f"attendance thresholds: {rule} must be a mapping")
            keys = {f.name for f in fields(current)}
            for key, value in values.items():
                if key not in keys:
                    raise ImproperlyConfigured(f"attendance thresholds: unknown key {rule}.{key}")
                percent = key in {"percent", "min_share_percent", "drop_points"}
                ok = (
                    isinstance(value, int | float) and not isinstance(value, bool) and value > 0
                    if percent
                    else isinstance(value, int) and not isinstance(value, bool) and value >= 1
                )
                if not ok or (percent and value > 100):
                    raise ImproperlyConfigured(
                        f"attendance thresholds: {rule}.{key} must be "
                        + (
                            "a number above 0, up to 100"
                            if percent
                            else "a whole number, 1 or more"
                        )
                    )
            result = replace(result, **{rule: replace(current, **values)})
    return result


def _rule_list(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ImproperlyConfigured("attendance thresholds: supporting_only must list rule names")
    unknown = set(values) - set(RULE_NAMES)
    if unknown:
        raise ImproperlyConfigured(f"attendance thresholds: unknown rule(s) {sorted(unknown)}")
    return tuple(values)


def thresholds() -> Thresholds:
    """The thresholds in force: the app's file, then `SAFEHUB_ATTENDANCE_RULES`."""
    with THRESHOLDS_FILE.open(encoding="utf-8") as handle:
        from_file = yaml.safe_load(handle) or {}
    return build_thresholds(from_file, getattr(settings, "SAFEHUB_ATTENDANCE_RULES", {}) or {})
