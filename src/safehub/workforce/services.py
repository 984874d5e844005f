"""Named actions that write the staff register. Each validates everything first, then writes
in one transaction, so refused input leaves nothing half-stored.

`validate_dbs` and `validate_training` are shared with taxi licensing: the same messages
whichever register a check is entered on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models, transaction

from safehub.accounts.models import User
from safehub.refusals import Refused
from safehub.workforce import config
from safehub.workforce.choices import (
    Audience,
    CourseKind,
    DbsLevel,
    DbsResult,
    StaffKind,
    StatusCheckResult,
)
from safehub.workforce.models import (
    AwarenessCampaign,
    AwarenessSession,
    DbsCheck,
    DbsStatusCheck,
    StaffMember,
    TrainingCourse,
    TrainingRecord,
    TrainingSession,
)
from safehub.workforce.rules import last_valid_day

CERTIFICATE_RE = re.compile(r"^\d{12}$")


def _need(errors: dict[str, str], field: str, value: object, message: str) -> None:
    if value in (None, ""):
        errors.setdefault(field, message)


def _not_future(errors: dict[str, str], field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, "The date must be today or in the past")


# --- DBS checks and training (shared with licensing) ---


@dataclass(frozen=True)
class DbsDetails:
    level: str
    certificate_number: str
    issued_on: date | None
    result: str
    update_service: bool = False
    update_service_id: str = ""


def validate_dbs(details: DbsDetails, *, today: date) -> dict[str, str]:
    """Errors in a DBS check's details. Only "clear" or "information disclosed" is accepted as a
    result: the disclosed content itself is never recorded."""
    errors: dict[str, str] = {}
    if details.level not in DbsLevel.values:
        errors["level"] = "Select the level of the DBS check"
    if not CERTIFICATE_RE.match(details.certificate_number):
        errors["certificate_number"] = "Enter the 12-digit DBS certificate number"
    _need(errors, "issued_on", details.issued_on, "Enter the date the certificate was issued")
    _not_future(errors, "issued_on", details.issued_on, today)
    if details.result not in DbsResult.values:
        errors["result"] = "Select the result: clear, or information disclosed"
    if details.update_service and not details.update_service_id:
        errors["update_service_id"] = "Enter the Update Service subscription ID"
    return errors


def validate_status_check(
    checked_on: date | None, result: str, *, issued_on: date, today: date
) -> dict[str, str]:
    """Errors in an Update Service status check of a certificate issued on `issued_on`."""
    errors: dict[str, str] = {}
    _need(errors, "checked_on", checked_on, "Enter the date of the status check")
    _not_future(errors, "checked_on", checked_on, today)
    if checked_on is not None and checked_on < issued_on:
        errors.setdefault("checked_on", "The status check cannot be before the certificate")
    if result not in StatusCheckResult.values:
        errors["result"] = "Select the result of the status check"
    return errors


@dataclass(frozen=True)
class TrainingDetails:
    course_id: int | None
    completed_on: date | None
    provider: str = ""
    expires_on: date | None = None  # blank: from the course's validity


def course_by_id(course_id: int | None) -> TrainingCourse | None:
    return TrainingCourse.objects.filter(pk=course_id).first() if course_id else None


def training_expiry(course: TrainingCourse, completed_on: date) -> date:
    """The last day a course completed on `completed_on` counts."""
    months = course.valid_months or config.training_valid_months()
    return last_valid_day(completed_on, months)


def validate_training(
    details: TrainingDetails, *, today: date
) -> tuple[TrainingCourse | None, dict[str, str]]:
    errors: dict[str, str] = {}
    course = course_by_id(details.course_id)
    if course is None:
        errors["course"] = "Select the course"
    _need(errors, "completed_on", details.completed_on, "Enter the date the course was completed")
    _not_future(errors, "completed_on", details.completed_on, today)
    if details.expires_on and details.completed_on and details.expires_on < details.completed_on:
        errors["expires_on"] = "The expiry date must be after the date completed"
    return course, errors


# --- staff ---


@dataclass(frozen=True)
class StaffDetails:
    staff_number: str
    given_name: str
    family_name: str
    kind: str
    date_of_birth: date | None = None
    job_title: str = ""
    directorate: str = ""
    works_with_children: bool = False
    regulated_activity: bool = False


def validate_staff(details: StaffDetails, *, existing: StaffMember | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    _need(errors, "staff_number", details.staff_number, "Enter the staff or member number")
    _need(errors, "given_name", details.given_name, "Enter the first name")
    _need(errors, "family_name", details.family_name, "Enter the last name")
    if details.kind not in StaffKind.values:
        errors["kind"] = "Select whether this is a member of staff or a councillor"
    taken = StaffMember.objects.filter(staff_number=details.staff_number)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if details.staff_number and taken.exists():
        errors["staff_number"] = "Someone on the register already has this number"
    return errors


@transaction.atomic
def save_staff_member(
    *, actor: User | None, details: StaffDetails, existing: StaffMember | None = None
) -> StaffMember:
    """Add someone to the register or change their details. Refuses a duplicate number."""
    errors = validate_staff(details, existing=existing)
    if errors:
        raise Refused(errors)
    member = existing or StaffMember()
    for name, value in details.__dict__.items():
        setattr(member, name, value)
    member.save()
    return member


# Staff and drivers hold the same kinds of record in their own tables (`owner` names the
# holder, e.g. {"staff": member} or {"driver": driver}); these store one, checked alike.
Record = TypeVar("Record", bound=models.Model)


def create_dbs_check(
    model: type[Record],
    *,
    owner: dict[str, Any],
    actor: User | None,
    details: DbsDetails,
    today: date,
) -> Record:
    """Store a DBS check (the result only, never what was disclosed) or raise Refused."""
    errors = validate_dbs(details, today=today)
    if errors:
        raise Refused(errors)
    return model.objects.create(**owner, recorded_by=actor, **details.__dict__)  # type: ignore[attr-defined]


def create_status_check(
    model: type[Record],
    *,
    check: Any,
    actor: User | None,
    checked_on: date | None,
    result: str,
    today: date,
) -> Record:
    """Store an Update Service status check; refuses one for a certificate not subscribed."""
    errors = validate_status_check(checked_on, result, issued_on=check.issued_on, today=today)
    if not check.update_service:
        errors["checked_on"] = "This certificate is not subscribed to the Update Service"
    if errors:
        raise Refused(errors)
    return model.objects.create(  # type: ignore[attr-defined]
        certificate=check, checked_on=checked_on, result=result, checked_by=actor
    )


def create_training_record(
    model: type[Record],
    *,
    owner: dict[str, Any],
    actor: User | None,
    details: TrainingDetails,
    today: date,
) -> Record:
    """Store a completed course; the expiry comes from the course unless one is given."""
    course, errors = validate_training(details, today=today)
    if errors:
        raise Refused(errors)
    assert course is not None and details.completed_on is not None
    return model.objects.create(  # type: ignore[attr-defined]
        **owner,
        course=course,
        completed_on=details.completed_on,
        expires_on=details.expires_on or training_expiry(course, details.completed_on),
        provider=details.provider or course.provider,
        recorded_by=actor,
    )


@transaction.atomic
def record_staff_dbs(
    *, actor: User | None, staff: StaffMember, details: DbsDetails, today: date
) -> DbsCheck:
    """Record a DBS check for a member of staff or councillor (result only, never content)."""
    return create_dbs_check(
        DbsCheck, owner={"staff": staff}, actor=actor, details=details, today=today
    )


@transaction.atomic
def record_staff_status_check(
    *, actor: User | None, check: DbsCheck, checked_on: date | None, result: str, today: date
) -> DbsStatusCheck:
    """Record an Update Service status check of a staff member's certificate."""
    return create_status_check(
        DbsStatusCheck,
        check=check,
        actor=actor,
        checked_on=checked_on,
        result=result,
        today=today,
    )


@transaction.atomic
def record_staff_training(
    *, actor: User | None, staff: StaffMember, details: TrainingDetails, today: date
) -> TrainingRecord:
    """Record a course a member of staff or councillor completed."""
    return create_training_record(
        TrainingRecord, owner={"staff": staff}, actor=actor, details=details, today=today
    )


@transaction.atomic
def create_course(
    *, name: str, kind: str, provider: str = "", valid_months: int | None = None
) -> TrainingCourse:
    """Add a course to the list. Refuses a duplicate name or an unknown kind."""
    errors: dict[str, str] = {}
    _need(errors, "name", name, "Enter the course name")
    if name and TrainingCourse.objects.filter(name__iexact=name).exists():
        errors["name"] = "A course with this name already exists"
    if kind not in CourseKind.values:
        errors["kind"] = "Select what kind of course this is"
    if valid_months is not None and not 1 <= valid_months <= 120:
        errors["valid_months"] = "Enter a number of months between 1 and 120"
    if errors:
        raise Refused(errors)
    return TrainingCourse.objects.create(
        name=name, kind=kind, provider=provider, valid_months=valid_months
    )


@transaction.atomic
def create_training_session(
    *, actor: User, course_id: int | None, held_on: date | None, venue: str, trainer: str
) -> TrainingSession:
    errors: dict[str, str] = {}
    course = course_by_id(course_id)
    if course is None:
        errors["course"] = "Select the course"
    _need(errors, "held_on", held_on, "Enter the date of the session")
    if errors:
        raise Refused(errors)
    assert course is not None and held_on is not None
    return TrainingSession.objects.create(
        course=course, held_on=held_on, venue=venue, trainer=trainer, created_by=actor
    )


@transaction.atomic
def record_attendance(
    *, actor: User, session: TrainingSession, staff: Iterable[StaffMember], today: date
) -> int:
    """Mark people as having attended a session that has taken place; each gets a training
    record (once). Refuses a session in the future. Returns how many were added."""
    if session.held_on > today:
        raise Refused({"attendees": "Attendance can be recorded once the session is held"})
    added = 0
    expires = training_expiry(session.course, session.held_on)
    for member in staff:
        session.attendees.add(member)
        _, created = TrainingRecord.objects.get_or_create(
            staff=member,
            session=session,
            defaults={
                "course": session.course,
                "completed_on": session.held_on,
                "expires_on": expires,
                "provider": session.trainer or session.course.provider,
                "recorded_by": actor,
            },
        )
        added += created
    return added


# --- awareness raising ---


@transaction.atomic
def create_campaign(
    *, actor: User, name: str, running_agency: str, starts_on: date | None, materials: str = ""
) -> AwarenessCampaign:
    errors: dict[str, str] = {}
    _need(errors, "name", name, "Enter the campaign's name")
    _need(errors, "running_agency", running_agency, "Enter the agency running the campaign")
    _need(errors, "starts_on", starts_on, "Enter the date the campaign starts")
    if errors:
        raise Refused(errors)
    assert starts_on is not None
    return AwarenessCampaign.objects.create(
        name=name,
        running_agency=running_agency,
        starts_on=starts_on,
        materials=materials,
        created_by=actor,
    )


@dataclass(frozen=True)
class AwarenessSessionDetails:
    held_on: date | None
    audience: str
    attendance: int | None
    running_agency: str
    venue: str = ""
    materials: str = ""


@transaction.atomic
def record_awareness_session(
    *, actor: User, campaign: AwarenessCampaign, details: AwarenessSessionDetails, today: date
) -> AwarenessSession:
    """Record a session held: refuses future dates, unknown audiences and negative counts."""
    errors: dict[str, str] = {}
    _need(errors, "held_on", details.held_on, "Enter the date of the session")
    _not_future(errors, "held_on", details.held_on, today)
    if details.audience not in Audience.values:
        errors["audience"] = "Select who the session was for"
    if details.attendance is None or details.attendance < 0:
        errors["attendance"] = "Enter how many people attended, as a whole number"
    _need(errors, "running_agency", details.running_agency, "Enter the agency that ran it")
    if errors:
        raise Refused(errors)
    return AwarenessSession.objects.create(campaign=campaign, recorded_by=actor, **details.__dict__)
