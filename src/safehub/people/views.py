"""A person's record: details, screenings, referrals and who has looked at it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.audit.selectors import access_events_for_person
from safehub.govuk_forms import ChoiceField, DateField, GovukForm, text
from safehub.people.config import break_glass_periods
from safehub.people.grant_selectors import break_glass_awaiting_review, grants_on_person
from safehub.people.models import AccessGrant
from safehub.people.sections import sections_for
from safehub.people.selectors import person_by_public_id
from safehub.people.services import (
    break_glass,
    confirm_break_glass,
    confirmed_end_limits,
    end_break_glass,
)
from safehub.policy import Action, decide, require
from safehub.refusals import Refused


class BreakGlassForm(GovukForm):
    """The reason for opening a restricted record in an emergency."""

    reason = text("Why do you need to see this record now?", rows=4)


@login_required
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_by_public_id(public_id)
    if person is None:
        raise Http404("No such person")
    decision = decide(request.user, Action.PERSON_VIEW, person)
    if not decision.allowed:
        audited_read(
            request.user,
            AuditObjectType.PERSON,
            action=AuditAction.DENIED,
            object_id=person.public_id,
            person_id=person.pk,
            reason=decision.reason,
        )
        if decide(request.user, Action.PERSON_BREAK_GLASS, person).allowed:
            return redirect("people:break_glass", public_id=person.public_id)
        require(request.user, Action.PERSON_VIEW, person)
    audited_read(
        request.user, AuditObjectType.PERSON, object_id=person.public_id, person_id=person.pk
    )
    now = timezone.now()
    context: dict[str, object] = {
        "person": person,
        "age": person.age_on(timezone.localdate(now)),
        "grants": grants_on_person(person.pk, at=now),
        "addresses": list(person.addresses.all()),
        "access_events": list(access_events_for_person(person.pk)),
    }
    context["section_templates"], section_context = sections_for(person, signed_in_user(request))
    context.update(section_context)
    return render(request, "people/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Emergency access to a restricted record: a reason, flagged for a manager's review."""
    person = person_by_public_id(public_id)
    if person is None:
        raise Http404("No such person")
    require(request.user, Action.PERSON_BREAK_GLASS, person)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass(
                actor=signed_in_user(request), person=person, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            return redirect("people:detail", public_id=person.public_id)
    context = {"person": person, "form": form, "hours": break_glass_periods().hours}
    return render(request, "people/break_glass.html", context)


REVIEW_ACTIONS = (
    ("end", "End the access now"),
    ("confirm", "Confirm the access until a date"),
)
CHOOSE_ACTION = "Choose whether to end or confirm the access"


class BreakGlassReviewForm(GovukForm):
    """A manager's review of one break-glass access. One per access on the page, each with
    the access's own prefix (`for_grant`), so every field's id is unique on the page."""

    action = ChoiceField(
        label="Your decision",
        options=REVIEW_ACTIONS,
        error_messages={"required": CHOOSE_ACTION, "invalid_choice": CHOOSE_ACTION},
    )
    until = DateField(label="If you confirm: until when (optional)", called="The end date")
    note = text("Your review", hint="Was the access justified? What did you conclude?", rows=2)

    @classmethod
    def for_grant(
        cls, grant: AccessGrant, ends: tuple[date, date], data: Any = None
    ) -> BreakGlassReviewForm:
        form = cls(data, prefix=f"review-{grant.pk}")
        default_end, latest_end = (dateformat.format(d, "j F Y") for d in ends)
        form.fields["until"].help_text = (
            f"The access lasts to the end of that day. Leave blank for {default_end}. "
            f"At most {latest_end}."
        )
        return form

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") != "confirm":
            self.errors.pop("until", None)  # the date only counts when the access is confirmed
        return data


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_reviews(request: HttpRequest) -> HttpResponse:
    """Break-glass accesses waiting for a manager's review; end or confirm each, with a note."""
    require(request.user, Action.BREAK_GLASS_REVIEW)
    now = timezone.now()
    ends = confirmed_end_limits(now)
    posted: BreakGlassReviewForm | None = None
    reviewed = None
    if request.method == "POST":
        pk = request.POST.get("grant", "")
        known = pk.isdecimal() and len(pk) < 19
        reviewed = AccessGrant.objects.filter(pk=int(pk)).first() if known else None
        if reviewed is None:
            raise Http404("No such access")
        posted = BreakGlassReviewForm.for_grant(reviewed, ends, request.POST)
        if posted.is_valid():
            try:
                done = _review(request, reviewed, posted.cleaned_data)
            except Refused as exc:
                posted.refuse(exc)
            else:
                messages.success(request, done)
                return redirect("people:break_glass_reviews")
    grants = break_glass_awaiting_review()
    for grant in grants:
        audited_read(
            request.user,
            AuditObjectType.BREAK_GLASS_REVIEW,
            object_id=grant.pk,
            person_id=grant.person_id,
        )
    context = {
        "reviews": [
            (g, posted if posted and g == reviewed else BreakGlassReviewForm.for_grant(g, ends))
            for g in grants
        ],
        "now": now,
        "error_list": posted.error_list if posted else [],
        "latest_end": ends[1],
    }
    status = 400 if context["error_list"] else 200
    return render(request, "people/break_glass_reviews.html", context, status=status)


def _review(request: HttpRequest, grant: AccessGrant, answers: Mapping[str, Any]) -> str:
    """End or confirm one break-glass access as the review form says, and say what was done.
    Raises Refused."""
    actor = signed_in_user(request)
    note = answers["note"]
    if answers["action"] == "end":
        end_break_glass(actor=actor, grant=grant, note=note)
        return "Review recorded: the access has ended."
    grant = confirm_break_glass(actor=actor, grant=grant, note=note, until=answers["until"])
    assert grant.expires_at is not None
    ends = timezone.localtime(grant.expires_at)
    return f"Review recorded: the access is confirmed until {ends:%H:%M} on {ends:%d %B %Y}."
