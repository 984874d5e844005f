"""The upload form: which source, and the file (safehub.govuk_forms)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.govuk_forms import Choice, ChoiceField, GovukForm
from safehub.imports.registry import Source

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
SELECT_SOURCE = "Select what the file holds"


class UploadForm(GovukForm):
    source = ChoiceField(
        label="What does the file hold?",
        error_messages={"required": SELECT_SOURCE, "invalid_choice": SELECT_SOURCE},
    )
    file = forms.FileField(
        label="Upload the file",
        help_text="A CSV (.csv) or Excel (.xlsx) file with a header row.",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Select a file to check",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args: Any, sources: list[Source], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.fields["source"].set_options(  # type: ignore[attr-defined]
            [Choice(s.name, f"{s.title} ({s.file_name})", hint=s.description) for s in sources]
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 512 MB")
        return upload
