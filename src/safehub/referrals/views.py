"""The MASH referral queue and a referral's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.drafts.selectors import draft_as_post, draft_for
from safehub.drafts.services import draft_fields, keep_draft
from safehub.govuk_forms import GovukForm
from safehub.people import front_door
from safehub.policy import (
    Action,
    allows,
    mark_masked,
    person_scope,
    require,
    shown_person_ids,
)
from safehub.referrals.forms import (
    AnswerForm,
    AskForm,
    DecideForm,
    MilestoneForm,
    RateForm,
    ReferralForm,
)
from safehub.referrals.models import Decision, Referral
from safehub.referrals.rules import (
    assessment_due,
    deadline_status,
    decision_due,
    england_and_wales_bank_holidays,
    icpc_due,
    needs_immediate_attention,
    rag_due,
)
from safehub.referrals.selectors import (
    QUEUE_ORDERS,
    QueueOrder,
    clock_settings,
    mash_queue,
    mash_queue_by_urgency,
    re_referral_flags,
    re_referral_of,
    referral_by_public_id,
    screening_severity,
)
from safehub.referrals.services import make_referral
from safehub.referrals.triage import (
    decide_referral,
    rate_referral,
    record_information_answer,
    record_milestone,
    request_information,
)
from safehub.refusals import Refused

QUEUE_PAGE_SIZE = 50


def waiting_label(seconds: float) -> str:
    """A waiting time as people say it: '45 minutes', '3 hours', '2 days 4 hours'."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days, rest = divmod(hours, 24)
    text = f"{days} day{'s' if days != 1 else ''}"
    return f"{text} {rest} hour{'s' if rest != 1 else ''}" if rest else text


def _referral_child(referral: Referral) -> object:
    return referral.person


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Referrals waiting for triage, the most urgent first by default (the higher risk, then
    the nearest due clock), or the longest waiting or the newest first, with how long each has
    waited. An unrated significant-risk screening is marked to look at now."""
    require(request.user, Action.REFERRAL_QUEUE_VIEW)
    asked = request.GET.get("order", "urgent")
    order: QueueOrder = asked if asked in QUEUE_ORDERS else "urgent"  # type: ignore[assignment]
    now = timezone.now()
    referrals = mash_queue_by_urgency(now) if order == "urgent" else list(mash_queue(order=order))
    # The counts cover the whole queue; the table shows one page of it.
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    summary = {"overdue": 0, "due_today": 0, "total": 0, "look_now": 0}
    for referral in referrals:
        received_at, rag = referral.received_at, referral.rag
        statuses = {deadline_status(decision_due(received_at, holidays, config), now)}
        if rag:
            statuses.add(deadline_status(rag_due(received_at, rag, holidays, config), now))
        summary["total"] += 1
        summary["overdue"] += "overdue" in statuses
        summary["due_today"] += "due_today" in statuses and "overdue" not in statuses
        severity = screening_severity(referral)
        referral.look_now = needs_immediate_attention(rag, severity)  # type: ignore[attr-defined]
        summary["look_now"] += referral.look_now  # type: ignore[attr-defined]
    page = Paginator(referrals, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = mark_masked(page.object_list, person_scope(request.user), _referral_child)
    # The flag tells the child's history: worked out for the rows shown in full only.
    flags = re_referral_flags([r for r in shown if not getattr(r, "masked", False)])
    rows = []
    for referral in shown:
        category = None
        if referral.screening is not None:
            category = referral.screening.tool().category(referral.screening.final_category)
        waited = (now - referral.received_at).total_seconds()
        rows.append(
            {
                "referral": referral,
                "category": category,
                "waiting": waiting_label(waited),
                "re_referral": flags.get(referral.pk),
                **referral_clocks(referral, now),
            }
        )
    audited_list(
        request.user,
        AuditObjectType.REFERRAL_QUEUE,
        summary=f"page {page.number}: {len(rows)}",
        person_ids=shown_person_ids(shown, _referral_child),
        reason="shown in the MASH queue",
    )
    context = {"rows": rows, "order": order, "summary": summary, "page": page}
    return render(request, "referrals/queue.html", context)


def referral_clocks(referral: Referral, now: datetime) -> dict[str, Any]:
    """The RAG and decision deadlines of a referral and where each stands now."""
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    decided = getattr(referral, "decision", None)
    decided_at = decided.decided_at if decided is not None else None
    due_decision = decision_due(referral.received_at, holidays, config)
    clocks: dict[str, Any] = {
        "decision_due": due_decision,
        "decision_status": deadline_status(due_decision, now, decided_at),
        "rag_due": None,
        "rag_status": "",
    }
    if referral.rag:
        due = rag_due(referral.received_at, referral.rag, holidays, config)
        clocks["rag_due"] = due
        clocks["rag_status"] = deadline_status(due, now, decided_at)
    return clocks


def _referral_or_404(public_id: str) -> Referral:
    referral = referral_by_public_id(public_id)
    if referral is None:
        raise Http404("No such referral")
    return referral


@login_required
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One referral, with the screening behind it and the triage. Audited; restricted records
    need a grant."""
    referral = _referral_or_404(public_id)
    require(request.user, Action.REFERRAL_VIEW, referral)
    return _render_detail(request, referral)


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    failed: tuple[str, GovukForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    audited_read(
        request.user,
        AuditObjectType.REFERRAL,
        object_id=referral.public_id,
        person_id=referral.person_id,
    )
    screening = referral.screening
    context: dict[str, Any] = {"referral": referral, "screening": screening}
    if screening is not None:
        tool = screening.tool()
        context["tool"] = tool
        context["category"] = tool.category(screening.final_category)
        context["counted"] = [tool.indicator(i) for i in screening.computed_indicators]
        context["rule"] = next((r for r in tool.rules if r.id == screening.computed_rule), None)
        context["answers"] = [
            {
                "group": g,
                "rows": [
                    (
                        i,
                        {o.id: o.label for o in i.options}.get(screening.answers.get(i.id, ""), ""),
                        screening.marks.get(i.id, ""),
                        screening.answers.get(i.id) not in ("no", "not_present"),
                    )
                    for i in g.indicators
                ],
            }
            for g in tool.groups
        ]
    now = timezone.now()
    holidays, config = england_and_wales_bank_holidays(), clock_settings()
    decision = getattr(referral, "decision", None)
    statutory = []
    if decision is not None:
        received = timezone.localtime(referral.received_at).date()
        if decision.decision == Decision.CSE_ASSESSMENT:
            statutory.append(
                (
                    "Assessment",
                    assessment_due(received, holidays, config),
                    decision.assessment_completed_on,
                )
            )
        if decision.strategy_discussion_on is not None:
            statutory.append(
                (
                    "Initial child protection conference",
                    icpc_due(decision.strategy_discussion_on, holidays, config),
                    decision.icpc_held_on,
                )
            )
    forms: dict[str, GovukForm] = {
        "rate": RateForm(initial={"rating": referral.rag}),
        "ask": AskForm(),
        "decide": DecideForm(),
        "milestone": MilestoneForm(),
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    context.update(
        {
            "waiting": waiting_label((now - referral.received_at).total_seconds()),
            "clocks": referral_clocks(referral, now),
            "re_referral": re_referral_of(referral),
            "decision": decision,
            "statutory": statutory,
            "rag_changes": list(referral.rag_changes.select_related("changed_by")),
            "requests": list(referral.information_requests.select_related("agency")),
            "may_triage": allows(request.user, Action.REFERRAL_TRIAGE, referral),
            "forms": forms,
            "failed": failed[1] if failed is not None else None,
            "today": timezone.localdate(),
        }
    )
    return render(request, "referrals/detail.html", context, status=status)


def _triage_post(
    request: HttpRequest,
    public_id: str,
    name: str,
    form: GovukForm,
    act: Callable[[Referral, int, dict[str, Any]], object],
) -> HttpResponse:
    referral = _referral_or_404(public_id)
    require(request.user, Action.REFERRAL_TRIAGE, referral)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    if form.is_valid():
        try:
            act(referral, version, form.cleaned_data)
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Saved.")
            return redirect("referrals:detail", public_id=referral.public_id)
    referral = _referral_or_404(public_id)
    return _render_detail(request, referral, failed=(name, form), status=400)


@login_required
@require_POST
def rate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Set or change the RAG rating."""
    user = signed_in_user(request)
    return _triage_post(
        request,
        public_id,
        "rate",
        RateForm(request.POST),
        lambda referral, version, data: rate_referral(
            actor=user,
            referral=referral,
            rating=data["rating"] or "",
            reason=data["reason"],
            version=version,
        ),
    )


@login_required
@require_POST
def decide(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the MASH decision."""
    user = signed_in_user(request)
    return _triage_post(
        request,
        public_id,
        "decide",
        DecideForm(request.POST),
        lambda referral, version, data: decide_referral(
            actor=user,
            referral=referral,
            decision=data["decision"] or "",
            rationale=data["rationale"],
            version=version,
        ),
    )


@login_required
@require_POST
def milestone(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a statutory milestone (assessment, strategy discussion, conference)."""
    user = signed_in_user(request)
    return _triage_post(
        request,
        public_id,
        "milestone",
        MilestoneForm(request.POST),
        lambda referral, version, data: record_milestone(
            actor=user,
            referral=referral,
            milestone=data["milestone"] or "",
            on=data["on"],
            version=version,
        ),
    )


@login_required
@require_POST
def ask(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a request for information to a partner agency."""
    user = signed_in_user(request)
    form = AskForm(request.POST)
    return _triage_post(
        request,
        public_id,
        "ask",
        form,
        lambda referral, version, data: request_information(
            actor=user,
            referral=referral,
            agency_id=form.agency_id(),
            question=data["question"],
        ),
    )


@login_required
@require_POST
def answer(request: HttpRequest, public_id: str, request_id: str) -> HttpResponse:
    """Record a partner agency's answer to a request for information."""
    user = signed_in_user(request)

    def act(referral: Referral, version: int, data: dict[str, Any]) -> object:
        info = referral.information_requests.filter(public_id=request_id).first()
        if info is None:
            raise Http404("No such request")
        return record_information_answer(actor=user, request=info, answer=data["answer"])

    return _triage_post(request, public_id, "answer", AnswerForm(request.POST), act)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Refer a child to the MASH without a screening (a web form)."""
    require(request.user, Action.REFERRAL_CREATE)
    user = signed_in_user(request)
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid() and form.details is not None:
            details, data = form.details, form.cleaned_data
            # The front door: is the child already in Safehub? Asked before a child is added.
            journey = front_door.Journey.REFERRAL
            offered = front_door.offer_for(user, details)
            answer = front_door.answer_without_asking(journey=journey)
            person = None
            if offered:
                posted = request.POST if "shown" in request.POST else None
                match = front_door.MatchForm(posted, offered=offered, journey=journey)
                if posted is None or not match.is_valid():
                    return _match_page(request, match, offered)
                person, answer = match.chosen, match.answer()
                if person is not None:
                    front_door.audit_chosen(user, person, journey=journey)
            referral = make_referral(
                actor=user,
                concerns=data["concerns"],
                sharing_basis=data["sharing_basis"],
                family_aware=data["family_aware"],
                person=person,
                new_person=None if person is not None else details,
                match_answer=answer,
            )
            messages.success(
                request,
                f"Referral {str(referral.public_id)[:8].upper()} has gone to the MASH. "
                "You can follow it in My submissions.",
            )
            return redirect("screening:my_submissions")
    elif (draft := draft_for(user, request.path)) is not None:
        # What the user typed before their session ended (or they left the page): shown
        # again as typed, not checked until they send it.
        form = ReferralForm(draft_as_post(draft), as_draft=True)
    else:
        school_id = user.own_school_id()
        form = ReferralForm(initial={"school_id": "" if school_id is None else str(school_id)})
    return render(request, "referrals/new.html", {"form": form})


def _match_page(
    request: HttpRequest, form: front_door.MatchForm, offered: list[front_door.Offered]
) -> HttpResponse:
    """ "Is this the child you are referring?", carrying the referral to the next post. Each
    child shown is audited on their record; nothing about them but their name, date of birth
    and why they match is shown."""
    front_door.audit_offered(request.user, offered, journey=front_door.Journey.REFERRAL)
    # Kept as the form's draft too, so going back to change the referral loses nothing.
    keep_draft(user=signed_in_user(request), path=request.path, data=draft_fields(request.POST))
    kept = ("csrfmiddlewaretoken", "person", "shown")
    carried = [(k, v) for k, values in request.POST.lists() if k not in kept for v in values]
    return render(request, "referrals/match.html", {"form": form, "carried": carried})
