"""Strategy discussions and MASE meetings: the list, arranging one, recording what was
decided, actions and the team's action tracker."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import User
from safehub.accounts.roles import AgencyType, Role
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction
from safehub.audit.services import record_access, record_list_access
from safehub.cases import meetings
from safehub.cases.errors import InvalidCaseChange, StaleEdit
from safehub.cases.forms import Field, posted_date, posted_values, posted_version, render_fields
from safehub.cases.models import Case, CaseStatus, Meeting, MeetingAction, MeetingKind
from safehub.cases.selectors import (
    action_by_public_id,
    attendees_of,
    meeting_by_public_id,
    meetings_list,
    open_actions,
)
from safehub.policy import (
    Action,
    allows,
    mark_masked,
    person_scope,
    require,
    shown_person_ids,
)


def _meeting_or_404(public_id: Any) -> Meeting:
    meeting = meeting_by_public_id(public_id)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _audit(request: HttpRequest, meeting: Meeting) -> None:
    for case in meeting.agenda.all():
        record_access(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="meeting",
            object_id=meeting.public_id,
            person_id=case.person_id,
        )


def _users(text: str, errors: dict[str, str], name: str) -> list[User]:
    names = [n.strip() for n in text.replace(",", "\n").splitlines() if n.strip()]
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    unknown = [n for n in names if n not in found]
    if unknown:
        errors[name] = f"No active user with the username: {', '.join(unknown)}"
    return list(found.values())


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting, newest first, with how many children were on the agenda."""
    require(request.user, Action.MEETING_LIST)
    items = list(meetings_list()[:300])
    record_access(
        user=request.user, action=AuditAction.VIEW, object_type="meetings", object_id=len(items)
    )
    return render(request, "cases/meetings.html", {"meetings": items})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Arrange or record a meeting: type, date, agenda, attendees, places and persons."""
    require(request.user, Action.MEETING_CREATE)
    user = signed_in_user(request)
    cases = Case.objects.filter(status=CaseStatus.OPEN).select_related("person")
    if not user.has_role(Role.CSE_MANAGER):
        cases = cases.filter(allocated_to=user)  # a practitioner's agenda: their own cases
    # A restricted child goes on an agenda only by someone with a grant to see the child.
    cases = cases.filter(person_scope(user).visible("person"))
    by_id = {str(c.public_id): c for c in cases}
    fields = [
        Field("kind", "Type of meeting", "radios", MeetingKind.choices),
        Field("held_on", "Date of the meeting", "date"),
        Field("held_time", "Time", "text", hint="For example, 14:30"),
        Field(
            "agenda",
            "Children on the agenda",
            "checkboxes",
            [
                (k, f"{c.person.full_name} ({c.get_risk_level_display()} risk)")
                for k, c in by_id.items()
            ],
        ),
        Field(
            "attendees", "Attendees with Safehub accounts", "textarea", hint="One username a line"
        ),
        Field("external", "Other attendees", "textarea", hint="One a line: name, agency"),
        Field(
            "places_and_persons_of_concern", "Places and persons of concern (police)", "textarea"
        ),
    ]
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        post = request.POST
        values = posted_values(post, fields)
        day = posted_date(post, "held_on", "The date", errors)
        held_at = None
        try:
            clock = time.fromisoformat(str(post.get("held_time", "")).strip() or "09:00")
        except ValueError:
            errors["held_time"] = "Enter the time like 14:30"
        else:
            if day is not None:
                held_at = timezone.make_aware(datetime.combine(day, clock))
        attendees = _users(str(post.get("attendees", "")), errors, "attendees")
        externals = []
        for line in str(post.get("external", "")).splitlines():
            if line.strip():
                name, _sep, agency = line.partition(",")
                externals.append(meetings.ExternalAttendee(name, agency))
        try:
            if errors:
                raise InvalidCaseChange(errors)
            meeting = meetings.create_meeting(
                actor=user,
                kind=str(post.get("kind", "")),
                held_at=held_at,
                agenda=[by_id[k] for k in post.getlist("agenda") if k in by_id],
                attendees=attendees,
                external_attendees=externals,
                places_and_persons_of_concern=str(post.get("places_and_persons_of_concern", "")),
            )
        except InvalidCaseChange as exc:
            errors.update(exc.errors)
        else:
            messages.success(request, "The meeting has been recorded")
            return redirect("cases:meeting", public_id=meeting.public_id)
    context = {
        "title": "Arrange a meeting",
        "fields": render_fields(fields, values, errors),
        "error_list": list(errors.items()),
    }
    return render(request, "cases/form.html", context)


@login_required
@require_GET
def meeting(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A meeting: agenda, attendees by agency, what was shared and decided, its actions."""
    item = _meeting_or_404(public_id)
    require(request.user, Action.MEETING_VIEW, item)
    _audit(request, item)
    user = signed_in_user(request)
    is_team = user.has_role(Role.CSE_PRACTITIONER) or user.has_role(Role.CSE_MANAGER)
    police = user.agency is not None and user.agency.agency_type == AgencyType.POLICE
    scope = person_scope(user)
    actions = mark_masked(
        item.actions.select_related("owner", "case__person"), scope, _action_child
    )
    agenda = mark_masked(item.agenda.select_related("person"), scope, lambda case: case.person)
    context = {
        "meeting": item,
        "agenda": [(c, allows(user, Action.CASE_VIEW, c)) for c in agenda],
        "attendees": list(attendees_of(item)),
        "show_police": is_team or police,
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
    fields = [
        Field("information_shared", "Information shared", "textarea"),
        Field("decisions", "Decisions", "textarea"),
    ]
    errors: dict[str, str] = {}
    values: dict[str, Any] = {f.name: getattr(item, f.name) for f in fields}
    version, stale = item.version, None
    if request.method == "POST":
        values = posted_values(request.POST, fields)
        try:
            meetings.record_meeting_outcome(
                actor=signed_in_user(request),
                meeting=item,
                read_version=posted_version(request.POST),
                information_shared=values["information_shared"],
                decisions=values["decisions"],
            )
        except InvalidCaseChange as exc:
            errors.update(exc.errors)
            version = posted_version(request.POST)
        except StaleEdit as exc:
            stale = exc
            item.refresh_from_db()
            version = item.version
        else:
            messages.success(request, "The meeting's decisions have been saved")
            return redirect("cases:meeting", public_id=item.public_id)
    context = {
        "meeting": item,
        "title": "Record what was shared and decided",
        "fields": render_fields(fields, values, errors),
        "error_list": list(errors.items()),
        "version": version,
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
    fields = [
        Field(
            "case",
            "Which child is it for?",
            "radios",
            [
                *((k, c.person.full_name) for k, c in agenda.items()),
                ("none", "Not about one child"),
            ],
        ),
        Field("description", "What is to be done?", "textarea"),
        Field("owner", "Owner's username", "text"),
        Field("due_date", "Due date", "date"),
    ]
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        post = request.POST
        values = posted_values(post, fields)
        due = posted_date(post, "due_date", "The due date", errors)
        choice = str(post.get("case", ""))
        if choice not in agenda and choice != "none":
            errors["case"] = "Choose a child on the agenda, or not about one child"
        owners = _users(str(post.get("owner", "")), errors, "owner")
        try:
            if errors:
                raise InvalidCaseChange(errors)
            meetings.add_meeting_action(
                actor=signed_in_user(request),
                meeting=item,
                case=agenda.get(choice),
                description=str(post.get("description", "")),
                owner=owners[0] if len(owners) == 1 else None,
                due_date=due,
            )
        except InvalidCaseChange as exc:
            errors.update(exc.errors)
        else:
            messages.success(request, "The action has been added")
            return redirect("cases:meeting", public_id=item.public_id)
    context = {
        "meeting": item,
        "title": "Add an action",
        "fields": render_fields(fields, values, errors),
        "error_list": list(errors.items()),
    }
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
    except InvalidCaseChange as exc:
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
    record_access(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="action_tracker",
        object_id=len(rows),
    )
    record_list_access(
        user=request.user,
        object_type="action_tracker",
        person_ids=shown_person_ids(rows, _action_child),
        reason="shown in the action tracker",
    )
    return render(request, "cases/actions.html", {"rows": rows, "today": timezone.localdate()})
