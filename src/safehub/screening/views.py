"""The screening journey: choose a tool, find or add the child, answer, check, submit, result."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Agency
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.people import front_door
from safehub.people.choices import Ethnicity, Sex
from safehub.people.forms import PersonDetailsForm, typed_as_post
from safehub.people.selectors import person_by_public_id
from safehub.people.services import MatchAnswer, PersonDetails
from safehub.policy import Action, allows, person_scope, require
from safehub.referrals.selectors import referrals_without_screening_by
from safehub.refusals import Refused
from safehub.screening import drafts, registry
from safehub.screening.definitions import ScreeningTool
from safehub.screening.forms import (
    CheckForm,
    JudgementForm,
    LoweringDecisionForm,
    QuestionPageForm,
    ToolForm,
)
from safehub.screening.judgement import decide_lowering, record_judgement
from safehub.screening.rules import InvalidAnswers, score
from safehub.screening.selectors import (
    lowerings_awaiting_approval,
    screening_by_public_id,
    submissions_of,
)
from safehub.screening.services import submit_screening

NEGATIVE = {"no", "not_present"}


def _draft_or_404(request: HttpRequest, draft_id: str) -> tuple[dict[str, Any], ScreeningTool]:
    draft = drafts.get_draft(signed_in_user(request), draft_id)
    if draft is None:
        raise Http404("No screening in progress with that id")
    return draft, registry.get_tool(draft["tool_id"], draft["tool_version"])


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Choose a screening tool and start a draft."""
    require(request.user, Action.SCREENING_CREATE)
    form = ToolForm(request.POST if request.method == "POST" else None, tools=registry.list_tools())
    if form.is_valid():
        tool = form.chosen()
        draft_id = drafts.new_draft(
            signed_in_user(request), tool_id=tool.id, tool_version=tool.version
        )
        return redirect("screening:child", draft_id=draft_id)
    unfinished = [
        {
            "draft": d,
            "tool": registry.get_tool(d.data["tool_id"], d.data["tool_version"]),
            "child": d.data.get("child") or {},
        }
        for d in drafts.drafts_of(signed_in_user(request))
    ]
    return render(request, "screening/start.html", {"form": form, "unfinished": unfinished})


@login_required
@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, draft_id: str) -> HttpResponse:
    """The child's details; then look for the child in the index."""
    require(request.user, Action.PERSON_FIND)
    draft, tool = _draft_or_404(request, draft_id)
    kept: dict[str, Any] = dict(draft.get("child_form") or {})
    if request.method == "POST":
        form = PersonDetailsForm(request.POST)
        valid = form.is_valid()
        draft["child_form"] = form.typed()
        if valid and form.details is not None:
            draft["child"] = _details_to_data(form.details)
            # New details: the front door asks again.
            draft["person_public_id"] = None
            draft.pop("match", None)
            drafts.save_draft(signed_in_user(request), draft_id, draft)
            return redirect("screening:match", draft_id=draft_id)
        drafts.save_draft(signed_in_user(request), draft_id, draft)
    elif kept:
        # What the user typed before: shown again as typed, not checked until sent.
        form = PersonDetailsForm(typed_as_post(kept), as_draft=True)
    else:
        school_id = signed_in_user(request).own_school_id()
        form = PersonDetailsForm(initial={"school_id": "" if school_id is None else str(school_id)})
    context = {"tool": tool, "draft_id": draft_id, "form": form}
    return render(request, "screening/child.html", context)


def _details_to_data(details: PersonDetails) -> dict[str, Any]:
    data = asdict(details)
    data["date_of_birth"] = details.date_of_birth.isoformat()
    return data


def _details_from_data(data: dict[str, Any]) -> PersonDetails:
    return PersonDetails(**dict(data, date_of_birth=date.fromisoformat(data["date_of_birth"])))


JOURNEY = front_door.Journey.SCREENING


@login_required
@require_http_methods(["GET", "POST"])
def match(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Is this child already known? The likely matches, each with its name, date of birth and
    why it matches, or "None of these". Each child shown is audited on their record."""
    require(request.user, Action.PERSON_FIND)
    draft, tool = _draft_or_404(request, draft_id)
    if not draft.get("child"):
        return redirect("screening:child", draft_id=draft_id)
    user = signed_in_user(request)
    offered = front_door.offer_for(user, _details_from_data(draft["child"]))
    if not offered:
        _keep_answer(draft, None, front_door.answer_without_asking(journey=JOURNEY))
        drafts.save_draft(user, draft_id, draft)
        return redirect("screening:group", draft_id=draft_id, number=1)
    if request.method == "POST":
        form = front_door.MatchForm(request.POST, offered=offered, journey=JOURNEY)
        if form.is_valid():
            chosen = form.chosen
            if chosen is not None:
                front_door.audit_chosen(user, chosen, journey=JOURNEY)
            _keep_answer(draft, chosen, form.answer())
            drafts.save_draft(user, draft_id, draft)
            return redirect("screening:group", draft_id=draft_id, number=1)
    else:
        answered = draft.get("match")
        before = draft.get("person_public_id") or (front_door.NONE_OF_THESE if answered else "")
        form = front_door.MatchForm(offered=offered, journey=JOURNEY, initial={"person": before})
    front_door.audit_offered(user, offered, journey=JOURNEY)
    context = {"tool": tool, "draft_id": draft_id, "form": form}
    return render(request, "screening/match.html", context)


def _keep_answer(draft: dict[str, Any], chosen: Any, answer: MatchAnswer) -> None:
    """The front door's answer, kept in the draft until the screening is submitted (then
    recorded with it)."""
    draft["person_public_id"] = str(chosen.public_id) if chosen is not None else None
    draft["match"] = {"shown": answer.shown, "chosen": answer.chosen}


def _match_answer(draft: dict[str, Any]) -> MatchAnswer | None:
    kept = draft.get("match")
    if not isinstance(kept, dict):
        return None
    return MatchAnswer(journey=JOURNEY, shown=int(kept["shown"]), chosen=bool(kept["chosen"]))


@login_required
@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, draft_id: str, number: int) -> HttpResponse:
    """One group of indicators per page, with guidance."""
    require(request.user, Action.SCREENING_CREATE)
    draft, tool = _draft_or_404(request, draft_id)
    if not draft.get("child"):
        return redirect("screening:child", draft_id=draft_id)
    groups = list(tool.groups)
    if not 1 <= number <= len(groups):
        raise Http404("No such question page")
    current = groups[number - 1]
    form = QuestionPageForm(
        request.POST if request.method == "POST" else None,
        tool=tool,
        group=current,
        answers=draft["answers"],
        marks=draft["marks"],
    )
    if form.is_bound:
        # What was posted is kept in the draft even when the page is refused.
        draft["answers"], draft["marks"] = form.kept()
        drafts.save_draft(signed_in_user(request), draft_id, draft)
        if form.is_valid():
            if request.GET.get("change") == "1" or number == len(groups):
                return redirect("screening:check", draft_id=draft_id)
            return redirect("screening:group", draft_id=draft_id, number=number + 1)
    context = {
        "tool": tool,
        "draft_id": draft_id,
        "group": current,
        "number": number,
        "total": len(groups),
        "form": form,
        "back_number": number - 1,
    }
    return render(request, "screening/group.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Check your answers, then submit: score, store and (where the tool says) refer."""
    require(request.user, Action.SCREENING_CREATE)
    draft, tool = _draft_or_404(request, draft_id)
    if not draft.get("child"):
        return redirect("screening:child", draft_id=draft_id)
    details = _details_from_data(draft["child"])
    answer = _match_answer(draft)
    if answer is None:
        # The front door was not answered (the draft went round it): ask it now, unless there
        # is nobody to ask about.
        if front_door.offer_for(request.user, details):
            return redirect("screening:match", draft_id=draft_id)
        answer = front_door.answer_without_asking(journey=JOURNEY)
        _keep_answer(draft, None, answer)
        drafts.save_draft(signed_in_user(request), draft_id, draft)
    person = None
    if draft.get("person_public_id"):
        person = person_by_public_id(draft["person_public_id"])
        if person is None:  # the child chosen is no longer in Safehub: ask again
            draft.pop("match", None)
            drafts.save_draft(signed_in_user(request), draft_id, draft)
            return redirect("screening:match", draft_id=draft_id)
    unanswered = [
        (number, i)
        for number, g in enumerate(tool.groups, start=1)
        for i in g.indicators
        if i.id not in draft["answers"]
    ]
    # Whether the answers as they stand would refer the child (then the MASH needs the
    # sharing basis and the family's knowledge, and the page says so before submitting).
    refers = False
    if not unanswered:
        try:
            refers = score(
                tool,
                draft["answers"],
                screening_date=date.today(),
                date_of_birth=person.date_of_birth if person else details.date_of_birth,
            ).category.creates_referral
        except InvalidAnswers:
            refers = False
    if request.method == "POST":
        form = CheckForm(request.POST, refers=refers)
        form.is_valid()
        data = form.cleaned_data
        draft["notes"] = (data.get("notes") or "")[:5000]
        draft["sharing_basis"] = data.get("sharing_basis") or ""
        draft["family_aware"] = data.get("family_aware") or ""
        drafts.save_draft(signed_in_user(request), draft_id, draft)
        try:
            submission = submit_screening(
                actor=signed_in_user(request),
                tool=tool,
                answers=draft["answers"],
                marks=draft["marks"],
                screening_date=date.today(),
                person=person,
                new_person=None if person is not None else details,
                notes=draft["notes"],
                sharing_basis=draft.get("sharing_basis", ""),
                family_aware=draft.get("family_aware", ""),
                match_answer=answer,
            )
        except InvalidAnswers as exc:
            form.refuse(exc)
        else:
            drafts.discard_draft(signed_in_user(request), draft_id)
            return redirect("screening:result", public_id=submission.screening.public_id)
    else:
        kept = {k: draft.get(k, "") for k in ("notes", "sharing_basis", "family_aware")}
        form = CheckForm(initial=kept, refers=refers)
    context = {
        "tool": tool,
        "draft_id": draft_id,
        "details": details,
        "person": person,
        "school": Agency.objects.filter(pk=details.school_id).first()
        if details.school_id
        else None,
        "sex_label": dict(Sex.choices).get(details.sex, ""),
        "ethnicity_label": dict(Ethnicity.choices).get(details.ethnicity, ""),
        "rows": _answer_rows(tool, draft["answers"], draft["marks"]),
        "unanswered": unanswered,
        "form": form,
    }
    return render(request, "screening/check.html", context)


def _answer_rows(
    tool: ScreeningTool, answers: dict[str, str], marks: dict[str, str]
) -> list[dict[str, Any]]:
    sections = []
    for number, g in enumerate(tool.groups, start=1):
        rows = []
        for indicator in g.indicators:
            labels = {o.id: o.label for o in indicator.options}
            value = answers.get(indicator.id)
            rows.append(
                {
                    "indicator": indicator,
                    "answer": labels.get(value or "", "Not answered"),
                    "mark": marks.get(indicator.id, ""),
                    "positive": value is not None and value not in NEGATIVE,
                }
            )
        sections.append({"group": g, "number": number, "rows": rows})
    return sections


@login_required
@require_GET
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    """The result, what it means and what happens next. Audited."""
    screening = screening_by_public_id(public_id)
    if screening is None:
        raise Http404("No such screening")
    require(request.user, Action.SCREENING_VIEW, screening)
    tool = registry.get_tool(screening.tool_id, screening.tool_version)
    audited_read(
        request.user,
        AuditObjectType.SCREENING,
        object_id=screening.public_id,
        person_id=screening.person_id,
    )
    category = tool.category(screening.final_category)
    rule = next((r for r in tool.rules if r.id == screening.computed_rule), None)
    counted = [tool.indicator(i) for i in screening.computed_indicators]
    referral = screening.referral if _has_referral(screening) else None
    context = {
        "person_masked": not person_scope(request.user).shows(
            person_id=screening.person_id, restricted=screening.person.is_restricted
        ),
        "screening": screening,
        "tool": tool,
        "category": category,
        "computed": tool.category(screening.computed_category),
        "rule": rule,
        "counted": counted,
        "marks": screening.marks,
        "referral": referral,
        "own": screening.submitted_by_id == request.user.pk,
        "may_judge": allows(request.user, Action.SCREENING_JUDGE, screening),
        "requested": tool.category(screening.requested_category)
        if screening.requested_category
        else None,
    }
    return render(request, "screening/result.html", context)


@login_required
@require_GET
def my_submissions(request: HttpRequest) -> HttpResponse:
    """Everything this user submitted and where it is now; nothing else about the child."""
    require(request.user, Action.SUBMISSIONS_LIST_OWN)
    user = signed_in_user(request)
    screenings = list(submissions_of(user.pk)[:200])
    audited_list(request.user, AuditObjectType.OWN_SUBMISSIONS, summary=len(screenings))
    rows: list[dict[str, Any]] = []
    for s in screenings:
        tool = registry.get_tool(s.tool_id, s.tool_version)
        rows.append(
            {
                "when": s.submitted_at,
                "screening": s,
                "person": s.person,
                "tool": tool,
                "category": tool.category(s.final_category),
                "referral": s.referral if _has_referral(s) else None,
            }
        )
    for referral in referrals_without_screening_by(user.pk)[:200]:
        rows.append({"when": referral.received_at, "person": referral.person, "referral": referral})
    rows.sort(key=lambda r: r["when"], reverse=True)
    # A child restricted since the submission is shown only to those with a grant.
    scope = person_scope(user)
    for row in rows:
        row["masked"] = not scope.shows(
            person_id=row["person"].pk, restricted=row["person"].is_restricted
        )
    audited_list(
        request.user,
        AuditObjectType.OWN_SUBMISSIONS,
        person_ids=[row["person"].pk for row in rows if not row["masked"]],
        reason="shown in the user's own submissions",
    )
    return render(request, "screening/my_submissions.html", {"rows": rows})


def _has_referral(screening: Any) -> bool:
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, when absent.
    return hasattr(screening, "referral")


@login_required
@require_POST
def cancel(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Throw away a screening in progress; nothing was stored, so nothing else changes."""
    require(request.user, Action.SCREENING_CREATE)
    _draft_or_404(request, draft_id)
    drafts.discard_draft(signed_in_user(request), draft_id)
    messages.info(request, "The screening was cancelled. Nothing was saved.")
    return redirect("screening:start")


def _screening_or_404(public_id: str) -> Any:
    screening = screening_by_public_id(public_id)
    if screening is None:
        raise Http404("No such screening")
    return screening


@login_required
@require_http_methods(["GET", "POST"])
def judgement(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a different final result, with a reason (lowering needs a manager's approval)."""
    screening = _screening_or_404(public_id)
    require(request.user, Action.SCREENING_JUDGE, screening)
    tool = registry.get_tool(screening.tool_id, screening.tool_version)
    current = tool.category(screening.final_category)
    form = JudgementForm(
        request.POST or None,
        categories=[c for c in tool.categories_by_severity()[::-1] if c.id != current.id],
        asks_sharing=not hasattr(screening, "referral"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_judgement(
                actor=signed_in_user(request),
                screening=screening,
                category_id=data["category"] or "",
                reason=data["reason"],
                sharing_basis=data.get("sharing_basis") or "",
                family_aware=data.get("family_aware") or "",
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            return redirect("screening:result", public_id=screening.public_id)
    context = {"screening": screening, "current": current, "form": form}
    return render(request, "screening/judgement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """Lower results awaiting a manager's approval; approve or refuse each."""
    require(request.user, Action.SCREENING_APPROVE_LOWERING)
    form = LoweringDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        screening = _screening_or_404(form.cleaned_data["screening"])
        require(request.user, Action.SCREENING_APPROVE_LOWERING, screening)
        try:
            decide_lowering(
                actor=signed_in_user(request), screening=screening, approve=form.approves()
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            return redirect("screening:approvals")
    rows = []
    shown: list[int] = []
    scope = person_scope(request.user)
    for s in lowerings_awaiting_approval()[:200]:
        if scope.shows(person_id=s.person_id, restricted=s.person.is_restricted):
            shown.append(s.person_id)
        tool = registry.get_tool(s.tool_id, s.tool_version)
        rows.append(
            {
                "masked": s.person_id not in shown,
                "screening": s,
                "computed": tool.category(s.final_category),
                "requested": tool.category(s.requested_category),
            }
        )
    audited_list(
        request.user,
        AuditObjectType.JUDGEMENT_APPROVALS,
        summary=len(rows),
        person_ids=shown,
        reason="shown in the approvals awaiting a decision",
    )
    return render(request, "screening/approvals.html", {"rows": rows, "form": form})
