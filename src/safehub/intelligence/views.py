"""Police intelligence pages: search and lists, a person of interest, a location, a vehicle
and an association (the forms that record them are in `record_views`).

Thin: parse, ask the policy, call one service or selector. Police roles only; every page that
shows intelligence (a list, a search, a record) writes an access-log row, and so does a refusal
of a record. Searches are posted, so names stay out of URLs and logs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.intelligence import forms, selectors
from safehub.intelligence.choices import PoiStatus
from safehub.intelligence.models import Association, Location, PersonOfInterest, Vehicle
from safehub.policy import Action, allows, require
from safehub.versioning import StaleEdit

HOME_LIST = 50


def require_logged(
    request: HttpRequest, action: Action, obj: Any, object_type: AuditObjectType
) -> None:
    """The policy's answer; a refusal of a record is written to the access log too."""
    try:
        require(request.user, action, obj)
    except PermissionDenied:
        person_id = getattr(obj, "person_id", None) or getattr(obj, "subject_id", None)
        audited_read(
            request.user,
            object_type,
            action=AuditAction.DENIED,
            object_id=obj.public_id,
            person_id=person_id,
        )
        raise


def found_or_404(obj: Any) -> Any:
    if obj is None:
        raise Http404("No such record")
    return obj


def log_view(
    request: HttpRequest, object_type: AuditObjectType, obj: Any, person_id: int | None = None
) -> None:
    audited_read(request.user, object_type, object_id=obj.public_id, person_id=person_id)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """Search (name, police reference, VRM, postcode, place name) and the lists."""
    require(request.user, Action.INTEL_FIND)
    # A search box, not data entry: one trimmed value.
    query = str(request.POST.get("q", "")).strip() if request.method == "POST" else ""
    results = selectors.search(query) if query else None
    if results is not None:
        audited_read(
            request.user,
            AuditObjectType.INTELLIGENCE,
            action=AuditAction.SEARCH,
            reason=f"intelligence search: {results.count} found",
        )
    status = request.GET.get("status", "")
    status = status if status in PoiStatus.values else ""
    persons = selectors.persons_of_interest(status)
    places = selectors.locations()
    cars = selectors.vehicles()
    audited_read(
        request.user,
        AuditObjectType.INTELLIGENCE,
        action=AuditAction.SEARCH,
        reason="intelligence lists",
    )
    context = {
        "query": query,
        "results": results,
        "persons": persons[:HOME_LIST],
        "persons_total": persons.count(),
        "status": status,
        "statuses": PoiStatus.choices,
        "locations": places[:HOME_LIST],
        "locations_total": places.count(),
        "vehicles": cars[:HOME_LIST],
        "vehicles_total": cars.count(),
        "limit": HOME_LIST,
        "can_record": allows(request.user, Action.INTEL_RECORD),
    }
    return render(request, "intelligence/home.html", context)


@login_required
@require_GET
def person(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A person of interest: details, associations with grading, children and others they are
    linked to, vehicles, locations and the disruption against them."""
    poi: PersonOfInterest = found_or_404(selectors.person_of_interest(public_id))
    require_logged(request, Action.INTEL_VIEW, poi, AuditObjectType.PERSON_OF_INTEREST)
    return person_page(request, poi)


def to_offer(poi: PersonOfInterest) -> str:
    """The status the page offers to change to: close an active one, reopen a closed one."""
    return PoiStatus.CLOSED if poi.status == PoiStatus.ACTIVE else PoiStatus.ACTIVE


def person_page(
    request: HttpRequest,
    poi: PersonOfInterest,
    *,
    reason_form: forms.ReasonForm | None = None,
    status_form: forms.StatusForm | None = None,
    version: int | None = None,
    stale: StaleEdit | None = None,
) -> HttpResponse:
    """The person of interest page (the caller has checked the policy), with the close or
    reopen and the reason forms' problems when a post was refused (then a 400), or another
    officer's changes when it was stale (then a 409). A form not posted carries `version`
    (by default the one saved)."""
    log_view(request, AuditObjectType.PERSON_OF_INTEREST, poi, poi.person_id)
    today = timezone.localdate()
    who = poi.person
    links = selectors.associations_of_person(who)
    linked = selectors.linked_people(links, today, leave_out=who)
    young = selectors.children(linked)
    shown = poi.version if version is None else version
    reason_form = reason_form or forms.ReasonForm(initial={"version": shown, "reason": poi.reason})
    status_form = status_form or forms.StatusForm(
        initial={"version": shown}, to_status=to_offer(poi)
    )
    error_list = reason_form.error_list + status_form.error_list
    context = {
        "poi": poi,
        "who": who,
        "age": selectors.age_on(who.date_of_birth, today),
        "address": who.current_address(),
        "associations": selectors.association_rows(links),
        "children": young,
        "adults": [lp for lp in linked if lp not in young],
        "vehicles": selectors.vehicles_of_person(who, links),
        "locations": selectors.locations_of(links),
        "disruptions": selectors.disruptions_of_person(who),
        "status_changes": selectors.status_changes(poi),
        "is_active": poi.status == PoiStatus.ACTIVE,
        "reason_form": reason_form,
        "status_form": status_form,
        "error_list": error_list,
        "stale": stale,
        "can_record": allows(request.user, Action.INTEL_RECORD, poi),
        "can_disrupt": allows(request.user, Action.DISRUPTION_RECORD, poi),
    }
    status = 409 if stale is not None else 400 if error_list else 200
    return render(request, "intelligence/person.html", context, status=status)


@login_required
@require_GET
def location(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A place: associations, who was seen there, missing children found there, disruption."""
    place: Location = found_or_404(selectors.location(public_id))
    require_logged(request, Action.INTEL_VIEW, place, AuditObjectType.INTEL_LOCATION)
    log_view(request, AuditObjectType.INTEL_LOCATION, place)
    today = timezone.localdate()
    links = selectors.associations_of_location(place)
    context = {
        "place": place,
        "associations": selectors.association_rows(links),
        "seen": selectors.linked_people(links, today),
        "found_here": selectors.missing_found_at(place),
        "disruptions": selectors.disruptions_at(place),
        "can_record": allows(request.user, Action.INTEL_RECORD, place),
        "can_disrupt": allows(request.user, Action.DISRUPTION_RECORD, place),
    }
    return render(request, "intelligence/location.html", context)


@login_required
@require_GET
def vehicle(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A vehicle: keeper, the licensing register's plate and driver badge, associations."""
    car: Vehicle = found_or_404(selectors.vehicle(public_id))
    require_logged(request, Action.INTEL_VIEW, car, AuditObjectType.INTEL_VEHICLE)
    log_view(request, AuditObjectType.INTEL_VEHICLE, car, car.keeper_id)
    licensed = car.licensed_vehicle
    context = {
        "car": car,
        "keeper_poi": PersonOfInterest.objects.filter(person_id=car.keeper_id).first()
        if car.keeper_id
        else None,
        "plate": licensed.plate_number if licensed else "",
        "badge": licensed.driver.badge_number if licensed and licensed.driver else "",
        "associations": selectors.association_rows(selectors.associations_of_vehicle(car)),
        "can_record": allows(request.user, Action.INTEL_RECORD, car),
    }
    return render(request, "intelligence/vehicle.html", context)


@login_required
@require_GET
def association(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One piece of intelligence: its two ends, date, source and grading."""
    found: Association = found_or_404(selectors.association(public_id))
    require_logged(request, Action.INTEL_VIEW, found, AuditObjectType.ASSOCIATION)
    log_view(request, AuditObjectType.ASSOCIATION, found, found.person_id)
    context = {"a": found, "row": selectors.association_rows([found])[0]}
    return render(request, "intelligence/association.html", context)
