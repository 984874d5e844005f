"""Screenings in progress, saved in the database as the user goes.

A draft belongs to one user and is found only through that user, so a draft id from someone
else is simply not found. A timed-out session signs the user out; signing in again returns
them to the page they were on, with everything they had entered.
"""

from __future__ import annotations

import uuid
from typing import Any

from safehub.accounts.models import User
from safehub.screening.models import ScreeningDraft

MAX_DRAFTS = 5


def new_draft(user: User, *, tool_id: str, tool_version: int) -> str:
    """Start a draft and return its id. Keeps the user's newest MAX_DRAFTS drafts."""
    draft = ScreeningDraft.objects.create(
        user=user,
        data={
            "tool_id": tool_id,
            "tool_version": tool_version,
            "child": None,
            "person_public_id": None,
            "answers": {},
            "marks": {},
            "notes": "",
        },
    )
    stale = ScreeningDraft.objects.filter(user=user).order_by("-updated_at")[MAX_DRAFTS:]
    ScreeningDraft.objects.filter(pk__in=[d.pk for d in stale]).delete()
    return draft.public_id.hex


def _lookup(user: User, draft_id: str) -> ScreeningDraft | None:
    try:
        public_id = uuid.UUID(hex=draft_id)
    except ValueError:
        return None
    return ScreeningDraft.objects.filter(user=user, public_id=public_id).first()


def get_draft(user: User, draft_id: str) -> dict[str, Any] | None:
    draft = _lookup(user, draft_id)
    return dict(draft.data) if draft is not None else None


def save_draft(user: User, draft_id: str, data: dict[str, Any]) -> None:
    ScreeningDraft.objects.filter(user=user, public_id=uuid.UUID(hex=draft_id)).update(data=data)


def discard_draft(user: User, draft_id: str) -> None:
    draft = _lookup(user, draft_id)
    if draft is not None:
        draft.delete()


def drafts_of(user: User) -> list[ScreeningDraft]:
    return list(ScreeningDraft.objects.filter(user=user).order_by("-updated_at"))
