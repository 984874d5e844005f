"""Recording disruption against persons of interest and places, and its outcomes. Each action
checks everything first and refuses with every problem at once (`Refused`, nothing
written); each writes its audit row in the same transaction.

Recording an outcome takes the version the officer's form was read at: if another officer
saved the disruption since, it is refused (`StaleEdit`, from safehub.versioning, carrying who
changed what) and nothing is written.

Callers check the policy first (`DISRUPTION_RECORD`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.intelligence import selectors
from safehub.intelligence.choices import (
    CHILD_NAMED,
    PERSON_DISRUPTIONS,
    PLACE_DISRUPTIONS,
    DisruptionKind,
    DisruptionOutcome,
)
from safehub.intelligence.models import Disruption
from safehub.refusals import Refused
from safehub.versioning import Change, history_since, save_if_current

# A CAWN under s.2 Child Abduction Act 1984 is for a child under 16, under s.49 Children Act
# 1989 for one under 18 in care: the form allows any child under 18.
CAWN_AGE_LIMIT = 18
# What an outcome changes (and so what a refused stale save shows).
OUTCOME_FIELDS = ("outcome", "ends_on", "notes")


@dataclass(frozen=True)
class DisruptionDetails:
    kind: str
    occurred_on: date | None
    subject_reference: str = ""
    location_reference: str = ""
    child_reference: str = ""
    ends_on: date | None = None
    outcome: str = DisruptionOutcome.PENDING
    notes: str = ""


def _dates(occurred: date | None, ends: date | None, today: date, errors: dict[str, str]) -> None:
    if occurred is None:
        errors.setdefault("occurred_on", "Enter the date it was served, made or done")
    elif occurred > today:
        errors["occurred_on"] = "The date must be today or in the past"
    if ends is not None and occurred is not None and ends < occurred:
        errors["ends_on"] = "The end date must be on or after the date it was served or made"


def _disruption(details: DisruptionDetails, today: date) -> tuple[dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    kind = details.kind
    if kind not in DisruptionKind.values:
        errors["kind"] = "Select the kind of disruption"
    if details.outcome not in DisruptionOutcome.values:
        errors["outcome"] = "Select the outcome"
    _dates(details.occurred_on, details.ends_on, today, errors)
    if len(details.notes) > 5000:
        errors["notes"] = "Notes must be 5000 characters or fewer"
    subject = child = None
    place = None
    if details.subject_reference:
        subject = selectors.person_by_police_reference(details.subject_reference)
        if subject is None:
            errors["subject_reference"] = "No person has this police reference"
    if details.location_reference:
        place = selectors.location_by_reference(details.location_reference)
        if place is None:
            errors["location_reference"] = "No location has this reference"
    if kind in PERSON_DISRUPTIONS and not details.subject_reference:
        errors["subject_reference"] = "Enter the police reference of the person it was against"
    if kind in PLACE_DISRUPTIONS and not details.location_reference:
        errors["location_reference"] = "Enter the reference of the place it was against"
    if (
        kind == DisruptionKind.LICENSING_REVIEW
        and not details.subject_reference
        and not details.location_reference
    ):
        errors["subject_reference"] = "Enter the person or the place the review is of"
    if kind in CHILD_NAMED:
        if not details.child_reference:
            errors["child_reference"] = "Enter the police reference of the child the notice names"
        else:
            child = selectors.person_by_police_reference(details.child_reference)
            if child is None:
                errors["child_reference"] = "No person has this police reference"
            elif subject is not None and child.pk == subject.pk:
                errors["child_reference"] = "The child cannot be the person the notice is served on"
            elif details.occurred_on is not None:
                age = selectors.age_on(child.date_of_birth, details.occurred_on)
                if age is None or age >= CAWN_AGE_LIMIT:
                    errors["child_reference"] = (
                        "The child must be under 18 on the day the notice was served"
                    )
    elif details.child_reference:
        errors["child_reference"] = "Only a child abduction warning notice names a child"
    return errors, {"subject": subject, "location": place, "child": child}


def disruption_problems(details: DisruptionDetails, *, today: date | None = None) -> dict[str, str]:
    """What `record_disruption` would refuse, by field (empty when it would not)."""
    return _disruption(details, today or timezone.localdate())[0]


@transaction.atomic
def record_disruption(
    *, actor: Any, details: DisruptionDetails, today: date | None = None
) -> Disruption:
    """Record action against a person or a place.

    Refuses: an unknown kind or outcome; a person's disruption without its subject (a person
    of interest or a known police person), a place's without its location, a licensing review
    with neither; a CAWN without its child (under 18 on the day served) or naming the subject;
    a child on any other kind; no date, a future date, an end before the start."""
    errors, ends = _disruption(details, today or timezone.localdate())
    if errors:
        raise Refused(errors)
    subject = ends["subject"]
    assert details.occurred_on is not None  # checked above
    done = Disruption.objects.create(
        kind=details.kind,
        **ends,
        occurred_on=details.occurred_on,
        ends_on=details.ends_on,
        outcome=details.outcome,
        notes=details.notes,
        created_by=actor,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.DISRUPTION,
        object_id=done.public_id,
        person_id=subject.pk if subject else None,
    )
    return done


def outcome_problems(
    disruption: Disruption, outcome: str, ends_on: date | None, note: str
) -> dict[str, str]:
    """What `update_disruption_outcome` would refuse, by field."""
    errors: dict[str, str] = {}
    if outcome not in DisruptionOutcome.values:
        errors["outcome"] = "Select the outcome"
    if ends_on is not None and ends_on < disruption.occurred_on:
        errors["ends_on"] = "The end date must be on or after the date it was served or made"
    if len(note) > 2000:
        errors["note"] = "The note must be 2000 characters or fewer"
    return errors


def changes_since(disruption: Disruption, version: int) -> list[Change]:
    """Who changed the disruption's outcome, end date or notes after `version`, and when."""
    return history_since(Disruption, disruption.pk, version, fields=OUTCOME_FIELDS)


@transaction.atomic
def update_disruption_outcome(
    *,
    actor: Any,
    disruption: Disruption,
    outcome: str,
    read_version: int,
    ends_on: date | None = None,
    note: str = "",
) -> Disruption:
    """Record a disruption's outcome (and its end date), adding a dated note if given, from a
    form read at `read_version`.

    Refuses an unknown outcome or an end before the date served or made (Refused);
    a form read before another officer saved the disruption (StaleEdit)."""
    errors = outcome_problems(disruption, outcome, ends_on, note)
    if errors:
        raise Refused(errors)
    locked = Disruption.objects.select_for_update().get(pk=disruption.pk)
    notes = locked.notes
    if note:
        stamp = timezone.localdate().strftime("%d/%m/%Y")
        notes = f"{notes}\n\n{stamp}: {note}".strip()
    save_if_current(
        Disruption,
        pk=locked.pk,
        read_version=read_version,
        fields={
            "outcome": outcome,
            "ends_on": ends_on if ends_on is not None else locked.ends_on,
            "notes": notes,
        },
        actor=actor,
        what="the outcome",
        changes_since=lambda since: changes_since(locked, since),
    )
    locked.refresh_from_db()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.DISRUPTION,
        object_id=locked.public_id,
        person_id=locked.subject_id,
        reason=f"outcome: {locked.get_outcome_display()}",
    )
    return locked
