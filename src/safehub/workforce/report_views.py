"""Coverage reports: who holds a valid DBS check and in-date CSE training (HTML, CSV, PDF),
the Cabinet Member's figures, and who is missing what (administrators only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_read
from safehub.policy import Action, allows, require
from safehub.workforce import config, reports, selectors
from safehub.workforce.rules import GROUP_LABELS


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage by group and directorate today, and at recent quarter ends."""
    require(request.user, Action.WORKFORCE_COVERAGE_VIEW)
    contents = reports.build(timezone.localdate())
    return render(
        request,
        "workforce/coverage.html",
        {"r": contents, "may_see_gaps": allows(request.user, Action.WORKFORCE_GAPS_VIEW)},
    )


@login_required
@require_GET
def coverage_csv(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.WORKFORCE_COVERAGE_VIEW)
    contents = reports.build(timezone.localdate())
    response = HttpResponse(reports.as_csv(contents), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dbs-cse-coverage-{contents.on}.csv"'
    return response


@login_required
@require_GET
def coverage_pdf(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.WORKFORCE_COVERAGE_VIEW)
    contents = reports.build(timezone.localdate())
    response = HttpResponse(reports.as_pdf(contents), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dbs-cse-coverage-{contents.on}.pdf"'
    return response


@login_required
@require_GET
def cabinet(request: HttpRequest) -> HttpResponse:
    """The Cabinet Member's figures: councillors, staff and drivers with DBS and CSE training."""
    require(request.user, Action.WORKFORCE_COVERAGE_VIEW)
    contents = reports.build(timezone.localdate(), trend=False)
    return render(request, "workforce/cabinet.html", {"r": contents})


@login_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    """Councillors and child-facing staff missing a valid DBS check or CSE training, by name."""
    require(request.user, Action.WORKFORCE_GAPS_VIEW)
    today = timezone.localdate()
    rows = selectors.missing_lists(today)
    audited_read(
        request.user,
        AuditObjectType.WORKFORCE_GAPS,
        reason=f"list of {len(rows)} people missing DBS or training",
    )
    context = {
        "rows": rows,
        "expiring": selectors.expiring_soon(today),
        "days": config.alert_days(),
        "labels": GROUP_LABELS,
        "today": today,
    }
    return render(request, "workforce/gaps.html", context)
