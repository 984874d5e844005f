"""Groups in the coverage report that other registers supply (taxi drivers, from licensing).

The workforce register reports on staff and councillors itself. Other apps register a group
here in their AppConfig.ready(), so the report needs no import of theirs and the apps depend
one way only. A provider takes the days the report needs and returns, for each day, one
`CoverageFacts` per person (never names), reading its own records once for all the days.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from safehub.workforce.rules import CoverageFacts


@dataclass(frozen=True)
class CoverageGroup:
    key: str
    label: str
    facts: Callable[[Sequence[date]], dict[date, list[CoverageFacts]]]


_GROUPS: dict[str, CoverageGroup] = {}


def register_group(
    key: str, label: str, facts: Callable[[Sequence[date]], dict[date, list[CoverageFacts]]]
) -> None:
    """Add (or replace) a group supplied by another register."""
    _GROUPS[key] = CoverageGroup(key, label, facts)


def registered_groups() -> list[CoverageGroup]:
    return list(_GROUPS.values())
