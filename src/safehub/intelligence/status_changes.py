"""Closing and reopening a person of interest, and editing why they are of interest.

A person of interest is closed when the police judge they are no longer of interest (the
problem profile then leaves them out) and reopened when that changes. Each change keeps a
`PersonOfInterestStatusChange` row (who, when, from what to what, why) and writes an audit
row in the same transaction; bad input is refused with every problem at once
(`Refused`, nothing written). Both changes take the version the officer's page was
read at: if another officer saved the person of interest since, the change is refused
(`StaleEdit`, from safehub.versioning, carrying who changed what) and nothing is written.

Callers check the policy first (`INTEL_RECORD`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.intelligence.choices import PoiStatus
from safehub.intelligence.models import PersonOfInterest, PersonOfInterestStatusChange
from safehub.refusals import Refused
from safehub.versioning import Change, history_since, save_if_current

REASON_MAX = 500
# The field the status form's reason is posted in (the page also has the `reason` field).
STATUS_REASON = "status_reason"

# What a refused stale change shows (the status and why they are of interest).
POI_FIELDS = ("status", "reason")

_VERB = {PoiStatus.CLOSED: "closing", PoiStatus.ACTIVE: "reopening"}
_DONE = {PoiStatus.CLOSED: "closed", PoiStatus.ACTIVE: "active"}


def status_change_problems(poi: PersonOfInterest, to_status: str, reason: str) -> dict[str, str]:
    """What `change_status` would refuse, by field (empty when it would not): an unknown
    status, the status they already have, a missing reason or one over 500 characters."""
    reason = reason.strip()
    if to_status not in PoiStatus.values:
        return {STATUS_REASON: "Choose whether to close or reopen this person of interest"}
    target = PoiStatus(to_status)
    if poi.status == target:
        return {STATUS_REASON: f"This person of interest is already {_DONE[target]}"}
    if not reason:
        return {STATUS_REASON: f"Say why you are {_VERB[target]} this person of interest"}
    if len(reason) > REASON_MAX:
        return {STATUS_REASON: f"The reason must be {REASON_MAX} characters or fewer"}
    return {}


def changes_since(person_of_interest: PersonOfInterest, version: int) -> list[Change]:
    """Who changed the person of interest after `version`, when, and what."""
    return history_since(PersonOfInterest, person_of_interest.pk, version, fields=POI_FIELDS)


def _save(
    actor: Any, poi: PersonOfInterest, read_version: int, fields: dict[str, Any], what: str
) -> None:
    save_if_current(
        PersonOfInterest,
        pk=poi.pk,
        read_version=read_version,
        fields=fields,
        actor=actor,
        what=what,
        changes_since=lambda since: changes_since(poi, since),
    )


@transaction.atomic
def change_status(
    *,
    actor: Any,
    person_of_interest: PersonOfInterest,
    to_status: str,
    reason: str,
    read_version: int,
) -> PersonOfInterestStatusChange:
    """Close an active person of interest or reopen a closed one, keeping the history.

    Refuses an unknown status, the status they already have (checked on the locked row, so
    two officers closing at once make one change), and a missing or over-long reason
    (Refused); a page read before another officer saved a change (StaleEdit)."""
    locked = PersonOfInterest.objects.select_for_update().get(pk=person_of_interest.pk)
    errors = status_change_problems(locked, to_status, reason)
    if errors:
        raise Refused(errors)
    _save(actor, locked, read_version, {"status": to_status}, "the status")
    change = PersonOfInterestStatusChange.objects.create(
        person_of_interest=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=actor,
    )
    person_of_interest.refresh_from_db()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.PERSON_OF_INTEREST,
        object_id=locked.public_id,
        person_id=locked.person_id,
        reason=f"status: {change.from_status} to {change.to_status}",
    )
    return change


def reason_problems(reason: str) -> dict[str, str]:
    """What `edit_reason` would refuse: no reason, or one over 500 characters."""
    reason = reason.strip()
    if not reason:
        return {"reason": "Say why they are of interest"}
    if len(reason) > REASON_MAX:
        return {"reason": f"Reason must be {REASON_MAX} characters or fewer"}
    return {}


@transaction.atomic
def edit_reason(
    *, actor: Any, person_of_interest: PersonOfInterest, reason: str, read_version: int
) -> bool:
    """Replace why they are of interest. Returns False (and writes nothing) when the text is
    what is saved already. Refuses a missing or over-long reason (Refused); a page
    read before another officer saved a change (StaleEdit)."""
    errors = reason_problems(reason)
    if errors:
        raise Refused(errors)
    locked = PersonOfInterest.objects.select_for_update().get(pk=person_of_interest.pk)
    reason = reason.strip()
    if locked.reason == reason:
        return False
    _save(actor, locked, read_version, {"reason": reason}, "why they are of interest")
    person_of_interest.refresh_from_db()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.PERSON_OF_INTEREST,
        object_id=locked.public_id,
        person_id=locked.person_id,
        reason="why they are of interest edited",
    )
    return True
