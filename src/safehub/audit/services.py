"""Writing the access log: one call, made by the service layer for changes and by the audited
reads (safehub.audit.reads) for what pages and the API show."""

from __future__ import annotations

import getpass
from collections.abc import Iterable

from safehub.audit.middleware import current_request_id
from safehub.audit.models import AccessEvent, AuditAction, AuditObjectType


def known_object_type(object_type: object) -> AuditObjectType:
    """Return `object_type` if it is an AuditObjectType member; refuse anything else at once
    (ValueError), a string too, even one whose value is in the set: a programming error, never
    user input, so an unknown kind of object never reaches the log."""
    if isinstance(object_type, AuditObjectType):
        return object_type
    if object_type in AuditObjectType.values:
        member = AuditObjectType(object_type).name
        raise ValueError(f"pass AuditObjectType.{member}, not the string {object_type!r}")
    raise ValueError(f"{object_type!r} is not an AuditObjectType: add it there first")


def record_access(
    *,
    user: object,
    action: AuditAction,
    object_type: AuditObjectType,
    object_id: object = "",
    person_id: int | None = None,
    reason: str = "",
    channel: str = "web",
) -> AccessEvent:
    """Append one row to the access log for something a user did with a person's data.
    Refuses (ValueError) an object type that is not an AuditObjectType member."""
    object_type = known_object_type(object_type)
    agency = getattr(user, "agency", None)
    username = getattr(user, "username", "") or (
        f"command line ({getpass.getuser()})" if channel == "cli" else "anonymous"
    )
    return AccessEvent.objects.create(
        user_id=getattr(user, "pk", None),
        username=username,
        agency_name=str(agency) if agency is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        person_id=person_id,
        reason=reason,
        request_id=current_request_id.get() if current_request_id.get() != "-" else "",
        channel=channel,
    )


def record_list_access(
    *,
    user: object,
    object_type: AuditObjectType,
    person_ids: Iterable[int],
    reason: str = "",
    action: AuditAction = AuditAction.VIEW,
    channel: str = "web",
) -> int:
    """Append one access-log row per person shown in a list, in one insert, so each child's
    "who has looked" shows the list too. Returns how many rows were written. The reason says
    which list; it never holds what was searched for. Refuses (ValueError) an object type that
    is not an AuditObjectType member, before writing anything."""
    object_type = known_object_type(object_type)
    agency = getattr(user, "agency", None)
    request_id = current_request_id.get() if current_request_id.get() != "-" else ""
    events = [
        AccessEvent(
            user_id=getattr(user, "pk", None),
            username=getattr(user, "username", "") or "anonymous",
            agency_name=str(agency) if agency is not None else "",
            action=action,
            object_type=object_type,
            object_id="",
            person_id=person_id,
            reason=reason,
            request_id=request_id,
            channel=channel,
        )
        for person_id in dict.fromkeys(person_ids)
    ]
    AccessEvent.objects.bulk_create(events)
    return len(events)
