"""Form plumbing shared by the plan's pages: describe fields, read what was posted, show a
GOV.UK form with an error summary and a message beside each field."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehub.cases.forms import Field, date_values, posted_date, posted_values, render_fields
from safehub.refusals import Refused
from safehub.versioning import StaleEdit, posted_version

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
    version: int | None = None,
) -> HttpResponse:
    """GET shows the form; POST calls `submit(post, errors)`, which adds parsing errors to
    `errors` and calls a service (raising Refused). Success redirects to `done`.
    Anything the service wrote is undone if a field could not be read: an optional date
    typed wrongly (a due date with no year) must be refused, not saved as "no date".

    A form that edits a versioned record passes the record's `version`: the form carries it,
    and a stale save (StaleEdit) shows what someone else changed, keeps what the user typed,
    and carries the version now saved."""
    values = dict(initial)
    errors: dict[str, str] = {}
    stale: StaleEdit | None = None
    if request.method == "POST":
        values = posted_values(request.POST, fields)
        if version is not None:
            version = posted_version(request.POST)
        try:
            with transaction.atomic():
                submit(request.POST, errors)
                if errors:
                    raise Refused(errors)
        except StaleEdit as exc:
            stale = exc
            version = exc.current_version
        except Refused as exc:
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
        "version": version,
        "stale": stale,
    }
    return render(request, "plans/form.html", context, status=409 if stale else 200)
