"""Governance pages (bodies, meetings, resolutions, the forward plan) and progress reports.
Thin: parse, ask the policy, call one service or selector, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.plans import governance_services, reports, selectors
from safehub.plans.forms import (
    ForwardForm,
    MeetingForm,
    ReportForm,
    ResolutionForm,
    form_page,
)
from safehub.plans.models import GovernanceBody, Meeting, Objective, ProgressReport
from safehub.plans.views import owner_options, plan_or_404
from safehub.policy import Action, allows, require


def _body(public_id: Any) -> GovernanceBody:
    body = selectors.body_by_public_id(public_id)
    if body is None:
        raise Http404("No such body")
    return body


def _meeting(public_id: Any) -> Meeting:
    meeting = selectors.meeting_by_public_id(public_id)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _report(public_id: Any) -> ProgressReport:
    report = selectors.report_by_public_id(public_id)
    if report is None:
        raise Http404("No such report")
    return report


@login_required
@require_GET
def governance(request: HttpRequest) -> HttpResponse:
    """The bodies the plan answers to, and the forward plan: what each receives next, when."""
    require(request.user, Action.GOVERNANCE_VIEW)
    context = {
        "bodies": list(selectors.bodies()),
        "forward": list(selectors.forward_plan()),
        "may_record": allows(request.user, Action.GOVERNANCE_RECORD),
    }
    return render(request, "plans/governance.html", context)


@login_required
@require_GET
def body(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One body: its meetings, its resolutions and how far each has got, its forward plan."""
    the_body = _body(public_id)
    require(request.user, Action.GOVERNANCE_VIEW, the_body)
    context = {
        "body": the_body,
        "meetings": list(the_body.meetings.all()),
        "resolutions": selectors.resolution_states(body=the_body),
        "forward": list(the_body.forward.filter(received=False)),
        "may_record": allows(request.user, Action.GOVERNANCE_RECORD, the_body),
    }
    return render(request, "plans/body.html", context)


@login_required
@require_GET
def meeting(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One meeting: the items considered and the resolutions made on each."""
    the_meeting = _meeting(public_id)
    require(request.user, Action.GOVERNANCE_VIEW, the_meeting)
    items = [(i, list(i.resolutions.prefetch_related("actions"))) for i in the_meeting.items.all()]
    context = {
        "meeting": the_meeting,
        "items": items,
        "may_record": allows(request.user, Action.GOVERNANCE_RECORD, the_meeting),
    }
    return render(request, "plans/meeting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a body's meeting and the items it considered."""
    the_body = _body(public_id)
    require(request.user, Action.GOVERNANCE_RECORD, the_body)

    def submit(values: dict[str, Any]) -> None:
        governance_services.record_meeting(
            actor=signed_in_user(request),
            body=the_body,
            held_on=values["held_on"],
            title=values["title"] or "",
            items=(values["items"] or "").splitlines(),
        )

    back = reverse("plans:body", args=[the_body.public_id])
    return form_page(
        request,
        MeetingForm(request.POST or None),
        title="Record a meeting",
        caption=the_body.name,
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a resolution on one of the meeting's items and turn it into a tracked action,
    with the deadline the minutes give, or none."""
    the_meeting = _meeting(public_id)
    require(request.user, Action.GOVERNANCE_RECORD, the_meeting)
    items = {str(i.pk): i for i in the_meeting.items.all()}
    objectives = {
        str(o.pk): o for o in Objective.objects.select_related("plan").order_by("plan", "position")
    }
    owners, choices = owner_options()
    form = ResolutionForm(
        request.POST or None,
        items=[(k, i.title) for k, i in items.items()],
        objectives=[(k, f"{o.plan.title}: {o.title}") for k, o in objectives.items()],
        owners=choices,
    )

    def submit(values: dict[str, Any]) -> None:
        governance_services.record_resolution(
            actor=signed_in_user(request),
            body=the_meeting.body,
            item=items.get(str(values["item"] or "")),
            text=values["text"] or "",
            resolved_on=the_meeting.held_on,
            objective=objectives.get(str(values["objective"] or "")),
            owner=owners.get(str(values["owner"] or "")),
            due_date=values["due_date"],
        )

    back = reverse("plans:meeting", args=[the_meeting.public_id])
    return form_page(
        request,
        form,
        title="Record a resolution",
        caption=str(the_meeting),
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_new(request: HttpRequest) -> HttpResponse:
    """Put an item on a body's forward plan."""
    require(request.user, Action.GOVERNANCE_RECORD)
    bodies = {str(b.pk): b for b in selectors.bodies()}
    form = ForwardForm(request.POST or None, bodies=[(k, b.name) for k, b in bodies.items()])

    def submit(values: dict[str, Any]) -> None:
        governance_services.add_forward_item(
            actor=signed_in_user(request),
            body=bodies.get(str(values["body"] or "")),
            expected_on=values["expected_on"],
            subject=values["subject"] or "",
            presented_by=values["presented_by"] or "",
        )

    back = reverse("plans:governance")
    return form_page(
        request, form, title="Add to the forward plan", submit=submit, done=back, back=back
    )


@login_required
@require_GET
def report_list(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The progress reports issued on the plan, newest first."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_REPORT_VIEW, the_plan)
    context = {
        "plan": the_plan,
        "reports": list(the_plan.reports.select_related("body", "issued_by")),
        "may_issue": allows(request.user, Action.PLAN_REPORT_ISSUE, the_plan),
    }
    return render(request, "plans/reports.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan lead issues a progress report for a body and a period."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_REPORT_ISSUE, the_plan)
    bodies = {str(b.pk): b for b in selectors.bodies()}
    today = timezone.localdate()
    form = ReportForm(
        request.POST or None,
        initial={"period_start": today - timedelta(days=90), "period_end": today},
        bodies=[(k, b.name) for k, b in bodies.items()],
    )

    def submit(values: dict[str, Any]) -> ProgressReport:
        return governance_services.issue_report(
            actor=signed_in_user(request),
            plan=the_plan,
            body=bodies.get(str(values["body"] or "")),
            period_start=values["period_start"],
            period_end=values["period_end"],
        )

    return form_page(
        request,
        form,
        title="Issue a progress report",
        caption=the_plan.title,
        submit=submit,
        done=lambda issued: reverse("plans:report", args=[issued.public_id]),
        back=reverse("plans:reports", args=[the_plan.public_id]),
    )


def _contents(
    request: HttpRequest, public_id: Any, object_type: AuditObjectType
) -> reports.ReportContents:
    report = _report(public_id)
    require(request.user, Action.PLAN_REPORT_VIEW, report)
    audited_read(
        request.user,
        object_type,
        action=(
            AuditAction.VIEW
            if object_type == AuditObjectType.PROGRESS_REPORT_HTML
            else AuditAction.EXPORT
        ),
        object_id=report.public_id,
    )
    return reports.build_report(report)


@login_required
@require_GET
def report(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A progress report as a web page."""
    return render(
        request,
        "plans/report.html",
        {"r": _contents(request, public_id, AuditObjectType.PROGRESS_REPORT_HTML)},
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A progress report as a PDF, for the committee papers."""
    contents = _contents(request, public_id, AuditObjectType.PROGRESS_REPORT_PDF)
    response = HttpResponse(reports.report_pdf(contents), content_type="application/pdf")
    name = f"progress-report-{contents.report.period_end:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
