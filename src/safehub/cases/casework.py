"""Recording work on a case: interventions (direct work, youth work, health), reviews and
entries in the child's chronology. Each is one transaction that writes its audit row."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction
from safehub.cases import rules
from safehub.cases.models import (
    Case,
    ChronologyEntry,
    EntryKind,
    Intervention,
    InterventionKind,
    Review,
    Revision,
)
from safehub.cases.services import MAX_TEXT, audit_case, clean_text, require_open
from safehub.refusals import Refused


@transaction.atomic
def record_intervention(
    *, actor: User, case: Case, kind: str, on: date | None, worker: User, notes: str
) -> Intervention:
    """Record a piece of work with the child. Refuses an unknown kind, a missing or future
    date, blank notes or a closed case."""
    require_open(case)
    errors: dict[str, str] = {}
    if kind not in InterventionKind.values:
        errors["kind"] = "Select the kind of work"
    if on is None:
        errors["date"] = "Enter the date of the work"
    elif on > timezone.localdate():
        errors["date"] = "The date must be today or in the past"
    notes = clean_text(errors, "notes", notes, "Enter notes about the work")
    if errors:
        raise Refused(errors)
    assert on is not None
    item = Intervention.objects.create(case=case, kind=kind, date=on, worker=worker, notes=notes)
    audit_case(actor, case, "intervention recorded")
    return item


@transaction.atomic
def record_review(*, actor: User, case: Case, held_on: date | None, summary: str) -> Review:
    """Record a review; the next one is scheduled from it by the risk level.

    Refuses a missing or future date, a blank summary or a closed case.
    """
    require_open(case)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the review"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date must be today or in the past"
    summary = clean_text(errors, "summary", summary, "Enter a summary of the review")
    if errors:
        raise Refused(errors)
    assert held_on is not None
    locked = Case.objects.select_for_update().get(pk=case.pk)
    due = rules.next_review_due(held_on, locked.risk_level, rules.review_schedule())
    review = Review.objects.create(
        case=case, held_on=held_on, summary=summary, next_due=due, recorded_by=actor
    )
    Case.objects.filter(pk=case.pk).update(next_review_due=due, version=F("version") + 1)
    Revision.objects.create(
        case=case,
        record="case",
        version=locked.version + 1,
        changed_by=actor,
        changed_at=timezone.now(),
        what="review recorded",
        changes={"next_review_due": [locked.next_review_due.isoformat(), due.isoformat()]},
    )
    audit_case(actor, case, "review recorded")
    case.refresh_from_db()
    return review


@transaction.atomic
def add_chronology_entry(
    *,
    actor: User,
    case: Case,
    kind: str,
    occurred_at: datetime | None,
    title: str,
    detail: str = "",
    police_only: bool = False,
    third_party: bool = False,
) -> ChronologyEntry:
    """Add a contact, visit, piece of direct work or note to the child's chronology.

    Refuses an unknown kind, a missing or future time, a blank or over-long title.
    """
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = "Select what kind of entry this is"
    if occurred_at is None:
        errors["occurred_at"] = "Enter the date it happened"
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "The date must be today or in the past"
    title = clean_text(errors, "title", title, "Enter a short title")
    if len(title) > 200:
        errors["title"] = "Keep the title under 200 characters"
    if len(detail) > MAX_TEXT:
        errors["detail"] = f"Keep this under {MAX_TEXT:,} characters"
    if errors:
        raise Refused(errors)
    assert occurred_at is not None
    entry = ChronologyEntry.objects.create(
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        title=title,
        detail=detail.strip(),
        police_only=police_only,
        third_party=third_party,
        recorded_by=actor,
    )
    audit_case(actor, case, "chronology entry added", AuditAction.CREATE)
    return entry
