"""The pages that add a DBS check, an Update Service status check or a completed course to
someone's record: a member of staff (workforce) or a taxi driver (licensing).

Both hold the same three kinds of record, parsed by the same forms (`workforce.forms`) and
shown by the same templates (`licensing/*_form.html`), so the form handling lives here once.
Each app's view finds the holder, asks the policy, and hands over what differs: the holder,
the service that stores the record for them (bound to the holder, e.g. with
`functools.partial`), and where to go once it is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safehub.accounts.services import signed_in_user
from safehub.refusals import Refused
from safehub.workforce import forms, selectors
from safehub.workforce.choices import DbsLevel, DbsResult, StatusCheckResult

# A posted form, read: what the service is given besides actor and today; errors; values.
Parsed = tuple[dict[str, Any], dict[str, str], dict[str, Any]]


@dataclass(frozen=True)
class RecordHolder:
    """Whose record a page adds to, as the form templates and the redirect need them."""

    context_name: str  # what the templates call the holder: "driver" or "member"
    holder: Any  # the Driver or StaffMember
    done_url: str  # where to go once the record is stored


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
    return _record_page(
        request,
        holder,
        record,
        "licensing/dbs_form.html",
        _dbs_from_post,
        "DBS check recorded",
        initial or {},
        levels=DbsLevel.choices,
        results=DbsResult.choices,
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
        "licensing/status_check_form.html",
        _status_check_from_post,
        "Update Service status check recorded",
        {},
        check=check,
        results=StatusCheckResult.choices,
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
        "licensing/training_form.html",
        _training_from_post,
        "Training recorded",
        {},
        courses=[(str(c.pk), c.name) for c in selectors.courses()],
    )


def _dbs_from_post(post: Mapping[str, Any]) -> Parsed:
    details, errors, values = forms.dbs_from_post(post)
    return {"details": details}, errors, values


def _status_check_from_post(post: Mapping[str, Any]) -> Parsed:
    checked_on, result, errors, values = forms.status_check_from_post(post)
    return {"checked_on": checked_on, "result": result}, errors, values


def _training_from_post(post: Mapping[str, Any]) -> Parsed:
    details, errors, values = forms.training_from_post(post)
    return {"details": details}, errors, values


def _record_page(
    request: HttpRequest,
    holder: RecordHolder,
    record: Callable[..., object],
    template: str,
    parse: Callable[[Mapping[str, Any]], Parsed],
    stored_message: str,
    initial: dict[str, Any],
    **extra: Any,
) -> HttpResponse:
    errors: dict[str, str] = {}
    values = initial
    if request.method == "POST":
        fields, errors, values = parse(request.POST)
        if not errors:
            try:
                record(actor=signed_in_user(request), **fields, today=timezone.localdate())
            except Refused as exc:
                errors = exc.errors
            else:
                messages.success(request, stored_message)
                return redirect(holder.done_url)
    context = {
        holder.context_name: holder.holder,
        "errors": errors,
        "error_list": forms.error_list(errors, values),
        "values": values,
        **extra,
    }
    return render(request, template, context)
