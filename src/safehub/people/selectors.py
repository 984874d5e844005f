"""Reading person records."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safehub.people.models import AccessGrant, MatchCheck, Person
from safehub.people.validators import normalise_nhs_number, normalise_upn


def has_access_grant(*, user_id: int, person_id: int) -> bool:
    """Whether the user holds a current grant to see this restricted person."""
    now = timezone.now()
    return (
        AccessGrant.objects.filter(user_id=user_id, person_id=person_id)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exists()
    )


def granted_person_ids(user_id: int) -> frozenset[int]:
    """The restricted people the user holds a current grant for."""
    now = timezone.now()
    return frozenset(
        AccessGrant.objects.filter(user_id=user_id)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("person_id", flat=True)
    )


def person_by_public_id(public_id: uuid.UUID | str) -> Person | None:
    return Person.objects.select_related("school").filter(public_id=public_id).first()


def people_created_by(user_id: int) -> QuerySet[Person]:
    return Person.objects.filter(created_by_id=user_id)


def find_existing_person(
    *, given_name: str, family_name: str, date_of_birth: date, nhs_number: str = "", upn: str = ""
) -> Person | None:
    """The one person a partner system's record certainly refers to, or None.

    Used where no human can choose among candidates (the API): an exact NHS number or UPN, or
    the same first name, last name and date of birth. Anything less certain adds a new person
    and leaves the match to record linkage and clerical review.
    """
    if nhs_number:
        found = Person.objects.filter(nhs_number=normalise_nhs_number(nhs_number)).first()
        if found:
            return found
    if upn:
        found = Person.objects.filter(upn=normalise_upn(upn)).first()
        if found:
            return found
    matches = list(
        Person.objects.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class MatchCheckCounts:
    """How the front-door checks of one journey were answered.

    `none_of_these` counts the new children added although likely matches were offered (where
    duplicates come from, if the user was wrong); `new_unmatched` those added when nothing
    was offered."""

    journey: str
    chosen: int = 0
    none_of_these: int = 0
    new_unmatched: int = 0

    @property
    def total(self) -> int:
        return self.chosen + self.none_of_these + self.new_unmatched


def match_check_outcomes(
    *, since: datetime | None = None, until: datetime | None = None
) -> list[MatchCheckCounts]:
    """The front-door checks answered in each journey (screening, referral, missing), counted
    by outcome, between `since` and `until` (either may be left open). Every journey is listed,
    with zeros when it had no checks."""
    checks = MatchCheck.objects.all()
    if since is not None:
        checks = checks.filter(checked_at__gte=since)
    if until is not None:
        checks = checks.filter(checked_at__lt=until)
    rows = checks.values("journey").annotate(
        chosen=Count("pk", filter=Q(outcome=MatchCheck.Outcome.CHOSEN)),
        none_of_these=Count("pk", filter=Q(outcome=MatchCheck.Outcome.NEW, candidates_shown__gt=0)),
        new_unmatched=Count("pk", filter=Q(outcome=MatchCheck.Outcome.NEW, candidates_shown=0)),
    )
    found: dict[str, dict[str, Any]] = {row["journey"]: dict(row) for row in rows}
    counted = ("chosen", "none_of_these", "new_unmatched")
    return [
        MatchCheckCounts(journey, *(int(found.get(journey, {}).get(n, 0)) for n in counted))
        for journey in MatchCheck.Journey.values
    ]


def people_for_profile() -> Iterator[tuple[int, uuid.UUID, date | None, str, str, str | None]]:
    """Every person for the problem profile's snapshot, as (id, public id, date of birth, sex,
    ethnicity code, school name or None): no names and no address. Read in chunks."""
    return Person.objects.values_list(
        "pk", "public_id", "date_of_birth", "sex", "ethnicity", "school__name"
    ).iterator(chunk_size=5000)
