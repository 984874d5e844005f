"""The delivery plan's pages: the plan, the plan at a date, comparing two dates, the actions
and their updates, evidence and measures, and the exports. Thin: parse, ask the policy, call
one service or selector, render. Governance and reports are in governance_views.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.models import User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.plans import charts, figures, reports, rules, selectors, services
from safehub.plans.forms import Field, date_values, form_page, posted_date, query_date
from safehub.plans.models import DeliveryPlan, PlanAction
from safehub.plans.rules import Rag, Status
from safehub.policy import Action, allows, require
from safehub.versioning import posted_version


def plan_or_404(public_id: Any) -> DeliveryPlan:
    plan = selectors.plan_by_public_id(public_id)
    if plan is None:
        raise Http404("No such plan")
    return plan


def action_or_404(public_id: Any) -> PlanAction:
    action = selectors.action_by_public_id(public_id)
    if action is None:
        raise Http404("No such action")
    return action


# The due date is optional: an action (a resolution) may have no deadline.
NO_DEADLINE_HINT = "Leave it blank if there is no deadline"


def _date_parts(name: str, source: Any) -> dict[str, str]:
    """A date input's boxes as template variables: name_day, name_month, name_year."""
    return {f"{name}_{p}": str(source.get(f"{name}-{p}", "")) for p in ("day", "month", "year")}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every delivery plan, with links to governance."""
    require(request.user, Action.PLAN_VIEW)
    return render(request, "plans/index.html", {"plans": list(selectors.plans())})


@login_required
@require_GET
def plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan today: RAG summary, then each objective's actions."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_VIEW, the_plan)
    rows = selectors.action_rows(the_plan)
    counts = rules.rag_counts(r.rag.rating for r in rows)
    user = signed_in_user(request)
    context = {
        "plan": the_plan,
        "objectives": [
            (o, [r for r in rows if r.action.objective_id == o.pk])
            for o in the_plan.objectives.all()
        ],
        "counts": counts,
        "chart": mark_safe(charts.rag_bars(counts)),  # noqa: S308 - numbers and fixed labels
        "may_manage": allows(user, Action.PLAN_MANAGE),
        "may_see_actions": allows(user, Action.PLAN_ACTION_VIEW, rows[0].action) if rows else False,
        "user_id": user.pk,
    }
    return render(request, "plans/plan.html", context)


@login_required
@require_GET
def as_at(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan as it stood at the end of a chosen day, from the version history."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_VIEW, the_plan)
    errors: dict[str, str] = {}
    day = query_date(request.GET, "on", "The date", errors) or timezone.localdate()
    if day > timezone.localdate():
        errors["on"] = "The date must be today or in the past"
        day = timezone.localdate()
    snapshot = selectors.plan_at(the_plan, selectors.end_of(day))
    actions = sorted(
        snapshot.values(), key=lambda a: (a.objective, rules.deadline_order(a.due_date), a.title)
    )
    context = {
        "plan": the_plan,
        "day": day,
        "actions": actions,
        "counts": rules.rag_counts(a.rating for a in actions),
        "errors": list(errors.items()),
        "error": errors.get("on", ""),
        **_date_parts("on", request.GET if errors else date_values("on", day)),
    }
    return render(request, "plans/as_at.html", context)


@login_required
@require_GET
def compare(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Two dates of the plan side by side: added, closed, slipped, re-rated. Defaults to a
    month ago against today."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_VIEW, the_plan)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    earlier = query_date(request.GET, "earlier", "The earlier date", errors)
    later = query_date(request.GET, "later", "The later date", errors)
    earlier, later = earlier or today - timedelta(days=30), later or today
    if later > today:
        errors["later"] = "The later date must be today or in the past"
    if earlier >= later and "earlier" not in errors:
        errors["earlier"] = "The earlier date must be before the later date"
    if errors:
        earlier, later = today - timedelta(days=30), today
    changes = selectors.changes_between(the_plan, earlier, later)
    context = {
        "plan": the_plan,
        "earlier": earlier,
        "later": later,
        "changes": changes,
        "errors": list(errors.items()),
        "error_of": dict(errors),
        **_date_parts("earlier", request.GET if errors else date_values("earlier", earlier)),
        **_date_parts("later", request.GET if errors else date_values("later", later)),
    }
    return render(request, "plans/compare.html", context)


@login_required
@require_GET
def not_updated(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan lead's list: open actions with no update since the last progress report."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_MANAGE, the_plan)
    last = selectors.last_report(the_plan)
    since = last.issued_at if last else the_plan.created_at
    context = {
        "plan": the_plan,
        "last": last,
        "since": since,
        "rows": selectors.not_updated_since(the_plan, since),
    }
    return render(request, "plans/not_updated.html", context)


def _export(
    request: HttpRequest, public_id: Any, object_type: AuditObjectType
) -> tuple[DeliveryPlan, list[Any]]:
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_VIEW, the_plan)
    audited_read(request.user, object_type, action=AuditAction.EXPORT, object_id=the_plan.public_id)
    return the_plan, selectors.action_rows(the_plan)


@login_required
@require_GET
def export_csv(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan as CSV, one row per action."""
    _, rows = _export(request, public_id, AuditObjectType.DELIVERY_PLAN_CSV)
    response = HttpResponse(reports.plan_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="delivery-plan.csv"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan as an Excel workbook."""
    the_plan, rows = _export(request, public_id, AuditObjectType.DELIVERY_PLAN_XLSX)
    response = HttpResponse(
        reports.plan_xlsx(the_plan, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="delivery-plan.xlsx"'
    return response


@login_required
@require_GET
def action(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One action: its rating and why, dates, measures with trends, evidence, updates and the
    history of changes."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_VIEW, the_action)
    today = timezone.localdate()
    measures = []
    for m in the_action.measures.prefetch_related("readings"):
        points = [(r.taken_on, float(r.value)) for r in m.readings.all()]
        chart = charts.trend_line(points, title=m.name)
        label = figures.FIGURES[m.figure].label if m.figure in figures.FIGURES else ""
        measures.append((m, points, mark_safe(chart), label))  # noqa: S308 - escaped in charts
    evidence = list(the_action.evidence.select_related("added_by"))
    figures_now = {
        e.public_id: figures.figure_value(e.figure, figures.term_start(today), today)
        for e in evidence
        if e.figure in figures.FIGURES
    }
    user = signed_in_user(request)
    context = {
        "action": the_action,
        "rag": selectors.rating_of(the_action),
        "updates": list(the_action.updates.select_related("written_by")),
        "evidence": [(e, figures_now.get(e.public_id)) for e in evidence],
        "measures": measures,
        "history": list(the_action.history.select_related("history_user")[:20]),  # type: ignore[attr-defined]
        "may_update": allows(user, Action.PLAN_ACTION_UPDATE, the_action),
        "may_manage": allows(user, Action.PLAN_MANAGE, the_action),
    }
    return render(request, "plans/action.html", context)


def owner_options() -> tuple[dict[str, User], list[tuple[str, str]]]:
    owners = {str(u.pk): u for u in selectors.action_owners()}
    return owners, [(k, selectors.owner_label(u)) for k, u in owners.items()]


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan lead adds an action under an objective."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_MANAGE, the_plan)
    objectives = {str(o.pk): o for o in the_plan.objectives.all()}
    owners, choices = owner_options()
    fields = [
        Field("objective", "Objective", "radios", [(k, o.title) for k, o in objectives.items()]),
        Field("title", "Action", "text"),
        Field("description", "Description (optional)", "textarea"),
        Field("success_measure", "Success measure (optional)", "textarea"),
        Field("owner", "Owner", "radios", choices),
        Field("start_date", "Start date", "date"),
        Field("due_date", "Due date (optional)", "date", hint=NO_DEADLINE_HINT),
    ]

    def submit(post: Any, errors: dict[str, str]) -> None:
        objective = objectives.get(str(post.get("objective", "")))
        if objective is None:
            errors["objective"] = "Choose the objective"
        start = posted_date(post, "start_date", "Start date", errors)
        due = posted_date(post, "due_date", "Due date", errors)
        if objective is None:
            return
        services.create_action(
            actor=signed_in_user(request),
            objective=objective,
            title=str(post.get("title", "")),
            owner=owners.get(str(post.get("owner", ""))),
            start_date=start,
            due_date=due,
            description=str(post.get("description", "")),
            success_measure=str(post.get("success_measure", "")),
        )

    back = reverse("plans:plan", args=[the_plan.public_id])
    return form_page(
        request,
        title="Add an action",
        caption=the_plan.title,
        fields=fields,
        initial={},
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The plan lead changes an action's details, dates, owner or RAG override."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_MANAGE, the_action)
    owners, choices = owner_options()
    rag_options = [("", "No override: use the rules")] + [(r.value, r.label) for r in Rag]
    fields = [
        Field("title", "Action", "text"),
        Field("description", "Description (optional)", "textarea"),
        Field("success_measure", "Success measure (optional)", "textarea"),
        Field("owner", "Owner", "radios", choices),
        Field("start_date", "Start date", "date"),
        Field(
            "due_date",
            "Due date (optional)",
            "date",
            hint=f"{NO_DEADLINE_HINT}. Moving it later, or removing it, records the action as "
            "slipped",
        ),
        Field("rag_override", "Override the RAG rating", "radios", rag_options),
        Field("rag_override_reason", "Reason for the override", "textarea"),
    ]
    initial = {
        "title": the_action.title,
        "description": the_action.description,
        "success_measure": the_action.success_measure,
        "owner": str(the_action.owner_id),
        "rag_override": the_action.rag_override,
        "rag_override_reason": the_action.rag_override_reason,
        **date_values("start_date", the_action.start_date),
        **date_values("due_date", the_action.due_date),
    }

    def submit(post: Any, errors: dict[str, str]) -> None:
        changes = {
            name: str(post.get(name, ""))
            for name in (
                "title",
                "description",
                "success_measure",
                "rag_override",
                "rag_override_reason",
            )
        }
        changes["owner"] = owners.get(str(post.get("owner", "")))  # type: ignore[assignment]
        start = posted_date(post, "start_date", "Start date", errors)
        due = posted_date(post, "due_date", "Due date", errors)
        services.edit_action(
            actor=signed_in_user(request),
            action=the_action,
            read_version=posted_version(post),
            changes={**changes, "start_date": start, "due_date": due},
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        title="Change the action",
        caption=the_action.title,
        fields=fields,
        initial=initial,
        submit=submit,
        done=back,
        back=back,
        version=the_action.version,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The owner (or the lead) writes a dated progress update."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_UPDATE, the_action)
    fields = [
        Field("note", "What has happened since the last update?", "textarea"),
        Field("status", "Status", "radios", Status.choices()),
        Field("progress", "Progress (%)", "number", hint="A whole number from 0 to 100"),
    ]
    initial = {"status": the_action.status, "progress": str(the_action.progress)}

    def submit(post: Any, errors: dict[str, str]) -> None:
        services.record_update(
            actor=signed_in_user(request),
            action=the_action,
            read_version=posted_version(post),
            note=str(post.get("note", "")),
            progress=str(post.get("progress", "")),
            status=str(post.get("status", "")),
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        title="Update progress",
        caption=the_action.title,
        intro="Do not name or describe any child: the plan is read by boards.",
        fields=fields,
        initial=initial,
        submit=submit,
        done=back,
        back=back,
        version=the_action.version,
    )
