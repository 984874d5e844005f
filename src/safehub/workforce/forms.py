"""Reading the register's forms from a POST. The services check the values; where a form
also has parsing errors, the services' checks are merged in so every problem shows at once.

Shared by the licensing pages: a DBS check and a training record read the same everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone

from safehub.people.forms import date_from_parts
from safehub.workforce.services import (
    AwarenessSessionDetails,
    DbsDetails,
    StaffDetails,
    TrainingDetails,
    validate_dbs,
    validate_training,
)

PARTS = ("day", "month", "year")


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def text(post: Mapping[str, Any], name: str) -> str:
    return str(post.get(name, "")).strip()


def checked(post: Mapping[str, Any], name: str) -> bool:
    return text(post, name) in ("yes", "on", "true")


def date_field(
    post: Mapping[str, Any], name: str, label: str, errors: dict[str, str], values: dict[str, Any]
) -> date | None:
    """A GOV.UK date input NAME-day/-month/-year; a parse error goes into `errors`."""
    values[name] = {p: text(post, f"{name}-{p}") for p in PARTS}
    raw, error = date_from_parts(post, name, label)
    if error:
        errors[name] = error
    return date.fromisoformat(raw) if raw else None


def whole_number(
    post: Mapping[str, Any], name: str, errors: dict[str, str], values: dict[str, Any]
) -> int | None:
    values[name] = text(post, name)
    if not values[name]:
        return None
    try:
        return int(values[name])
    except ValueError:
        errors[name] = "Enter a whole number"
        return None


def dbs_from_post(post: Mapping[str, Any]) -> tuple[DbsDetails, dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        n: text(post, n) for n in ("level", "certificate_number", "result", "update_service_id")
    }
    values["certificate_number"] = values["certificate_number"].replace(" ", "")
    values["update_service"] = checked(post, "update_service")
    issued = date_field(post, "issued_on", "Date of issue", errors, values)
    details = DbsDetails(
        level=values["level"],
        certificate_number=values["certificate_number"],
        issued_on=issued,
        result=values["result"],
        update_service=values["update_service"],
        update_service_id=values["update_service_id"] if values["update_service"] else "",
    )
    if errors:
        errors = {**validate_dbs(details, today=timezone.localdate()), **errors}
    return details, errors, values


def status_check_from_post(
    post: Mapping[str, Any],
) -> tuple[date | None, str, dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"result": text(post, "result")}
    checked_on = date_field(post, "checked_on", "Date of the check", errors, values)
    return checked_on, values["result"], errors, values


def training_from_post(
    post: Mapping[str, Any],
) -> tuple[TrainingDetails, dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"course": text(post, "course"), "provider": text(post, "provider")}
    completed = date_field(post, "completed_on", "Date completed", errors, values)
    expires = date_field(post, "expires_on", "Expiry date", errors, values)
    course = values["course"]
    course_id = int(course) if course.isdecimal() and len(course) < 19 else None
    details = TrainingDetails(
        course_id=course_id, completed_on=completed, provider=values["provider"], expires_on=expires
    )
    if errors:
        errors = {**validate_training(details, today=timezone.localdate())[1], **errors}
    return details, errors, values


STAFF_TEXT = ("staff_number", "given_name", "family_name", "kind", "job_title", "directorate")


def staff_from_post(post: Mapping[str, Any]) -> tuple[StaffDetails, dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {n: text(post, n) for n in STAFF_TEXT}
    values["works_with_children"] = checked(post, "works_with_children")
    values["regulated_activity"] = checked(post, "regulated_activity")
    dob = date_field(post, "date_of_birth", "Date of birth", errors, values)
    details = StaffDetails(
        staff_number=values["staff_number"].upper(),
        given_name=values["given_name"],
        family_name=values["family_name"],
        kind=values["kind"],
        date_of_birth=dob,
        job_title=values["job_title"],
        directorate=values["directorate"],
        works_with_children=values["works_with_children"] or values["regulated_activity"],
        regulated_activity=values["regulated_activity"],
    )
    return details, errors, values


def awareness_session_from_post(
    post: Mapping[str, Any],
) -> tuple[AwarenessSessionDetails, dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        n: text(post, n) for n in ("audience", "running_agency", "venue", "materials")
    }
    held = date_field(post, "held_on", "Date of the session", errors, values)
    attendance = whole_number(post, "attendance", errors, values)
    details = AwarenessSessionDetails(
        held_on=held,
        audience=values["audience"],
        attendance=attendance,
        running_agency=values["running_agency"],
        venue=values["venue"],
        materials=values["materials"],
    )
    return details, errors, values


def error_list(errors: dict[str, str], values: dict[str, Any]) -> list[tuple[str, str]]:
    """Error summary links: a date field's link goes to its day box."""
    return [(f"{k}-day" if isinstance(values.get(k), dict) else k, v) for k, v in errors.items()]
