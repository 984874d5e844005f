"""The cases app's page forms, in Safehub's one form system (safehub.govuk_forms).

Field names are what the pages have always posted (tests, drafts and browser tests post them).
Checks about the input itself (a real date, a time, a person picked from the list offered)
are the forms'; business rules (a known risk level, a reason given, a closed case) stay in the
services, whose refusal the page shows with `form.refuse`. A choice the service checks is
passed on as posted, so the service's words are the ones the user reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from safehub.cases.meetings import ExternalAttendee
from safehub.cases.models import (
    ClosureReason,
    EducationStatus,
    EntryKind,
    InterventionKind,
    MeetingKind,
    NrmOutcome,
    RiskLevel,
    SafetyPlan,
)
from safehub.govuk_forms import (
    Choice,
    ChoiceField,
    DateField,
    GovukForm,
    MultipleChoiceField,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    VersionField,
    text,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def textarea(label: str, **kwargs: Any) -> forms.CharField:
    return text(label, rows=5, **kwargs)


class CasesForm(GovukForm):
    """A cases page's form. `messages` gives fields their own words for the stock checks
    (set after GovukForm has put the stock ones in GOV.UK words)."""

    messages: ClassVar[dict[str, dict[str, str]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, words in self.messages.items():
            self.fields[name].error_messages.update(words)


class VersionedForm(CasesForm):
    """A form over a versioned record: it carries the version it was read at."""

    version = VersionField()


def held_by(loads: Sequence[Any]) -> list[Choice]:
    """Each CSE worker, with their open caseload under their name."""
    return [
        Choice(str(load.worker.pk), load.worker.get_full_name() or load.worker.username, held(load))
        for load in loads
    ]


def held(load: Any) -> str:
    """A worker's open caseload as the allocation form shows it under their name."""
    if not load.open_cases:
        return "No open cases"
    cases = f"{load.open_cases} open case{'s' if load.open_cases != 1 else ''}"
    return f"{cases}, {load.high_risk} at high risk or exploited"


class AllocateForm(VersionedForm):
    worker = ChoiceField(
        label="Who should hold this case?",
        help_text="Each worker's open cases are shown under their name.",
    )
    reason = textarea("Reason (optional)")
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "worker": {
            "required": "Choose a member of the CSE team",
            "invalid_choice": "Choose a member of the CSE team",
        }
    }

    def __init__(self, *args: Any, loads: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].set_options(held_by(loads))  # type: ignore[attr-defined]


class RiskForm(VersionedForm):
    level = ServiceChoiceField(label="What is the risk level now?", options=RiskLevel.choices)
    reason = textarea("Why has it changed?")


class SafetyPlanForm(VersionedForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SafetyPlan.SECTIONS:
            self.fields[name] = textarea(label)


class CloseForm(VersionedForm):
    reason = ServiceChoiceField(label="Why is the case closing?", options=ClosureReason.choices)
    notes = textarea("Notes")
    risk_at_closure = ServiceChoiceField(label="Risk level at closure", options=RiskLevel.choices)
    in_education = ServiceChoiceField(
        label="Education, training or work", options=EducationStatus.choices
    )
    missing_episodes = forms.IntegerField(
        label="Missing episodes in the last 3 months", required=False
    )
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "missing_episodes": {"invalid": "Enter the number of missing episodes as a whole number"}
    }

    def clean_missing_episodes(self) -> int | None:
        # Only digits: "-1" or "3.0" is not a count of episodes.
        raw = str(self.data.get("missing_episodes", "")).strip()
        if raw and not (raw.isdecimal() and len(raw) < 19):
            raise forms.ValidationError(self.messages["missing_episodes"]["invalid"])
        value: int | None = self.cleaned_data.get("missing_episodes")
        return value


class InterventionForm(VersionedForm):
    kind = ServiceChoiceField(label="What kind of work?", options=InterventionKind.choices)
    date = DateField(label="When was it?", called="The date")
    notes = textarea("Notes")


class ReviewForm(VersionedForm):
    held_on = DateField(label="When was the review?", called="The date")
    summary = textarea("Summary")


class NrmForm(VersionedForm):
    referred = ChoiceField(label="Has an NRM referral been made?", options=YES_NO)
    referral_date = DateField(label="Date of the referral", called="The referral date")
    outcome = ServiceChoiceField(
        label="Outcome", options=[("", "No decision recorded"), *NrmOutcome.choices]
    )
    outcome_date = DateField(label="Date of the outcome", called="The outcome date")
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "referred": {
            "required": "Select yes if an NRM referral has been made",
            "invalid_choice": "Select yes if an NRM referral has been made",
        }
    }


class FactorsForm(VersionedForm):
    codes = ServiceMultipleChoiceField(
        label="Which factors apply?", help_text="Select all that apply"
    )

    def __init__(self, *args: Any, factors: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].set_options(  # type: ignore[attr-defined]
            [(f.code, f"{f.label} ({f.code})") for f in factors]
        )


class ChronologyEntryForm(VersionedForm):
    kind = ServiceChoiceField(label="What kind of entry?", options=EntryKind.choices)
    occurred_at = DateField(label="When did it happen?", called="The date")
    title = text("Title")
    detail = textarea("Details")
    marks = ServiceMultipleChoiceField(
        label="Sharing",
        options=[
            ("police_only", "Police information: leave out of shared documents"),
            ("third_party", "Names or details of other people: leave out of shared documents"),
        ],
    )


def as_datetime(day: date | None) -> datetime | None:
    """A date as a moment in the working day (chronology entries are dated, not timed)."""
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    return min(moment, timezone.now()) if day == timezone.localdate() else moment


class MeetingForm(CasesForm):
    """Arranging a meeting. `held_at` (the date and time together) and `external` (the
    other attendees, one a line) are cleaned ready for the service."""

    kind = ServiceChoiceField(label="Type of meeting", options=MeetingKind.choices)
    held_on = DateField(label="Date of the meeting", called="The date")
    held_time = forms.CharField(label="Time", required=False, help_text="For example, 14:30")
    agenda = ServiceMultipleChoiceField(label="Children on the agenda")
    attendees = MultipleChoiceField(label="Attendees with Safehub accounts")
    external = textarea("Other attendees", help_text="One a line: name, agency")
    places_and_persons_of_concern = textarea("Places and persons of concern (police)")
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "attendees": {"invalid_choice": "Select attendees from the list of people who may attend"}
    }

    def __init__(
        self,
        *args: Any,
        agenda: Sequence[tuple[str, str]],
        attendees: Sequence[Choice],
        window_days: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda"].set_options(agenda)  # type: ignore[attr-defined]
        self.fields["attendees"].set_options(attendees)  # type: ignore[attr-defined]
        self.fields["attendees"].help_text = (
            "Tick everyone who attends. Attendees from other agencies can see this meeting's "
            f"record for {window_days} days after it."
        )

    def clean_held_time(self) -> time:
        try:
            return time.fromisoformat(self.cleaned_data["held_time"] or "09:00")
        except ValueError:
            raise forms.ValidationError("Enter the time like 14:30") from None

    def clean_external(self) -> list[ExternalAttendee]:
        externals = []
        for line in str(self.cleaned_data["external"]).splitlines():
            if line.strip():
                name, _sep, agency = line.partition(",")
                externals.append(ExternalAttendee(name, agency))
        return externals

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, clock = cleaned.get("held_on"), cleaned.get("held_time")
        cleaned["held_at"] = (
            timezone.make_aware(datetime.combine(day, clock)) if day and clock else None
        )
        return cleaned


class MeetingRecordForm(VersionedForm):
    information_shared = textarea("Information shared")
    decisions = textarea("Decisions")


class MeetingActionForm(CasesForm):
    case = ChoiceField(label="Which child is it for?")
    description = textarea("What is to be done?")
    owner = ChoiceField(label="Who owns the action?", widget=forms.Select, required=False)
    due_date = DateField(label="Due date", called="The due date")
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "case": {
            "required": "Choose a child on the agenda, or not about one child",
            "invalid_choice": "Choose a child on the agenda, or not about one child",
        },
        "owner": {"invalid_choice": "Choose the action's owner from the list"},
    }

    def __init__(
        self,
        *args: Any,
        children: Sequence[tuple[str, str]],
        owners: Sequence[Choice],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].set_options(  # type: ignore[attr-defined]
            [*children, ("none", "Not about one child")]
        )
        self.fields["owner"].set_options(owners)  # type: ignore[attr-defined]


CHRONOLOGY_KINDS = [
    ("screening", "Screenings"),
    ("referral", "Referrals"),
    ("missing", "Missing episodes"),
    ("case", "Case opened or closed"),
    ("risk", "Risk level changes"),
    ("meeting", "Meetings"),
    ("action", "Meeting actions"),
    ("intervention", "Interventions"),
    ("review", "Reviews"),
    ("contact", "Contacts"),
    ("visit", "Visits"),
    ("direct_work", "Direct work"),
    ("note", "Case notes"),
]


class ChronologyFilterForm(CasesForm):
    """The chronology's filter (a GET form): kinds not on the list are ignored."""

    kind = ServiceMultipleChoiceField(label="Show only", options=CHRONOLOGY_KINDS)
    since = DateField(label="On or after", called="The date")

    def clean_kind(self) -> list[str]:
        known = {k for k, _ in CHRONOLOGY_KINDS}
        return [k for k in self.cleaned_data["kind"] if k in known]
