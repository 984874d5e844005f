"""Case pages: caseloads, the case page and its edit forms. Thin: parse, ask the policy, call
one service or selector, render. Chronology pages are in chronology_views.py, meetings in
meeting_views.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.models import User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.cases import services
from safehub.cases.errors import StaleEdit
from safehub.cases.models import Case, SafetyPlan
from safehub.cases.page_forms import (
    AllocateForm,
    CloseForm,
    RiskForm,
    SafetyPlanForm,
    VersionedForm,
)
from safehub.cases.selectors import (
    case_by_public_id,
    caseload,
    cse_workers_with_caseload,
    risk_history,
    team_caseload,
)
from safehub.policy import (
    Action,
    allows,
    mark_masked,
    person_scope,
    require,
    shown_person_ids,
)
from safehub.refusals import Refused


def _person(case: Case) -> object:
    return case.person


def case_or_404(public_id: Any) -> Case:
    case = case_by_public_id(public_id)
    if case is None:
        raise Http404("No such case")
    return case


def audit_view(
    request: HttpRequest, case: Case, object_type: AuditObjectType = AuditObjectType.CASE
) -> None:
    audited_read(request.user, object_type, object_id=case.public_id, person_id=case.person_id)


@login_required
@require_GET
def my_caseload(request: HttpRequest) -> HttpResponse:
    """The signed-in worker's open cases, the review soonest due first."""
    require(request.user, Action.CASELOAD_VIEW)
    rows = caseload(signed_in_user(request))
    audited_list(
        request.user,
        AuditObjectType.CASELOAD,
        summary=len(rows),
        person_ids=[row.case.person_id for row in rows],
        reason="shown in the worker's caseload",
    )
    return render(request, "cases/caseload.html", {"rows": rows})


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """The manager's view: every open case, counts by risk, overdue reviews, per-worker load."""
    require(request.user, Action.TEAM_CASELOAD_VIEW)
    load = team_caseload()
    cases = mark_masked([row.case for row in load.rows], person_scope(request.user), _person)
    audited_list(
        request.user,
        AuditObjectType.TEAM_CASELOAD,
        summary=len(load.rows),
        person_ids=shown_person_ids(cases, _person),
        reason="shown in the team caseload",
    )
    return render(request, "cases/team.html", {"load": load})


@login_required
@require_GET
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The case page: summary, risk history, plan, work, reviews, NRM, factors, closure."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_VIEW, case)
    audit_view(request, case)
    context = {
        "case": case,
        "plan": case.safety_plan,
        "plan_sections": [
            (label, getattr(case.safety_plan, name)) for name, label in SafetyPlan.SECTIONS
        ],
        "risk_history": risk_history(case),
        "interventions": list(case.interventions.select_related("worker")),
        "reviews": list(case.reviews.all()),
        "factors": list(case.factors.all()),
        "allocations": list(case.allocations.select_related("worker", "allocated_by")),
        "may_edit": allows(request.user, Action.CASE_EDIT, case) and case.status == "open",
        "may_allocate": allows(request.user, Action.CASE_ALLOCATE, case) and case.status == "open",
        "may_close": allows(request.user, Action.CASE_CLOSE, case) and case.status == "open",
    }
    return render(request, "cases/detail.html", context)


Submit = Callable[[dict[str, Any], User], Any]


def case_form(
    request: HttpRequest,
    case: Case,
    *,
    title: str,
    form: VersionedForm,
    submit: Submit,
    done: str,
    plan: bool = False,
) -> HttpResponse:
    """GET shows the form; a valid POST calls `submit` with the cleaned answers, which raises
    Refused or StaleEdit.

    The form carries the version it was read at (the case's, or the safety plan's when
    `plan`); a stale save shows the other person's change and nothing is written.
    """
    stale: StaleEdit | None = None
    if form.is_bound and form.is_valid():
        try:
            submit(form.cleaned_data, signed_in_user(request))
        except StaleEdit as exc:
            stale = exc
            case.refresh_from_db()
            case.safety_plan.refresh_from_db()
            form.carry_version(case.safety_plan.version if plan else case.version)
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, done)
            return redirect("cases:detail", public_id=case.public_id)
    audited_read(
        request.user,
        AuditObjectType.CASE_FORM,
        object_id=case.public_id,
        person_id=case.person_id,
        reason=title,
    )
    context = {"case": case, "title": title, "form": form, "stale": stale}
    return render(request, "cases/form.html", context, status=409 if stale else 200)


def posted(request: HttpRequest) -> Any:
    """The posted answers, or None to show the form as first opened (a POST with nothing in
    it is still a POST: the service refuses it)."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Allocate or reallocate the case to a member of the CSE team (managers)."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_ALLOCATE, case)
    loads = cse_workers_with_caseload()
    workers = {str(load.worker.pk): load.worker for load in loads}
    initial = {"worker": str(case.allocated_to_id or ""), "version": case.version}
    form = AllocateForm(posted(request), initial=initial, loads=loads)

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.allocate_case(
            actor=actor,
            case=case,
            worker=workers[answers["worker"]],
            read_version=answers["version"],
            reason=answers["reason"],
        )

    return case_form(
        request,
        case,
        title="Allocate the case",
        form=form,
        submit=submit,
        done="The case has been allocated",
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change the risk level, saying why."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    form = RiskForm(posted(request), initial={"level": case.risk_level, "version": case.version})

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.change_risk_level(
            actor=actor,
            case=case,
            read_version=answers["version"],
            level=answers["level"],
            reason=answers["reason"],
        )

    return case_form(
        request,
        case,
        title="Change the risk level",
        form=form,
        submit=submit,
        done="The risk level has been changed",
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Edit the safety plan's sections."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    plan = case.safety_plan
    initial = {name: getattr(plan, name) for name, _ in SafetyPlan.SECTIONS}
    form = SafetyPlanForm(posted(request), initial={**initial, "version": plan.version})

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.update_safety_plan(
            actor=actor,
            case=case,
            read_version=answers["version"],
            sections={name: answers[name] for name, _ in SafetyPlan.SECTIONS},
        )

    return case_form(
        request,
        case,
        title="Safety plan",
        form=form,
        submit=submit,
        done="The safety plan has been saved",
        plan=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Close the case with a reason and outcome measures (managers)."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_CLOSE, case)
    initial = {"risk_at_closure": case.risk_level, "version": case.version}
    form = CloseForm(posted(request), initial=initial)

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.close_case(
            actor=actor,
            case=case,
            read_version=answers["version"],
            reason=answers["reason"],
            notes=answers["notes"],
            risk_at_closure=answers["risk_at_closure"],
            in_education=answers["in_education"],
            missing_episodes_last_3_months=answers["missing_episodes"],
        )

    return case_form(
        request,
        case,
        title="Close the case",
        form=form,
        submit=submit,
        done="The case has been closed",
    )
