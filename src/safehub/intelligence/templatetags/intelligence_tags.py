"""Template filters for intelligence pages."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# Current-style GB marks (two letters, two digits, three letters) read with a space.
CURRENT_STYLE = re.compile(r"([A-Z]{2}\d{2})([A-Z]{3})")


@register.filter
def vrm(value: str) -> str:
    """A stored registration mark as people write it: "XJ68VSX" -> "XJ68 VSX"."""
    match = CURRENT_STYLE.fullmatch(value or "")
    return f"{match.group(1)} {match.group(2)}" if match else value
