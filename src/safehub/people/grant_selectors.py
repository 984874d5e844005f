"""Reading access grants: who holds access to a restricted child now, who held it, and which
break-glass accesses wait for a manager's review. (Whether one user holds a grant now is
`selectors.has_access_grant`, which the policy asks.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safehub.people.models import AccessGrant

# The record page lists this many finished grants, newest first; the access log has them all.
FINISHED_SHOWN = 20


@dataclass(frozen=True)
class GrantsOnPerson:
    current: list[AccessGrant]
    finished: list[AccessGrant]


def grants_on_person(person_id: int, *, at: datetime) -> GrantsOnPerson:
    """The grants on one person: those giving access at `at` (soonest end first, open-ended
    last) and the most recent ones that had run out or been ended by then."""
    grants = AccessGrant.objects.filter(person_id=person_id).select_related(
        "user", "user__agency", "granted_by", "reviewed_by"
    )
    current = sorted(
        grants.current(at), key=lambda g: (g.expires_at is None, g.expires_at or at, g.pk)
    )
    finished = list(grants.finished(at).order_by("-expires_at", "-pk")[:FINISHED_SHOWN])
    return GrantsOnPerson(current=current, finished=finished)


def break_glass_awaiting_review(limit: int = 200) -> list[AccessGrant]:
    """Break-glass accesses no manager has reviewed yet, oldest first (running or run out)."""
    return list(
        AccessGrant.objects.filter(kind=AccessGrant.Kind.BREAK_GLASS, needs_review=True)
        .select_related("person", "user", "user__agency")
        .order_by("granted_at", "pk")[:limit]
    )
