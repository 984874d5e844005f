"""The plan's forms (safehub.govuk_forms) and the page that shows one.

Most checks stay in the services, which refuse with a message per field; the forms read what
was typed (dates, numbers, files) and keep the few checks about input itself. `form_page`
calls the service even when something could not be read, so every message is shown at once,
and undoes whatever it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safehub import govuk_forms
from safehub.govuk_forms import DateField, GovukForm, ServiceChoiceField
from safehub.plans.models import EvidenceKind
from safehub.plans.rules import Status
from safehub.refusals import Refused
from safehub.versioning import StaleEdit

Options = Sequence[tuple[str, str]]

# The due date is optional: an action (a resolution) may have no deadline.
NO_DEADLINE_HINT = "Leave it blank if there is no deadline"


class Number(forms.DecimalField):
    """A number as typed, "1,200" read as 1200; the service checks its range."""

    def __init__(self, *, message: str = "Enter a number, like 12 or 12.5", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.message = message

    def to_python(self, value: Any) -> Any:
        return super().to_python(str(value or "").strip().replace(",", ""))


def text(label: str, *, long: bool = False, hint: str = "") -> forms.CharField:
    """Text kept as typed (the service trims and checks it); `long` for a textarea."""
    return govuk_forms.text(label, hint=hint, rows=5 if long else 0)


class PlanForm(GovukForm):
    """A plan form: its messages for numbers are the services' own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, Number):
                field.error_messages["invalid"] = field.message

    def values(self) -> dict[str, Any]:
        """Each field's value as read, None where it could not be read."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}

    def choose(self, name: str, message: str) -> None:
        """Make a choice required, with `message` when it is missing or not an option."""
        field = self.fields[name]
        field.required = True
        field.error_messages.update(required=message, invalid_choice=message)


class VersionedForm(PlanForm):
    """A form that edits a versioned record: it carries the version it was read at."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class NewActionForm(PlanForm):
    objective = govuk_forms.ChoiceField(label="Objective")
    title = text("Action")
    description = text("Description (optional)", long=True)
    success_measure = text("Success measure (optional)", long=True)
    owner = ServiceChoiceField(label="Owner")
    start_date = DateField(label="Start date")
    due_date = DateField(label="Due date (optional)", called="Due date", help_text=NO_DEADLINE_HINT)

    def __init__(self, *args: Any, objectives: Options, owners: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].set_options(objectives)  # type: ignore[attr-defined]
        self.fields["owner"].set_options(owners)  # type: ignore[attr-defined]
        self.choose("objective", "Choose the objective")


class EditActionForm(VersionedForm):
    title = text("Action")
    description = text("Description (optional)", long=True)
    success_measure = text("Success measure (optional)", long=True)
    owner = ServiceChoiceField(label="Owner")
    start_date = DateField(label="Start date")
    due_date = DateField(
        label="Due date (optional)",
        called="Due date",
        help_text=f"{NO_DEADLINE_HINT}. Moving it later, or removing it, records the action as "
        "slipped",
    )
    rag_override = ServiceChoiceField(label="Override the RAG rating")
    rag_override_reason = text("Reason for the override", long=True)

    def __init__(self, *args: Any, owners: Options, rags: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_options(owners)  # type: ignore[attr-defined]
        self.fields["rag_override"].set_options(rags)  # type: ignore[attr-defined]


class UpdateForm(VersionedForm):
    note = text("What has happened since the last update?", long=True)
    status = ServiceChoiceField(label="Status", options=Status.choices())
    progress = forms.IntegerField(
        label="Progress (%)", required=False, help_text="A whole number from 0 to 100"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].error_messages["invalid"] = (
            "Enter progress as a whole number from 0 to 100"
        )


class EvidenceForm(PlanForm):
    kind = ServiceChoiceField(label="Kind of evidence", options=EvidenceKind.choices)
    title = text("Title")
    note = text("Note", long=True, hint="For a note; optional otherwise")
    url = text("Link", hint="For a link, starting with https://")
    figure = ServiceChoiceField(label="Safehub figure")
    file = forms.FileField(
        label="File",
        required=False,
        allow_empty_file=True,
        help_text="PDF, Word, Excel, CSV, text, PNG or JPEG, up to 5 MB",
    )

    def __init__(self, *args: Any, figures: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figure"].set_options(figures)  # type: ignore[attr-defined]


class MeasureForm(PlanForm):
    name = text("Measure")
    figure = ServiceChoiceField(label="Read it from a Safehub figure?")
    target = Number(label="Target (optional)")

    def __init__(self, *args: Any, figures: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figure"].set_options(figures)  # type: ignore[attr-defined]


class ReadingForm(PlanForm):
    taken_on = DateField(label="Date")
    value = Number(label="Value")

    def __init__(self, *args: Any, hint: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = hint


class MeetingForm(PlanForm):
    held_on = DateField(label="Date of the meeting")
    title = text("Title (optional)")
    items = text("Items considered", long=True, hint="One item on each line")


class ResolutionForm(PlanForm):
    item = govuk_forms.ChoiceField(label="Item")
    text = text("What was resolved", long=True)
    objective = ServiceChoiceField(label="Objective the action belongs to")
    owner = ServiceChoiceField(label="Who will do it")
    due_date = DateField(
        label="Deadline (optional)",
        called="Deadline",
        help_text="Leave it blank if the minutes give no deadline",
    )

    def __init__(
        self, *args: Any, items: Options, objectives: Options, owners: Options, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].set_options(items)  # type: ignore[attr-defined]
        self.fields["objective"].set_options(objectives)  # type: ignore[attr-defined]
        self.fields["owner"].set_options(owners)  # type: ignore[attr-defined]
        self.choose("item", "Choose the item")


class ForwardForm(PlanForm):
    body = ServiceChoiceField(label="Body")
    subject = text("What it should receive")
    expected_on = DateField(label="When")
    presented_by = text("Presented by (optional)")

    def __init__(self, *args: Any, bodies: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].set_options(bodies)  # type: ignore[attr-defined]


class ReportForm(PlanForm):
    body = ServiceChoiceField(label="Who is the report for?")
    period_start = DateField(label="Start of the period")
    period_end = DateField(label="End of the period")

    def __init__(self, *args: Any, bodies: Options, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].set_options(bodies)  # type: ignore[attr-defined]


class AsAtForm(GovukForm):
    """The day to show the plan at (sent in the query string)."""

    on = DateField(label="Show the plan as it stood on", called="The date")

    def clean_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day


class CompareForm(GovukForm):
    """The two days to compare (sent in the query string); a month ago and today if not given."""

    earlier = DateField(label="Earlier date", called="The earlier date")
    later = DateField(label="Later date", called="The later date")

    def days(self) -> tuple[date, date]:
        today = timezone.localdate()
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("earlier") or today - timedelta(days=30), cleaned.get("later") or today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        earlier, later = self.days()
        if later > timezone.localdate():
            self.add_error("later", "The later date must be today or in the past")
        if earlier >= later and "earlier" not in self.errors:
            self.add_error("earlier", "The earlier date must be before the later date")
        return cleaned


def form_page(
    request: HttpRequest,
    form: PlanForm,
    *,
    title: str,
    submit: Callable[[dict[str, Any]], Any],
    done: str | Callable[[Any], str],
    back: str,
    caption: str = "",
    intro: str = "",
) -> HttpResponse:
    """GET shows the form; POST calls `submit(values)` (each field's value, None where it
    could not be read), which calls a service (raising Refused). Success redirects to `done`
    (or to `done(what submit returned)`).

    Anything the service wrote is undone if a field could not be read: an optional date typed
    wrongly (a due date with no year) must be refused, not saved as "no date"; what could not
    be read is the message shown for that field.

    A VersionedForm carries the record's version: a stale save (StaleEdit) shows what someone
    else changed, keeps what the user typed, and carries the version now saved (status 409)."""
    stale: StaleEdit | None = None
    if request.method == "POST":
        readable = form.is_valid()
        try:
            with transaction.atomic():
                result = submit(form.values())
                if not readable:
                    transaction.set_rollback(True)  # keep nothing; show what could not be read
        except StaleEdit as exc:
            stale = exc
            if isinstance(form, VersionedForm):
                form.carry_version(exc.current_version)
        except Refused as exc:
            form.refuse(exc)
        else:
            if readable:
                return redirect(done(result) if callable(done) else done)
    context = {
        "title": title,
        "caption": caption,
        "intro": intro,
        "back": back,
        "form": form,
        "stale": stale,
    }
    return render(request, "plans/form.html", context, status=409 if stale else 200)
