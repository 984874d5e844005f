"""The police intelligence forms, in Safehub's one form system (safehub.govuk_forms).

The services check the values. A form's own input problems (a date that is not a date, a
grid reference that is not a whole number) come first, and the service's checks are added for
the other fields, so every problem shows at once and nothing is saved while any remains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from safehub.govuk_forms import (
    Choice,
    DateField,
    GovukForm,
    ServiceChoiceField,
    VersionField,
    text,
)
from safehub.intelligence import disruptions, selectors, services, status_changes
from safehub.intelligence.choices import (
    CHILD_NAMED,
    PERSON_DISRUPTIONS,
    PLACE_DISRUPTIONS,
    AssociationKind,
    DisruptionKind,
    DisruptionOutcome,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    SourceEvaluation,
)
from safehub.intelligence.disruptions import DisruptionDetails
from safehub.intelligence.models import Disruption
from safehub.intelligence.services import (
    AssociationDetails,
    LocationDetails,
    NewPersonDetails,
    VehicleDetails,
)
from safehub.people.choices import Sex

WHOLE_NUMBER = "Enter a whole number"
REASON_HINT = "500 characters or fewer"


def field(label: str, *, hint: str = "", **attrs: Any) -> forms.CharField:
    """A text input (govuk_forms.text), trimmed: the service checks it and its message shows.
    `attrs` are the input's width, spellcheck_off, autocomplete and inputmode."""
    return text(label, hint=hint, strip=True, widget=forms.TextInput(attrs=attrs))


def textarea(label: str, *, hint: str = "", rows: int = 5) -> forms.CharField:
    return text(label, hint=hint, rows=rows, strip=True)


def radios(label: str, options: Any) -> ServiceChoiceField:
    return ServiceChoiceField(label=label, options=options)


class IntelForm(GovukForm):
    """A form whose service checks are added to its own input problems (see the module)."""

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        """The service's checks of the cleaned values (none by default)."""
        return {}

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        for name, message in self.problems(data).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return data


def _whole_number(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise forms.ValidationError(WHOLE_NUMBER) from None


# --- a person of interest ---


class ChoosePersonForm(IntelForm):
    """A person found in the index made a person of interest."""

    person = ServiceChoiceField(label="Choose the person")
    police_reference = field("Police reference (nominal number)", width="20", spellcheck_off=True)
    reason = textarea("Why they are of interest")

    def __init__(self, *args: Any, found: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [
            (
                str(p.public_id),
                f"{p.given_name} {p.family_name}"
                + (f", born {p.date_of_birth:%-d %B %Y}" if p.date_of_birth else ""),
            )
            for p in found
        ]
        self.fields["person"].set_options(options)  # type: ignore[attr-defined]
        self.chosen: Any = None

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        posted = str(data.get("person", "")).strip()
        self.chosen = selectors.person_by_public_id(posted) if posted else None
        if self.chosen is None:
            return {"person": "Choose a person from the list"}
        return services.person_of_interest_problems(**self.service_fields(data))

    def service_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "police_reference": data.get("police_reference", ""),
            "reason": data.get("reason", ""),
            "person": self.chosen,
        }


class NewPersonForm(IntelForm):
    """A new adult added to the index and made a person of interest."""

    given_name = field("First name", width="20")
    family_name = field("Last name", width="20")
    known_as = field("Also known as (optional)", width="20")
    date_of_birth = DateField(label="Date of birth")
    sex = radios("Sex", Sex.choices)
    address_line1 = field("Address (optional)")
    postcode = field("Postcode (optional)", width="10")
    police_reference = field("Police reference (nominal number)", width="20", spellcheck_off=True)
    reason = textarea("Why they are of interest")

    def details(self, data: Mapping[str, Any]) -> NewPersonDetails:
        return NewPersonDetails(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            known_as=data.get("known_as", ""),
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex", ""),
            address_line1=data.get("address_line1", ""),
            postcode=data.get("postcode", ""),
        )

    def service_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "police_reference": data.get("police_reference", ""),
            "reason": data.get("reason", ""),
            "new_person": self.details(data),
        }

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return services.person_of_interest_problems(**self.service_fields(data))


class ReasonForm(IntelForm):
    """Why a person of interest is of interest (on their page)."""

    version = VersionField()
    reason = textarea("Why they are of interest", hint=REASON_HINT)


STATUS_WORDS = {
    "closed": (
        "Why are you closing them?",
        "For example, no further intelligence for 12 months. 500 characters or fewer.",
    ),
    "active": (
        "Why are you reopening them?",
        "For example, new intelligence received. 500 characters or fewer.",
    ),
}


class StatusForm(IntelForm):
    """Close or reopen a person of interest, saying why (on their page): `to_status` is the
    status the page offers."""

    version = VersionField()
    status = forms.CharField(required=False, widget=forms.HiddenInput)
    status_reason = textarea("Why are you closing them?")

    def __init__(self, *args: Any, to_status: str = "closed", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"status": to_status, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        label, hint = STATUS_WORDS.get(to_status, STATUS_WORDS["closed"])
        reason = self.fields[status_changes.STATUS_REASON]
        reason.label, reason.help_text = label, hint


# --- a location, a vehicle, an association ---


class LocationForm(IntelForm):
    kind = radios("Kind of place", LocationKind.choices)
    name = field(
        "Name of the place",
        hint="For example, the hotel's or takeaway's name. Leave empty for a house.",
    )
    address_line1 = field("Address")
    postcode = field("Postcode", width="10")
    reference = field(
        "Police location reference (optional)",
        hint="Left empty, Safehub gives the place a reference beginning SH.",
        width="10",
        spellcheck_off=True,
    )
    easting = field(
        "Easting (optional)", hint="British National Grid, metres", width="10", inputmode="numeric"
    )
    northing = field(
        "Northing (optional)", hint="British National Grid, metres", width="10", inputmode="numeric"
    )

    def clean_easting(self) -> int | None:
        return _whole_number(self.cleaned_data["easting"])

    def clean_northing(self) -> int | None:
        return _whole_number(self.cleaned_data["northing"])

    def details(self, data: Mapping[str, Any]) -> LocationDetails:
        return LocationDetails(
            kind=data.get("kind", ""),
            name=data.get("name", ""),
            address_line1=data.get("address_line1", ""),
            postcode=data.get("postcode", ""),
            reference=str(data.get("reference", "")).upper(),
            easting=data.get("easting"),
            northing=data.get("northing"),
        )

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return services.validate_location(self.details(data))


class VehicleForm(IntelForm):
    vrm = field(
        "Registration mark",
        hint="A licensed taxi is linked to the licensing register by this.",
        width="10",
        spellcheck_off=True,
        autocomplete="off",
    )
    make_model = field("Make and model (optional)", width="20")
    colour = field("Colour (optional)", width="10")
    keeper_reference = field(
        "Keeper's police reference (optional)", width="20", spellcheck_off=True
    )

    def details(self, data: Mapping[str, Any]) -> VehicleDetails:
        return VehicleDetails(
            vrm=data.get("vrm", ""),
            make_model=data.get("make_model", ""),
            colour=data.get("colour", ""),
            keeper_reference=data.get("keeper_reference", ""),
        )

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return services.vehicle_problems(self.details(data))


class AssociationForm(IntelForm):
    """An association: what it says, when, its two ends, the source and the 3x5x2 grading."""

    kind = radios("What the intelligence says", AssociationKind.choices)
    recorded_on = DateField(label="Date of the intelligence")
    person_reference = field("Person's police reference", width="20", spellcheck_off=True)
    other_reference = field("Other person's police reference", width="20", spellcheck_off=True)
    location_reference = field("Location reference", width="10", spellcheck_off=True)
    vrm = field("Vehicle registration mark", width="10", spellcheck_off=True)
    source = field("Source", hint="For example, a patrol log, a hotel manager, a CHIS")
    source_evaluation = radios("Source evaluation", SourceEvaluation.choices)
    intelligence_assessment = radios("Intelligence assessment", IntelligenceAssessment.choices)
    handling_code = radios("Handling code", HandlingCode.choices)

    def details(self, data: Mapping[str, Any]) -> AssociationDetails:
        return AssociationDetails(
            kind=data.get("kind", ""),
            recorded_on=data.get("recorded_on"),
            person_reference=data.get("person_reference", ""),
            other_reference=data.get("other_reference", ""),
            location_reference=data.get("location_reference", ""),
            vrm=data.get("vrm", ""),
            source=data.get("source", ""),
            source_evaluation=data.get("source_evaluation", ""),
            intelligence_assessment=data.get("intelligence_assessment", ""),
            handling_code=data.get("handling_code", ""),
        )

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return services.association_problems(self.details(data))


# --- a disruption and its outcome ---


def _against(kind: str) -> str:
    if kind in CHILD_NAMED:
        return "a person, naming the child"
    if kind in PERSON_DISRUPTIONS:
        return "a person"
    if kind in PLACE_DISRUPTIONS:
        return "a place"
    return "a person or a place"


def disruption_kinds() -> list[Choice]:
    """Each kind of disruption, with what it is recorded against as its hint."""
    return [
        Choice(str(value), str(label), hint=f"Against {_against(value)}")
        for value, label in DisruptionKind.choices
    ]


class DisruptionForm(IntelForm):
    kind = radios("Kind of disruption", disruption_kinds())
    subject_reference = field(
        "Police reference of the person it is against",
        hint="Needed for notices, letters, orders, injunctions, arrests and charges",
        width="20",
        spellcheck_off=True,
    )
    location_reference = field(
        "Reference of the place it is against",
        hint="Needed for hotel information notices, closures and visits",
        width="10",
        spellcheck_off=True,
    )
    child_reference = field(
        "Police reference of the child the notice names",
        hint="Child abduction warning notices only",
        width="20",
        spellcheck_off=True,
    )
    occurred_on = DateField(label="Date served, made or done")
    ends_on = DateField(
        label="Expires or ends (optional)",
        called="End date",
        hint="For example, the end of an order or notice",
    )
    outcome = radios("Outcome so far", DisruptionOutcome.choices)
    notes = textarea("Notes (optional)", rows=4)

    def details(self, data: Mapping[str, Any]) -> DisruptionDetails:
        return DisruptionDetails(
            kind=data.get("kind", ""),
            occurred_on=data.get("occurred_on"),
            subject_reference=data.get("subject_reference", ""),
            location_reference=data.get("location_reference", ""),
            child_reference=data.get("child_reference", ""),
            ends_on=data.get("ends_on"),
            outcome=data.get("outcome", ""),
            notes=data.get("notes", ""),
        )

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return disruptions.disruption_problems(self.details(data))


class OutcomeForm(IntelForm):
    """A disruption's outcome, carrying the version it was read at."""

    version = VersionField()
    outcome = radios("Outcome", DisruptionOutcome.choices)
    ends_on = DateField(label="Expires or ends (optional)", called="End date")
    note = textarea("Note (optional)", hint="Added to the notes with today's date")

    def __init__(self, *args: Any, disruption: Disruption, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disruption = disruption

    def change(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "outcome": data.get("outcome", ""),
            "ends_on": data.get("ends_on"),
            "note": data.get("note", ""),
        }

    def problems(self, data: Mapping[str, Any]) -> Mapping[str, str]:
        return disruptions.outcome_problems(self.disruption, **self.change(data))
