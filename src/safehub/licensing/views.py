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
from safehub.licensing.forms import DriverForm, RegisterCheckForm
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
    form = DriverForm(record_forms.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            driver = services.save_driver(details=form.details())
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Driver added")
            return redirect("licensing:driver", public_id=driver.public_id)
    return render(request, "licensing/driver_form.html", {"driver": None, "form": form})


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
    form = RegisterCheckForm(record_forms.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_register_check(
                actor=signed_in_user(request),
                driver=found,
                checked_on=form.cleaned_data["checked_on"],
                result=form.cleaned_data["result"],
                today=timezone.localdate(),
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "National register check recorded")
            return redirect("licensing:driver", public_id=found.public_id)
    return render(request, "licensing/register_check_form.html", {"driver": found, "form": form})
