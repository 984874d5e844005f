"""The delivery plan's pages: the plan, the plan at a date, comparing two dates, the actions
and their updates, evidence and measures, and the exports. Thin: parse, ask the policy, call
one service or selector, render. Governance and reports are in governance_views.py."""

from __future__ import annotations

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
from safehub.plans.forms import (
    AsAtForm,
    CompareForm,
    EditActionForm,
    NewActionForm,
    UpdateForm,
    form_page,
)
from safehub.plans.models import DeliveryPlan, PlanAction
from safehub.plans.rules import Rag
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
    form = AsAtForm(request.GET)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    if not form.error_list:
        form = AsAtForm(initial={"on": day})
    snapshot = selectors.plan_at(the_plan, selectors.end_of(day))
    actions = sorted(
        snapshot.values(), key=lambda a: (a.objective, rules.deadline_order(a.due_date), a.title)
    )
    context = {
        "plan": the_plan,
        "day": day,
        "actions": actions,
        "counts": rules.rag_counts(a.rating for a in actions),
        "form": form,
    }
    return render(request, "plans/as_at.html", context)


@login_required
@require_GET
def compare(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Two dates of the plan side by side: added, closed, slipped, re-rated. Defaults to a
    month ago against today."""
    the_plan = plan_or_404(public_id)
    require(request.user, Action.PLAN_VIEW, the_plan)
    form = CompareForm(request.GET)
    if form.is_valid():
        earlier, later = form.days()
        form = CompareForm(initial={"earlier": earlier, "later": later})
    else:
        earlier, later = CompareForm().days()
    changes = selectors.changes_between(the_plan, earlier, later)
    context = {
        "plan": the_plan,
        "earlier": earlier,
        "later": later,
        "changes": changes,
        "form": form,
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
    form = NewActionForm(
        request.POST or None,
        objectives=[(k, o.title) for k, o in objectives.items()],
        owners=choices,
    )

    def submit(values: dict[str, Any]) -> None:
        objective = objectives.get(str(values["objective"] or ""))
        if objective is None:
            return
        services.create_action(
            actor=signed_in_user(request),
            objective=objective,
            title=values["title"] or "",
            owner=owners.get(str(values["owner"] or "")),
            start_date=values["start_date"],
            due_date=values["due_date"],
            description=values["description"] or "",
            success_measure=values["success_measure"] or "",
        )

    back = reverse("plans:plan", args=[the_plan.public_id])
    return form_page(
        request,
        form,
        title="Add an action",
        caption=the_plan.title,
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
    initial = {
        "version": the_action.version,
        "title": the_action.title,
        "description": the_action.description,
        "success_measure": the_action.success_measure,
        "owner": str(the_action.owner_id),
        "rag_override": the_action.rag_override,
        "rag_override_reason": the_action.rag_override_reason,
        "start_date": the_action.start_date,
        "due_date": the_action.due_date,
    }
    form = EditActionForm(request.POST or None, initial=initial, owners=choices, rags=rag_options)

    def submit(values: dict[str, Any]) -> None:
        changes = {
            name: values[name] or ""
            for name in (
                "title",
                "description",
                "success_measure",
                "rag_override",
                "rag_override_reason",
            )
        }
        services.edit_action(
            actor=signed_in_user(request),
            action=the_action,
            read_version=posted_version(request.POST),
            changes={
                **changes,
                "owner": owners.get(str(values["owner"] or "")),
                "start_date": values["start_date"],
                "due_date": values["due_date"],
            },
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        form,
        title="Change the action",
        caption=the_action.title,
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The owner (or the lead) writes a dated progress update."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_UPDATE, the_action)
    initial = {
        "version": the_action.version,
        "status": the_action.status,
        "progress": str(the_action.progress),
    }
    form = UpdateForm(request.POST or None, initial=initial)

    def submit(values: dict[str, Any]) -> None:
        services.record_update(
            actor=signed_in_user(request),
            action=the_action,
            read_version=posted_version(request.POST),
            note=values["note"] or "",
            progress=values["progress"],
            status=values["status"] or "",
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        form,
        title="Update progress",
        caption=the_action.title,
        intro="Do not name or describe any child: the plan is read by boards.",
        submit=submit,
        done=back,
        back=back,
    )
