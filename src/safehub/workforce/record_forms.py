"""The pages that add a DBS check, an Update Service status check or a completed course to
someone's record: a member of staff (workforce) or a taxi driver (licensing).

Both hold the same three kinds of record, read by the same forms (`workforce.forms`) and
shown by the same templates (`licensing/*_form.html`), so the form handling lives here once.
Each app's view finds the holder, asks the policy, and hands over what differs: the holder,
the service that stores the record for them (bound to the holder, e.g. with
`functools.partial`), and where to go once it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safehub.accounts.services import signed_in_user
from safehub.refusals import Refused
from safehub.workforce.forms import DbsForm, StatusCheckForm, TrainingForm

RecordForm = DbsForm | StatusCheckForm | TrainingForm


@dataclass(frozen=True)
class RecordHolder:
    """Whose record a page adds to, as the form templates and the redirect need them."""

    context_name: str  # what the templates call the holder: "driver" or "member"
    holder: Any  # the Driver or StaffMember
    done_url: str  # where to go once the record is stored


def posted(request: HttpRequest) -> Any:
    """The posted data for a form, or None (an unbound form) when nothing was posted."""
    return request.POST if request.method == "POST" else None


def dbs_check_page(
    request: HttpRequest,
    holder: RecordHolder,
    record: Callable[..., object],
    *,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the DBS check form, or store a posted check with `record(actor=, details=, today=)`.

    Records the result only, never what was disclosed. Bad input, or a check the service
    refuses, shows the form again with its errors and stores nothing.
    """
    form = DbsForm(posted(request), initial=initial or {})
    return _record_page(
        request, holder, record, form, "licensing/dbs_form.html", "DBS check recorded"
    )


def status_check_page(
    request: HttpRequest, holder: RecordHolder, check: Any, record: Callable[..., object]
) -> HttpResponse:
    """Show the Update Service status check form for one certificate (`check`), or store a
    posted one with `record(actor=, checked_on=, result=, today=)`.

    Bad input, or a check the service refuses (for example of a certificate not subscribed
    to the Update Service), shows the form again with its errors and stores nothing.
    """
    return _record_page(
        request,
        holder,
        record,
        StatusCheckForm(posted(request)),
        "licensing/status_check_form.html",
        "Update Service status check recorded",
        check=check,
    )


def training_page(
    request: HttpRequest, holder: RecordHolder, record: Callable[..., object]
) -> HttpResponse:
    """Show the completed-course form, or store a posted course with
    `record(actor=, details=, today=)`.

    Bad input, or a record the service refuses, shows the form again with its errors and
    stores nothing.
    """
    return _record_page(
        request,
        holder,
        record,
        TrainingForm(posted(request)),
        "licensing/training_form.html",
        "Training recorded",
    )


def _record_page(
    request: HttpRequest,
    holder: RecordHolder,
    record: Callable[..., object],
    form: RecordForm,
    template: str,
    stored_message: str,
    **extra: Any,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            record(
                actor=signed_in_user(request),
                **form.service_fields(),
                today=timezone.localdate(),
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, stored_message)
            return redirect(holder.done_url)
    context = {holder.context_name: holder.holder, "form": form, **extra}
    return render(request, template, context)
