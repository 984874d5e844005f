"""Safehub's one form system: Django forms, shown as GOV.UK Design System components.

A page's form is a `GovukForm` whose fields are ordinary Django form fields; the kind of
GOV.UK component follows from the field and its widget (text input, textarea, radios,
checkboxes, select, number, and `DateField`'s day, month and year boxes). `{{ form }}` renders
every field through one template, govuk/form_fields.html, and each field through
govuk/field.html, so every form has the same markup, labels, hints and error messages.

Ids are the fields' names (no "id_" prefix), so the error summary's links
(`form.error_list`, shown by govuk/error_summary.html) land on the field, and the names are
those drafts and browser tests already use (a date's boxes post NAME-day, NAME-month,
NAME-year).

A service that refuses (safehub.refusals.Refused) is shown with `form.refuse(exc)`: each
message beside its field, or at the top when it is not about one of the form's fields.

Why Django's own forms and templates rather than crispy-forms-gds or govuk-frontend-django:
the GOV.UK markup already lived in templates/govuk/ and passes the axe checks; rendering
Django forms through it needs no further dependency (Django 5.2's bound-field class and form
renderer are enough), and every form keeps Django's validation, cleaning and tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict

from safehub.refusals import NON_FIELD, Refused

FORM_TEMPLATE = "govuk/form_fields.html"
FIELD_TEMPLATE = "govuk/field.html"


def date_from_parts(
    post: Mapping[str, Any], name: str, label: str = "Date of birth"
) -> tuple[str, str | None]:
    """Join a GOV.UK date input's day, month and year into an ISO date string.

    Returns (value, error); an empty value means nothing was entered.
    """
    parts = [str(post.get(f"{name}-{p}", "")).strip() for p in ("day", "month", "year")]
    if not any(parts):
        return "", None
    if not all(parts):
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        return "", f"{label} must include a {' and a '.join(missing)}"
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            return "", "Year must include 4 numbers"
        return date(year, month, day).isoformat(), None
    except (ValueError, OverflowError):  # OverflowError: a year too long for a date
        return "", f"{label} must be a real date"


def is_uuid(value: str) -> bool:
    """Whether a posted or typed value is a UUID (a record's public id), checked before it is
    looked up, so a garbled id is "not found" rather than a database error."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Choice:
    """One option of a radios, checkboxes or select field: what is posted, what the user
    reads, an optional hint under it, and the group it is listed under (checkboxes are then
    shown in one fieldset per group, a select's options in one optgroup per group). Radios
    may set `divider` ("or") to be shown before the option, as GOV.UK's radios do before a
    "none of these"."""

    value: str
    label: str
    hint: str = ""
    group: str = ""
    divider: str = ""


def choices(options: Iterable[tuple[str, str] | Choice]) -> list[Choice]:
    """Options as Choices (a (value, label) pair becomes a Choice without hint or group)."""
    return [o if isinstance(o, Choice) else Choice(str(o[0]), str(o[1])) for o in options]


class DateParts(forms.Widget):
    """The GOV.UK date input: three boxes posted as NAME-day, NAME-month and NAME-year."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {p: str(data.get(f"{name}-{p}", "")).strip() for p in ("day", "month", "year")}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{p}" in data for p in ("day", "month", "year"))


class DateField(forms.Field):
    """A date typed as day, month and year, checked with GOV.UK's messages ("Due date must
    include a month", "Year must include 4 numbers", "… must be a real date").

    The messages name the date by its label, or by `called` where the label says more or asks
    a question ("Due date (optional)", "When was it?")."""

    widget = DateParts

    def __init__(self, *, label: str, called: str = "", hint: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", hint)
        super().__init__(label=label, **kwargs)
        self.called = called or label

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = value if isinstance(value, dict) else {}
        post = {f"d-{p}": parts.get(p, "") for p in ("day", "month", "year")}
        text, error = date_from_parts(post, "d", self.called)
        if error:
            raise forms.ValidationError(error)
        return date.fromisoformat(text) if text else None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter the {self.called[:1].lower()}{self.called[1:]}")


class ChoiceField(forms.ChoiceField):
    """A single choice shown as radios (or as a select with `widget=forms.Select`), whose
    options may carry a hint and a group (see Choice).

    `follows` names the question these radios follow up (the screening's "If yes, what is it
    based on?"): they are shown inside that question's form group, after its options, smaller,
    each option's id NAME-VALUE; the form gives any message about them to the question."""

    widget = forms.RadioSelect

    def __init__(
        self,
        *,
        options: Sequence[tuple[str, str] | Choice] = (),
        follows: str = "",
        **kwargs: Any,
    ) -> None:
        self.options = choices(options)
        self.follows = follows
        super().__init__(choices=[(c.value, c.label) for c in self.options], **kwargs)

    def set_options(self, options: Sequence[tuple[str, str] | Choice]) -> None:
        """Replace the options (for choices only known when the form is made)."""
        self.options = choices(options)
        self.choices = [(c.value, c.label) for c in self.options]


class MultipleChoiceField(forms.MultipleChoiceField):
    """Several choices shown as checkboxes, whose options may carry a hint and a group."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, options: Sequence[tuple[str, str] | Choice] = (), **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        self.options = choices(options)
        super().__init__(choices=[(c.value, c.label) for c in self.options], **kwargs)

    def set_options(self, options: Sequence[tuple[str, str] | Choice]) -> None:
        """Replace the options (for choices only known when the form is made)."""
        self.options = choices(options)
        self.choices = [(c.value, c.label) for c in self.options]


class ServiceChoiceField(ChoiceField):
    """Radios (or a select) whose answer the service checks: whatever is posted is passed on,
    so the user reads the service's message, not a generic one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value: Any) -> bool:
        return True


class ServiceMultipleChoiceField(MultipleChoiceField):
    """Checkboxes whose answers the page or the service checks (the options shown may be gone
    by the time they are posted): passed on as posted."""

    def valid_value(self, value: Any) -> bool:
        return True


TICKED = frozenset({"yes", "on", "true", "1"})


class TickField(MultipleChoiceField):
    """One checkbox, posted as NAME=yes and cleaned to True or False."""

    def __init__(self, *, label: str, box: str, **kwargs: Any) -> None:
        super().__init__(label=label, options=[("yes", box)], **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return ["yes"] if value else []
        return value

    def clean(self, value: Any) -> bool:  # type: ignore[override]
        posted = value if isinstance(value, list | tuple) else [value]
        return any(str(v).strip().lower() in TICKED for v in posted if v is not None)


class VersionField(forms.Field):
    """The version of a shared record the form was read at, carried in a hidden input; 0
    (never current, so the save is refused as stale) when missing or garbled."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int:
        try:
            return int(str(value if value not in (None, "") else "0"))
        except ValueError:
            return 0


def text(label: str, *, hint: str = "", rows: int = 0, **kwargs: Any) -> forms.CharField:
    """A text input (a textarea of `rows` lines when rows > 0), not required and passed on as
    typed: the service trims and checks it, so its message is the one shown."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("strip", False)
    kwargs.setdefault("help_text", hint)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else kwargs.pop("widget", None)
    return forms.CharField(label=label, widget=widget, **kwargs)


def _kind(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, DateParts):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return "number"
    return "text"


def _as_draft(form: object) -> bool:
    return bool(getattr(form, "as_draft", False))


class GovukBoundField(forms.BoundField):
    """A bound field with what govuk/field.html needs, as `field.govuk`."""

    @property
    def follows(self) -> str:
        """The question this field is shown under (see ChoiceField), or "" for its own."""
        return str(getattr(self.field, "follows", "") or "")

    @property
    def govuk(self) -> dict[str, Any]:
        field = self.field
        kind = _kind(field)
        follows = self.follows
        value = self.value()
        if kind == "date":
            parts = value if isinstance(value, dict) else {}
            if isinstance(value, date):
                parts = {"day": value.day, "month": value.month, "year": value.year}
        chosen = (
            {str(v) for v in value}
            if isinstance(value, list | tuple | set)
            else {"" if value is None else str(value)}
        )
        options_of = getattr(field, "options", None)
        if options_of is None:
            options_of = choices(getattr(field, "choices", ()))
        options = [
            {
                "value": c.value,
                "label": c.label,
                "hint": c.hint,
                "divider": c.divider,
                "checked": c.value in chosen,
                # The first option's id is the name, for the error summary's link (a
                # follow-up's messages go to its question, so each of its ids is NAME-VALUE).
                "id": self.html_name if i == 0 and not follows else f"{self.html_name}-{c.value}",
            }
            for i, c in enumerate(options_of)
        ]
        groups: list[dict[str, Any]] = []
        if options_of and all(c.group for c in options_of):
            for c, option in zip(options_of, options, strict=True):
                if not groups or groups[-1]["name"] != c.group:
                    groups.append({"name": c.group, "options": []})
                groups[-1]["options"].append(option)
        if value is None or isinstance(value, list | tuple | set):
            value = ""
        elif isinstance(field.widget, forms.PasswordInput) and not field.widget.render_value:
            value = ""  # a password typed is never sent back in the page
        item: dict[str, Any] = {
            "name": self.html_name,
            "label": self.label,
            "kind": kind,
            "type": getattr(field.widget, "input_type", "text"),
            "hint": field.help_text,
            "error": self.errors[0] if self.errors and not _as_draft(self.form) else "",
            "value": value,
            "options": options,
            "groups": groups,
            "attrs": field.widget.attrs,
            "follow_ups": [
                cast(GovukBoundField, self.form[name]).govuk
                for name, other in self.form.fields.items()
                if getattr(other, "follows", "") == self.name
            ],
        }
        if kind == "date":
            for part in ("day", "month", "year"):
                item[part] = parts.get(part, "")
        return item


def _plain_messages(field: forms.Field) -> None:
    """GOV.UK's wording for Django's stock messages ("This field is required." becomes
    "Enter the title", "Select the risk"), unless the form set its own."""
    label = str(field.label or "").strip()
    what = label[:1].lower() + label[1:] if label[1:2].islower() or len(label) < 2 else label
    choose = _kind(field) in ("radios", "checkboxes", "select")
    stock = forms.Field.default_error_messages["required"]
    if field.error_messages.get("required") == stock:
        field.error_messages["required"] = f"{'Select' if choose else 'Enter'} {what}"
    stock_choice = forms.ChoiceField.default_error_messages["invalid_choice"]
    if field.error_messages.get("invalid_choice") in (
        stock_choice,
        forms.MultipleChoiceField.default_error_messages["invalid_choice"],
    ):
        field.error_messages["invalid_choice"] = f"Choose {what} from the list"
    if field.error_messages.get("invalid") in (
        forms.IntegerField.default_error_messages["invalid"],
        forms.DecimalField.default_error_messages["invalid"],
    ):
        field.error_messages["invalid"] = (
            f"{label} must be a whole number"
            if isinstance(field, forms.IntegerField)
            else f"{label} must be a number"
        )


class GovukRenderer(TemplatesSetting):
    """Django's form renderer, pointed at the GOV.UK templates (settings.FORM_RENDERER)."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE
    bound_field_class = GovukBoundField


class GovukForm(forms.Form):
    """A form shown with GOV.UK components; see the module's docstring.

    `as_draft=True` shows posted values (a kept draft) without checking them, so a restored
    page is not covered in error messages before the user has sent it."""

    bound_field_class = GovukBoundField
    template_name = FORM_TEMPLATE

    def __init__(self, *args: Any, as_draft: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        kwargs.setdefault("renderer", GovukRenderer())
        super().__init__(*args, **kwargs)
        self.as_draft = as_draft
        for field in self.fields.values():
            _plain_messages(field)

    def carry_version(self, version: int | None) -> None:
        """After a stale save was refused: keep what the user typed, but carry the version now
        saved (the form's `version` field), so saving again is checked against it."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data.setlist("version", ["" if version is None else str(version)])
        self.data = data

    def refuse(self, refusal: Refused) -> None:
        """Show a service's refusal: each message beside its field, or at the top of the form
        (with no link) when it is not about one of this form's fields."""
        for name, message in refusal.errors.items():
            self.add_error(name if name in self.fields else None, message)

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary, in the order of the fields, with what
        is not about one field first (keyed "__all__", shown without a link)."""
        if not self.is_bound or self.as_draft:
            return []
        found = [(NON_FIELD, str(m)) for m in self.non_field_errors()]
        for name, field in self.fields.items():
            if name in self.errors:
                # Ids are the names as posted (with the form's prefix, if it has one); a
                # date's link goes to its day box, as GOV.UK's error summary asks.
                target = self.add_prefix(name)
                if isinstance(field.widget, DateParts):
                    target = f"{target}-day"
                found.append((target, str(self.errors[name][0])))
        return found
