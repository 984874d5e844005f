"""Audited reads: how a page or an API response writes the access-log row for what it shows.

Views (views.py, *_views.py and the API) never write the access log themselves: a read of a
person's data goes through `audited_read` (one record, a search, an export or a refusal) or
`audited_list` (a list page), and tests/audit/test_reads.py fails if a view module
calls `record_access` or touches `AccessEvent` directly. Changes are audited by the service
that makes them, so these refuse the actions that change data.
"""

from __future__ import annotations

from collections.abc import Iterable

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import known_object_type, record_access, record_list_access

# What a read can be. CREATE, CHANGE and BREAK_GLASS are written by services, with the change.
READ_ACTIONS = frozenset(
    {AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT, AuditAction.DENIED}
)


def _read_action(action: AuditAction) -> AuditAction:
    if action not in READ_ACTIONS:
        raise ValueError(f"{action!r} changes data: the service that makes the change audits it")
    return action


def audited_read(
    reader: object,
    object_type: AuditObjectType,
    *,
    object_id: object = "",
    person_id: int | None = None,
    reason: str = "",
    action: AuditAction = AuditAction.VIEW,
    channel: str = "web",
) -> None:
    """Write the access-log row for one read by `reader`: a record shown (VIEW), a search made
    (SEARCH), a file produced (EXPORT) or a record refused (DENIED), with the person concerned.

    Refuses (ValueError, nothing written) an object type outside AuditObjectType and an action
    that changes data."""
    record_access(
        user=reader,
        action=_read_action(action),
        object_type=known_object_type(object_type),
        object_id=object_id,
        person_id=person_id,
        reason=reason,
        channel=channel,
    )


def audited_list(
    reader: object,
    object_type: AuditObjectType,
    *,
    summary: object | None = None,
    summary_reason: str = "",
    person_ids: Iterable[int] = (),
    reason: str = "",
    action: AuditAction = AuditAction.VIEW,
    channel: str = "web",
) -> None:
    """Write the access-log rows for a list shown to `reader`: when `summary` is given, one row
    for the list itself (its object id is `summary`, such as how many rows were shown), then one
    row per person named in the list, in one insert, with `reason` saying which list (never
    what was searched for), so each child's "who has looked" shows the list.

    Refuses (ValueError, nothing written) an object type outside AuditObjectType and an action
    that changes data."""
    object_type = known_object_type(object_type)
    action = _read_action(action)
    if summary is not None:
        record_access(
            user=reader,
            action=action,
            object_type=object_type,
            object_id=summary,
            reason=summary_reason,
            channel=channel,
        )
    record_list_access(
        user=reader,
        object_type=object_type,
        person_ids=person_ids,
        reason=reason,
        action=action,
        channel=channel,
    )
