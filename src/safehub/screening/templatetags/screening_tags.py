"""Template helpers for the screening pages."""

from __future__ import annotations

from typing import Any

from django import template

from safehub.screening import registry
from safehub.screening.definitions import ScreeningTool

register = template.Library()


def _tool(screening: Any) -> ScreeningTool | None:
    try:
        return registry.get_tool(screening.tool_id, screening.tool_version)
    except registry.UnknownTool:
        return None


@register.filter
def tool_title(screening: Any) -> str:
    """The screening tool's title for a screening (never its internal id and version)."""
    tool = _tool(screening)
    return tool.title if tool else "A screening tool no longer installed"


@register.filter
def category_label(screening: Any, field: str = "final_category") -> str:
    """The wording of a screening's result category ({{ s|category_label }}), never its id."""
    code = getattr(screening, field, "") or ""
    tool = _tool(screening)
    if not code:
        return "Not recorded"
    try:
        return tool.category(code).label if tool else code.replace("_", " ").capitalize()
    except KeyError:
        return code.replace("_", " ").capitalize()
