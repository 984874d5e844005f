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
from safehub.plans.forms import Field, date_values, form_page, posted_date
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
    fields = [
        Field("held_on", "Date of the meeting", "date"),
        Field("title", "Title (optional)", "text"),
        Field("items", "Items considered", "textarea", hint="One item on each line"),
    ]

    def submit(post: Any, errors: dict[str, str]) -> None:
        governance_services.record_meeting(
            actor=signed_in_user(request),
            body=the_body,
            held_on=posted_date(post, "held_on", "Date of the meeting", errors),
            title=str(post.get("title", "")),
            items=str(post.get("items", "")).splitlines(),
        )

    back = reverse("plans:body", args=[the_body.public_id])
    return form_page(
        request,
        title="Record a meeting",
        caption=the_body.name,
        fields=fields,
        initial={},
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
    fields = [
        Field("item", "Item", "radios", [(k, i.title) for k, i in items.items()]),
        Field("text", "What was resolved", "textarea"),
        Field(
            "objective",
            "Objective the action belongs to",
            "radios",
            [(k, f"{o.plan.title}: {o.title}") for k, o in objectives.items()],
        ),
        Field("owner", "Who will do it", "radios", choices),
        Field(
            "due_date",
            "Deadline (optional)",
            "date",
            hint="Leave it blank if the minutes give no deadline",
        ),
    ]

    def submit(post: Any, errors: dict[str, str]) -> None:
        item = items.get(str(post.get("item", "")))
        if item is None:
            errors["item"] = "Choose the item"
        governance_services.record_resolution(
            actor=signed_in_user(request),
            body=the_meeting.body,
            item=item,
            text=str(post.get("text", "")),
            resolved_on=the_meeting.held_on,
            objective=objectives.get(str(post.get("objective", ""))),
            owner=owners.get(str(post.get("owner", ""))),
            due_date=posted_date(post, "due_date", "Deadline", errors),
        )

    back = reverse("plans:meeting", args=[the_meeting.public_id])
    return form_page(
        request,
        title="Record a resolution",
        caption=str(the_meeting),
        fields=fields,
        initial={},
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
    fields = [
        Field("body", "Body", "radios", [(k, b.name) for k, b in bodies.items()]),
        Field("subject", "What it should receive", "text"),
        Field("expected_on", "When", "date"),
        Field("presented_by", "Presented by (optional)", "text"),
    ]

    def submit(post: Any, errors: dict[str, str]) -> None:
        governance_services.add_forward_item(
            actor=signed_in_user(request),
            body=bodies.get(str(post.get("body", ""))),
            expected_on=posted_date(post, "expected_on", "When", errors),
            subject=str(post.get("subject", "")),
            presented_by=str(post.get("presented_by", "")),
        )

    back = reverse("plans:governance")
    return form_page(
        request,
        title="Add to the forward plan",
        fields=fields,
        initial={},
        submit=submit,
        done=back,
        back=back,
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
    fields = [
        Field("body", "Who is the report for?", "radios", [(k, b.name) for k, b in bodies.items()]),
        Field("period_start", "Start of the period", "date"),
        Field("period_end", "End of the period", "date"),
    ]
    today = timezone.localdate()
    initial = {
        **date_values("period_start", today - timedelta(days=90)),
        **date_values("period_end", today),
    }
    issued: list[ProgressReport] = []

    def submit(post: Any, errors: dict[str, str]) -> None:
        issued.append(
            governance_services.issue_report(
                actor=signed_in_user(request),
                plan=the_plan,
                body=bodies.get(str(post.get("body", ""))),
                period_start=posted_date(post, "period_start", "Start of the period", errors),
                period_end=posted_date(post, "period_end", "End of the period", errors),
            )
        )

    back = reverse("plans:reports", args=[the_plan.public_id])
    response = form_page(
        request,
        title="Issue a progress report",
        caption=the_plan.title,
        fields=fields,
        initial=initial,
        submit=submit,
        done=back,
        back=back,
    )
    if issued and response.status_code == 302:
        response["Location"] = reverse("plans:report", args=[issued[0].public_id])
    return response


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
