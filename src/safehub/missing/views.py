"""Missing episodes: find the child, their missing history, record an episode, the return,
and the return home interview. Thin: parse, ask the policy, call a service or selector."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.cases.selectors import open_case_for
from safehub.missing import forms, rules, selectors
from safehub.missing.models import MissingEpisode
from safehub.missing.services import (
    record_episode,
    record_found,
    record_return_interview,
)
from safehub.people.models import Person
from safehub.people.selectors import find_matching_people, person_by_public_id
from safehub.policy import Action, HasAccessFacts, allows, decide, require
from safehub.refusals import Refused
from safehub.screening.selectors import screenings_for_person


def require_logged(request: HttpRequest, action: Action, obj: HasAccessFacts, person: Any) -> None:
    """`require`, writing a refusal of a child's record to the access log first."""
    decision = decide(request.user, action, obj)
    if not decision.allowed:
        audited_read(
            request.user,
            AuditObjectType.MISSING_RECORD,
            action=AuditAction.DENIED,
            object_id=person.public_id,
            person_id=person.pk,
            reason=decision.reason,
        )
        raise PermissionDenied(decision.reason)


def person_or_404(public_id: str) -> Person:
    person = person_by_public_id(public_id)
    if person is None:
        raise Http404("No such person")
    return person


def episode_or_404(public_id: str) -> MissingEpisode:
    episode = selectors.episode_by_public_id(public_id)
    if episode is None:
        raise Http404("No such episode")
    return episode


def duration_label(duration: timedelta | None) -> str:
    """A duration as people say it: '45 minutes', '3 hours 10 minutes', '2 days 4 hours'."""
    if duration is None:
        return "Still missing"
    minutes = int(duration.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    text = " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)
    return text or "Less than a minute"


@login_required
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Find the child by last name and date of birth. Unknown children are not added here."""
    require(request.user, Action.MISSING_EPISODE_RECORD)
    form = forms.FindChildForm(request.POST if request.method == "POST" else None)
    candidates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        candidates = find_matching_people(
            family_name=form.cleaned_data["family_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
        if not candidates:
            form.add_error(
                "family_name",
                "No child with this last name and date of birth is known to Safehub. Check "
                "the details; a child new to the partnership is added by a screening or "
                "referral, not here",
            )
        for person in candidates:
            audited_read(
                request.user,
                AuditObjectType.PERSON,
                action=AuditAction.SEARCH,
                object_id=person.public_id,
                person_id=person.pk,
                reason="shown as a match when recording a missing episode",
            )
    rows = [
        {"person": p, "may_record": allows(request.user, Action.MISSING_EPISODE_RECORD, p)}
        for p in candidates
    ]
    return render(request, "missing/find.html", {"form": form, "rows": rows})


@login_required
@require_GET
def person_history(request: HttpRequest, public_id: str) -> HttpResponse:
    """A child's missing history: episodes, returns, interviews (with their clock), alerts."""
    person = person_or_404(public_id)
    require_logged(request, Action.MISSING_EPISODE_VIEW, person, person)
    audited_read(
        request.user,
        AuditObjectType.MISSING_HISTORY,
        object_id=person.public_id,
        person_id=person.pk,
    )
    now = timezone.now()
    episodes = selectors.episodes_for_person(person.pk)
    rows = [
        {
            "episode": e,
            "clock": selectors.clock_for(e, now=now),
            "interview": e.return_interview if selectors.has_interview(e) else None,
            "duration": duration_label(e.duration),
        }
        for e in episodes
    ]
    alerts = selectors.alerts_for_person(person.pk)
    open_alerts = [a for a in alerts if a.acknowledged_at is None]
    open_case = open_case_for(person.pk)
    prompt, screened_on = rules.screening_prompt(
        alerts_raised_on=[timezone.localdate(a.created_at) for a in open_alerts],
        screened_on=[timezone.localdate(s.submitted_at) for s in screenings_for_person(person.pk)],
        open_case=open_case is not None,
    )
    context = {
        "person": person,
        "rows": rows,
        "alerts": alerts,
        "open_alerts": open_alerts,
        "prompt": prompt.value,
        "screened_on": screened_on,
        "open_case": open_case
        if open_case is not None and allows(request.user, Action.CASE_VIEW, open_case)
        else None,
        "profile": selectors.profile_for(person.pk),
        "may_record": allows(request.user, Action.MISSING_EPISODE_RECORD, person),
        "may_interview": allows(request.user, Action.MISSING_RHI_LIST),
        "may_view_profile": allows(request.user, Action.MISSING_PROFILE_VIEW, person),
        "may_screen": allows(request.user, Action.SCREENING_CREATE),
        "missing_count": sum(1 for e in episodes if e.category == "missing"),
        "absent_count": sum(1 for e in episodes if e.category == "absent"),
    }
    return render(request, "missing/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_episode(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a new episode for a known child."""
    person = person_or_404(public_id)
    require_logged(request, Action.MISSING_EPISODE_RECORD, person, person)
    form = forms.EpisodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_episode(actor=signed_in_user(request), person=person, details=form.details())
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The episode was recorded.")
            return redirect("missing:person", public_id=person.public_id)
    _audit_form(request, AuditObjectType.MISSING_EPISODE_FORM, person.public_id, person.pk)
    return render(request, "missing/episode_form.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def found(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record when and where the child was found or came back."""
    episode = episode_or_404(public_id)
    require_logged(request, Action.MISSING_EPISODE_RECORD, episode, episode.person)
    form = forms.FoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_found(actor=signed_in_user(request), episode=episode, details=form.details())
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The return was recorded. A return interview is now due.")
            return redirect("missing:person", public_id=episode.person.public_id)
    _audit_form(request, AuditObjectType.MISSING_FOUND_FORM, episode.public_id, episode.person_id)
    context = {"episode": episode, "person": episode.person, "form": form}
    return render(request, "missing/found_form.html", context)


def _audit_form(
    request: HttpRequest, object_type: AuditObjectType, object_id: Any, person_id: int
) -> None:
    """A form naming the child is a view of the child's data: audit it."""
    audited_read(request.user, object_type, object_id=object_id, person_id=person_id)


@login_required
@require_http_methods(["GET", "POST"])
def return_interview(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the return home interview: offer, answer, interviewer, findings, concerns."""
    episode = episode_or_404(public_id)
    require_logged(request, Action.MISSING_RHI_RECORD, episode, episode.person)
    audited_read(
        request.user,
        AuditObjectType.RETURN_INTERVIEW,
        object_id=episode.public_id,
        person_id=episode.person_id,
    )
    form = forms.InterviewForm(
        request.POST or None,
        initial=forms.interview_initial(selectors.interview_for(episode)),
        interviewers=[u for u in selectors.interviewers() if u.pk != episode.recorded_by_id],
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = record_return_interview(
                actor=signed_in_user(request), episode=episode, details=form.details()
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            if result.interview.exploitation_concerns:
                messages.warning(
                    request,
                    "Exploitation concerns were recorded: the CSE team has been alerted. "
                    "Complete a CSE screening for this child now.",
                )
            else:
                messages.success(request, "The return interview was recorded.")
            return redirect("missing:person", public_id=episode.person.public_id)
    context = {
        "episode": episode,
        "person": episode.person,
        "clock": selectors.clock_for(episode),
        "form": form,
    }
    return render(request, "missing/rhi_form.html", context)
