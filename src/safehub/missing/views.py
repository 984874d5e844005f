"""Missing episodes: find the child, their missing history, record an episode, the return,
and the return home interview. Thin: parse, ask the policy, call a service or selector."""

from __future__ import annotations

from datetime import date, timedelta
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
from safehub.drafts.selectors import draft_as_post, draft_for
from safehub.govuk_forms import GovukForm
from safehub.missing import forms, rules, selectors
from safehub.missing.models import MissingEpisode
from safehub.missing.services import (
    record_episode,
    record_episode_for_new_child,
    record_found,
    record_return_interview,
)
from safehub.people import front_door
from safehub.people.forms import PersonDetailsForm
from safehub.people.models import Person
from safehub.people.selectors import person_by_public_id
from safehub.people.services import record_match_check
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


JOURNEY = front_door.Journey.MISSING
# What was typed to find the child, kept (server-side, in the session) for the page that adds
# a child new to Safehub, with the children the user said were not this one.
NEW_CHILD_KEY = "missing.new_child"
RESTRICTED_CHOSEN = (
    "This child's record is restricted: ask a CSE manager for access, then record the episode"
)


@login_required
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Find the child: the likely matches for what was typed (name, date of birth and why
    each matches); choose one to record the episode, or add a child new to Safehub."""
    require(request.user, Action.MISSING_EPISODE_RECORD)
    if request.method == "GET":
        return render(request, "missing/find.html", {"form": forms.FindChildForm()})
    form = forms.FindChildForm(request.POST)
    if not form.is_valid():
        return render(request, "missing/find.html", {"form": form})
    typed = form.cleaned_data
    user = signed_in_user(request)
    offered = front_door.offer(
        user,
        given_name=typed["given_name"],
        family_name=typed["family_name"],
        date_of_birth=typed["date_of_birth"],
        nhs_number=typed["nhs_number"],
    )
    if not offered:
        _keep_typed(request, typed, offered=[], found_none=True)
        return redirect("missing:new_child")
    posted = request.POST if "shown" in request.POST else None
    match_form = front_door.MatchForm(posted, offered=offered, journey=JOURNEY)
    if posted is not None and match_form.is_valid():
        chosen = match_form.chosen
        if chosen is None:
            _keep_typed(request, typed, offered=offered)
            return redirect("missing:new_child")
        front_door.audit_chosen(user, chosen, journey=JOURNEY)
        if allows(user, Action.MISSING_EPISODE_RECORD, chosen):
            record_match_check(actor=user, answer=match_form.answer(), person=chosen)
            return redirect("missing:new_episode", public_id=chosen.public_id)
        match_form.add_error("person", RESTRICTED_CHOSEN)
    return _match_page(request, match_form, offered)


def _keep_typed(
    request: HttpRequest,
    typed: dict[str, Any],
    *,
    offered: list[front_door.Offered],
    found_none: bool = False,
) -> None:
    request.session[NEW_CHILD_KEY] = {
        "given_name": typed["given_name"],
        "family_name": typed["family_name"],
        "date_of_birth": typed["date_of_birth"].isoformat(),
        "nhs_number": typed["nhs_number"],
        "shown": [str(o.person.public_id) for o in offered],
        "found_none": found_none,
    }


def _match_page(
    request: HttpRequest, form: front_door.MatchForm, offered: list[front_door.Offered]
) -> HttpResponse:
    """ "Is this the child who is missing?", carrying what was typed to the next post."""
    front_door.audit_offered(request.user, offered, journey=JOURNEY)
    kept = ("csrfmiddlewaretoken", "person", "shown")
    carried = [(k, v) for k, values in request.POST.lists() if k not in kept for v in values]
    context = {"form": form, "carried": carried, "action": request.path}
    return render(request, "missing/match.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_child(request: HttpRequest) -> HttpResponse:
    """Add a child Safehub does not know and record the episode (the police's first
    notification). The front door asks again about the details as sent: a child it offers that
    the user has not already said is not this one must be answered first."""
    require(request.user, Action.MISSING_CHILD_ADD)
    user = signed_in_user(request)
    kept: dict[str, Any] = request.session.get(NEW_CHILD_KEY) or {}
    if request.method == "GET":
        if (draft := draft_for(user, request.path)) is not None:
            data = draft_as_post(draft)
            child = PersonDetailsForm(data, as_draft=True)
            episode = forms.EpisodeForm(data, as_draft=True)
        else:
            child, episode = PersonDetailsForm(initial=_typed_initial(kept)), forms.EpisodeForm()
        return _new_child_page(request, child, episode, kept)
    child = PersonDetailsForm(request.POST)
    episode = forms.EpisodeForm(request.POST)
    valid = [child.is_valid(), episode.is_valid()]
    if not all(valid) or child.details is None:
        return _new_child_page(request, child, episode, kept)
    offered = front_door.offer_for(user, child.details)
    if "shown" in request.POST:
        match_form = front_door.MatchForm(request.POST, offered=offered, journey=JOURNEY)
        if not match_form.is_valid():
            return _match_page(request, match_form, offered)
        chosen = match_form.chosen
        answer = match_form.answer()
        if chosen is not None:
            front_door.audit_chosen(user, chosen, journey=JOURNEY)
            if not allows(user, Action.MISSING_EPISODE_RECORD, chosen):
                match_form.add_error("person", RESTRICTED_CHOSEN)
                return _match_page(request, match_form, offered)
            try:
                record_episode(
                    actor=user, person=chosen, details=episode.details(), match_answer=answer
                )
            except Refused as exc:
                episode.refuse(exc)
                return _new_child_page(request, child, episode, kept)
            return _recorded(request, chosen, "The episode was recorded.")
    else:
        confirmed = set(kept.get("shown") or [])
        if not {str(o.person.public_id) for o in offered} <= confirmed:
            return _match_page(
                request, front_door.MatchForm(offered=offered, journey=JOURNEY), offered
            )
        answer = front_door.answer_without_asking(journey=JOURNEY, shown=len(confirmed))
    try:
        recorded = record_episode_for_new_child(
            actor=user, child=child.details, details=episode.details(), match_answer=answer
        )
    except Refused as exc:
        _refuse_either(exc, child, episode)
        return _new_child_page(request, child, episode, kept)
    return _recorded(request, recorded.person, "The child was added and the episode recorded.")


def _typed_initial(kept: dict[str, Any]) -> dict[str, Any]:
    if not kept:
        return {}
    initial = {k: kept.get(k, "") for k in ("given_name", "family_name", "nhs_number")}
    initial["date_of_birth"] = date.fromisoformat(kept["date_of_birth"])
    return initial


def _refuse_either(exc: Refused, *pages: GovukForm) -> None:
    """A refusal's messages beside the fields of whichever form has them (the rest on the
    last form, at the top)."""
    for name, message in exc.errors.items():
        page = next((p for p in pages if name in p.fields), pages[-1])
        page.add_error(name if name in page.fields else None, message)


def _new_child_page(
    request: HttpRequest, child: GovukForm, episode: GovukForm, kept: dict[str, Any]
) -> HttpResponse:
    context = {
        "child_form": child,
        "episode_form": episode,
        "errors": [*child.error_list, *episode.error_list],
        "found_none": bool(kept.get("found_none")),
    }
    return render(request, "missing/new_child.html", context)


def _recorded(request: HttpRequest, person: Person, message: str) -> HttpResponse:
    request.session.pop(NEW_CHILD_KEY, None)
    messages.success(request, message)
    return redirect("missing:person", public_id=person.public_id)


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
