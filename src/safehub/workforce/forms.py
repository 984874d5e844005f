"""The register's forms, in Safehub's one form system (safehub.govuk_forms).

The services check the values; where a form also has input errors (a date that is not a
date), the service's checks are added so every problem shows at once.

Shared by the licensing pages: a DBS check, a status check and a training record read the
same for a member of staff and for a taxi driver (`record_forms`), and the driver's own forms
(`licensing.forms`) are made of the same fields.

`text` reads the search boxes and filters, which are not data entry; `is_uuid` (the one in
safehub.govuk_forms) checks an id before it is looked up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils import timezone

from safehub.govuk_forms import (
    DateField,
    GovukForm,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    TickField,
    is_uuid,
)
from safehub.govuk_forms import text as text_input
from safehub.workforce import selectors
from safehub.workforce.choices import (
    Audience,
    CourseKind,
    DbsLevel,
    DbsResult,
    StaffKind,
    StatusCheckResult,
)
from safehub.workforce.services import (
    AwarenessSessionDetails,
    DbsDetails,
    StaffDetails,
    TrainingDetails,
    validate_dbs,
    validate_training,
)

WHOLE_NUMBER = "Enter a whole number"


# --- fields ---


def course_options() -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in selectors.courses()]


def course_id(value: str) -> int | None:
    return int(value) if value.isdecimal() and len(value) < 19 else None


class RegisterForm(GovukForm):
    """The register's forms: a whole number's message is "Enter a whole number", and a date's
    error summary link goes to its day box."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = WHOLE_NUMBER

    @property
    def error_list(self) -> list[tuple[str, str]]:
        return [
            (f"{name}-day" if isinstance(self.fields.get(name), DateField) else name, message)
            for name, message in super().error_list
        ]

    def add_checks(self, found: Mapping[str, str]) -> None:
        """Add the service's checks for the fields that have no input error yet."""
        for name, message in found.items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)


# --- a DBS check, a status check, a training record (staff and drivers) ---


class DbsForm(RegisterForm):
    level = ServiceChoiceField(label="Level", options=DbsLevel.choices)
    certificate_number = text_input("Certificate number", hint="12 digits")
    issued_on = DateField(label="Date of issue")
    result = ServiceChoiceField(label="Result", options=DbsResult.choices)
    update_service = TickField(
        label="DBS Update Service", box="Subscribed to the DBS Update Service"
    )
    update_service_id = text_input("Update Service subscription ID", hint="Only if subscribed")

    def clean_certificate_number(self) -> str:
        return str(self.cleaned_data["certificate_number"]).replace(" ", "")

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.errors:
            self.add_checks(validate_dbs(self._details(data), today=timezone.localdate()))
        return data

    def _details(self, data: Mapping[str, Any]) -> DbsDetails:
        subscribed = bool(data.get("update_service"))
        return DbsDetails(
            level=data.get("level", ""),
            certificate_number=data.get("certificate_number", ""),
            issued_on=data.get("issued_on"),
            result=data.get("result", ""),
            update_service=subscribed,
            update_service_id=data.get("update_service_id", "") if subscribed else "",
        )

    def service_fields(self) -> dict[str, Any]:
        return {"details": self._details(self.cleaned_data)}


class StatusCheckForm(RegisterForm):
    checked_on = DateField(label="Date of the check")
    result = ServiceChoiceField(label="Result", options=StatusCheckResult.choices)

    def service_fields(self) -> dict[str, Any]:
        return {
            "checked_on": self.cleaned_data["checked_on"],
            "result": self.cleaned_data["result"],
        }


class TrainingForm(RegisterForm):
    course = ServiceChoiceField(label="Course")
    completed_on = DateField(label="Date completed")
    expires_on = DateField(
        label="Expiry date (optional)",
        called="Expiry date",
        hint="Leave blank to use the course's validity",
    )
    provider = text_input("Provider (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].set_options(course_options())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.errors:
            found = validate_training(self._details(data), today=timezone.localdate())[1]
            self.add_checks(found)
        return data

    def _details(self, data: Mapping[str, Any]) -> TrainingDetails:
        return TrainingDetails(
            course_id=course_id(data.get("course", "")),
            completed_on=data.get("completed_on"),
            provider=data.get("provider", ""),
            expires_on=data.get("expires_on"),
        )

    def service_fields(self) -> dict[str, Any]:
        return {"details": self._details(self.cleaned_data)}


# --- the staff register, courses, sessions, awareness raising ---


class StaffForm(RegisterForm):
    staff_number = text_input("Staff or member number")
    given_name = text_input("First name")
    family_name = text_input("Last name")
    date_of_birth = DateField(label="Date of birth (optional)", called="Date of birth")
    kind = ServiceChoiceField(label="Staff or councillor", options=StaffKind.choices)
    job_title = text_input("Job title")
    directorate = text_input("Directorate or team (ward for councillors)")
    works_with_children = TickField(label="Work with children", box="The role works with children")
    regulated_activity = TickField(
        label="Regulated activity",
        box="The role is regulated activity with children (needs barred-list checks)",
    )

    @staticmethod
    def initial_of(member: Any) -> dict[str, Any]:
        return {name: getattr(member, name) for name in StaffForm.base_fields}

    def details(self) -> StaffDetails:
        data = self.cleaned_data
        return StaffDetails(
            staff_number=data["staff_number"].upper(),
            given_name=data["given_name"],
            family_name=data["family_name"],
            kind=data["kind"],
            date_of_birth=data["date_of_birth"],
            job_title=data["job_title"],
            directorate=data["directorate"],
            works_with_children=data["works_with_children"] or data["regulated_activity"],
            regulated_activity=data["regulated_activity"],
        )


class CourseForm(RegisterForm):
    name = text_input("Name")
    kind = ServiceChoiceField(label="Kind", options=CourseKind.choices)
    provider = text_input("Provider (optional)")
    valid_months = forms.IntegerField(label="Valid for, in months (optional)", required=False)


class SessionForm(RegisterForm):
    course = ServiceChoiceField(label="Course")
    held_on = DateField(label="Date")
    venue = text_input("Venue (optional)")
    trainer = text_input("Trainer or provider (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].set_options(course_options())  # type: ignore[attr-defined]

    def clean_course(self) -> int | None:
        return course_id(self.cleaned_data["course"])


class CampaignForm(RegisterForm):
    name = text_input("Name")
    running_agency = text_input("Agency running it")
    starts_on = DateField(label="Start date")
    materials = text_input("Materials (optional)", rows=5)


class AwarenessSessionForm(RegisterForm):
    held_on = DateField(label="Date", called="Date of the session")
    audience = ServiceChoiceField(label="Audience", options=Audience.choices)
    attendance = forms.IntegerField(label="Number who attended", required=False)
    running_agency = text_input("Agency that ran it")
    venue = text_input("Venue (optional)")
    materials = text_input("Materials used (optional)", rows=5)

    def details(self) -> AwarenessSessionDetails:
        return AwarenessSessionDetails(**self.cleaned_data)


class AttendanceForm(RegisterForm):
    """Who attended a training session, chosen from the people found (`candidates`)."""

    attendee = ServiceMultipleChoiceField(label="Who attended")

    def __init__(self, *args: Any, candidates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendee"].set_options(  # type: ignore[attr-defined]
            [
                (str(m.public_id), f"{m.given_name} {m.family_name} ({m.staff_number})")
                for m in candidates
            ]
        )

    def clean_attendee(self) -> list[str]:
        return [v for v in self.cleaned_data["attendee"] if is_uuid(v)]


# --- the older hand-built helper (search boxes; safehub.intelligence.forms) ---


def text(post: Mapping[str, Any], name: str) -> str:
    return str(post.get(name, "")).strip()
