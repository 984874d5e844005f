"""The rules of the missing-children work, as pure functions over plain data.

- the 72-hour return home interview clock (`rhi_clock`);
- which episodes and interviews raise an alert for the CSE team (`episode_triggers`,
  `exploitation_disclosed`), with thresholds from settings (see `config.py`);
- which timelines are impossible (`episode_timeline_problems`, `interview_timeline_problems`);
- how places and people named in interviews are collated across children (`collate`).

Nothing here touches the database or the clock: callers pass `now`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from safehub.people.validators import normalise_postcode


@dataclass(frozen=True)
class Thresholds:
    repeat_episodes: int = 3
    repeat_window_days: int = 90
    rhi_due_hours: int = 72


# --- the return home interview clock ---


class RhiStatus(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED_IN_TIME = "completed_in_time"
    COMPLETED_LATE = "completed_late"
    DECLINED = "declined"


RHI_STATUS_LABELS = {
    RhiStatus.DUE: "Due",
    RhiStatus.OVERDUE: "Overdue",
    RhiStatus.COMPLETED_IN_TIME: "Completed in time",
    RhiStatus.COMPLETED_LATE: "Completed late",
    RhiStatus.DECLINED: "Declined",
}


@dataclass(frozen=True)
class RhiClock:
    due_at: datetime
    status: RhiStatus

    @property
    def label(self) -> str:
        return RHI_STATUS_LABELS[self.status]


def rhi_due_at(found_at: datetime, hours: int = 72) -> datetime:
    """When the interview is due: `hours` elapsed hours after the child was found.

    Counted in real elapsed time (through UTC), so a clock change in late March or October
    moves the wall-clock due time by an hour rather than giving 71 or 73 hours. The answer is
    in the same time zone as `found_at`. Refuses naive datetimes (ValueError).
    """
    if found_at.tzinfo is None or found_at.utcoffset() is None:
        raise ValueError("found_at must be timezone-aware")
    due_utc = found_at.astimezone(UTC) + timedelta(hours=hours)
    return due_utc.astimezone(found_at.tzinfo)


def rhi_clock(
    *,
    found_at: datetime,
    now: datetime,
    completed_at: datetime | None = None,
    declined: bool = False,
    hours: int = 72,
) -> RhiClock:
    """Where an episode's return interview stands against the clock.

    Declined beats everything; a completed interview is in time if completed at or before the
    due time (exactly 72 hours counts as in time); otherwise it is due until the due time has
    passed, then overdue.
    """
    due = rhi_due_at(found_at, hours)
    if declined:
        status = RhiStatus.DECLINED
    elif completed_at is not None:
        status = RhiStatus.COMPLETED_IN_TIME if completed_at <= due else RhiStatus.COMPLETED_LATE
    else:
        status = RhiStatus.OVERDUE if now > due else RhiStatus.DUE
    return RhiClock(due_at=due, status=status)


# --- impossible timelines and classifications ---


def episode_timeline_problems(
    *,
    went_missing_at: datetime | None,
    reported_at: datetime | None,
    found_at: datetime | None,
    now: datetime,
) -> dict[str, str]:
    """Field -> message for an impossible order of events (nothing given is not checked).

    Refuses: any time in the future; a report before the child was last seen; being found
    before going missing or before the report.
    """
    problems: dict[str, str] = {}
    for field, value, label in (
        ("went_missing_at", went_missing_at, "The time the child was last seen"),
        ("reported_at", reported_at, "The time of the report"),
        ("found_at", found_at, "The time the child was found"),
    ):
        if value is not None and value > now:
            problems[field] = f"{label} must not be in the future"
    if went_missing_at and reported_at and reported_at < went_missing_at:
        problems.setdefault("reported_at", "The report must be after the child was last seen")
    if found_at and went_missing_at and found_at < went_missing_at:
        problems.setdefault("found_at", "The child must be found after they went missing")
    if found_at and reported_at and found_at < reported_at:
        problems.setdefault("found_at", "The child must be found after they were reported missing")
    return problems


def interview_timeline_problems(
    *,
    found_at: datetime | None,
    offered_at: datetime | None,
    completed_at: datetime | None,
    now: datetime,
) -> dict[str, str]:
    """Field -> message for an impossible interview timeline.

    Refuses: an interview before the child has been found, offered or held before the return,
    held before it was offered, or either time in the future.
    """
    problems: dict[str, str] = {}
    if found_at is None:
        return {"offered_at": "Record when the child was found before recording an interview"}
    for field, value, label in (
        ("offered_at", offered_at, "The time the interview was offered"),
        ("completed_at", completed_at, "The time of the interview"),
    ):
        if value is None:
            continue
        if value > now:
            problems[field] = f"{label} must not be in the future"
        elif value < found_at:
            problems[field] = f"{label} must be after the child returned"
    if offered_at and completed_at and completed_at < offered_at and "completed_at" not in problems:
        problems["completed_at"] = "The interview must be after it was offered"
    return problems


def classification_problems(
    *, missing_from: str, category: str, risk: str, dfe_code: str
) -> dict[str, str]:
    """Field -> message where the police category, risk grading and DfE code disagree.

    'Absent' is the police's no-apparent-risk category, so it takes only that grading, and a
    'missing' episode is graded low, medium or high. Children missing from care need the DfE
    M/A code; children missing from home have none.
    """
    problems: dict[str, str] = {}
    if category == "absent" and risk and risk != "no_apparent_risk":
        problems["risk"] = "An absent child is graded 'no apparent risk': choose 'missing' instead"
    if category == "missing" and risk == "no_apparent_risk":
        problems["risk"] = "A missing child is graded low, medium or high risk"
    if missing_from == "care" and not dfe_code:
        problems["dfe_code"] = "Select M (missing) or A (away without authorisation)"
    if missing_from == "home" and dfe_code:
        problems["dfe_code"] = "The DfE code is only for children missing from care"
    return problems


# --- triggers ---


@dataclass(frozen=True)
class EpisodeFacts:
    ref: str
    went_missing_at: datetime
    risk: str = ""
    found_place: str = ""
    found_postcode: str = ""


@dataclass(frozen=True)
class FlaggedPlace:
    name: str
    postcode: str = ""


@dataclass(frozen=True)
class TriggerHit:
    trigger: str  # a choices.Trigger value
    explanation: str
    episode_refs: tuple[str, ...]


def repeat_episodes(
    current: EpisodeFacts, history: Sequence[EpisodeFacts], thresholds: Thresholds
) -> TriggerHit | None:
    """The repeat rule: `repeat_episodes` episodes, this one among them, within the window.

    Any run of episodes that starts no more than `repeat_window_days` before it ends counts,
    so a back-dated episode that completes a pattern fires too.
    """
    window = timedelta(days=thresholds.repeat_window_days)
    episodes = sorted({e.ref: e for e in [*history, current]}.values(), key=_start)
    for first in episodes:
        run = [e for e in episodes if first.went_missing_at <= e.went_missing_at]
        run = [e for e in run if e.went_missing_at - first.went_missing_at <= window]
        if current in run and len(run) >= thresholds.repeat_episodes:
            refs = tuple(e.ref for e in run)
            return TriggerHit(
                "repeat_episodes",
                f"Repeat missing: {len(run)} episodes within {thresholds.repeat_window_days} "
                f"days (rule: {thresholds.repeat_episodes} or more) — episodes {', '.join(refs)}",
                refs,
            )
    return None


def _start(e: EpisodeFacts) -> datetime:
    return e.went_missing_at


def normalise_place(text: str) -> str:
    """A place or person's name reduced for comparison: case, accents, punctuation and "the"
    ignored."""
    folded = _strip_accents(_strip_accents(text or "").casefold())
    words = re.sub(r"[\W_]+", " ", folded).split()
    return " ".join(w for w in words if w != "the")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def found_at_flagged_location(
    current: EpisodeFacts, flagged: Sequence[FlaggedPlace]
) -> TriggerHit | None:
    """The location rule: found at a place on the CSE team's list (same postcode or name)."""
    postcode = normalise_postcode(current.found_postcode) if current.found_postcode else ""
    name = normalise_place(current.found_place)
    for place in flagged:
        same_postcode = bool(postcode) and normalise_postcode(place.postcode) == postcode
        same_name = bool(name) and normalise_place(place.name) == name
        if same_postcode or same_name:
            how = f"postcode {postcode}" if same_postcode else f"place name '{current.found_place}'"
            return TriggerHit(
                "flagged_location",
                f"Found at a flagged location: {place.name} (matched on {how}) — episode "
                f"{current.ref}",
                (current.ref,),
            )
    return None


def high_risk(current: EpisodeFacts) -> TriggerHit | None:
    """The risk rule: any episode graded high risk."""
    if current.risk != "high":
        return None
    return TriggerHit(
        "high_risk", f"Graded high risk by the police — episode {current.ref}", (current.ref,)
    )


def exploitation_disclosed(episode_ref: str, disclosed: bool) -> TriggerHit | None:
    """The interview rule: the child disclosed, or the interviewer found, exploitation concerns."""
    if not disclosed:
        return None
    return TriggerHit(
        "rhi_exploitation",
        f"Exploitation concerns disclosed in the return interview — episode {episode_ref}",
        (episode_ref,),
    )


def episode_triggers(
    current: EpisodeFacts,
    history: Sequence[EpisodeFacts],
    flagged: Sequence[FlaggedPlace],
    thresholds: Thresholds,
) -> list[TriggerHit]:
    """Every episode rule that fires for `current`, given the child's other episodes."""
    hits = (
        repeat_episodes(current, history, thresholds),
        found_at_flagged_location(current, flagged),
        high_risk(current),
    )
    return [h for h in hits if h is not None]


# --- collating findings across children ---


@dataclass(frozen=True)
class Mention:
    kind: str  # "place" or "associate"
    text: str
    person_id: int
    postcode: str = ""


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str
    postcode: str
    children: int
    mentions: int


def mention_key(m: Mention) -> tuple[str, str]:
    """Places match on postcode where one is given, otherwise on the normalised name."""
    if m.kind == "place" and m.postcode:
        return (m.kind, "pc:" + normalise_postcode(m.postcode))
    return (m.kind, normalise_place(m.text))


def collate(mentions: Iterable[Mention]) -> list[Finding]:
    """Group mentions of the same place or person; count distinct children, most first.

    The label is the spelling used most often. Blank names without a postcode are ignored.
    """
    children: dict[tuple[str, str], set[int]] = defaultdict(set)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    postcodes: dict[tuple[str, str], str] = {}
    for m in mentions:
        key = mention_key(m)
        if not key[1]:
            continue
        children[key].add(m.person_id)
        spellings[key][m.text.strip() or normalise_postcode(m.postcode)] += 1
        if m.postcode:
            postcodes[key] = normalise_postcode(m.postcode)
    found = [
        Finding(
            kind=key[0],
            label=spellings[key].most_common(1)[0][0],
            postcode=postcodes.get(key, ""),
            children=len(ids),
            mentions=sum(spellings[key].values()),
        )
        for key, ids in children.items()
    ]
    return sorted(found, key=lambda f: (-f.children, -f.mentions, f.label.lower()))


def suppress_small(findings: Sequence[Finding], min_children: int) -> tuple[list[Finding], int]:
    """Drop findings named by fewer than `min_children` children; say how many were dropped."""
    kept = [f for f in findings if f.children >= min_children]
    return kept, len(findings) - len(kept)


# --- what the missing history asks of the reader when alerts are open ---


class ScreeningPrompt(StrEnum):
    NONE = "none"  # no open alert
    SCREEN = "screen"  # nobody has screened since the alerts: complete a screening
    SCREENED = "screened"  # a screening on or after the day of the first open alert covers them
    OPEN_CASE = "open_case"  # the CSE team already holds the child: the worker reviews the risk


def screening_prompt(
    *, alerts_raised_on: Sequence[date], screened_on: Sequence[date], open_case: bool
) -> tuple[ScreeningPrompt, date | None]:
    """Whether the alerts still ask for a screening, and the screening that answers them.

    A screening the same day as the first open alert (or later) answers every open alert, so
    the page does not send the reader to screen the child again. A child with an open CSE case
    is reviewed by the allocated worker rather than screened from scratch.
    """
    if not alerts_raised_on:
        return ScreeningPrompt.NONE, None
    since = min(alerts_raised_on)
    covering = [d for d in screened_on if d >= since]
    if covering:
        return ScreeningPrompt.SCREENED, max(covering)
    if open_case:
        return ScreeningPrompt.OPEN_CASE, None
    return ScreeningPrompt.SCREEN, None
