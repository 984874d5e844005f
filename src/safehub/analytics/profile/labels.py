"""Codes from the snapshot as words, and the order bands and months are shown in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from safehub.screening import registry

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
AGE_ORDER = ["Under 10", "10 to 12", "13", "14", "15", "16", "17", "18 or over", "Not known"]
ADULT_AGE_ORDER = [
    "Under 18",
    "18 to 24",
    "25 to 34",
    "35 to 44",
    "45 to 54",
    "55 or over",
    "Not known",
]


def _label(code: str) -> str:
    """A code from the snapshot as words ("white_british" → "White british")."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Not recorded"


def _choice_label(choices: Any) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, _label(code)))


def _indicator_label(code: Any) -> str:
    """An indicator's wording from the screening tools ("missing_repeat" → its question)."""
    for tool in registry.list_tools():
        for indicator in tool.indicators():
            if indicator.id == code:
                return indicator.label
    return _label(code)


def _plural(count: int, singular: str, plural: str) -> str:
    """ "1 connected group", "3 connected groups"."""
    return f"{count} {singular if count == 1 else plural}"


def _ordered(rows: list[dict[str, Any]], key: str, order: Sequence[str]) -> list[dict[str, Any]]:
    rank = {value: index for index, value in enumerate(order)}
    return sorted(rows, key=lambda row: rank.get(row[key], len(rank)))
