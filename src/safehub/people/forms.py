"""The child's details as a GOV.UK form (checked by the API's own validation)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

from safehub.accounts.models import Agency
from safehub.govuk_forms import (
    Choice,
    DateField,
    GovukForm,
    ServiceChoiceField,
    date_from_parts,
    text,
)
from safehub.people.choices import Ethnicity, Sex
from safehub.people.services import PersonDetails, validate_person_details
from safehub.refusals import Refused

__all__ = ["PERSON_FIELDS", "PersonDetailsForm", "date_from_parts"]

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "known_as",
    "sex",
    "ethnicity",
    "nhs_number",
    "upn",
    "address_line1",
    "postcode",
    "school_id",
)
DATE_PARTS = ("day", "month", "year")


def _typed(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class PersonDetailsForm(GovukForm):
    """The child's details, shared by the screening journey and the referral form.

    Every message is validate_person_details' own (the API's), except GOV.UK's date-box
    messages; the checked details are `form.details`."""

    given_name = text("First name", widget=_typed(spellcheck_off="1", width="20"))
    family_name = text("Last name", widget=_typed(spellcheck_off="1", width="20"))
    known_as = text(
        "Other names the child is known by (optional)",
        hint="Nicknames or previous names, separated by commas",
        widget=_typed(spellcheck_off="1"),
    )
    date_of_birth = DateField(label="Date of birth")
    sex = ServiceChoiceField(
        label="Sex", options=Sex.choices, widget=forms.RadioSelect(attrs={"inline": True})
    )
    ethnicity = ServiceChoiceField(
        label="Ethnic group (optional)", options=Ethnicity.choices, widget=forms.Select
    )
    nhs_number = text(
        "NHS number (optional)",
        hint="10 digits, for example 485 777 3456",
        widget=_typed(inputmode="numeric", width="10"),
    )
    upn = text(
        "Unique Pupil Number (optional)",
        hint="13 characters, starting with a letter",
        widget=_typed(spellcheck_off="1", width="20"),
    )
    address_line1 = text("Address (optional)", hint="House number and street", widget=_typed())
    postcode = text("Postcode (optional)", widget=_typed(width="10"))
    school_id = ServiceChoiceField(
        label="School (optional)",
        widget=forms.Select(attrs={"empty_label": "Not known or not at school"}),
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("ethnicity", Ethnicity.NOT_STATED)
        super().__init__(*args, **kwargs)
        self.today = today or date.today()
        self.details: PersonDetails | None = None
        schools = Agency.objects.filter(agency_type="school").order_by("name")
        self.fields["school_id"].set_options(  # type: ignore[attr-defined]
            [Choice(str(s.pk), s.name) for s in schools]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data: dict[str, Any] = {f: cleaned.get(f) or "" for f in PERSON_FIELDS}
        dob = cleaned.get("date_of_birth")
        data["date_of_birth"] = dob.isoformat() if dob else ""
        try:
            self.details = validate_person_details(data, today=self.today)
        except Refused as exc:
            for name, message in exc.errors.items():
                # A date the boxes could not read keeps GOV.UK's message for it.
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned

    def typed(self) -> dict[str, str]:
        """What was typed, trimmed, as kept in a screening draft (`child_form`)."""
        values = {f: str(self.data.get(f, "")).strip() for f in PERSON_FIELDS}
        for part in DATE_PARTS:
            typed = self.data.get(f"date_of_birth-{part}", "")
            values[f"date_of_birth_{part}"] = str(typed).strip()
        return values


def typed_as_post(values: Mapping[str, Any]) -> dict[str, str]:
    """A draft's `child_form` (see PersonDetailsForm.typed) as the form posts it."""
    post = {f: str(values.get(f, "")) for f in PERSON_FIELDS}
    for part in DATE_PARTS:
        post[f"date_of_birth-{part}"] = str(values.get(f"date_of_birth_{part}", ""))
    return post
