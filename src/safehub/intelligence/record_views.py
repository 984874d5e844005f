"""Police intelligence forms: add a person of interest, a location, a vehicle; record an
association, a disruption and a disruption's outcome; close or reopen a person of interest and
edit why they are of interest.

Thin: ask the policy, check the form (its own input problems and the service's checks, so
every problem shows at once; see `forms`), and only then record. The intelligence officer
only.
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
from safehub.intelligence.choices import DisruptionOutcome, PoiStatus
from safehub.intelligence.models import Association, Disruption, PersonOfInterest
from safehub.intelligence.views import (
    found_or_404,
    log_view,
    person_page,
    require_logged,
    to_offer,
)
from safehub.policy import Action, allows, require
from safehub.refusals import Refused
from safehub.versioning import StaleEdit


def _posted(request: HttpRequest) -> Any:
    """The posted values when the form was sent, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, template: str, form: Any, **extra: Any) -> HttpResponse:
    return render(request, template, {"form": form, **extra})


def _save(
    request: HttpRequest,
    form: Any,
    save: Callable[..., Any],
    done: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """The record forms' shared POST path: record only when the form (its own checks and the
    service's) has no problems. Gives `done`'s response for the saved record, or None."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(actor=request.user, details=form.details(form.cleaned_data))
        except Refused as exc:
            form.refuse(exc)
        else:
            return done(saved)
    return None


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
    adult. Three posts on one page: `find` (a search box), `choose` and `create`."""
    require(request.user, Action.INTEL_RECORD)
    step = str(request.POST.get("step", "")).strip()
    query = str(request.POST.get("q", "")).strip()
    found: list[Any] = []
    if request.method == "POST" and step in ("find", "choose") and query:
        found = selectors.find_people(query)
        audited_read(
            request.user,
            AuditObjectType.PERSON,
            action=AuditAction.SEARCH,
            reason=f"person search for a person of interest: {len(found)} found",
        )
    posted = _posted(request)
    choose_form = forms.ChoosePersonForm(posted if step == "choose" else None, found=found)
    new_form = forms.NewPersonForm(posted if step == "create" else None)
    form: forms.ChoosePersonForm | forms.NewPersonForm | None = None
    if step == "choose":
        form = choose_form
    elif step == "create":
        form = new_form
    if form is not None and form.is_valid():
        try:
            poi = services.add_person_of_interest(
                actor=request.user, **form.service_fields(form.cleaned_data)
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Person of interest added")
            return redirect("intelligence:person", public_id=poi.public_id)
    context = {
        "choose_form": choose_form,
        "new_form": new_form,
        "error_list": form.error_list if form is not None else [],
        "query": query,
        "found": found,
    }
    return render(request, "intelligence/person_form.html", context)


@login_required
@require_POST
def person_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Close an active person of interest, or reopen a closed one, with the reason why (the
    form is on their page; a refused post shows the page again with the problem, or with
    another officer's changes if they saved first)."""
    poi: PersonOfInterest = found_or_404(selectors.person_of_interest(public_id))
    require_logged(request, Action.INTEL_RECORD, poi, AuditObjectType.PERSON_OF_INTEREST)
    to_status = str(request.POST.get("status", "")).strip()
    form = forms.StatusForm(request.POST, to_status=to_offer(poi))
    form.is_valid()
    read_version = form.cleaned_data["version"]
    try:
        change = status_changes.change_status(
            actor=request.user,
            person_of_interest=poi,
            to_status=to_status,
            reason=form.cleaned_data[status_changes.STATUS_REASON],
            read_version=read_version,
        )
    except StaleEdit as exc:
        poi.refresh_from_db()
        # If they were already closed (or reopened) by the other officer, the page offers the
        # opposite form, which the reason typed for this one does not belong in.
        if poi.status != to_status:
            form.carry_version(poi.version)
            return person_page(request, poi, status_form=form, stale=exc)
        return person_page(request, poi, stale=exc)
    except Refused as exc:
        poi.refresh_from_db()
        form.refuse(exc)
        return person_page(request, poi, status_form=form, version=read_version)
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
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    read_version = form.cleaned_data["version"]
    try:
        changed = status_changes.edit_reason(
            actor=request.user,
            person_of_interest=poi,
            reason=form.cleaned_data["reason"],
            read_version=read_version,
        )
    except StaleEdit as exc:
        poi.refresh_from_db()
        form.carry_version(poi.version)
        return person_page(request, poi, reason_form=form, stale=exc)
    except Refused as exc:
        form.refuse(exc)
        return person_page(request, poi, reason_form=form, version=read_version)
    if changed:
        messages.success(request, "Why they are of interest updated")
    return redirect("intelligence:person", public_id=poi.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def location_new(request: HttpRequest) -> HttpResponse:
    """Add a location."""
    require(request.user, Action.INTEL_RECORD)
    form = forms.LocationForm(_posted(request))
    done = _then(request, "Location added", "intelligence:location")
    return _save(request, form, services.add_location, done) or _page(
        request, "intelligence/location_form.html", form
    )


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_new(request: HttpRequest) -> HttpResponse:
    """Add a vehicle (linked to the licensing register when it holds the VRM)."""
    require(request.user, Action.INTEL_RECORD)
    form = forms.VehicleForm(_posted(request))
    done = _then(request, "Vehicle added", "intelligence:vehicle")
    return _save(request, form, services.add_vehicle, done) or _page(
        request, "intelligence/vehicle_form.html", form
    )


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
    initial: dict[str, Any] = {}
    if request.method == "GET":
        initial = _prefill(
            request,
            {"poi": "person_reference", "location": "location_reference", "vehicle": "vrm"},
        )
    form = forms.AssociationForm(_posted(request), initial=initial)

    def done(made: Association) -> HttpResponse:
        return _recorded(request, "Association recorded", _landing(made))

    return _save(request, form, services.record_association, done) or _page(
        request, "intelligence/association_form.html", form
    )


@login_required
@require_http_methods(["GET", "POST"])
def disruption_new(request: HttpRequest) -> HttpResponse:
    """Record a disruption against a person or a place (a CAWN names the child)."""
    require(request.user, Action.DISRUPTION_RECORD)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        initial = _prefill(request, {"poi": "subject_reference", "location": "location_reference"})
        initial.setdefault("outcome", DisruptionOutcome.PENDING)
    form = forms.DisruptionForm(_posted(request), initial=initial)

    def done(made: Disruption) -> HttpResponse:
        return _recorded(request, f"{made.get_kind_display()} recorded", _after_disruption(made))

    return _save(request, form, disruptions.record_disruption, done) or _page(
        request, "intelligence/disruption_form.html", form
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
    form = forms.OutcomeForm(
        _posted(request),
        initial={"outcome": done.outcome, "version": done.version},
        disruption=done,
    )
    stale: StaleEdit | None = None
    if request.method == "POST" and form.is_valid():
        try:
            disruptions.update_disruption_outcome(
                actor=request.user,
                disruption=done,
                read_version=form.cleaned_data["version"],
                **form.change(form.cleaned_data),
            )
        except StaleEdit as exc:
            stale = exc
            done.refresh_from_db()
            form.carry_version(done.version)
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Outcome recorded")
            return _after_disruption(done)
    response = _page(request, "intelligence/outcome_form.html", form, disruption=done, stale=stale)
    if stale is not None:
        response.status_code = 409
    return response
