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
from safehub.missing import forms, rules, selectors
from safehub.missing.choices import (
    DfECode,
    InterviewResponse,
    MissingFrom,
    PoliceCategory,
    PullFactor,
    PushFactor,
    RiskGrading,
)
from safehub.missing.models import MissingEpisode
from safehub.missing.services import (
    record_episode,
    record_found,
    record_return_interview,
)
from safehub.people.forms import date_from_parts
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


def error_list(errors: dict[str, str]) -> list[tuple[str, str]]:
    """Error summary links: date fields point at their day box."""
    dated = {"went_missing_at", "reported_at", "found_at", "offered_at", "completed_at"}
    return [(f"{k}-day" if k in dated else k, v) for k, v in errors.items()]


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
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    candidates: list[Person] | None = None
    if request.method == "POST":
        values = {
            "family_name": str(request.POST.get("family_name", "")).strip(),
            **{
                f"date_of_birth_{p}": str(request.POST.get(f"date_of_birth-{p}", "")).strip()
                for p in ("day", "month", "year")
            },
        }
        dob, dob_error = date_from_parts(request.POST, "date_of_birth")
        if not values["family_name"]:
            errors["family_name"] = "Enter the child's last name"
        if dob_error or not dob:
            errors["date_of_birth"] = dob_error or "Enter the child's date of birth"
        elif date.fromisoformat(dob) > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be in the past"
        if not errors:
            candidates = find_matching_people(
                family_name=values["family_name"], date_of_birth=date.fromisoformat(dob)
            )
            if not candidates:
                errors["family_name"] = (
                    "No child with this last name and date of birth is known to Safehub. Check "
                    "the details; a child new to the partnership is added by a screening or "
                    "referral, not here"
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
        for p in candidates or []
    ]
    context = {
        "errors": errors,
        "error_list": [
            ("date_of_birth-day" if k == "date_of_birth" else k, v) for k, v in errors.items()
        ],
        "values": values,
        "rows": rows,
    }
    return render(request, "missing/find.html", context)


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
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        details, errors, values = forms.episode_from_post(request.POST)
        try:
            if errors:
                raise Refused(errors)
            record_episode(actor=signed_in_user(request), person=person, details=details)
        except Refused as exc:
            errors = {**exc.errors, **errors}
        else:
            messages.success(request, "The episode was recorded.")
            return redirect("missing:person", public_id=person.public_id)
    _audit_form(request, AuditObjectType.MISSING_EPISODE_FORM, person.public_id, person.pk)
    context = {
        "person": person,
        "errors": errors,
        "error_list": error_list(errors),
        "values": values,
        "missing_from": MissingFrom.choices,
        "categories": PoliceCategory.choices,
        "dfe_codes": DfECode.choices,
        "risks": RiskGrading.choices,
    }
    return render(request, "missing/episode_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def found(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record when and where the child was found or came back."""
    episode = episode_or_404(public_id)
    require_logged(request, Action.MISSING_EPISODE_RECORD, episode, episode.person)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        details, errors, values = forms.found_from_post(request.POST)
        try:
            if errors:
                raise Refused(errors)
            record_found(actor=signed_in_user(request), episode=episode, details=details)
        except Refused as exc:
            errors = {**exc.errors, **errors}
        else:
            messages.success(request, "The return was recorded. A return interview is now due.")
            return redirect("missing:person", public_id=episode.person.public_id)
    _audit_form(request, AuditObjectType.MISSING_FOUND_FORM, episode.public_id, episode.person_id)
    context = {
        "episode": episode,
        "person": episode.person,
        "errors": errors,
        "error_list": error_list(errors),
        "values": values,
    }
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
    errors: dict[str, str] = {}
    interview = selectors.interview_for(episode)
    values: dict[str, Any] = _interview_values(interview)
    if request.method == "POST":
        details, errors, values = forms.interview_from_post(request.POST)
        try:
            if errors:
                raise Refused(errors)
            result = record_return_interview(
                actor=signed_in_user(request), episode=episode, details=details
            )
        except Refused as exc:
            errors = {**exc.errors, **errors}
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
        "errors": errors,
        "error_list": error_list(errors),
        "values": values,
        "responses": InterviewResponse.choices,
        "interviewers": [u for u in selectors.interviewers() if u.pk != episode.recorded_by_id],
        "push_choices": PushFactor.choices,
        "pull_choices": PullFactor.choices,
        "yes_no": [("yes", "Yes"), ("no", "No")],
    }
    return render(request, "missing/rhi_form.html", context)


def _interview_values(interview: Any) -> dict[str, Any]:
    """The stored interview as form values, so an update starts from what is there."""
    if interview is None:
        return {}

    def parts(at: Any) -> dict[str, str]:
        if at is None:
            return {}
        local = timezone.localtime(at)
        return {
            "day": str(local.day),
            "month": str(local.month),
            "year": str(local.year),
            "time": local.strftime("%H:%M"),
        }

    mentions = list(interview.mentions.all())
    return {
        "offered_at": parts(interview.offered_at),
        "completed_at": parts(interview.completed_at),
        "response": interview.response,
        "interviewer": str(interview.interviewer_id or ""),
        "outcome": interview.outcome,
        "push_factors": interview.push_factors,
        "pull_factors": interview.pull_factors,
        "exploitation_concerns": "yes" if interview.exploitation_concerns else "no",
        "concerns_detail": interview.concerns_detail,
        "places": "\n".join(
            f"{m.text}, {m.postcode}" if m.postcode else m.text
            for m in mentions
            if m.kind == "place"
        ),
        "associates": "\n".join(m.text for m in mentions if m.kind == "associate"),
    }
