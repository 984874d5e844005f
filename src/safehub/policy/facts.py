"""The facts about a user and a record that the policy reads from the database.

The policy decides; the apps that hold the facts answer its questions. Each app registers its
answers in its `AppConfig.ready()` (people: grants; cases: allocation and meeting attendance;
attendance: which schools an officer covers), so the policy imports no app and no app's import
pulls in the policy's callers. A question nobody has answered is a configuration error, never
an allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class HasGrant(Protocol):
    def __call__(self, *, user_id: int, person_id: int) -> bool: ...


class GrantedPeople(Protocol):
    def __call__(self, user_id: int) -> frozenset[int]: ...


class IsAllocated(Protocol):
    def __call__(self, *, user_id: int, person_id: int) -> bool: ...


class IsAttending(Protocol):
    def __call__(self, *, user_id: int, meeting_id: int) -> bool: ...


class CoversSchool(Protocol):
    def __call__(self, *, user_id: int, school_id: int) -> bool: ...


_answers: dict[str, Callable[..., object]] = {}


def provide(
    *,
    has_access_grant: HasGrant | None = None,
    granted_person_ids: GrantedPeople | None = None,
    is_allocated: IsAllocated | None = None,
    is_attending: IsAttending | None = None,
    covers_school: CoversSchool | None = None,
) -> None:
    """Register the answers an app holds (called from its AppConfig.ready())."""
    given = {
        "has_access_grant": has_access_grant,
        "granted_person_ids": granted_person_ids,
        "is_allocated": is_allocated,
        "is_attending": is_attending,
        "covers_school": covers_school,
    }
    _answers.update({name: answer for name, answer in given.items() if answer is not None})


def _answer(name: str) -> Callable[..., object]:
    try:
        return _answers[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app answers the policy's question {name!r}: is the app installed?"
        ) from None


def has_access_grant(*, user_id: int, person_id: int) -> bool:
    return bool(_answer("has_access_grant")(user_id=user_id, person_id=person_id))


def granted_person_ids(user_id: int) -> frozenset[int]:
    return frozenset(_answer("granted_person_ids")(user_id))  # type: ignore[call-overload]


def is_allocated(*, user_id: int, person_id: int) -> bool:
    return bool(_answer("is_allocated")(user_id=user_id, person_id=person_id))


def is_attending(*, user_id: int, meeting_id: int) -> bool:
    return bool(_answer("is_attending")(user_id=user_id, meeting_id=meeting_id))


def covers_school(*, user_id: int, school_id: int) -> bool:
    return bool(_answer("covers_school")(user_id=user_id, school_id=school_id))
