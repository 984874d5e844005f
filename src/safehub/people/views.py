"""A person's record: details, screenings, referrals and who has looked at it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction
from safehub.audit.selectors import access_events_for_person
from safehub.audit.services import record_access
from safehub.linkage.selectors import linked_records_for_person
from safehub.people.models import AccessGrant
from safehub.people.selectors import person_by_public_id
from safehub.people.services import InvalidPersonDetails, break_glass, review_break_glass
from safehub.policy import Action, decide, require
from safehub.screening.selectors import screenings_for_person


@login_required
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_by_public_id(public_id)
    if person is None:
        raise Http404("No such person")
    decision = decide(request.user, Action.PERSON_VIEW, person)
    if not decision.allowed:
        record_access(
            user=request.user,
            action=AuditAction.DENIED,
            object_type="person",
            object_id=person.public_id,
            person_id=person.pk,
            reason=decision.reason,
        )
        if decide(request.user, Action.PERSON_BREAK_GLASS, person).allowed:
            return redirect("people:break_glass", public_id=person.public_id)
        require(request.user, Action.PERSON_VIEW, person)
    record_access(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="person",
        object_id=person.public_id,
        person_id=person.pk,
    )
    context = {
        "person": person,
        "age": person.age_on(timezone.localdate()),
        "addresses": list(person.addresses.all()),
        "screenings": list(screenings_for_person(person.pk)),
        "referrals": list(
            person.referrals.select_related("referrer_agency").order_by("-received_at")
        ),
        "access_events": list(access_events_for_person(person.pk)),
        "linked_records": linked_records_for_person(person, request.user),
    }
    return render(request, "people/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Emergency access to a restricted record: a reason, flagged for a manager's review."""
    person = person_by_public_id(public_id)
    if person is None:
        raise Http404("No such person")
    require(request.user, Action.PERSON_BREAK_GLASS, person)
    error = None
    if request.method == "POST":
        try:
            break_glass(
                actor=signed_in_user(request), person=person, reason=request.POST.get("reason", "")
            )
        except InvalidPersonDetails as exc:
            error = exc.errors["reason"]
        else:
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/break_glass.html", {"person": person, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_reviews(request: HttpRequest) -> HttpResponse:
    """Break-glass accesses waiting for a manager's review; record each review."""
    require(request.user, Action.BREAK_GLASS_REVIEW)
    error = None
    if request.method == "POST":
        grant = AccessGrant.objects.filter(pk=request.POST.get("grant") or 0).first()
        if grant is None:
            raise Http404("No such access")
        try:
            review_break_glass(
                actor=signed_in_user(request), grant=grant, note=request.POST.get("note", "")
            )
        except InvalidPersonDetails as exc:
            error = exc.errors["note"]
        else:
            return redirect("people:break_glass_reviews")
    grants = list(
        AccessGrant.objects.filter(kind=AccessGrant.Kind.BREAK_GLASS, needs_review=True)
        .select_related("person", "user", "user__agency")
        .order_by("granted_at")[:200]
    )
    for grant in grants:
        record_access(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="break_glass_review",
            object_id=grant.pk,
            person_id=grant.person_id,
        )
    return render(request, "people/break_glass_reviews.html", {"grants": grants, "error": error})
