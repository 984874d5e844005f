"""Test data for the workforce register. Synthetic names only."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from safehub.accounts.models import User
from safehub.workforce.choices import CourseKind, DbsLevel, DbsResult, StaffKind
from safehub.workforce.models import (
    AwarenessCampaign,
    DbsCheck,
    StaffMember,
    TrainingCourse,
    TrainingSession,
)
from safehub.workforce.services import (
    DbsDetails,
    StaffDetails,
    TrainingDetails,
    record_staff_dbs,
    record_staff_training,
    save_staff_member,
)

_seq = itertools.count(1)
FAR_FUTURE = date(2100, 1, 1)


def make_course(kind: str = CourseKind.CSE_AWARENESS, months: int | None = 36) -> TrainingCourse:
    return TrainingCourse.objects.create(
        name=f"Course {next(_seq)}",
        kind=kind,
        provider="City safeguarding team",
        valid_months=months,
    )


def make_staff(**overrides: Any) -> StaffMember:
    n = next(_seq)
    data: dict[str, Any] = {
        "staff_number": f"S9{n:04d}",
        "given_name": "Test",
        "family_name": f"Worker{n}",
        "kind": StaffKind.STAFF,
        "job_title": "Social worker",
        "directorate": "Children's social care",
        "works_with_children": True,
    }
    data.update(overrides)
    return save_staff_member(actor=None, details=StaffDetails(**data))


def certificate() -> str:
    return f"{next(_seq):012d}"


def give_dbs(
    member: StaffMember,
    issued_on: date,
    level: str = DbsLevel.ENHANCED,
    *,
    update_service: bool = False,
) -> DbsCheck:
    details = DbsDetails(
        level=level,
        certificate_number=certificate(),
        issued_on=issued_on,
        result=DbsResult.CLEAR,
        update_service=update_service,
        update_service_id="C1234567" if update_service else "",
    )
    return record_staff_dbs(actor=None, staff=member, details=details, today=FAR_FUTURE)


def give_training(
    member: StaffMember, completed_on: date, course: TrainingCourse | None = None
) -> None:
    course = course or make_course()
    record_staff_training(
        actor=None,
        staff=member,
        details=TrainingDetails(course_id=course.pk, completed_on=completed_on),
        today=FAR_FUTURE,
    )


WORKFORCE_KINDS = frozenset(
    {"staff_member", "staff_dbs_check", "training_session", "awareness_campaign"}
)


def workforce_target(kind: str, user: User) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix (these records have no owner or restriction)."""
    from safehub.policy.roles import Role
    from tests.factories import make_user

    if kind == "staff_member":
        return {"public_id": make_staff().public_id}
    if kind == "staff_dbs_check":
        member = make_staff()
        check = give_dbs(member, date(2025, 1, 1), update_service=True)
        return {"public_id": member.public_id, "check_id": check.public_id}
    if kind == "training_session":
        session = TrainingSession.objects.create(
            course=make_course(),
            held_on=date(2025, 1, 1),
            created_by=make_user(Role.WORKFORCE_ADMIN),
        )
        return {"public_id": session.public_id}
    campaign = AwarenessCampaign.objects.create(
        name="Say something", running_agency="Council", starts_on=date(2025, 1, 1), created_by=user
    )
    return {"public_id": campaign.public_id}
