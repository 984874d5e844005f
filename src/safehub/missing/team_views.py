"""The CSE team's pages: interviews due, alerts, collated findings, Philomena profiles and the
list of flagged locations."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.missing import config, forms, rules, selectors
from safehub.missing.team_services import (
    PROFILE_FIELDS,
    acknowledge_alert,
    add_flagged_location,
    remove_flagged_location,
    save_profile,
)
from safehub.missing.views import person_or_404, require_logged
from safehub.people.forms import date_from_parts
from safehub.people.models import Person
from safehub.policy import Action, PersonScope, allows, person_scope, require
from safehub.refusals import Refused
from safehub.versioning import StaleEdit

FINDINGS_DEFAULT_DAYS = 90


def _visible(scope: PersonScope, person: Person) -> bool:
    """Whether a list may show this child's name: the policy's person scope decides."""
    return scope.shows(person_id=person.pk, restricted=person.is_restricted)


@login_required
@require_GET
def rhi_due(request: HttpRequest) -> HttpResponse:
    """Return interviews due and overdue, soonest due first."""
    require(request.user, Action.MISSING_RHI_LIST)
    outstanding = selectors.rhi_outstanding()[:500]
    scope = person_scope(request.user)
    rows = [{"row": r, "visible": _visible(scope, r.episode.person)} for r in outstanding]
    audited_list(
        request.user,
        AuditObjectType.RETURN_INTERVIEWS_DUE,
        summary=len(rows),
        person_ids=[r.episode.person_id for r in outstanding if _visible(scope, r.episode.person)],
        reason="shown in the return interviews due",
    )
    overdue = sum(1 for r in outstanding if r.clock.status == rules.RhiStatus.OVERDUE)
    return render(request, "missing/rhi_due.html", {"rows": rows, "overdue": overdue})


@login_required
@require_http_methods(["GET", "POST"])
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts raised by the missing triggers; acknowledge each once it has been looked at."""
    require(request.user, Action.MISSING_ALERT_VIEW)
    error = None
    if request.method == "POST":
        alert = selectors.alert_by_public_id(str(request.POST.get("alert", "")))
        if alert is None:
            raise Http404("No such alert")
        require_logged(request, Action.MISSING_ALERT_ACKNOWLEDGE, alert, alert.person)
        try:
            acknowledge_alert(actor=signed_in_user(request), alert=alert)
        except Refused as exc:
            error = exc.message
        else:
            messages.success(request, "The alert was acknowledged.")
            return redirect("missing:alerts")
    show_all = request.GET.get("show") == "all"
    listed = list(selectors.alerts(include_acknowledged=show_all)[:500])
    scope = person_scope(request.user)
    rows = [{"alert": a, "visible": _visible(scope, a.person)} for a in listed]
    audited_list(
        request.user,
        AuditObjectType.MISSING_ALERTS,
        summary=len(rows),
        person_ids=[a.person_id for a in listed if _visible(scope, a.person)],
        reason="shown in the missing alerts",
    )
    return render(
        request, "missing/alerts.html", {"rows": rows, "show_all": show_all, "error": error}
    )


def _period(request: HttpRequest) -> tuple[date, date, dict[str, str], dict[str, str]]:
    today = timezone.localdate()
    start, end = today - timedelta(days=FINDINGS_DEFAULT_DAYS), today
    errors: dict[str, str] = {}
    values = {
        f"{n}_{p}": str(request.GET.get(f"{n}-{p}", "")).strip()
        for n in ("start", "end")
        for p in ("day", "month", "year")
    }
    for name in ("start", "end"):
        raw, error = date_from_parts(request.GET, name)
        if error:
            errors[name] = error.replace("Date of birth", "The date")
        elif raw:
            if name == "start":
                start = date.fromisoformat(raw)
            else:
                end = date.fromisoformat(raw)
    if not errors and start > end:
        errors["end"] = "The end date must be the same as or after the start date"
    for name, value in (("start", start), ("end", end)):
        if not any(values[f"{name}_{p}"] for p in ("day", "month", "year")):
            values[f"{name}_day"] = str(value.day)
            values[f"{name}_month"] = str(value.month)
            values[f"{name}_year"] = str(value.year)
    return start, end, errors, values


@login_required
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    """Places and people named across children's episodes and interviews over a period."""
    require(request.user, Action.MISSING_FINDINGS_VIEW)
    start, end, errors, values = _period(request)
    rows: list[rules.Finding] = []
    hidden = 0
    small_numbers = allows(request.user, Action.MISSING_FINDINGS_SMALL_NUMBERS)
    minimum = config.findings_min_children()
    if not errors:
        rows = selectors.findings(start=start, end=end)
        if not small_numbers:
            rows, hidden = rules.suppress_small(rows, minimum)
    audited_list(
        request.user,
        AuditObjectType.MISSING_FINDINGS,
        summary=len(rows),
        summary_reason=f"{start.isoformat()} to {end.isoformat()}",
    )
    context = {
        "places": [r for r in rows if r.kind == "place"],
        "associates": [r for r in rows if r.kind == "associate"],
        "hidden": hidden,
        "minimum": minimum,
        "start": start,
        "end": end,
        "errors": errors,
        "error_list": [(f"{k}-day", v) for k, v in errors.items()],
        "values": values,
    }
    return render(request, "missing/findings.html", context)


@login_required
@require_GET
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    """The child's Philomena profile with their previous episodes: printable for the police."""
    person = person_or_404(public_id)
    require_logged(request, Action.MISSING_PROFILE_VIEW, person, person)
    audited_read(
        request.user,
        AuditObjectType.MISSING_PROFILE,
        object_id=person.public_id,
        person_id=person.pk,
    )
    found = selectors.profile_for(person.pk)
    context = {
        "person": person,
        "profile": found,
        "needs_review": found is not None and selectors.profile_needs_review(found),
        "review_days": config.profile_review_days(),
        "episodes": selectors.episodes_for_person(person.pk),
        "may_edit": allows(request.user, Action.MISSING_PROFILE_EDIT, person),
        "now": timezone.now(),
    }
    return render(request, "missing/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Fill in or update the child's Philomena profile. The form carries the version it was
    read at; if someone saved the profile since, the save is refused showing their changes,
    with what this user typed kept in the form."""
    person = person_or_404(public_id)
    require_logged(request, Action.MISSING_PROFILE_EDIT, person, person)
    stale: StaleEdit | None = None
    current = selectors.profile_for(person.pk)
    initial = {n: getattr(current, n, "") for n in PROFILE_FIELDS}
    initial["version"] = current.version if current is not None else 0
    form = forms.ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                save_profile(
                    actor=signed_in_user(request),
                    person=person,
                    details=form.details(),
                    read_version=form.cleaned_data["version"],
                )
            except StaleEdit as exc:
                stale = exc
                current = selectors.profile_for(person.pk)
                # What this user typed stays; the form now carries the version they were shown.
                data = request.POST.copy()
                data["version"] = str(current.version if current is not None else 0)
                form = forms.ProfileForm(data)
            except Refused as exc:
                form.refuse(exc)
            else:
                messages.success(request, "The profile was saved.")
                return redirect("missing:profile", public_id=person.public_id)
    else:
        audited_read(
            request.user,
            AuditObjectType.MISSING_PROFILE,
            object_id=person.public_id,
            person_id=person.pk,
        )
    context = {"person": person, "form": form, "stale": stale}
    return render(request, "missing/profile_form.html", context, status=409 if stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def flagged_locations(request: HttpRequest) -> HttpResponse:
    """The CSE team's list of exploitation-linked places: add or remove one."""
    require(request.user, Action.MISSING_FLAGGED_LOCATIONS_MANAGE)
    form = forms.FlaggedLocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        actor = signed_in_user(request)
        try:
            if request.POST.get("remove"):
                location = selectors.flagged_location_by_public_id(str(request.POST["remove"]))
                if location is None:
                    raise Http404("No such location")
                remove_flagged_location(actor=actor, location=location)
                messages.success(request, f"{location.name} was removed from the list.")
                return redirect("missing:flagged_locations")
            if form.is_valid():
                values = form.values()
                add_flagged_location(actor=actor, **values)
                messages.success(request, f"{values['name']} was added to the list.")
                return redirect("missing:flagged_locations")
        except Refused as exc:
            form.refuse(exc)
    context = {"locations": list(selectors.flagged_locations()), "form": form}
    return render(request, "missing/flagged_locations.html", context)
