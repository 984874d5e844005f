"""Form plumbing shared by the plan's pages: describe fields, read what was posted, show a
GOV.UK form with an error summary and a message beside each field."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehub.cases.forms import Field, date_values, posted_date, posted_values, render_fields
from safehub.plans.services import InvalidPlanChange

__all__ = ["Field", "date_values", "form_page", "posted_date", "query_date"]


def query_date(
    query: Mapping[str, Any], name: str, label: str, errors: dict[str, str]
) -> date | None:
    """A date from a GOV.UK date input sent in a query string (for "as at" pages)."""
    return posted_date(query, name, label, errors)


def form_page(
    request: HttpRequest,
    *,
    title: str,
    fields: Sequence[Field],
    initial: dict[str, Any],
    submit: Callable[[Any, dict[str, str]], None],
    done: str,
    back: str,
    caption: str = "",
    multipart: bool = False,
    intro: str = "",
) -> HttpResponse:
    """GET shows the form; POST calls `submit(post, errors)`, which adds parsing errors to
    `errors` and calls a service (raising InvalidPlanChange). Success redirects to `done`."""
    values = dict(initial)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = posted_values(request.POST, fields)
        try:
            submit(request.POST, errors)
            if errors:
                raise InvalidPlanChange(errors)
        except InvalidPlanChange as exc:
            # What could not be read at all is the message to show, not "enter a date".
            errors = {**exc.errors, **errors}
        else:
            return redirect(done)
    context = {
        "title": title,
        "caption": caption,
        "intro": intro,
        "back": back,
        "multipart": multipart,
        "fields": render_fields(fields, values, errors),
        "error_list": list(errors.items()),
    }
    return render(request, "plans/form.html", context, status=200)
