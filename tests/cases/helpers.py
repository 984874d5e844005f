"""Test data for cases, made through the services. Synthetic names only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safehub.accounts.models import User
from safehub.cases import meetings, services
from safehub.cases.models import Case, Meeting
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user


def new_child(referrer: User | None = None) -> Person:
    submission = make_screening(referrer or make_user(Role.REFERRER), missing_repeat="current")
    return submission.screening.person


def open_case_for(
    person: Person | None = None, *, worker: User | None = None, manager: User | None = None
) -> Case:
    """An open case, allocated to `worker` if given (any user: the matrix needs any role)."""
    manager = manager or make_user(Role.CSE_MANAGER)
    case = services.open_case(
        actor=manager, person=person or new_child(), referral=None, reason="Strategy discussion"
    )
    if worker is not None:
        if services.is_cse_worker(worker):
            services.allocate_case(
                actor=manager, case=case, worker=worker, read_version=case.version
            )
        else:
            Case.objects.filter(pk=case.pk).update(allocated_to=worker)
        case.refresh_from_db()
    return case


def meeting_with(
    case: Case, *, attendees: list[User] | None = None, days_ago: int = 1, by: User | None = None
) -> Meeting:
    return meetings.create_meeting(
        actor=by or make_user(Role.CSE_MANAGER),
        kind="mase",
        held_at=timezone.now() - timedelta(days=days_ago),
        agenda=[case],
        attendees=attendees or [],
        external_attendees=[meetings.ExternalAttendee("Ivo Brannigan", "Northgate Youth Club")],
    )


CASE_KINDS = frozenset({"case", "meeting", "meeting_action"})


def matrix_target(kind: str, rel: str, user: User) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix: "own" is a case allocated to the user, a
    meeting the user attended yesterday, or an action the user owns; "restricted" is the
    same as "other" for a restricted child."""
    own = rel == "own"
    case = open_case_for(worker=user if own else make_user(Role.CSE_PRACTITIONER))
    if rel == "restricted":
        Person.objects.filter(pk=case.person_id).update(is_restricted=True)
    if kind == "case":
        return {"public_id": case.public_id}
    meeting = meeting_with(case, attendees=[user] if own else [])
    if kind == "meeting":
        return {"public_id": meeting.public_id}
    action = meetings.add_meeting_action(
        actor=meeting.created_by,
        meeting=meeting,
        case=case,
        description="Arrange a return home interview",
        owner=user if own else make_user(Role.CSE_PRACTITIONER),
        due_date=timezone.localdate(),
    )
    return {"public_id": action.public_id}
