"""The shape of one item on a user's task list (the home page), shared by every app.

Each app exposes `tasks_for(user) -> list[Task]` in its selectors; the home page merges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Task:
    due: datetime
    title: str  # what to do, without personal data beyond what the user may see
    url: str
    kind: str  # e.g. "triage", "review", "return_interview", "action"

    def is_overdue(self, now: datetime) -> bool:
        return self.due < now
