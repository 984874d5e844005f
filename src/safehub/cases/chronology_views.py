"""A child's chronology: the page (filter by kind and date), the CSV export and the "safe
document" for a family or another agency. Every export is audited with the choices made."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.cases import rules
from safehub.cases.page_forms import CHRONOLOGY_KINDS, ChronologyFilterForm
from safehub.cases.selectors import chronology as chronology_of
from safehub.cases.views import audit_view, case_or_404
from safehub.policy import Action, allows, require
from safehub.spreadsheets import safe_cell


def _filters(request: HttpRequest) -> tuple[list[str], date | None, ChronologyFilterForm]:
    """The kinds and date the page is filtered by (a date that is not real filters nothing,
    and the form says why)."""
    form = ChronologyFilterForm(request.GET)
    form.is_valid()
    answers = form.cleaned_data
    return answers.get("kind", []), answers.get("since"), form


def _described(kinds: list[str], since: date | None) -> str:
    return f"kinds={','.join(kinds) or 'all'}; since={since.isoformat() if since else 'any'}"


@login_required
@require_GET
def chronology(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The child's single timeline, filterable by kind and date, with the export choices."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_VIEW, case)
    kinds, since, form = _filters(request)
    audit_view(request, case, AuditObjectType.CHRONOLOGY)
    context = {
        "case": case,
        "events": chronology_of(case.person_id, kinds=kinds or None, since=since),
        "kinds": [(k, label, k in kinds) for k, label in CHRONOLOGY_KINDS],
        "form": form,
        "query": request.GET.urlencode(),
        "may_export": allows(request.user, Action.CHRONOLOGY_EXPORT, case),
    }
    return render(request, "cases/chronology.html", context)


@login_required
@require_GET
def chronology_csv(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The chronology (with the page's filters) as CSV, flags included. Audited as an export."""
    case = case_or_404(public_id)
    require(request.user, Action.CHRONOLOGY_EXPORT, case)
    kinds, since, _form = _filters(request)
    events = chronology_of(case.person_id, kinds=kinds or None, since=since)
    audited_read(
        request.user,
        AuditObjectType.CHRONOLOGY_CSV,
        action=AuditAction.EXPORT,
        object_id=case.public_id,
        person_id=case.person_id,
        reason=f"CSV export; {_described(kinds, since)}; {len(events)} entries",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chronology-{case.public_id}.csv"'
    writer = csv.writer(response)
    writer.writerow(["when", "kind", "title", "detail", "source", "police_only", "third_party"])
    for e in events:
        writer.writerow(
            [
                timezone.localtime(e.when).isoformat(timespec="minutes"),
                e.kind,
                safe_cell(e.title),
                safe_cell(e.detail),
                e.source,
                "yes" if e.police_only else "no",
                "yes" if e.third_party else "no",
            ]
        )
    return response


@login_required
@require_GET
def safe_document(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A print-friendly chronology for a family or another agency.

    Police-only and third-party items are left out unless the user ticks to include them; the
    document says what it left out. Audited as an export with the choices recorded.
    """
    case = case_or_404(public_id)
    require(request.user, Action.CHRONOLOGY_EXPORT, case)
    kinds, since, _form = _filters(request)
    include_police = request.GET.get("include_police") == "yes"
    include_third_party = request.GET.get("include_third_party") == "yes"
    document = rules.safe_document(
        chronology_of(case.person_id, kinds=kinds or None, since=since),
        include_police=include_police,
        include_third_party=include_third_party,
    )
    audited_read(
        request.user,
        AuditObjectType.CHRONOLOGY_SAFE_DOCUMENT,
        action=AuditAction.EXPORT,
        object_id=case.public_id,
        person_id=case.person_id,
        reason=(
            f"safe document; police-only included: {'yes' if include_police else 'no'}; "
            f"third-party included: {'yes' if include_third_party else 'no'}; "
            f"{_described(kinds, since)}; {len(document.events)} entries"
        ),
    )
    context = {
        "case": case,
        "document": document,
        "include_police": include_police,
        "include_third_party": include_third_party,
        "produced_at": timezone.now(),
    }
    return render(request, "cases/safe_document.html", context)
