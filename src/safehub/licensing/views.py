"""Licensing officers' pages: find a driver, their record, checks and training (decisions,
alerts and reports are in `decision_views`).

Thin: parse, ask the policy, call one service or selector. Opening a driver's record is
written to the access log.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.licensing import config, rules, selectors, services
from safehub.licensing.choices import BadgeType, RegisterResult
from safehub.licensing.models import Driver, DriverDbsCheck
from safehub.policy import Action, require
from safehub.refusals import Refused
from safehub.workforce import forms, record_forms
from safehub.workforce.choices import DbsLevel
from safehub.workforce.rules import training_standing


def driver_or_404(public_id: Any) -> Driver:
    driver = selectors.driver_by_public_id(public_id)
    if driver is None:
        raise Http404("No such driver")
    return driver


def form_page(
    request: HttpRequest,
    template: str,
    driver: Driver | None,
    errors: dict,
    values: dict,
    **extra: Any,
) -> HttpResponse:
    context = {
        "driver": driver,
        "errors": errors,
        "error_list": forms.error_list(errors, values),
        "values": values,
        **extra,
    }
    return render(request, template, context, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Find a driver by name or badge number (posted, so names stay out of URLs and logs)."""
    require(request.user, Action.LICENSING_DRIVER_FIND)
    query = forms.text(request.POST, "q")
    drivers = selectors.find_drivers(query) if query else []
    if query:
        audited_read(
            request.user,
            AuditObjectType.DRIVER,
            action=AuditAction.SEARCH,
            reason=f"driver search: {len(drivers)} found",
        )
    return render(request, "licensing/find.html", {"query": query, "drivers": drivers})


@login_required
@require_http_methods(["GET", "POST"])
def driver_new(request: HttpRequest) -> HttpResponse:
    """Add an applicant (or a driver missing from the imported records)."""
    require(request.user, Action.LICENSING_DRIVER_RECORD)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        names = (
            "badge_number",
            "given_name",
            "family_name",
            "badge_type",
            "address_line1",
            "postcode",
        )
        values = {n: forms.text(request.POST, n) for n in names}
        dob = forms.date_field(request.POST, "date_of_birth", "Date of birth", errors, values)
        details = services.DriverDetails(
            badge_number=values["badge_number"].upper(),
            given_name=values["given_name"],
            family_name=values["family_name"],
            badge_type=values["badge_type"],
            date_of_birth=dob,
            address_line1=values["address_line1"],
            postcode=values["postcode"].upper(),
        )
        if not errors:
            try:
                driver = services.save_driver(details=details)
            except Refused as exc:
                errors = exc.errors
            else:
                messages.success(request, "Driver added")
                return redirect("licensing:driver", public_id=driver.public_id)
    return form_page(
        request, "licensing/driver_form.html", None, errors, values, badge_types=BadgeType.choices
    )


@login_required
@require_GET
def driver(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A driver's record: licences, DBS checks, training, register checks, decisions, alerts."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DRIVER_VIEW, found)
    audited_read(request.user, AuditObjectType.DRIVER, object_id=found.public_id)
    today = timezone.localdate()
    policy = config.policy()
    facts = selectors.facts_of(found)
    context = {
        "driver": found,
        "today": today,
        "licence": selectors.current_licence(found, today),
        "next_licence": selectors.next_licence(found, today),
        "dbs": rules.driver_dbs(facts, policy, today),
        "training": training_standing(facts.training, today),
        "register": rules.register_standing(facts, policy, today),
        "outcome": rules.licence_decision(facts, policy, today),
        "alerts": rules.expiry_alerts(facts, policy, today),
        "decisions": found.decisions.select_related("decided_by", "override_officer"),
        "policy": policy,
    }
    return render(request, "licensing/driver.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dbs_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a DBS check: the result only, never what was disclosed."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DRIVER_RECORD, found)
    return record_forms.dbs_check_page(
        request,
        _record_holder(found),
        partial(services.record_dbs, driver=found),
        initial={"level": DbsLevel.ENHANCED_BARRED.value},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_check(request: HttpRequest, public_id: Any, check_id: Any) -> HttpResponse:
    """Record a DBS Update Service status check of one of the driver's certificates."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DRIVER_RECORD, found)
    check = DriverDbsCheck.objects.filter(driver=found, public_id=check_id).first()
    if check is None:
        raise Http404("No such DBS check")
    return record_forms.status_check_page(
        request, _record_holder(found), check, partial(services.record_status_check, check=check)
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a course the driver completed."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DRIVER_RECORD, found)
    return record_forms.training_page(
        request, _record_holder(found), partial(services.record_training, driver=found)
    )


def _record_holder(driver: Driver) -> record_forms.RecordHolder:
    done_url = reverse("licensing:driver", kwargs={"public_id": driver.public_id})
    return record_forms.RecordHolder("driver", driver, done_url)


@login_required
@require_http_methods(["GET", "POST"])
def register_check(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a search of the national register of refusals and revocations (NR3S)."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DRIVER_RECORD, found)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {"result": forms.text(request.POST, "result")}
        checked_on = forms.date_field(
            request.POST, "checked_on", "Date of the check", errors, values
        )
        if not errors:
            try:
                services.record_register_check(
                    actor=signed_in_user(request),
                    driver=found,
                    checked_on=checked_on,
                    result=values["result"],
                    today=timezone.localdate(),
                )
            except Refused as exc:
                errors = exc.errors
            else:
                messages.success(request, "National register check recorded")
                return redirect("licensing:driver", public_id=found.public_id)
    return form_page(
        request,
        "licensing/register_check_form.html",
        found,
        errors,
        values,
        results=RegisterResult.choices,
    )
