"""Writing the access log: one call, made by the service layer and the views' read paths."""

from __future__ import annotations

import getpass
from collections.abc import Iterable

from safehub.audit.middleware import current_request_id
from safehub.audit.models import AccessEvent, AuditAction


def record_access(
    *,
    user: object,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    person_id: int | None = None,
    reason: str = "",
    channel: str = "web",
) -> AccessEvent:
    """Append one row to the access log for something a user did with a person's data."""
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
    object_type: str,
    person_ids: Iterable[int],
    reason: str = "",
    action: AuditAction = AuditAction.VIEW,
    channel: str = "web",
) -> int:
    """Append one access-log row per person shown in a list, in one insert, so each child's
    "who has looked" shows the list too. Returns how many rows were written. The reason says
    which list; it never holds what was searched for."""
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
