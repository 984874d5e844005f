"""Awareness raising: campaigns, the sessions held, and the reach by audience and period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.policy import Action, allows, require
from safehub.refusals import Refused
from safehub.workforce import forms, selectors, services
from safehub.workforce.forms import AwarenessSessionForm, CampaignForm
from safehub.workforce.record_forms import posted


@login_required
@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    """Campaigns with their reach so far; those who record may add one."""
    require(request.user, Action.AWARENESS_VIEW)
    form = CampaignForm(posted(request))
    if request.method == "POST":
        require(request.user, Action.AWARENESS_RECORD)
        if form.is_valid():
            try:
                campaign = services.create_campaign(
                    actor=signed_in_user(request), **form.cleaned_data
                )
            except Refused as exc:
                form.refuse(exc)
            else:
                messages.success(request, "Campaign added")
                return redirect("workforce:campaign", public_id=campaign.public_id)
    context = {
        "campaigns": selectors.campaigns(),
        "may_record": allows(request.user, Action.AWARENESS_RECORD),
        "form": form,
    }
    return render(request, "workforce/campaigns.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A campaign's sessions; those who record may add a session held."""
    found = selectors.campaign_by_public_id(public_id)
    if found is None:
        raise Http404("No such campaign")
    require(request.user, Action.AWARENESS_VIEW, found)
    form = AwarenessSessionForm(posted(request), initial={"running_agency": found.running_agency})
    if request.method == "POST":
        require(request.user, Action.AWARENESS_RECORD, found)
        if form.is_valid():
            try:
                services.record_awareness_session(
                    actor=signed_in_user(request),
                    campaign=found,
                    details=form.details(),
                    today=timezone.localdate(),
                )
            except Refused as exc:
                form.refuse(exc)
            else:
                messages.success(request, "Session recorded")
                return redirect("workforce:campaign", public_id=found.public_id)
    context = {
        "campaign": found,
        "sessions": found.sessions.all(),
        "may_record": allows(request.user, Action.AWARENESS_RECORD, found),
        "form": form,
    }
    return render(request, "workforce/campaign.html", context)


def _date_param(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@login_required
@require_GET
def reach(request: HttpRequest) -> HttpResponse:
    """People reached by audience and quarter (or year) over a period: evidence for the plan."""
    require(request.user, Action.AWARENESS_VIEW)
    today = timezone.localdate()
    start = _date_param(forms.text(request.GET, "from"), date(today.year - 1, 1, 1))
    end = _date_param(forms.text(request.GET, "to"), today)
    by = "year" if forms.text(request.GET, "by") == "year" else "quarter"
    context = {
        "reach": selectors.reach(start, end, by=by),
        "start": start,
        "end": end,
        "by": by,
        "period_choices": [("quarter", "Quarter"), ("year", "Year")],
    }
    return render(request, "workforce/reach.html", context)
