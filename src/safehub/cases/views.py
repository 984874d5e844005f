"""Case pages: caseloads, the case page and its edit forms. Thin: parse, ask the policy, call
one service or selector, render. Chronology pages are in chronology_views.py, meetings in
meeting_views.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from safehub.cases.forms import (
    Choice,
    Field,
    posted_values,
    posted_version,
    render_fields,
)
from safehub.cases.models import (
    Case,
    ClosureReason,
    EducationStatus,
    RiskLevel,
    SafetyPlan,
)
from safehub.cases.selectors import (
    WorkerLoad,
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

YES_NO = [("yes", "Yes"), ("no", "No")]


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


Submit = Callable[[Any, dict[str, str], User], Any]


def case_form(
    request: HttpRequest,
    case: Case,
    *,
    title: str,
    fields: Sequence[Field],
    initial: dict[str, Any],
    submit: Submit,
    done: str,
    version: int | None = None,
) -> HttpResponse:
    """GET shows the form; POST calls `submit`, which raises Refused or StaleEdit.

    The form carries the version it was read at; a stale save shows the other person's
    change and nothing is written.
    """
    errors: dict[str, str] = {}
    values = dict(initial)
    stale: StaleEdit | None = None
    current = case.version if version is None else version
    if request.method == "POST":
        values = posted_values(request.POST, fields)
        try:
            submit(request.POST, errors, signed_in_user(request))
        except StaleEdit as exc:
            stale = exc
            case.refresh_from_db()
            case.safety_plan.refresh_from_db()
            current = case.version if version is None else case.safety_plan.version
        except Refused as exc:
            errors.update(exc.errors)
        else:
            messages.success(request, done)
            return redirect("cases:detail", public_id=case.public_id)
        if not stale:
            current = posted_version(request.POST)
    audited_read(
        request.user,
        AuditObjectType.CASE_FORM,
        object_id=case.public_id,
        person_id=case.person_id,
        reason=title,
    )
    context = {
        "case": case,
        "title": title,
        "fields": render_fields(fields, values, errors),
        "error_list": list(errors.items()),
        "version": current,
        "stale": stale,
    }
    return render(request, "cases/form.html", context, status=409 if stale else 200)


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Refused(errors)


def held(load: WorkerLoad) -> str:
    """A worker's open caseload as the allocation form shows it under their name."""
    if not load.open_cases:
        return "No open cases"
    cases = f"{load.open_cases} open case{'s' if load.open_cases != 1 else ''}"
    return f"{cases}, {load.high_risk} at high risk or exploited"


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Allocate or reallocate the case to a member of the CSE team (managers)."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_ALLOCATE, case)
    loads = cse_workers_with_caseload()
    workers = {str(load.worker.pk): load.worker for load in loads}
    options = [
        Choice(str(load.worker.pk), load.worker.get_full_name() or load.worker.username, held(load))
        for load in loads
    ]
    fields = [
        Field(
            "worker",
            "Who should hold this case?",
            "radios",
            options,
            hint="Each worker's open cases are shown under their name.",
        ),
        Field("reason", "Reason (optional)", "textarea"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        worker = workers.get(str(post.get("worker", "")))
        if worker is None:
            errors["worker"] = "Choose a member of the CSE team"
        raise_if(errors)
        assert worker is not None
        services.allocate_case(
            actor=actor,
            case=case,
            worker=worker,
            read_version=posted_version(post),
            reason=str(post.get("reason", "")),
        )

    initial = {"worker": str(case.allocated_to_id or "")}
    return case_form(
        request,
        case,
        title="Allocate the case",
        fields=fields,
        initial=initial,
        submit=submit,
        done="The case has been allocated",
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change the risk level, saying why."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    fields = [
        Field("level", "What is the risk level now?", "radios", RiskLevel.choices),
        Field("reason", "Why has it changed?", "textarea"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        services.change_risk_level(
            actor=actor,
            case=case,
            read_version=posted_version(post),
            level=str(post.get("level", "")),
            reason=str(post.get("reason", "")),
        )

    return case_form(
        request,
        case,
        title="Change the risk level",
        fields=fields,
        initial={"level": case.risk_level},
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
    fields = [Field(name, label, "textarea") for name, label in SafetyPlan.SECTIONS]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        services.update_safety_plan(
            actor=actor,
            case=case,
            read_version=posted_version(post),
            sections={name: str(post.get(name, "")) for name, _ in SafetyPlan.SECTIONS},
        )

    initial = {name: getattr(plan, name) for name, _ in SafetyPlan.SECTIONS}
    return case_form(
        request,
        case,
        title="Safety plan",
        fields=fields,
        initial=initial,
        submit=submit,
        done="The safety plan has been saved",
        version=plan.version,
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Close the case with a reason and outcome measures (managers)."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_CLOSE, case)
    fields = [
        Field("reason", "Why is the case closing?", "radios", ClosureReason.choices),
        Field("notes", "Notes", "textarea"),
        Field("risk_at_closure", "Risk level at closure", "radios", RiskLevel.choices),
        Field("in_education", "Education, training or work", "radios", EducationStatus.choices),
        Field("missing_episodes", "Missing episodes in the last 3 months", "number"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        raw = str(post.get("missing_episodes", "")).strip()
        episodes = int(raw) if raw.isdecimal() and len(raw) < 19 else None
        if raw and episodes is None:
            errors["missing_episodes"] = "Enter the number of missing episodes as a whole number"
        raise_if(errors)
        services.close_case(
            actor=actor,
            case=case,
            read_version=posted_version(post),
            reason=str(post.get("reason", "")),
            notes=str(post.get("notes", "")),
            risk_at_closure=str(post.get("risk_at_closure", "")),
            in_education=str(post.get("in_education", "")),
            missing_episodes_last_3_months=episodes,
        )

    return case_form(
        request,
        case,
        title="Close the case",
        fields=fields,
        initial={"risk_at_closure": case.risk_level},
        submit=submit,
        done="The case has been closed",
    )
