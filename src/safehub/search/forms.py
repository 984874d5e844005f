"""The search box and the data officer's merge of two results (safehub.govuk_forms)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.govuk_forms import GovukForm, ServiceChoiceField, is_uuid, text
from safehub.people.matching import MAX_QUERY_CHARS

CHOOSE_TWO = "Choose two different results that are the same child"


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Name, date of birth, NHS number, UPN or reference",
        help_text=(
            "For example, Kay Brierley 12/03/2011, or brierley, or 2011-03-12. "
            "Spelling mistakes and nicknames are allowed."
        ),
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "required": "Enter a name, a date of birth, an NHS number, a UPN or a reference",
            "max_length": f"Enter {MAX_QUERY_CHARS} characters or fewer",
        },
    )


class MergeForm(GovukForm):
    """Two results' linked records to join as one child; the view finds the clusters."""

    first = ServiceChoiceField(label="This result", error_messages={"required": CHOOSE_TWO})
    second = ServiceChoiceField(
        label="is the same child as", error_messages={"required": CHOOSE_TWO}
    )
    note = text("Why they are the same child (optional)", rows=2, max_length=1000)

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].set_options(options)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("first", "second"):
            if not is_uuid(str(data.get(name) or "")) and name not in self.errors:
                self.add_error(name, CHOOSE_TWO)
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", CHOOSE_TWO)
        return data
