"""The shape of one entry in a child's chronology, shared by every app that contributes to it.

Each app registers its `timeline_for(person_id) -> list[TimelineEvent]` with `register_source`
in its `AppConfig.ready()`; the cases app assembles the chronology with `events_for`, so no app
needs another's models or imports another's selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    kind: str  # e.g. "screening", "referral", "missing", "meeting", "risk", "contact"
    title: str  # short, e.g. "Screening: Significant risk"
    detail: str = ""
    source: str = ""  # the app that recorded it
    url: str = ""  # where to see it, if there is a page
    # Police intelligence and third parties' details are left out of documents shared with a
    # family or another agency unless someone chooses to include them.
    police_only: bool = False
    third_party: bool = False


# --- where events come from ---

EventSource = Callable[[int], list[TimelineEvent]]
_sources: dict[str, EventSource] = {}


def register_source(name: str, source: EventSource) -> None:
    """Register an app's events (from its AppConfig.ready()); registering again replaces."""
    _sources[name] = source


def events_for(person_id: int, sources: Iterable[str] | None = None) -> list[TimelineEvent]:
    """The child's events from every registered app (or only the named ones), unordered."""
    names = sorted(_sources) if sources is None else [n for n in sources if n in _sources]
    return [event for name in names for event in _sources[name](person_id)]
