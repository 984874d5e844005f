"""The shape of one item on a user's task list (the home page), shared by every app, and the
order the list is read in.

Each app registers its `tasks_for(user) -> list[Task]` with `register_source` in its
`AppConfig.ready()`; the home page reads them all with `for_user`, puts them in urgency order
with `by_urgency`, then groups them with `group_by_kind`.

The urgency order, most urgent first (see docs/users/cse-practitioner.md):

1. statutory clocks that are overdue (a MASH decision, a return home interview),
2. anything due today (its deadline is later today),
3. anything else overdue (a meeting or plan action, a case review past its date),
4. anything due after today (a case review coming up within its warning days);

within each band the higher risk first (Red / significant risk, then Amber / at risk, then
Green, then not known), then the earliest due. Return home interviews overdue by more than
`LONG_OVERDUE` are kept, but in a last band of their own ("Long overdue"): a year-old missed
interview must not bury today's significant-risk triage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# Risk as a number, so tasks from every app compare: the larger the more urgent.
RISK_NOT_KNOWN = 0
RISK_LOW = 1  # Green; a low-risk case
RISK_MEDIUM = 2  # Amber; "at risk"; a medium-risk case
RISK_HIGH = 3  # Red; "significant risk"; a high-risk or exploited case

RISK_LABELS = {
    RISK_HIGH: "High risk",
    RISK_MEDIUM: "Medium risk",
    RISK_LOW: "Low risk",
    RISK_NOT_KNOWN: "",
}

LONG_OVERDUE = timedelta(days=90)
LONG_OVERDUE_KINDS = frozenset({"return_interview"})
LONG_OVERDUE_GROUP = "long_overdue"

# The bands of the urgency order, in order.
BAND_OVERDUE_STATUTORY = 0
BAND_DUE_TODAY = 1
BAND_OVERDUE = 2
BAND_UPCOMING = 3
BAND_LONG_OVERDUE = 4

KIND_LABELS = {
    "triage": "MASH triage",
    "information_request": "Requests for information to chase",
    "return_interview": "Return home interviews",
    "missing_alert": "Missing alerts",
    "review": "Case reviews",
    "action": "Actions",
    LONG_OVERDUE_GROUP: "Long overdue",
}


@dataclass(frozen=True)
class Task:
    due: datetime
    title: str  # what to do, without the child's name (the page adds it where it may)
    url: str
    kind: str  # e.g. "triage", "review", "return_interview", "action"
    statutory: bool = False  # a deadline set in statutory guidance, not local practice
    risk: int = RISK_NOT_KNOWN  # one of the RISK_ numbers above
    person_id: int | None = None  # the child the task is about, if any
    restricted: bool = False  # whether that child's record is restricted
    child_name: str = ""  # shown only where the viewer's person scope shows the child

    def is_overdue(self, now: datetime) -> bool:
        return self.due < now

    @property
    def risk_label(self) -> str:
        return RISK_LABELS.get(self.risk, "")


def about(person: Any) -> dict[str, Any]:
    """The Task fields naming a child (a people.Person, or None for no child), for
    `Task(..., **about(person))`. The page decides whether to show the name."""
    if person is None:
        return {}
    name = f"{person.given_name} {person.family_name}".strip()
    return {
        "person_id": person.pk,
        "restricted": bool(person.is_restricted),
        "child_name": name,
    }


def is_long_overdue(task: Task, now: datetime) -> bool:
    """Whether the task is one of the kinds that may be long overdue, and is."""
    return task.kind in LONG_OVERDUE_KINDS and now - task.due > LONG_OVERDUE


def band(task: Task, now: datetime, end_of_today: datetime) -> int:
    """Which band of the urgency order the task falls in (BAND_ numbers)."""
    if is_long_overdue(task, now):
        return BAND_LONG_OVERDUE
    if task.is_overdue(now):
        return BAND_OVERDUE_STATUTORY if task.statutory else BAND_OVERDUE
    return BAND_DUE_TODAY if task.due <= end_of_today else BAND_UPCOMING


def urgency_key(task: Task, now: datetime, end_of_today: datetime) -> tuple[int, int, datetime]:
    """The sort key of the urgency order: band, then the higher risk, then the earliest due.
    Ties beyond that keep the callers' order (the sort is stable)."""
    return (band(task, now, end_of_today), -task.risk, task.due)


def by_urgency(tasks: Iterable[Task], now: datetime, end_of_today: datetime) -> list[Task]:
    """The tasks, most urgent first (the order in this module's docstring). Pure: nothing is
    dropped or added, and the same tasks in any order give the same list."""
    return sorted(
        tasks,
        key=lambda t: (*urgency_key(t, now, end_of_today), t.kind, t.url, t.title),
    )


def group_of(task: Task, now: datetime) -> str:
    """The heading a task is listed under: its kind, or "long_overdue"."""
    return LONG_OVERDUE_GROUP if is_long_overdue(task, now) else task.kind


def group_by_kind(ordered: Iterable[Task], now: datetime) -> list[tuple[str, list[Task]]]:
    """Already-ordered tasks grouped under their headings, each group in the order of its most
    urgent task (so the first task of the first group is the most urgent of all). "Long
    overdue" comes last because its tasks are last in the urgency order."""
    groups: dict[str, list[Task]] = {}
    for task in ordered:
        groups.setdefault(group_of(task, now), []).append(task)
    return list(groups.items())


# --- where tasks come from ---

TaskSource = Callable[[Any], list[Task]]
_sources: dict[str, TaskSource] = {}


def register_source(name: str, source: TaskSource) -> None:
    """Register an app's task list (from its AppConfig.ready()); registering again replaces."""
    _sources[name] = source


def for_user(user: Any) -> list[Task]:
    """Every registered app's tasks for the user, in no particular order."""
    return [task for name in sorted(_sources) for task in _sources[name](user)]
