"""The screening pages' forms (safehub.govuk_forms). The services check every answer, so
their messages are the ones shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from safehub.govuk_forms import GovukForm, ServiceChoiceField, text
from safehub.referrals.models import FamilyAware, SharingBasis
from safehub.screening.definitions import ResultCategory

CONSENT = "You do not need consent to share information to keep a child safe."


def _sharing_basis(label: str, hint: str) -> ServiceChoiceField:
    return ServiceChoiceField(label=label, help_text=hint, options=SharingBasis.choices)


def _family_aware() -> ServiceChoiceField:
    return ServiceChoiceField(
        label="Does the child's family know you are sharing this?", options=FamilyAware.choices
    )


class CheckForm(GovukForm):
    """The check page: notes for the MASH and, for a referral, the basis for sharing and
    whether the family knows."""

    notes = text(
        "Anything else the MASH should know (optional)",
        hint="What you have seen or been told, in your own words.",
        rows=4,
    )
    sharing_basis = _sharing_basis(
        "If this leads to a referral, on what basis are you sharing it?", CONSENT
    )
    family_aware = _family_aware()

    def __init__(self, *args: Any, refers: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if refers:
            field = self.fields["sharing_basis"]
            field.label = "On what basis are you sharing this with the MASH?"
            field.help_text = (
                "These answers refer the child to the MASH, so the MASH needs to know this. "
                + CONSENT
            )


class JudgementForm(GovukForm):
    """A different final result and why; the sharing answers when it may refer the child."""

    category = ServiceChoiceField(label="What should the result be?")
    reason = text("Why?", rows=4)
    sharing_basis = _sharing_basis(
        "If this result refers the child to the MASH, on what basis are you sharing it?",
        f"Needed when you raise the result to one that refers the child. {CONSENT}",
    )
    family_aware = _family_aware()

    def __init__(
        self,
        *args: Any,
        categories: Sequence[ResultCategory] = (),
        asks_sharing: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].set_options(  # type: ignore[attr-defined]
            [(c.id, c.label) for c in categories]
        )
        if not asks_sharing:
            del self.fields["sharing_basis"], self.fields["family_aware"]
