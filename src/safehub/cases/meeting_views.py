"""Strategy discussions and MASE meetings: the list, arranging one, recording what was
decided, actions and the team's action tracker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.cases import meetings, rules
from safehub.cases.errors import StaleEdit
from safehub.cases.models import Case, CaseStatus, Meeting, MeetingAction
from safehub.cases.page_forms import MeetingActionForm, MeetingForm, MeetingRecordForm
from safehub.cases.selectors import (
    action_by_public_id,
    attendees_of,
    meeting_by_public_id,
    meetings_list,
    open_actions,
    staff_who_may,
)
from safehub.cases.views import posted
from safehub.govuk_forms import Choice
from safehub.policy import (
    Action,
    allows,
    mark_masked,
    person_scope,
    require,
    shown_person_ids,
)
from safehub.refusals import Refused


def _meeting_or_404(public_id: Any) -> Meeting:
    meeting = meeting_by_public_id(public_id)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _audit(request: HttpRequest, meeting: Meeting) -> None:
    for case in meeting.agenda.all():
        audited_read(
            request.user,
            AuditObjectType.MEETING,
            object_id=meeting.public_id,
            person_id=case.person_id,
        )


NO_AGENCY = "Agency not recorded"


def _people(action: Action) -> dict[str, User]:
    """The active staff the policy lets a meeting name for `action`, by public id (what the
    form posts)."""
    return {str(u.public_id): u for u in staff_who_may(action)}


def _choices(people: dict[str, User]) -> list[Choice]:
    """Each person by full name, their job title under it, grouped by agency: never a
    username, which is a sign-in detail and not how colleagues know each other."""
    return [
        Choice(
            key,
            u.get_full_name() or u.job_title or "Name not recorded",
            u.job_title if u.get_full_name() else "",
            u.agency.name if u.agency else NO_AGENCY,
        )
        for key, u in people.items()
    ]


def _owner_choices(people: dict[str, User]) -> list[Choice]:
    # A select's option has no hint: the agency is in the option's text as well as its group.
    return [Choice(c.value, f"{c.label}, {c.group}", group=c.group) for c in _choices(people)]


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting, newest first, with how many children were on the agenda."""
    require(request.user, Action.MEETING_LIST)
    items = list(meetings_list()[:300])
    audited_list(request.user, AuditObjectType.MEETINGS, summary=len(items))
    return render(request, "cases/meetings.html", {"meetings": items})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Arrange or record a meeting: type, date, agenda, attendees, places and persons."""
    require(request.user, Action.MEETING_CREATE)
    user = signed_in_user(request)
    cases = Case.objects.filter(status=CaseStatus.OPEN).select_related("person")
    if not allows(user, Action.MEETING_AGENDA_ANY_CASE):
        cases = cases.filter(allocated_to=user)  # a practitioner's agenda: their own cases
    # A restricted child goes on an agenda only by someone with a grant to see the child.
    cases = cases.filter(person_scope(user).visible("person"))
    by_id = {str(c.public_id): c for c in cases}
    may_attend = _people(Action.MEETING_ATTEND)
    form = MeetingForm(
        posted(request),
        agenda=[
            (k, f"{c.person.full_name} ({c.get_risk_level_display()} risk)")
            for k, c in by_id.items()
        ],
        attendees=_choices(may_attend),
        window_days=rules.attendee_window_days(),
    )
    if form.is_bound and form.is_valid():
        answers = form.cleaned_data
        try:
            meeting = meetings.create_meeting(
                actor=user,
                kind=answers["kind"],
                held_at=answers["held_at"],
                agenda=[by_id[k] for k in answers["agenda"] if k in by_id],
                attendees=[may_attend[k] for k in dict.fromkeys(answers["attendees"])],
                external_attendees=answers["external"],
                places_and_persons_of_concern=answers["places_and_persons_of_concern"],
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The meeting has been recorded")
            return redirect("cases:meeting", public_id=meeting.public_id)
    return render(request, "cases/form.html", {"title": "Arrange a meeting", "form": form})


@login_required
@require_GET
def meeting(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A meeting: agenda, attendees by agency, what was shared and decided, its actions."""
    item = _meeting_or_404(public_id)
    require(request.user, Action.MEETING_VIEW, item)
    _audit(request, item)
    user = signed_in_user(request)
    scope = person_scope(user)
    actions = mark_masked(
        item.actions.select_related("owner", "case__person"), scope, _action_child
    )
    agenda = mark_masked(item.agenda.select_related("person"), scope, lambda case: case.person)
    context = {
        "meeting": item,
        "agenda": [(c, allows(user, Action.CASE_VIEW, c)) for c in agenda],
        "attendees": list(attendees_of(item)),
        "show_police": allows(user, Action.MEETING_POLICE_DETAIL),
        "actions": [(a, allows(user, Action.MEETING_ACTION_COMPLETE, a)) for a in actions],
        "may_record": allows(user, Action.MEETING_RECORD, item),
        "today": timezone.localdate(),
    }
    return render(request, "cases/meeting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record the information shared and the decisions made."""
    item = _meeting_or_404(public_id)
    require(request.user, Action.MEETING_RECORD, item)
    initial = {
        "information_shared": item.information_shared,
        "decisions": item.decisions,
        "version": item.version,
    }
    form = MeetingRecordForm(posted(request), initial=initial)
    stale = None
    if form.is_bound and form.is_valid():
        answers = form.cleaned_data
        try:
            meetings.record_meeting_outcome(
                actor=signed_in_user(request),
                meeting=item,
                read_version=answers["version"],
                information_shared=answers["information_shared"],
                decisions=answers["decisions"],
            )
        except StaleEdit as exc:
            stale = exc
            item.refresh_from_db()
            form.carry_version(item.version)
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The meeting's decisions have been saved")
            return redirect("cases:meeting", public_id=item.public_id)
    context = {
        "meeting": item,
        "title": "Record what was shared and decided",
        "form": form,
        "stale": stale,
    }
    return render(request, "cases/form.html", context, status=409 if stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_action_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Add an action agreed at the meeting: for which child, what, who owns it, by when."""
    item = _meeting_or_404(public_id)
    require(request.user, Action.MEETING_RECORD, item)
    agenda = {str(c.public_id): c for c in item.agenda.select_related("person")}
    may_own = _people(Action.MEETING_ACTION_OWN)
    form = MeetingActionForm(
        posted(request),
        children=[(k, c.person.full_name) for k, c in agenda.items()],
        owners=_owner_choices(may_own),
    )
    if form.is_bound and form.is_valid():
        answers = form.cleaned_data
        try:
            meetings.add_meeting_action(
                actor=signed_in_user(request),
                meeting=item,
                case=agenda.get(answers["case"]),
                description=answers["description"],
                owner=may_own.get(answers["owner"]),
                due_date=answers["due_date"],
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The action has been added")
            return redirect("cases:meeting", public_id=item.public_id)
    context = {"meeting": item, "title": "Add an action", "form": form}
    return render(request, "cases/form.html", context)


@login_required
@require_POST
def action_complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Mark an action as done (its owner or the CSE team)."""
    action = action_by_public_id(public_id)
    if action is None:
        raise Http404("No such action")
    require(request.user, Action.MEETING_ACTION_COMPLETE, action)
    try:
        meetings.complete_action(actor=signed_in_user(request), action=action)
    except Refused as exc:
        messages.info(request, next(iter(exc.errors.values())))
    else:
        messages.success(request, "The action is marked as done")
    if allows(request.user, Action.MEETING_VIEW, action.meeting):
        return redirect("cases:meeting", public_id=action.meeting.public_id)
    return redirect("home")


def _action_child(action: MeetingAction) -> object:
    return action.case.person if action.case is not None else None


@login_required
@require_GET
def action_tracker(request: HttpRequest) -> HttpResponse:
    """Every open action across meetings, the earliest due first."""
    require(request.user, Action.MEETING_LIST)
    rows = mark_masked(open_actions()[:500], person_scope(request.user), _action_child)
    audited_list(
        request.user,
        AuditObjectType.ACTION_TRACKER,
        summary=len(rows),
        person_ids=shown_person_ids(rows, _action_child),
        reason="shown in the action tracker",
    )
    return render(request, "cases/actions.html", {"rows": rows, "today": timezone.localdate()})
