"""The education welfare officer's pages: their schools' alerts, one alert and why it fired,
and the decisions (acknowledge, dismiss with a reason, escalate into a screening). Thin: parse,
ask the policy, call a service or selector."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub import suppression
from safehub.accounts.services import signed_in_user
from safehub.attendance import review, selectors, services
from safehub.attendance.choices import ACTIVE
from safehub.attendance.forms import DismissForm, OfficerSchoolsForm, RulesReviewForm
from safehub.attendance.models import AttendanceAlert
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.policy import (
    Action,
    allows,
    decide,
    mark_masked,
    person_scope,
    require,
    shown_person_ids,
)
from safehub.refusals import Refused
from safehub.spreadsheets import safe_cell

REGISTERS_STALE_AFTER = timedelta(days=14)
SHOW_CHOICES = {"active": "Open and acknowledged", "closed": "Dismissed and escalated"}


def _alert_or_refuse(request: HttpRequest, public_id: str, action: Action) -> AttendanceAlert:
    """The alert, if the policy allows `action` on it; a refusal is written to the access log."""
    alert = selectors.alert_by_public_id(public_id)
    if alert is None:
        raise Http404("No such alert")
    decision = decide(request.user, action, alert)
    if not decision.allowed:
        audited_read(
            request.user,
            AuditObjectType.ATTENDANCE_ALERT,
            action=AuditAction.DENIED,
            object_id=alert.public_id,
            person_id=alert.person_id,
            reason=decision.reason,
        )
        raise PermissionDenied(decision.reason)
    return alert


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts of the schools the officer covers; closed ones are kept and listed too. Says
    the week of the latest register imported, and warns when it is more than two weeks old."""
    require(request.user, Action.ATTENDANCE_ALERT_LIST)
    show = request.GET.get("show", "active")
    if show not in SHOW_CHOICES:
        show = "active"
    user = signed_in_user(request)
    alerts = mark_masked(
        selectors.alerts_for_officer(user.pk, show=show)[:500],
        person_scope(user),
        lambda alert: alert.person,
    )
    audited_list(
        request.user,
        AuditObjectType.ATTENDANCE_ALERTS,
        summary=len(alerts),
        summary_reason=f"attendance alerts list ({show})",
        person_ids=shown_person_ids(alerts, lambda alert: alert.person),
        reason="shown in the attendance alerts list",
    )
    schools = selectors.schools_covered(user.pk)
    latest = selectors.latest_register_week(schools)
    # Registers come in weekly: a latest week more than two weeks old means alerts may be
    # missing, and the officer is told so.
    today = timezone.localdate()
    context = {
        "alerts": alerts,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "covers_any": bool(schools),
        "latest_register_week": latest,
        "registers_stale": latest is not None and today - latest > REGISTERS_STALE_AFTER,
    }
    return render(request, "attendance/alerts.html", context)


@login_required
@require_GET
def alert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One alert: each rule's sentence and dates, and the pupil's recent weeks."""
    alert = _alert_or_refuse(request, public_id, Action.ATTENDANCE_ALERT_VIEW)
    audited_read(
        request.user,
        AuditObjectType.ATTENDANCE_ALERT,
        object_id=alert.public_id,
        person_id=alert.person_id,
    )
    context = {
        "alert": alert,
        "findings": list(alert.findings.all()),
        "weeks": selectors.weeks_for_alert(alert),
        "active": alert.status in ACTIVE,
        "may_act": allows(request.user, Action.ATTENDANCE_ALERT_ACT, alert),
        "may_screen": allows(request.user, Action.SCREENING_CREATE),
    }
    return render(request, "attendance/alert.html", context)


@login_required
@require_POST
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark the alert as seen and being looked into."""
    alert = _alert_or_refuse(request, public_id, Action.ATTENDANCE_ALERT_ACT)
    try:
        services.acknowledge_alert(actor=signed_in_user(request), alert=alert)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect("attendance:alert", public_id=alert.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def dismiss(request: HttpRequest, public_id: str) -> HttpResponse:
    """Dismiss the alert, saying why. The alert is kept for review."""
    alert = _alert_or_refuse(request, public_id, Action.ATTENDANCE_ALERT_ACT)
    form = DismissForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dismiss_alert(
                actor=signed_in_user(request),
                alert=alert,
                category=form.cleaned_data["category"] or "",
                reason=form.cleaned_data["reason"],
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Alert dismissed. It is kept with your reason for review.")
            return redirect("attendance:alerts")
    if request.method == "GET":
        # The page names the pupil: looking at it is in the access log like the alert itself.
        audited_read(
            request.user,
            AuditObjectType.ATTENDANCE_ALERT,
            object_id=alert.public_id,
            person_id=alert.person_id,
        )
    context = {"alert": alert, "form": form}
    status = 400 if form.error_list else 200
    return render(request, "attendance/dismiss.html", context, status=status)


@login_required
@require_POST
def escalate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Open a screening pre-filled from the alert, and take the officer into it."""
    alert = _alert_or_refuse(request, public_id, Action.ATTENDANCE_ALERT_ACT)
    require(request.user, Action.SCREENING_CREATE)
    try:
        draft_id, chosen = services.escalate_alert(actor=signed_in_user(request), alert=alert)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("attendance:alert", public_id=alert.public_id)
    messages.success(
        request, "Screening started from the attendance alert: the findings are in its notes."
    )
    if chosen:
        return redirect("screening:group", draft_id=draft_id, number=1)
    return redirect("screening:child", draft_id=draft_id)


@login_required
@require_http_methods(["GET", "POST"])
def officer_schools(request: HttpRequest, public_id: str) -> HttpResponse:
    """A system administrator sets which schools an education welfare officer covers."""
    from safehub.accounts.models import Agency, User

    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    officer = User.objects.filter(public_id=public_id).first()
    if officer is None:
        raise Http404("No such account")
    schools = Agency.objects.filter(agency_type="school").order_by("name")
    covered = sorted(
        str(pk) for pk in officer.school_assignments.values_list("school_id", flat=True)
    )
    options = [(str(s.pk), f"{s.name} (URN {s.urn})" if s.urn else s.name) for s in schools]
    posted = request.POST if request.method == "POST" else None
    form = OfficerSchoolsForm(posted, initial={"schools": covered}, options=options)
    if request.method == "POST" and form.is_valid():
        ticked = set(form.cleaned_data["schools"])
        chosen = [s for s in schools if str(s.pk) in ticked]
        try:
            services.set_schools(
                officer=officer,
                schools=chosen,
                actor=actor,
                reason=form.cleaned_data["reason"],
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(
                request, f"{officer.get_full_name()} now covers {len(chosen)} schools."
            )
            return redirect("accounts:user", public_id=officer.public_id)
    context = {"officer": officer, "form": form}
    status = 400 if form.error_list else 200
    return render(request, "attendance/officer_schools.html", context, status=status)


def _review_filters(request: HttpRequest) -> tuple[RulesReviewForm, date, date, str]:
    """The period and rule asked for; the default period where a date is missing or the
    dates are not usable (the form says why)."""
    start, end = review.default_period(timezone.localdate())
    if not request.GET:
        return RulesReviewForm(initial={"start": start, "end": end}), start, end, ""
    form = RulesReviewForm(request.GET)
    if not form.is_valid():
        return form, start, end, form.cleaned_data.get("rule", "")
    asked_start = form.cleaned_data["start"] or start
    asked_end = form.cleaned_data["end"] or end
    if asked_end < asked_start:
        form.add_error("end", "The end of the period must be the same as or after its start")
        return form, start, end, form.cleaned_data["rule"]
    return form, asked_start, asked_end, form.cleaned_data["rule"]


def _review_described(start: date, end: date, rule: str) -> str:
    return f"register weeks {start.isoformat()} to {end.isoformat()}; rates: {rule or 'any rule'}"


@login_required
@require_GET
def rules_review(request: HttpRequest) -> HttpResponse:
    """Attendance rules: how they are doing. Per rule, the alerts, what the officers did with
    them and why they dismissed them; the alert rates per school, year group, sex and ethnic
    group, small numbers suppressed. Counts only: no child is named."""
    require(request.user, Action.ATTENDANCE_RULES_REVIEW)
    form, start, end, rule = _review_filters(request)
    counts = review.rules_review(start, end, rule)
    audited_read(
        request.user,
        AuditObjectType.ATTENDANCE_RULES_REVIEW,
        reason=_review_described(start, end, rule),
    )
    context = {
        "form": form,
        "review": counts,
        "rule_title": review.rule_titles().get(rule, ""),
        "query": request.GET.urlencode(),
        "suppressed": suppression.SUPPRESSED,
        "withheld": suppression.WITHHELD,
    }
    return render(request, "attendance/rules_review.html", context)


REVIEW_TABLES = ("rules", "rates")


@login_required
@require_GET
def rules_review_csv(request: HttpRequest) -> HttpResponse:
    """The rules review's tables as CSV (`table`: "rules", the default, or "rates"), for the
    same period and rule as the page. Counts only; audited as an export."""
    require(request.user, Action.ATTENDANCE_RULES_REVIEW)
    _form, start, end, rule = _review_filters(request)
    table = request.GET.get("table", "rules")
    if table not in REVIEW_TABLES:
        table = "rules"
    counts = review.rules_review(start, end, rule)
    audited_read(
        request.user,
        AuditObjectType.ATTENDANCE_RULES_REVIEW,
        action=AuditAction.EXPORT,
        reason=f"CSV of the {table}; {_review_described(start, end, rule)}",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"attendance-rules-{table}-{start.isoformat()}-to-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    if table == "rules":
        writer.writerow(
            [
                "Rule",
                "Alerts",
                "Only rule on the alert",
                "Open or acknowledged",
                "Dismissed",
                "Escalated",
                *(f"Dismissed: {label}" for _, label in counts.reasons),
            ]
        )
        for row in [*counts.rules, counts.any_rule]:
            only = "" if row.only_rule is None else row.only_rule
            writer.writerow(
                [
                    safe_cell(row.title),
                    row.alerts,
                    only,
                    row.active,
                    row.dismissed,
                    row.escalated,
                    *row.reasons,
                ]
            )
        return response
    title = review.rule_titles().get(rule, "Any rule")
    writer.writerow(
        ["Alerts by", "Group", "Pupils with registers", "Pupils alerted", "Alert rate", "Rule"]
    )
    writer.writerow(["All pupils", "All pupils", counts.pupils, counts.alerted, "", title])
    for breakdown in counts.breakdowns:
        for line in breakdown.rows:
            writer.writerow(
                [
                    breakdown.heading,
                    safe_cell(line.group),
                    line.pupils,
                    line.alerted,
                    line.rate,
                    title,
                ]
            )
    return response
