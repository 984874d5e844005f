"""The attendance forms, in Safehub's one form system (safehub.govuk_forms): dismissing an
alert with a reason, the schools an officer covers, and the rules review's period. The
services check the values and their messages are shown beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.attendance.choices import DismissalReason, RuleName
from safehub.govuk_forms import (
    DateField,
    GovukForm,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    text,
)

CATEGORY_HINT = (
    "Dismissals are counted by reason for each rule, so the partnership can see which rules "
    "alert on absence that is explained. The count never names the pupil."
)
DISMISS_HINT = (
    "For example: absence explained by a hospital stay, confirmed with the family. The alert "
    "and your reason are kept for review. It opens again only if another rule fires."
)


class DismissForm(GovukForm):
    category = ServiceChoiceField(
        label="Why are you dismissing this alert?",
        options=DismissalReason.choices,
        help_text=CATEGORY_HINT,
    )
    reason = text("Details", hint=DISMISS_HINT, rows=5)


class OfficerSchoolsForm(GovukForm):
    schools = ServiceMultipleChoiceField(label="Schools")
    reason = text("Reason", hint="For example the service desk ticket number")

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"].set_options(options)  # type: ignore[attr-defined]
        self.fields["reason"].widget.attrs["autocomplete"] = "off"


class RulesReviewForm(GovukForm):
    """The rules review's period of register weeks and the rule whose alert rates are shown
    (a GET form). Empty dates take the page's default period; an unknown rule is any rule."""

    start = DateField(label="From", called="The start of the period")
    end = DateField(label="To", called="The end of the period")
    rule = ServiceChoiceField(
        label="Show alert rates for",
        options=RuleName.choices,
        widget=forms.Select(attrs={"empty_label": "Any rule"}),
    )

    def clean_rule(self) -> str:
        rule = self.cleaned_data.get("rule") or ""
        return rule if rule in RuleName.values else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", "The end of the period must be the same as or after its start")
        return data
