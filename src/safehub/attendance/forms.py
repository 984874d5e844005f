"""The education welfare officer's forms, in Safehub's one form system (safehub.govuk_forms):
dismissing an alert with a reason, and the schools an officer covers. The services check the
values and their messages are shown beside the fields."""

from __future__ import annotations

from typing import Any

from safehub.govuk_forms import GovukForm, ServiceMultipleChoiceField, text

DISMISS_HINT = (
    "For example: absence explained by a hospital stay, confirmed with the family. The alert "
    "and your reason are kept for review. It opens again only if another rule fires."
)


class DismissForm(GovukForm):
    reason = text("Why are you dismissing this alert?", hint=DISMISS_HINT, rows=5)


class OfficerSchoolsForm(GovukForm):
    schools = ServiceMultipleChoiceField(label="Schools")
    reason = text("Reason", hint="For example the service desk ticket number")

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"].set_options(options)  # type: ignore[attr-defined]
        self.fields["reason"].widget.attrs["autocomplete"] = "off"
