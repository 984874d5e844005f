"""Test data for the missing app. Synthetic names only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from safehub.accounts.models import User
from safehub.missing.models import MissingEpisode
from safehub.missing.services import (
    EpisodeDetails,
    FoundDetails,
    InterviewDetails,
    record_episode,
    record_found,
)
from safehub.people.models import Person
from safehub.people.services import create_person
from safehub.policy.roles import Role
from tests.factories import child_details, make_user

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def make_child(actor: User | None = None, **overrides: Any) -> Person:
    return create_person(
        actor=actor or make_user(Role.MASH_OFFICER), details=child_details(**overrides)
    )


def episode_details(**overrides: Any) -> EpisodeDetails:
    start = timezone.now() - timedelta(days=2)
    data: dict[str, Any] = {
        "missing_from": "home",
        "category": "missing",
        "risk": "medium",
        "went_missing_at": start,
        "reported_at": start + timedelta(hours=3),
        "reported_by": "Mother",
        "reported_by_agency": "",
        "police_reference": "WM-2025-0001",
        "dfe_code": "",
    }
    data.update(overrides)
    return EpisodeDetails(**data)


def make_episode(
    actor: User, person: Person, *, found_after: timedelta | None = None, **overrides: Any
) -> MissingEpisode:
    """An episode; `found_after` also records the return that long after going missing."""
    episode = record_episode(actor=actor, person=person, details=episode_details(**overrides))
    if found_after is not None:
        record_found(
            actor=actor,
            episode=episode,
            details=FoundDetails(
                found_at=episode.went_missing_at + found_after, found_place="Friend's house"
            ),
        )
        episode.refresh_from_db()
    return episode


def interview_details(episode: MissingEpisode, **overrides: Any) -> InterviewDetails:
    assert episode.found_at is not None
    data: dict[str, Any] = {
        "offered_at": episode.found_at + timedelta(hours=2),
        "response": "accepted",
        "completed_at": None,
        "interviewer_id": None,
        "outcome": "",
    }
    data.update(overrides)
    return InterviewDetails(**data)


def dt_post(name: str, at: datetime) -> dict[str, str]:
    """Form fields of a date-and-time input for a moment, in UK time."""
    local = timezone.localtime(at)
    return {
        f"{name}-day": str(local.day),
        f"{name}-month": str(local.month),
        f"{name}-year": str(local.year),
        f"{name}-time": local.strftime("%H:%M"),
    }
