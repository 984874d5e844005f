"""The missing-children pages' forms (safehub.govuk_forms): dates with times, lists and
checkboxes.

Reading only; what the values must satisfy is checked by the services, with the same messages
whichever channel is used. A form that cannot read a date, a time or a choice refuses before
the service is asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from safehub import govuk_forms
from safehub.govuk_forms import DateField, DateParts, GovukForm, ServiceChoiceField
from safehub.missing.choices import (
    DfECode,
    InterviewResponse,
    MissingFrom,
    PoliceCategory,
    PullFactor,
    PushFactor,
    RiskGrading,
)
from safehub.missing.services import EpisodeDetails, FoundDetails, InterviewDetails
from safehub.missing.team_services import PROFILE_FIELDS, ProfileDetails
from safehub.people.validators import nhs_number_problem, normalise_nhs_number

TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
PARTS = ("day", "month", "year", "time")
OFF = {"autocomplete": "off"}


def parse_time(raw: str) -> time | None:
    """'21:30', '9.30pm', '9pm' or '09:05' as a time; None if it is not one."""
    match = TIME_RE.match(raw.strip())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class DateTimeParts(DateParts):
    """A GOV.UK date input with a time box: NAME-day, NAME-month, NAME-year and NAME-time."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {p: str(data.get(f"{name}-{p}", "")).strip() for p in PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{p}" in data for p in PARTS)


class DateTimeField(forms.Field):
    """A date and time typed as day, month, year and time, read as UK local time.

    `called` names it in the messages ("Enter when the child was last seen")."""

    widget = DateTimeParts

    def __init__(self, *, label: str, called: str, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "missing/_datetime_field.html")
        super().__init__(label=label, required=required, **kwargs)
        self.called = called

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return {
                "day": str(local.day),
                "month": str(local.month),
                "year": str(local.year),
                "time": local.strftime("%H:%M"),
            }
        return value

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value
        raw = value if isinstance(value, dict) else {}
        if not any(raw.get(p) for p in PARTS):
            return None
        called = self.called[:1].upper() + self.called[1:]
        missing = [p for p in PARTS if not raw.get(p)]
        if missing:
            raise forms.ValidationError(f"{called} must include a {' and a '.join(missing)}")
        try:
            day, month, year = int(raw["day"]), int(raw["month"]), int(raw["year"])
            if year < 1000:
                raise forms.ValidationError("Year must include 4 numbers")
            on = date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a year too long for a date
            raise forms.ValidationError(f"{called} must be a real date") from None
        at = parse_time(raw["time"])
        if at is None:
            raise forms.ValidationError("Enter the time like 21:30 or 9:30pm")
        return timezone.make_aware(datetime.combine(on, at))

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.called}")


def _input(label: str, *, hint: str = "", **attrs: Any) -> forms.CharField:
    """A text input, passed on as typed (the service checks it), without autocomplete."""
    return govuk_forms.text(label, hint=hint, widget=forms.TextInput(attrs=OFF | attrs))


def _stripped(cleaned: dict[str, Any], *names: str) -> dict[str, str]:
    return {n: str(cleaned.get(n) or "").strip() for n in names}


class FindChildForm(GovukForm):
    """Find the child by name and date of birth (and NHS number, if known): the front door's
    matcher then offers the likely matches."""

    given_name = _input("First name", spellcheck_off=True, width="20")
    family_name = _input("Last name", spellcheck_off=True, width="20")
    date_of_birth = DateField(label="Date of birth")
    nhs_number = _input(
        "NHS number (optional)",
        hint="10 digits, for example 485 777 3456",
        inputmode="numeric",
        width="10",
    )

    def clean_given_name(self) -> str:
        name = str(self.cleaned_data.get("given_name") or "").strip()
        if not name:
            raise forms.ValidationError("Enter the child's first name")
        return name

    def clean_family_name(self) -> str:
        name = str(self.cleaned_data.get("family_name") or "").strip()
        if not name:
            raise forms.ValidationError("Enter the child's last name")
        return name

    def clean_nhs_number(self) -> str:
        number = str(self.cleaned_data.get("nhs_number") or "").strip()
        if number and (problem := nhs_number_problem(number)):
            raise forms.ValidationError(problem)
        return normalise_nhs_number(number)

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            raise forms.ValidationError("Enter the child's date of birth")
        if born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born


class EpisodeForm(GovukForm):
    """Record a missing episode."""

    missing_from = ServiceChoiceField(
        label="Where did the child go missing from?", options=MissingFrom.choices
    )
    dfe_code = ServiceChoiceField(
        label="DfE code (looked-after children only)",
        options=DfECode.choices,
        help_text="Leave blank for a child missing from home",
    )
    category = ServiceChoiceField(
        label="How did the police classify it?",
        options=PoliceCategory.choices,
        help_text="Absent: not where they should be, no apparent risk. Missing: whereabouts "
        "unknown, with risk.",
    )
    risk = ServiceChoiceField(label="Police risk grading", options=RiskGrading.choices)
    went_missing_at = DateTimeField(
        label="When was the child last seen?", called="when the child was last seen"
    )
    reported_at = DateTimeField(
        label="When was the child reported missing?", called="when the child was reported missing"
    )
    reported_by = _input(
        "Who reported it?", hint="Their name or role, for example 'Foster carer' or 'Mother'"
    )
    reported_by_agency = _input(
        "Their organisation (optional)",
        hint="For example, the children's home or the school",
    )
    police_reference = _input("Police reference (optional)", width="10", spellcheck_off=True)

    def details(self) -> EpisodeDetails:
        data = self.cleaned_data
        values = _stripped(
            data,
            "missing_from",
            "category",
            "dfe_code",
            "risk",
            "reported_by",
            "reported_by_agency",
            "police_reference",
        )
        return EpisodeDetails(
            missing_from=values["missing_from"],
            category=values["category"],
            risk=values["risk"],
            dfe_code=values["dfe_code"] if values["missing_from"] == "care" else "",
            went_missing_at=data["went_missing_at"],
            reported_at=data["reported_at"],
            reported_by=values["reported_by"],
            reported_by_agency=values["reported_by_agency"],
            police_reference=values["police_reference"],
        )


class FoundForm(GovukForm):
    """Record when and where the child was found or came back."""

    found_at = DateTimeField(
        label="When was the child found or did they come back?",
        called="when the child was found or returned",
    )
    found_place = _input(
        "Where were they found?",
        hint="A place or address, or 'returned home of own accord'",
    )
    found_postcode = _input("Postcode (optional)", width="10")
    found_with = govuk_forms.text(
        "Who were they with? (optional)", hint="Names, descriptions or vehicles", rows=3
    )

    def details(self) -> FoundDetails:
        values = _stripped(self.cleaned_data, "found_place", "found_postcode", "found_with")
        return FoundDetails(found_at=self.cleaned_data["found_at"], **values)


def lines(raw: str) -> list[str]:
    """Non-empty lines of a textarea."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


def place_and_postcode(line: str) -> tuple[str, str]:
    """'Name, CV1 2AB' -> ('Name', 'CV1 2AB'); a line without a trailing postcode has none."""
    name, _, tail = line.rpartition(",")
    if name and re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}", tail.strip()):
        return name.strip(), tail.strip()
    return line.strip(), ""


CONCERNS_MESSAGE = "Select yes if the child disclosed exploitation concerns"


class InterviewForm(GovukForm):
    """The return home interview: offer, answer, interviewer, findings, concerns."""

    offered_at = DateTimeField(
        label="When was the interview offered?", called="when the interview was offered"
    )
    response = ServiceChoiceField(label="Did the child accept?", options=InterviewResponse.choices)
    completed_at = DateTimeField(
        label="When did the interview take place? (leave blank if it has not)",
        called="when the interview took place",
        required=False,
    )
    interviewer = ServiceChoiceField(
        label="Who held the interview?",
        widget=forms.Select,
        help_text="Not the person who recorded the episode. Leave it unchosen if the interview "
        "has not been held yet",
    )
    outcome = govuk_forms.text(
        "Outcome", hint="What the child said, what support is needed, what happens next", rows=5
    )
    push_factors = govuk_forms.ServiceMultipleChoiceField(
        label="Push factors",
        options=PushFactor.choices,
        help_text="What made the child leave. Select all that apply.",
    )
    pull_factors = govuk_forms.ServiceMultipleChoiceField(
        label="Pull factors",
        options=PullFactor.choices,
        help_text="What drew the child away. Select all that apply.",
    )
    places = govuk_forms.text(
        "Places the child named (optional)",
        hint="One a line; add a postcode after a comma if known, for example "
        "'Station Road flats, CV1 2AB'",
        rows=3,
    )
    associates = govuk_forms.text(
        "People the child named (optional)",
        hint="One a line: names, nicknames or descriptions",
        rows=3,
    )
    exploitation_concerns = govuk_forms.ChoiceField(
        label="Did the child disclose, or did you find, exploitation concerns?",
        options=[("yes", "Yes"), ("no", "No")],
        help_text="Yes alerts the CSE team and prompts a CSE screening",
        error_messages={"required": CONCERNS_MESSAGE, "invalid_choice": CONCERNS_MESSAGE},
    )
    concerns_detail = govuk_forms.text("The concerns (if yes)", rows=3)

    def __init__(self, *args: Any, interviewers: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].set_options(  # type: ignore[attr-defined]
            [
                (
                    str(u.pk),
                    (u.get_full_name() or u.username) + (f", {u.agency.name}" if u.agency else ""),
                )
                for u in interviewers
            ]
        )

    def clean_interviewer(self) -> int | None:
        raw = str(self.cleaned_data.get("interviewer") or "").strip()
        if not raw:
            return None
        if not (raw.isdecimal() and len(raw) < 19):
            raise forms.ValidationError("Select an interviewer from the list")
        return int(raw)

    def details(self) -> InterviewDetails:
        data = self.cleaned_data
        values = _stripped(data, "response", "outcome", "concerns_detail", "places", "associates")
        return InterviewDetails(
            offered_at=data["offered_at"],
            response=values["response"],
            completed_at=data["completed_at"],
            interviewer_id=data["interviewer"],
            outcome=values["outcome"],
            push_factors=tuple(data["push_factors"]),
            pull_factors=tuple(data["pull_factors"]),
            exploitation_concerns=data["exploitation_concerns"] == "yes",
            concerns_detail=values["concerns_detail"],
            places=tuple(place_and_postcode(line) for line in lines(values["places"])),
            associates=tuple(lines(values["associates"])),
        )


def interview_initial(interview: Any) -> dict[str, Any]:
    """The stored interview as the form's starting values, so an update starts from what is
    there."""
    if interview is None:
        return {}
    mentions = list(interview.mentions.all())
    return {
        "offered_at": interview.offered_at,
        "completed_at": interview.completed_at,
        "response": interview.response,
        "interviewer": str(interview.interviewer_id or ""),
        "outcome": interview.outcome,
        "push_factors": interview.push_factors,
        "pull_factors": interview.pull_factors,
        "exploitation_concerns": "yes" if interview.exploitation_concerns else "no",
        "concerns_detail": interview.concerns_detail,
        "places": "\n".join(
            f"{m.text}, {m.postcode}" if m.postcode else m.text
            for m in mentions
            if m.kind == "place"
        ),
        "associates": "\n".join(m.text for m in mentions if m.kind == "associate"),
    }


def _area(label: str, hint: str = "", rows: int = 3) -> forms.CharField:
    return govuk_forms.text(label, hint=hint, rows=rows)


class ProfileForm(GovukForm):
    """The Philomena profile, with the version it was read at."""

    version = govuk_forms.VersionField()
    description = _area(
        "Physical description",
        "Height, build, hair, distinguishing marks, usual clothing",
        rows=4,
    )
    photo_reference = govuk_forms.text(
        "Where the recent photo is kept",
        hint="For example, 'on the child's file, taken 3 March 2025'",
    )
    associates = _area("Friends and associates", "Names, nicknames, ages, where they live")
    places_frequented = _area("Addresses and places frequented")
    phone_numbers = _area("Phone numbers")
    social_media = _area("Social media", "Accounts and usernames")
    medical = _area("Medical needs and medication")
    money_and_transport = _area(
        "Money, bank cards and transport", "Bank cards, travel passes, bikes, routes the child uses"
    )

    def details(self) -> ProfileDetails:
        return ProfileDetails(**_stripped(self.cleaned_data, *PROFILE_FIELDS))


class FlaggedLocationForm(GovukForm):
    """Add a place to the CSE team's list."""

    name = _input("Name of the place")
    postcode = _input("Postcode (optional)", width="10")
    note = govuk_forms.text("Why it is flagged (optional)", rows=3)

    def values(self) -> dict[str, str]:
        return _stripped(self.cleaned_data, "name", "postcode", "note")
