"""The delivery plan's rules, as pure functions over plain data.

- `rate`: the RAG rating of an action from its dates, status, progress and last update, with
  a manual override that must carry a reason. An action may have no deadline (a resolution
  whose minutes give none): it is never overdue and is rated on its status and progress only.
- `compare`: what changed between two versions of the plan (added, removed, closed, reopened,
  slipped, brought forward, re-rated).
- `rag_counts`: the summary a board sees.

Thresholds come from `RagThresholds` (the settings supply them, see selectors.rag_thresholds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"  # complete

    @property
    def label(self) -> str:
        return {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Complete"}[self.value]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(r.value, r.label) for r in cls]


# Worst first: the order reports use.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in cls]


@dataclass(frozen=True)
class RagThresholds:
    due_soon_days: int = 30  # an action due within this many days...
    due_soon_min_progress: int = 75  # ...with less progress than this is amber
    stale_after_days: int = 30  # no update for this long is amber


NO_DEADLINE = "No deadline set"


def deadline_order(due: date | None) -> tuple[bool, date]:
    """A sort key for due dates: earliest first, actions with no deadline after every dated one."""
    return (due is None, due or date.min)


@dataclass(frozen=True)
class ActionFacts:
    status: Status
    start_date: date
    due_date: date | None  # None: no deadline set
    progress: int  # 0-100
    last_update: date | None  # the owner's latest dated progress note, if any
    override: Rag | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class RagResult:
    rating: Rag
    computed: Rag  # what the rules say, before any override
    rule: str  # the rule that decided `computed`, in words
    overridden: bool = False
    override_reason: str = ""


def computed_rating(facts: ActionFacts, today: date, t: RagThresholds) -> tuple[Rag, str]:
    """The rating the rules give, and the rule that gave it, first match wins:

    1. complete -> blue ("Complete");
    2. past its due date and not complete -> red;
    3. its start date has passed and it has not started -> amber;
    4. due within `due_soon_days` with progress under `due_soon_min_progress` -> amber;
    5. started, and no update for `stale_after_days` (counted from the start if never
       updated) -> amber;
    6. otherwise green.

    Rules 2 and 4 need a deadline: an action with none skips them (it is never red for
    lateness), and the rule given for it starts "No deadline set".
    """
    if facts.status == Status.COMPLETE:
        return Rag.BLUE, "Complete"
    due = facts.due_date
    if due is not None and due < today:
        return Rag.RED, "Past its due date and not complete"
    if facts.status == Status.NOT_STARTED and facts.start_date < today:
        return _undated(due, Rag.AMBER, "Should have started and has not")
    if (
        due is not None
        and due <= today + timedelta(days=t.due_soon_days)
        and (facts.progress < t.due_soon_min_progress)
    ):
        return (
            Rag.AMBER,
            f"Due within {t.due_soon_days} days with under {t.due_soon_min_progress}% progress",
        )
    since = facts.last_update or facts.start_date
    if facts.start_date <= today and (today - since).days > t.stale_after_days:
        return _undated(due, Rag.AMBER, f"No progress update for over {t.stale_after_days} days")
    return _undated(due, Rag.GREEN, "On track")


def _undated(due: date | None, rating: Rag, rule: str) -> tuple[Rag, str]:
    # Say so when there is no deadline, so nobody reads "on track" as "on time".
    return rating, rule if due is not None else f"{NO_DEADLINE}: {rule[0].lower()}{rule[1:]}"


def rate(facts: ActionFacts, today: date, t: RagThresholds) -> RagResult:
    """The action's RAG rating on `today`: the rules' rating unless overridden (with a reason).

    An override without a reason is ignored; `override_problem` refuses one at input.
    """
    computed, rule = computed_rating(facts, today, t)
    if facts.override is not None and facts.override_reason.strip():
        return RagResult(
            rating=facts.override,
            computed=computed,
            rule=rule,
            overridden=True,
            override_reason=facts.override_reason.strip(),
        )
    return RagResult(rating=computed, computed=computed, rule=rule)


def override_problem(override: str, reason: str) -> str | None:
    """Why an override cannot be accepted (None if it can): an unknown rating, or no reason."""
    if not override:
        return None
    if override not in {r.value for r in Rag}:
        return "Choose red, amber, green or complete"
    if not reason.strip():
        return "Give the reason for overriding the rating"
    return None


def rag_counts(ratings: Iterable[Rag]) -> dict[Rag, int]:
    """How many actions have each rating, worst first, every rating present (zero if none)."""
    counts = dict.fromkeys(RAG_ORDER, 0)
    for rating in ratings:
        counts[rating] += 1
    return counts


@dataclass(frozen=True)
class ActionSnapshot:
    """One action as it stood at a moment, with its rating at that moment."""

    key: str
    title: str
    objective: str
    owner: str
    status: Status
    due_date: date | None  # None: no deadline set
    rating: Rag


@dataclass(frozen=True)
class Change:
    before: ActionSnapshot | None
    after: ActionSnapshot | None

    @property
    def current(self) -> ActionSnapshot:
        snapshot = self.after or self.before
        assert snapshot is not None
        return snapshot


@dataclass(frozen=True)
class PlanChanges:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    closed: list[Change] = field(default_factory=list)
    reopened: list[Change] = field(default_factory=list)
    slipped: list[Change] = field(default_factory=list)
    brought_forward: list[Change] = field(default_factory=list)
    rerated: list[Change] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.closed,
                self.reopened,
                self.slipped,
                self.brought_forward,
                self.rerated,
            )
        )


def compare(
    before: Mapping[str, ActionSnapshot], after: Mapping[str, ActionSnapshot]
) -> PlanChanges:
    """What changed from one version of the plan to another, action by action (by key).

    Added / removed: present on one side only. Closed / reopened: became complete / stopped
    being complete. Slipped / brought forward: due date moved later / earlier; removing the
    deadline counts as slipping, setting one where there was none as bringing it forward.
    Re-rated: the rating differs. One action can appear under several headings.
    """
    changes = PlanChanges()
    for key in sorted(set(before) | set(after), key=lambda k: (after.get(k) or before[k]).title):
        old, new = before.get(key), after.get(key)
        change = Change(old, new)
        if old is None:
            changes.added.append(change)
            continue
        if new is None:
            changes.removed.append(change)
            continue
        if old.status != Status.COMPLETE and new.status == Status.COMPLETE:
            changes.closed.append(change)
        if old.status == Status.COMPLETE and new.status != Status.COMPLETE:
            changes.reopened.append(change)
        if deadline_order(new.due_date) > deadline_order(old.due_date):
            changes.slipped.append(change)
        if deadline_order(new.due_date) < deadline_order(old.due_date):
            changes.brought_forward.append(change)
        if new.rating != old.rating:
            changes.rerated.append(change)
    return changes


def trend(values: list[float]) -> str:
    """The direction of a measure over its readings: "up", "down", "flat" or "" (under two)."""
    if len(values) < 2:
        return ""
    if values[-1] > values[0]:
        return "up"
    if values[-1] < values[0]:
        return "down"
    return "flat"
