"""An action's evidence and measures: adding evidence (notes, files, links, Safehub figures),
downloading files, adding measures and recording readings. Thin, like views.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.plans import figures, selectors, services
from safehub.plans.forms import EvidenceForm, MeasureForm, ReadingForm, form_page
from safehub.plans.models import EvidenceKind
from safehub.plans.views import action_or_404
from safehub.policy import Action, require


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Add evidence to an action: a note, a file, a link or a Safehub figure."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_UPDATE, the_action)
    figure_options = [(k, f.label + " (this term)") for k, f in figures.FIGURES.items()]
    form = EvidenceForm(request.POST or None, request.FILES or None, figures=figure_options)

    def submit(values: dict[str, Any]) -> None:
        upload = values["file"]
        services.add_evidence(
            actor=signed_in_user(request),
            action=the_action,
            kind=values["kind"] or "",
            title=values["title"] or "",
            note=values["note"] or "",
            url=values["url"] or "",
            figure=values["figure"] or "",
            upload=services.Upload(upload.name or "", upload.content_type or "", upload.read())
            if upload
            else None,
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        form,
        title="Add evidence",
        caption=the_action.title,
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, public_id: Any, evidence_id: Any) -> HttpResponse:
    """Download an attached file (always as an attachment, never shown inline)."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_VIEW, the_action)
    evidence = selectors.evidence_of(the_action, evidence_id)
    if evidence is None or evidence.kind != EvidenceKind.FILE or evidence.content is None:
        raise Http404("No such file")
    audited_read(
        request.user,
        AuditObjectType.PLAN_EVIDENCE,
        action=AuditAction.EXPORT,
        object_id=evidence.public_id,
    )
    response = HttpResponse(bytes(evidence.content), content_type="application/octet-stream")
    safe_name = "".join(c for c in evidence.file_name if c.isalnum() or c in "._- ") or "evidence"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Add a success measure, optionally read from a Safehub figure."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_UPDATE, the_action)
    options = [("", "None: I will enter the readings")] + [
        (k, f.label + " (this term)") for k, f in figures.FIGURES.items()
    ]
    form = MeasureForm(request.POST or None, initial={"figure": ""}, figures=options)

    def submit(values: dict[str, Any]) -> None:
        target = values["target"]
        services.add_measure(
            actor=signed_in_user(request),
            action=the_action,
            name=values["name"] or "",
            figure=values["figure"] or "",
            target="" if target is None else str(target),
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        form,
        title="Add a measure",
        caption=the_action.title,
        submit=submit,
        done=back,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reading_new(request: HttpRequest, public_id: Any, measure_id: Any) -> HttpResponse:
    """Record a measure's value on a date (a figure-based measure can read itself)."""
    the_action = action_or_404(public_id)
    require(request.user, Action.PLAN_ACTION_UPDATE, the_action)
    measure = selectors.measure_of(the_action, measure_id)
    if measure is None:
        raise Http404("No such measure")
    hint = "Leave blank to read the Safehub figure for the term" if measure.figure else ""
    form = ReadingForm(request.POST or None, initial={"taken_on": timezone.localdate()}, hint=hint)

    def submit(values: dict[str, Any]) -> None:
        value = values["value"]
        services.add_reading(
            actor=signed_in_user(request),
            measure=measure,
            taken_on=values["taken_on"],
            value="" if value is None else str(value),
        )

    back = reverse("plans:action", args=[the_action.public_id])
    return form_page(
        request,
        form,
        title="Record a reading",
        caption=measure.name,
        submit=submit,
        done=back,
        back=back,
    )
