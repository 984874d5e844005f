"""The referral pages' forms (safehub.govuk_forms)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from safehub.accounts.models import Agency
from safehub.govuk_forms import DateField, GovukForm, ServiceChoiceField, text
from safehub.people.forms import PersonDetailsForm
from safehub.referrals.models import Decision, FamilyAware, Rag, SharingBasis
from safehub.referrals.services import referral_details_problems
from safehub.referrals.triage import MILESTONES


class ReferralForm(PersonDetailsForm):
    """A referral to the MASH without a screening: the child, the concerns, the sharing basis
    and whether the family knows. Messages are the services' own."""

    concerns = text(
        "What are you worried about?",
        hint="What you have seen or been told, when, and by whom.",
        rows=6,
    )
    sharing_basis = ServiceChoiceField(
        label="On what basis are you sharing this?", options=SharingBasis.choices
    )
    family_aware = ServiceChoiceField(
        label="Does the child's family know you are making this referral?",
        options=FamilyAware.choices,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        problems = referral_details_problems(
            concerns=cleaned.get("concerns") or "",
            sharing_basis=cleaned.get("sharing_basis") or "",
            family_aware=cleaned.get("family_aware") or "",
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return cleaned


class RateForm(GovukForm):
    """The RAG rating and why."""

    rating = ServiceChoiceField(
        label="Rating", options=Rag.choices, widget=forms.RadioSelect(attrs={"inline": True})
    )
    reason = text("Why this rating?", rows=2)


class AskForm(GovukForm):
    """A request for information to a partner agency."""

    agency = ServiceChoiceField(
        label="Agency", widget=forms.Select(attrs={"empty_label": "Choose an agency"})
    )
    question = text(
        "What do you need to know?", hint="The answer is due within the rating's timescale.", rows=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].set_options(  # type: ignore[attr-defined]
            [(str(a.pk), a.name) for a in Agency.objects.order_by("name")]
        )

    def agency_id(self) -> int | None:
        """The chosen agency's id, or None when the choice is not one (the service says so)."""
        agency = str(self.cleaned_data.get("agency") or "")
        return int(agency) if agency.isdecimal() and len(agency) < 19 else None


class DecideForm(GovukForm):
    """The MASH decision and its rationale."""

    decision = ServiceChoiceField(label="What should happen next?", options=Decision.choices)
    rationale = text("Rationale", rows=3)


class MilestoneForm(GovukForm):
    """A statutory milestone and the date it happened."""

    milestone = ServiceChoiceField(
        label="What happened", options=list(MILESTONES.items()), widget=forms.Select
    )
    on = DateField(label="Date", called="The date", hint="For example, 27 3 2026")

    def clean_on(self) -> date:
        on = self.cleaned_data.get("on")
        if on is None:
            raise forms.ValidationError("Enter the date")
        return on


class AnswerForm(GovukForm):
    """A partner agency's answer to a request for information."""

    answer = text("The agency's answer", rows=2)
