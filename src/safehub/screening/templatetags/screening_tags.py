"""Template helpers for the screening pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    """Look up a key in a dict from a template: {{ answers|get:indicator.id }}."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
