"""Licensing decisions: grant or renew (the rule, and senior officers' overrides), refuse,
revoke, the national register list, the overrides report and the expiry alerts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.govuk_forms import is_uuid
from safehub.licensing import config, selectors, services
from safehub.licensing.choices import AlertKind
from safehub.licensing.forms import DecisionForm, GrantForm
from safehub.licensing.views import driver_or_404
from safehub.policy import Action, require
from safehub.refusals import Refused
from safehub.workforce import forms
from safehub.workforce.record_forms import posted


@login_required
@require_http_methods(["GET", "POST"])
def grant(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Grant or renew a licence. The rule refuses with its reasons; a senior officer may
    override it with a reason, which is logged and reported."""
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DECIDE, found)
    user = signed_in_user(request)
    today = timezone.localdate()
    form = GrantForm(posted(request), initial={"badge_type": found.badge_type})
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.grant_licence(
                actor=user,
                driver=found,
                badge_type=form.cleaned_data["badge_type"],
                today=today,
                override_reason=form.cleaned_data["override_reason"],
            )
        except services.LicenceRefused as exc:
            refused = exc.outcome
        except Refused as exc:
            form.refuse(exc)
        else:
            what = "renewed" if decision.kind == "renew" else "granted"
            note = " against the rules: the override is recorded" if decision.is_override else ""
            messages.success(request, f"Licence {what}{note}")
            return redirect("licensing:driver", public_id=found.public_id)
    outcome = refused or selectors.outcome_for(found, today)
    context = {
        "driver": found,
        "form": form,
        "outcome": outcome,
        "refused": refused is not None,
        "renewal": found.licences.exists(),
        "senior": selectors.is_senior_officer(user),
    }
    return render(request, "licensing/grant.html", context)


def _decision_form(request: HttpRequest, public_id: Any, kind: str) -> HttpResponse:
    found = driver_or_404(public_id)
    require(request.user, Action.LICENSING_DECIDE, found)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        action = services.refuse_application if kind == "refuse" else services.revoke_licence
        try:
            action(
                actor=signed_in_user(request),
                driver=found,
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(
                request,
                f"{'Refusal' if kind == 'refuse' else 'Revocation'} recorded: enter it on the "
                "national register (NR3S)",
            )
            return redirect("licensing:driver", public_id=found.public_id)
    context = {"driver": found, "form": form, "kind": kind}
    return render(request, "licensing/decision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def refuse(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Refuse an application, with reasons; it goes on the list for the national register."""
    return _decision_form(request, public_id, "refuse")


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Revoke a current licence, with reasons; it goes on the list for the national register."""
    return _decision_form(request, public_id, "revoke")


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    """Drivers with a DBS check, status check, training or licence expired or expiring soon."""
    require(request.user, Action.LICENSING_ALERTS_VIEW)
    kind = forms.text(request.GET, "kind")
    kind = kind if kind in AlertKind.values else ""
    today = timezone.localdate()
    rows = selectors.expiry_alerts(today, kind=kind)
    context = {
        "rows": rows,
        "kind": kind,
        "kinds": AlertKind.choices,
        "days": config.policy().alert_days,
        "today": today,
    }
    return render(request, "licensing/alerts.html", context)


@login_required
@require_GET
def overrides(request: HttpRequest) -> HttpResponse:
    """Every licence granted or renewed against the rules: who, when, why."""
    require(request.user, Action.LICENSING_REPORTS_VIEW)
    return render(request, "licensing/overrides.html", {"decisions": selectors.overrides()})


@login_required
@require_http_methods(["GET", "POST"])
def register_pending(request: HttpRequest) -> HttpResponse:
    """Refusals and revocations to enter on the national register; mark each when entered."""
    require(request.user, Action.LICENSING_REPORTS_VIEW)
    if request.method == "POST":
        raw = forms.text(request.POST, "decision")
        decision = selectors.decision_by_public_id(raw) if is_uuid(raw) else None
        if decision is None:
            raise Http404("No such decision")
        require(request.user, Action.LICENSING_DECIDE, decision)
        services.mark_recorded_on_register(
            actor=signed_in_user(request), decision=decision, today=timezone.localdate()
        )
        messages.success(request, "Marked as entered on the national register")
        return redirect("licensing:register_pending")
    return render(
        request, "licensing/register_pending.html", {"decisions": selectors.register_pending()}
    )
