"""Meeting actions (services): strategy discussions and MASE meetings, their outcomes and the
actions agreed. An action is recorded once: the meeting's tracker and the child's chronology
both read the same row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.cases.models import Attendee, Case, CaseStatus, Meeting, MeetingAction, MeetingKind
from safehub.cases.services import MAX_TEXT, clean_text
from safehub.refusals import Refused
from safehub.versioning import history_since, save_if_current

# What recording the outcome changes (and so what a refused stale save shows).
OUTCOME_FIELDS = ("information_shared", "decisions")


@dataclass(frozen=True)
class ExternalAttendee:
    name: str
    agency_name: str


def _audit_meeting(actor: User, meeting: Meeting, what: str, action: AuditAction) -> None:
    # One row per child on the agenda, so each child's record shows the meeting.
    for case in meeting.agenda.all():
        record_access(
            user=actor,
            action=action,
            object_type=AuditObjectType.MEETING,
            object_id=meeting.public_id,
            person_id=case.person_id,
            reason=what,
        )


@transaction.atomic
def create_meeting(
    *,
    actor: User,
    kind: str,
    held_at: datetime | None,
    agenda: Sequence[Case],
    attendees: Iterable[User] = (),
    external_attendees: Iterable[ExternalAttendee] = (),
    places_and_persons_of_concern: str = "",
) -> Meeting:
    """Arrange (or record) a strategy discussion or MASE meeting with its agenda of children.

    Refuses: an unknown kind; no date; an empty agenda or a closed case on it; an external
    attendee without both a name and an agency.
    """
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = "Select the type of meeting"
    if held_at is None:
        errors["held_at"] = "Enter the date of the meeting"
    if not agenda:
        errors["agenda"] = "Select at least one child for the agenda"
    elif any(c.status != CaseStatus.OPEN for c in agenda):
        errors["agenda"] = "Only children with an open case can be on the agenda"
    externals = [
        ExternalAttendee(e.name.strip(), e.agency_name.strip()) for e in external_attendees
    ]
    if any(not (e.name and e.agency_name) for e in externals):
        errors["external"] = "Give each other attendee's name and agency"
    if len(places_and_persons_of_concern) > MAX_TEXT:
        errors["places_and_persons_of_concern"] = f"Keep this under {MAX_TEXT:,} characters"
    if errors:
        raise Refused(errors)
    assert held_at is not None
    meeting = Meeting(
        kind=kind,
        held_at=held_at,
        created_by=actor,
        places_and_persons_of_concern=places_and_persons_of_concern.strip(),
    )
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    meeting.agenda.set(agenda)
    for user in {u.pk: u for u in attendees}.values():
        Attendee.objects.create(
            meeting=meeting,
            user=user,
            name=user.get_full_name() or user.username,
            agency_name=str(user.agency or ""),
        )
    for e in externals:
        Attendee.objects.create(meeting=meeting, name=e.name, agency_name=e.agency_name)
    _audit_meeting(actor, meeting, "meeting arranged", AuditAction.CREATE)
    return meeting


@transaction.atomic
def record_meeting_outcome(
    *, actor: User, meeting: Meeting, read_version: int, information_shared: str, decisions: str
) -> Meeting:
    """Record what was shared and decided, if the meeting is still at `read_version`.

    Refuses: blank decisions, over-long text (Refused); a stale form (StaleEdit,
    with who saved what since). Nothing is written when refused.
    """
    errors: dict[str, str] = {}
    decisions = clean_text(errors, "decisions", decisions, "Enter the decisions made")
    if len(information_shared) > MAX_TEXT:
        errors["information_shared"] = f"Keep this under {MAX_TEXT:,} characters"
    if errors:
        raise Refused(errors)
    save_if_current(
        Meeting,
        pk=meeting.pk,
        read_version=read_version,
        fields={"information_shared": information_shared.strip(), "decisions": decisions},
        actor=actor,
        what="what was shared and decided",
        changes_since=lambda since: history_since(
            Meeting, meeting.pk, since, fields=OUTCOME_FIELDS
        ),
    )
    meeting.refresh_from_db()
    _audit_meeting(actor, meeting, "meeting outcome recorded", AuditAction.CHANGE)
    return meeting


@transaction.atomic
def add_meeting_action(
    *,
    actor: User,
    meeting: Meeting,
    case: Case | None,
    description: str,
    owner: User | None,
    due_date: date | None,
) -> MeetingAction:
    """Record an action agreed at a meeting, with its owner and due date.

    Refuses: a child not on the meeting's agenda; a blank description; no owner or an
    inactive one; no due date.
    """
    errors: dict[str, str] = {}
    if case is not None and not meeting.agenda.filter(pk=case.pk).exists():
        errors["case"] = "Choose a child on this meeting's agenda"
    description = clean_text(errors, "description", description, "Describe the action")
    if owner is None or not owner.is_active:
        errors["owner"] = "Choose who owns the action"
    if due_date is None:
        errors["due_date"] = "Enter the date the action is due"
    if errors:
        raise Refused(errors)
    assert owner is not None and due_date is not None
    action = MeetingAction.objects.create(
        meeting=meeting,
        case=case,
        description=description,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    if case is not None:
        record_access(
            user=actor,
            action=AuditAction.CREATE,
            object_type=AuditObjectType.MEETING_ACTION,
            object_id=action.public_id,
            person_id=case.person_id,
        )
    return action


@transaction.atomic
def complete_action(*, actor: User, action: MeetingAction) -> MeetingAction:
    """Mark an action done. Refuses one that is already done."""
    if action.completed_at is not None:
        raise Refused({"action": "This action is already marked as done"})
    updated = MeetingAction.objects.filter(pk=action.pk, completed_at__isnull=True).update(
        completed_at=timezone.now(), completed_by=actor
    )
    if updated != 1:
        raise Refused({"action": "This action is already marked as done"})
    action.refresh_from_db()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.MEETING_ACTION,
        object_id=action.public_id,
        person_id=action.case.person_id if action.case is not None else None,
        reason="action completed",
    )
    return action
