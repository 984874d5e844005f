"""Reading the access log."""

from __future__ import annotations

from django.db.models import QuerySet

from safehub.audit.models import AccessEvent


def access_events_for_person(person_id: int, *, limit: int = 50) -> QuerySet[AccessEvent]:
    """Who has looked at or changed this person's record, newest first."""
    return AccessEvent.objects.filter(person_id=person_id).order_by("-occurred_at", "-id")[:limit]
