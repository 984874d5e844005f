"""The shape of one entry in a child's chronology, shared by every app that contributes to it.

Each app exposes `timeline_for(person_id) -> list[TimelineEvent]` in its selectors; the cases
app assembles the chronology from them, so no app needs another's models.
"""

from __future__ import annotations

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
