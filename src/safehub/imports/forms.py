"""The upload form: which source, and the file."""

from __future__ import annotations

from django import forms

from safehub.imports.registry import Source

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class UploadForm(forms.Form):
    source = forms.ChoiceField(error_messages={"required": "Select what the file holds"})
    file = forms.FileField(
        error_messages={
            "required": "Select a file to check",
            "empty": "The selected file is empty",
        }
    )

    def __init__(self, *args: object, sources: list[Source], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sources = sources
        field = self.fields["source"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.name, s.title) for s in sources]
        field.error_messages["invalid_choice"] = "Select what the file holds"

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 512 MB")
        return upload
