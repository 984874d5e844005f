"""Reading screenings."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from safehub.screening.models import Screening
from safehub.timeline import TimelineEvent


def submissions_of(user_id: int) -> QuerySet[Screening]:
    """The screenings a user submitted, newest first, with their referral if any."""
    return (
        Screening.objects.filter(submitted_by_id=user_id)
        .select_related("person", "referral")
        .order_by("-submitted_at")
    )


def screening_by_public_id(public_id: uuid.UUID | str) -> Screening | None:
    return (
        Screening.objects.select_related("person", "submitted_by", "submitted_by_agency")
        .filter(public_id=public_id)
        .first()
    )


def screenings_for_person(person_id: int) -> QuerySet[Screening]:
    return Screening.objects.filter(person_id=person_id).select_related("submitted_by_agency")


def lowerings_awaiting_approval() -> QuerySet[Screening]:
    """Screenings whose practitioner asked for a lower result, oldest first."""
    from safehub.screening.models import Judgement

    return (
        Screening.objects.filter(judgement=Judgement.LOWERING_PENDING)
        .select_related("person", "judgement_by", "submitted_by_agency")
        .order_by("submitted_at")
    )


def timeline_for(person_id: int) -> list[TimelineEvent]:
    """A child's screenings as chronology events: the result and who screened (no answers)."""
    from django.urls import reverse

    from safehub.screening import registry

    events = []
    for s in screenings_for_person(person_id):
        try:
            label = registry.get_tool(s.tool_id, s.tool_version).category(s.final_category).label
        except KeyError:
            label = s.final_category
        agency = s.submitted_by_agency.name if s.submitted_by_agency else "unknown agency"
        events.append(
            TimelineEvent(
                when=s.submitted_at,
                kind="screening",
                title=f"Screening: {label}",
                detail=f"{s.tool_id} version {s.tool_version}, by {agency}",
                source="screening",
                url=reverse("screening:result", args=[s.public_id]),
            )
        )
    return events


def count_screenings(*, start: date, end: date, agency_type: str | None = None) -> int:
    """How many screenings were completed in the period (by one kind of agency if given).
    A count only: no one's details leave this app."""
    queryset = Screening.objects.filter(screening_date__range=(start, end))
    if agency_type is not None:
        queryset = queryset.filter(submitted_by_agency__agency_type=agency_type)
    return queryset.count()


def screenings_up_to(as_of: date) -> Iterable[tuple[int, date, str, str, list[str], str | None]]:
    """Screenings dated on or before `as_of`, for the problem profile's snapshot: (person id,
    screening date, tool id, final category, indicators counted, screening agency's type)."""
    return Screening.objects.filter(screening_date__lte=as_of).values_list(
        "person_id",
        "screening_date",
        "tool_id",
        "final_category",
        "computed_indicators",
        "submitted_by_agency__agency_type",
    )
