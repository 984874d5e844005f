"""Police intelligence forms: add a person of interest, a location, a vehicle; record an
association, a disruption and a disruption's outcome; close or reopen a person of interest and
edit why they are of interest.

Thin: parse, ask the policy, check with the service (merging the form's own parsing problems
so every problem shows at once), and only then record. The intelligence officer only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.intelligence import disruptions, forms, selectors, services, status_changes
from safehub.intelligence.choices import (
    CHILD_NAMED,
    PERSON_DISRUPTIONS,
    PLACE_DISRUPTIONS,
    AssociationKind,
    DisruptionKind,
    DisruptionOutcome,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    PoiStatus,
    SourceEvaluation,
)
from safehub.intelligence.models import Association, Disruption, PersonOfInterest
from safehub.intelligence.views import found_or_404, log_view, person_page, require_logged
from safehub.people.choices import Sex
from safehub.policy import Action, allows, require
from safehub.refusals import Refused
from safehub.versioning import StaleEdit, posted_version


def _form(request: HttpRequest, template: str, errors: dict, values: dict, **extra: Any) -> Any:
    context = {
        "errors": errors,
        "error_list": forms.error_list(errors, values),
        "values": values,
        **extra,
    }
    return render(request, template, context)


def _post_record(
    request: HttpRequest,
    parse: Callable[[Any], tuple[Any, dict[str, str], dict[str, Any]]],
    check: Callable[[Any], dict[str, str]],
    save: Callable[..., Any],
    done: Callable[[Any], HttpResponse],
) -> tuple[HttpResponse | None, dict[str, str], dict[str, Any]]:
    """The record forms' shared POST path: parse, merge the service's problems with the
    form's own (so every problem shows at once), and record only when there are none.
    Gives `done`'s response for the saved record, or None with the errors and values."""
    details, errors, values = parse(request.POST)
    errors = {**check(details), **errors}
    if not errors:
        try:
            saved = save(actor=request.user, details=details)
        except Refused as exc:
            errors = exc.errors
        else:
            return done(saved), errors, values
    return None, errors, values


def _recorded(request: HttpRequest, message: str, response: HttpResponse) -> HttpResponse:
    messages.success(request, message)
    return response


def _then(request: HttpRequest, message: str, page: str) -> Callable[[Any], HttpResponse]:
    """After saving: the message, then the new record's page."""
    return lambda saved: _recorded(request, message, redirect(page, public_id=saved.public_id))


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """Add a person of interest: find the person in the index and choose them, or add a new
    adult. Three posts on one page: `find`, `choose` and `create`."""
    require(request.user, Action.INTEL_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    step = forms.text(request.POST, "step")
    query = forms.text(request.POST, "q")
    found: list[Any] = []
    if request.method == "POST" and step in ("find", "choose") and query:
        found = selectors.find_people(query)
        audited_read(
            request.user,
            AuditObjectType.PERSON,
            action=AuditAction.SEARCH,
            reason=f"person search for a person of interest: {len(found)} found",
        )
    if request.method == "POST" and step in ("choose", "create"):
        values = {n: forms.text(request.POST, n) for n in ("police_reference", "reason", "person")}
        chosen = new = None
        if step == "choose":
            chosen = selectors.person_by_public_id(values["person"]) if values["person"] else None
            if chosen is None:
                errors["person"] = "Choose a person from the list"
        else:
            new, errors, parsed = forms.new_person_from_post(request.POST)
            values.update(parsed)
        fields = {
            "police_reference": values["police_reference"],
            "reason": values["reason"],
            "person": chosen,
            "new_person": new,
        }
        if chosen is not None or new is not None:
            errors = {**services.person_of_interest_problems(**fields), **errors}
        if not errors:
            try:
                poi = services.add_person_of_interest(actor=request.user, **fields)
            except Refused as exc:
                errors = exc.errors
            else:
                messages.success(request, "Person of interest added")
                return redirect("intelligence:person", public_id=poi.public_id)
    return _form(
        request,
        "intelligence/person_form.html",
        errors,
        values,
        step=step,
        query=query,
        found=found,
        sexes=Sex.choices,
    )


@login_required
@require_POST
def person_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Close an active person of interest, or reopen a closed one, with the reason why (the
    form is on their page; a refused post shows the page again with the problem, or with
    another officer's changes if they saved first)."""
    poi: PersonOfInterest = found_or_404(selectors.person_of_interest(public_id))
    require_logged(request, Action.INTEL_RECORD, poi, AuditObjectType.PERSON_OF_INTEREST)
    to_status = forms.text(request.POST, "status")
    reason = forms.text(request.POST, status_changes.STATUS_REASON)
    values = {status_changes.STATUS_REASON: reason}
    read_version = posted_version(request.POST)
    try:
        change = status_changes.change_status(
            actor=request.user,
            person_of_interest=poi,
            to_status=to_status,
            reason=reason,
            read_version=read_version,
        )
    except StaleEdit as exc:
        poi.refresh_from_db()
        # If they were already closed (or reopened) by the other officer, the page offers the
        # opposite form, which the reason typed for this one does not belong in.
        kept = values if poi.status != to_status else {}
        return person_page(request, poi, values=kept, stale=exc)
    except Refused as exc:
        poi.refresh_from_db()
        return person_page(request, poi, exc.errors, values, version=read_version)
    closed = change.to_status == PoiStatus.CLOSED
    messages.success(
        request, "Person of interest closed" if closed else "Person of interest reopened"
    )
    return redirect("intelligence:person", public_id=poi.public_id)


@login_required
@require_POST
def person_reason(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Edit why a person of interest is of interest (the form is on their page)."""
    poi: PersonOfInterest = found_or_404(selectors.person_of_interest(public_id))
    require_logged(request, Action.INTEL_RECORD, poi, AuditObjectType.PERSON_OF_INTEREST)
    reason = forms.text(request.POST, "reason")
    read_version = posted_version(request.POST)
    try:
        changed = status_changes.edit_reason(
            actor=request.user, person_of_interest=poi, reason=reason, read_version=read_version
        )
    except StaleEdit as exc:
        poi.refresh_from_db()
        return person_page(request, poi, values={"reason": reason}, stale=exc)
    except Refused as exc:
        return person_page(request, poi, exc.errors, {"reason": reason}, version=read_version)
    if changed:
        messages.success(request, "Why they are of interest updated")
    return redirect("intelligence:person", public_id=poi.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def location_new(request: HttpRequest) -> HttpResponse:
    """Add a location."""
    require(request.user, Action.INTEL_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        response, errors, values = _post_record(
            request,
            forms.location_from_post,
            services.validate_location,
            services.add_location,
            _then(request, "Location added", "intelligence:location"),
        )
        if response is not None:
            return response
    return _form(
        request, "intelligence/location_form.html", errors, values, kinds=LocationKind.choices
    )


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_new(request: HttpRequest) -> HttpResponse:
    """Add a vehicle (linked to the licensing register when it holds the VRM)."""
    require(request.user, Action.INTEL_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        response, errors, values = _post_record(
            request,
            forms.vehicle_from_post,
            services.vehicle_problems,
            services.add_vehicle,
            _then(request, "Vehicle added", "intelligence:vehicle"),
        )
        if response is not None:
            return response
    return _form(request, "intelligence/vehicle_form.html", errors, values)


def _prefill(request: HttpRequest, names: dict[str, str]) -> dict[str, str]:
    """Form values from the record the form was opened from (?poi=, ?location=, ?vehicle=,
    each a public id); the record opened is audited like any other read."""
    values: dict[str, str] = {}
    poi = selectors.person_of_interest(request.GET.get("poi", ""))
    if poi is not None and allows(request.user, Action.INTEL_VIEW, poi):
        values[names["poi"]] = poi.police_reference
        log_view(request, AuditObjectType.PERSON_OF_INTEREST, poi, poi.person_id)
    place = selectors.location(request.GET.get("location", ""))
    if place is not None and allows(request.user, Action.INTEL_VIEW, place):
        values[names["location"]] = place.reference or ""
        log_view(request, AuditObjectType.INTEL_LOCATION, place)
    car = selectors.vehicle(request.GET.get("vehicle", ""))
    if car is not None and "vehicle" in names and allows(request.user, Action.INTEL_VIEW, car):
        values[names["vehicle"]] = car.vrm
        log_view(request, AuditObjectType.INTEL_VEHICLE, car, car.keeper_id)
    return values


def _landing(association: Association) -> Any:
    if association.person_id:
        poi = PersonOfInterest.objects.filter(person_id=association.person_id).first()
        if poi is not None:
            return redirect("intelligence:person", public_id=poi.public_id)
    return redirect("intelligence:association", public_id=association.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def association_new(request: HttpRequest) -> HttpResponse:
    """Record an association: exactly two ends, the date, the source and the 3x5x2 grading."""
    require(request.user, Action.INTEL_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        response, errors, values = _post_record(
            request,
            forms.association_from_post,
            services.association_problems,
            services.record_association,
            lambda made: _recorded(request, "Association recorded", _landing(made)),
        )
        if response is not None:
            return response
    else:
        values = _prefill(
            request,
            {"poi": "person_reference", "location": "location_reference", "vehicle": "vrm"},
        )
    return _form(
        request,
        "intelligence/association_form.html",
        errors,
        values,
        kinds=AssociationKind.choices,
        evaluations=SourceEvaluation.choices,
        assessments=IntelligenceAssessment.choices,
        handling=HandlingCode.choices,
    )


def _disruption_kinds() -> list[tuple[str, str, str]]:
    def against(kind: str) -> str:
        if kind in CHILD_NAMED:
            return "a person, naming the child"
        if kind in PERSON_DISRUPTIONS:
            return "a person"
        if kind in PLACE_DISRUPTIONS:
            return "a place"
        return "a person or a place"

    return [(value, label, against(value)) for value, label in DisruptionKind.choices]


@login_required
@require_http_methods(["GET", "POST"])
def disruption_new(request: HttpRequest) -> HttpResponse:
    """Record a disruption against a person or a place (a CAWN names the child)."""
    require(request.user, Action.DISRUPTION_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        response, errors, values = _post_record(
            request,
            forms.disruption_from_post,
            disruptions.disruption_problems,
            disruptions.record_disruption,
            lambda done: _recorded(
                request, f"{done.get_kind_display()} recorded", _after_disruption(done)
            ),
        )
        if response is not None:
            return response
    else:
        values = _prefill(request, {"poi": "subject_reference", "location": "location_reference"})
        values.setdefault("outcome", DisruptionOutcome.PENDING)
    return _form(
        request,
        "intelligence/disruption_form.html",
        errors,
        values,
        kinds=_disruption_kinds(),
        outcomes=DisruptionOutcome.choices,
    )


def _after_disruption(done: Disruption) -> Any:
    if done.subject_id:
        poi = PersonOfInterest.objects.filter(person_id=done.subject_id).first()
        if poi is not None:
            return redirect("intelligence:person", public_id=poi.public_id)
    if done.location is not None:
        return redirect("intelligence:location", public_id=done.location.public_id)
    return redirect("intelligence:home")


@login_required
@require_http_methods(["GET", "POST"])
def disruption_outcome(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a disruption's outcome (an order granted, a notice breached...). The form
    carries the version it was read at; if another officer saved since, the save is refused
    showing their changes, with what this officer typed kept in the form."""
    done: Disruption = found_or_404(selectors.disruption(public_id))
    require_logged(request, Action.DISRUPTION_RECORD, done, AuditObjectType.DISRUPTION)
    log_view(request, AuditObjectType.DISRUPTION, done, done.subject_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"outcome": done.outcome}
    version = done.version
    stale: StaleEdit | None = None
    if request.method == "POST":
        values = {n: forms.text(request.POST, n) for n in ("outcome", "note")}
        version = posted_version(request.POST)
        ends = forms.date_field(request.POST, "ends_on", "End date", errors, values)
        change = {"outcome": values["outcome"], "ends_on": ends, "note": values["note"]}
        errors = {**disruptions.outcome_problems(done, **change), **errors}
        if not errors:
            try:
                disruptions.update_disruption_outcome(
                    actor=request.user, disruption=done, read_version=version, **change
                )
            except StaleEdit as exc:
                stale = exc
                done.refresh_from_db()
                version = done.version
            except Refused as exc:
                errors = exc.errors
            else:
                messages.success(request, "Outcome recorded")
                return _after_disruption(done)
    response = _form(
        request,
        "intelligence/outcome_form.html",
        errors,
        values,
        disruption=done,
        outcomes=DisruptionOutcome.choices,
        version=version,
        stale=stale,
    )
    if stale is not None:
        response.status_code = 409
    return response
