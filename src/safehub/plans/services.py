"""Named actions that change the delivery plan. Each validates everything first (raising
Refused with a message per field, nothing written), runs in one transaction, stamps
the version history with who and when, and writes an audit row.

Changing an action (the lead's edit, the owner's progress update) takes the `read_version` the
form was built from; if someone saved the action since, the change is refused with StaleEdit
(safehub.versioning), carrying who changed what, and nothing is written.

`now` lets the demo loader and tests write history at a past moment; it defaults to now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.plans import figures, rules
from safehub.plans.models import (
    Evidence,
    EvidenceKind,
    Measure,
    Objective,
    PlanAction,
    ProgressUpdate,
    Reading,
    Resolution,
)
from safehub.plans.rules import Status
from safehub.plans.selectors import action_owners
from safehub.refusals import Refused
from safehub.versioning import Change, history_since, save_if_current

ALLOWED_UPLOADS = {
    "application/pdf",
    "text/plain",
    "text/csv",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    content: bytes


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Refused(errors)


def save_versioned(obj: models.Model, actor: User, now: datetime) -> None:
    """Save with the version history stamped with who made the change and when."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._history_date = now  # type: ignore[attr-defined]
    obj.save()


# What a refused stale change of an action shows, named as on the forms.
ACTION_FIELDS = (
    "title",
    "description",
    "success_measure",
    "owner",
    "start_date",
    "due_date",
    "status",
    "progress",
    "completed_on",
    "rag_override",
    "rag_override_reason",
)
ACTION_LABELS = {
    "title": "Action",
    "progress": "Progress (%)",
    "rag_override": "RAG override",
    "rag_override_reason": "Reason for the override",
}


def action_changes_since(action: PlanAction, version: int) -> list[Change]:
    """Who changed the action after `version`, when, and what, from its version history."""
    return history_since(PlanAction, action.pk, version, fields=ACTION_FIELDS, labels=ACTION_LABELS)


def _save_action(
    action: PlanAction,
    *,
    actor: User,
    read_version: int,
    fields: dict[str, Any],
    what: str,
    now: datetime,
) -> None:
    """Save `fields` if the action is still at `read_version`, into its version history."""
    save_if_current(
        PlanAction,
        pk=action.pk,
        read_version=read_version,
        fields=fields,
        actor=actor,
        when=now,
        what=what,
        changes_since=lambda since: action_changes_since(action, since),
    )
    action.refresh_from_db()


def audit(
    actor: User, action: AuditAction, object_type: AuditObjectType, public_id: object
) -> None:
    record_access(user=actor, action=action, object_type=object_type, object_id=public_id)


def required_text(errors: dict[str, str], name: str, value: str, message: str, limit: int) -> str:
    value = value.strip()
    if not value:
        errors[name] = message
    elif len(value) > limit:
        errors[name] = f"Keep it to {limit} characters or fewer"
    return value


def _check_dates(errors: dict[str, str], start: date | None, due: date | None) -> None:
    # No due date is allowed: an action may have no deadline (the minutes give none).
    if start is None and "start_date" not in errors:
        errors["start_date"] = "Enter the start date"
    if start and due and due < start:
        errors["due_date"] = "The due date must be the same as or after the start date"


def check_owner(errors: dict[str, str], owner: User | None) -> None:
    if owner is None or not action_owners().filter(pk=owner.pk).exists():
        errors["owner"] = "Choose an action owner"
    elif owner.agency_id is None:
        errors["owner"] = "The owner must belong to an agency"


@transaction.atomic
def create_action(
    *,
    actor: User,
    objective: Objective,
    title: str,
    owner: User | None,
    start_date: date | None,
    due_date: date | None,
    description: str = "",
    success_measure: str = "",
    resolution: Resolution | None = None,
    key: str = "",
    now: datetime | None = None,
) -> PlanAction:
    """Add an action under an objective, with a due date or none (no deadline set). Refuses a
    missing title, owner or start date, an owner who is not an action owner, or a due date
    before the start."""
    errors: dict[str, str] = {}
    title = required_text(errors, "title", title, "Enter what the action is", 300)
    check_owner(errors, owner)
    _check_dates(errors, start_date, due_date)
    raise_if(errors)
    assert owner is not None and owner.agency_id is not None
    assert start_date is not None
    action = PlanAction(
        objective=objective,
        resolution=resolution,
        key=key,
        title=title,
        description=description.strip(),
        success_measure=success_measure.strip(),
        owner=owner,
        owner_agency_id=owner.agency_id,
        start_date=start_date,
        due_date=due_date,
    )
    save_versioned(action, actor, now or timezone.now())
    audit(actor, AuditAction.CREATE, AuditObjectType.PLAN_ACTION, action.public_id)
    return action


@transaction.atomic
def edit_action(
    *,
    actor: User,
    action: PlanAction,
    read_version: int,
    changes: dict[str, Any],
    now: datetime | None = None,
) -> PlanAction:
    """Change an action's title, description, measure, owner, dates or RAG override (the
    plan lead's edit), from a form read at `read_version`. A due date of None removes the
    deadline.

    Refuses the same as `create_action`, and an override without a reason
    (Refused); a form read before someone else changed the action (StaleEdit)."""
    allowed = {
        "title",
        "description",
        "success_measure",
        "owner",
        "start_date",
        "due_date",
        "rag_override",
        "rag_override_reason",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    values = {name: getattr(action, name) for name in allowed} | changes
    errors: dict[str, str] = {}
    values["title"] = required_text(
        errors, "title", values["title"], "Enter what the action is", 300
    )
    check_owner(errors, values["owner"])
    _check_dates(errors, values["start_date"], values["due_date"])
    override = str(values["rag_override"] or "")
    reason = str(values["rag_override_reason"] or "").strip()
    problem = rules.override_problem(override, reason)
    if problem:
        known = override in {r.value for r in rules.Rag}
        errors["rag_override_reason" if known else "rag_override"] = problem
    raise_if(errors)
    fields = {name: values[name] for name in allowed - {"rag_override_reason"}}
    fields["rag_override"] = override
    fields["rag_override_reason"] = reason if override else ""
    fields["owner_agency_id"] = values["owner"].agency_id
    _save_action(
        action,
        actor=actor,
        read_version=read_version,
        fields=fields,
        what="the action's details",
        now=now or timezone.now(),
    )
    audit(actor, AuditAction.CHANGE, AuditObjectType.PLAN_ACTION, action.public_id)
    return action


@transaction.atomic
def record_update(
    *,
    actor: User,
    action: PlanAction,
    read_version: int,
    note: str,
    progress: int | str | None,
    status: str,
    now: datetime | None = None,
) -> ProgressUpdate:
    """Write a dated progress note and move the action's status and progress with it, from a
    form read at `read_version`.

    Refuses an empty note, progress outside 0-100 or an unknown status (Refused); a
    form read before someone else changed the action (StaleEdit). Marking it complete sets
    progress to 100 and the completion date.
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    note = required_text(errors, "note", note, "Say what has happened since the last update", 5000)
    if status not in {s.value for s in Status}:
        errors["status"] = "Choose the action's status"
    try:
        percent = int(str(progress).strip())
    except ValueError:
        percent = -1
    if not 0 <= percent <= 100:
        errors["progress"] = "Enter progress as a whole number from 0 to 100"
    raise_if(errors)
    if status == Status.COMPLETE:
        percent = 100
    _save_action(
        action,
        actor=actor,
        read_version=read_version,
        fields={
            "status": status,
            "progress": percent,
            "completed_on": timezone.localdate(now) if status == Status.COMPLETE else None,
        },
        what="a progress update",
        now=now,
    )
    update = ProgressUpdate.objects.create(
        action=action, written_by=actor, written_at=now, note=note, progress=percent, status=status
    )
    audit(actor, AuditAction.CHANGE, AuditObjectType.PLAN_ACTION, action.public_id)
    return update


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    action: PlanAction,
    kind: str,
    title: str,
    note: str = "",
    url: str = "",
    figure: str = "",
    upload: Upload | None = None,
    now: datetime | None = None,
) -> Evidence:
    """Attach evidence: a note, a file, a link (http or https) or a Safehub figure.

    Refuses a missing title, an empty note, a bad link, an unknown figure, or a file that is
    missing, too large or of a type not accepted.
    """
    errors: dict[str, str] = {}
    title = required_text(errors, "title", title, "Give the evidence a title", 200)
    if kind not in EvidenceKind.values:
        errors["kind"] = "Choose the kind of evidence"
    elif kind == EvidenceKind.NOTE and not note.strip():
        errors["note"] = "Enter the note"
    elif kind == EvidenceKind.LINK:
        parsed = urlparse(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors["url"] = "Enter a link starting with https://"
    elif kind == EvidenceKind.FIGURE and figure not in figures.FIGURES:
        errors["figure"] = "Choose a Safehub figure"
    elif kind == EvidenceKind.FILE:
        limit = getattr(settings, "SAFEHUB_PLAN_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
        if upload is None or not upload.content:
            errors["file"] = "Choose a file to attach"
        elif len(upload.content) > limit:
            errors["file"] = f"The file must be smaller than {limit // (1024 * 1024)} MB"
        elif upload.content_type not in ALLOWED_UPLOADS:
            errors["file"] = "The file must be a PDF, Word, Excel, CSV, text, PNG or JPEG file"
    raise_if(errors)
    evidence = Evidence.objects.create(
        action=action,
        kind=kind,
        title=title,
        note=note.strip(),
        url=url.strip() if kind == EvidenceKind.LINK else "",
        figure=figure if kind == EvidenceKind.FIGURE else "",
        file_name=upload.name[:200] if upload and kind == EvidenceKind.FILE else "",
        content_type=upload.content_type if upload and kind == EvidenceKind.FILE else "",
        content=upload.content if upload and kind == EvidenceKind.FILE else None,
        added_by=actor,
        added_at=now or timezone.now(),
    )
    audit(actor, AuditAction.CREATE, AuditObjectType.PLAN_EVIDENCE, evidence.public_id)
    return evidence


@transaction.atomic
def add_measure(
    *, actor: User, action: PlanAction, name: str, figure: str = "", target: str = ""
) -> Measure:
    """Add a success measure to an action, optionally read from a Safehub figure."""
    errors: dict[str, str] = {}
    name = required_text(errors, "name", name, "Name the measure", 200)
    if figure and figure not in figures.FIGURES:
        errors["figure"] = "Choose a Safehub figure, or none"
    goal = _decimal(errors, "target", target, required=False)
    raise_if(errors)
    measure = Measure.objects.create(action=action, name=name, figure=figure, target=goal)
    audit(actor, AuditAction.CREATE, AuditObjectType.PLAN_MEASURE, measure.public_id)
    return measure


def _decimal(errors: dict[str, str], name: str, text: str, *, required: bool) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        if required:
            errors[name] = "Enter a number"
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[name] = "Enter a number, like 12 or 12.5"
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        errors[name] = "Enter a number, like 12 or 12.5"
        return None
    return value


@transaction.atomic
def add_reading(
    *, actor: User, measure: Measure, taken_on: date | None, value: str = ""
) -> Reading:
    """Record a measure's value on a date. A figure-based measure with no value given reads
    the figure for the term up to that date. Refuses a missing or future date, or no value."""
    errors: dict[str, str] = {}
    if taken_on is None:
        errors["taken_on"] = "Enter the date of the reading"
    elif taken_on > timezone.localdate():
        errors["taken_on"] = "The date must not be in the future"
    amount = _decimal(errors, "value", value, required=not measure.figure)
    raise_if(errors)
    assert taken_on is not None
    if amount is None:
        start = figures.term_start(taken_on)
        amount = Decimal(figures.figure_value(measure.figure, start, taken_on))
    reading = Reading.objects.create(
        measure=measure, taken_on=taken_on, value=amount, recorded_by=actor
    )
    audit(actor, AuditAction.CREATE, AuditObjectType.PLAN_MEASURE_READING, measure.public_id)
    return reading
