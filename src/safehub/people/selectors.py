"""Reading person records."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from safehub.people.models import AccessGrant, Person
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


def find_matching_people(
    *,
    family_name: str,
    date_of_birth: date,
    given_name: str = "",
    nhs_number: str = "",
    upn: str = "",
    limit: int = 10,
) -> list[Person]:
    """People who may be the child a referrer describes, given names first.

    A candidate is returned only when what the searcher typed already identifies the child, so
    the match discloses nothing they did not know: the same family name and date of birth
    (case-insensitive), or an exact NHS number or UPN together with the same family name. An
    identifier alone never returns anyone, so nobody can learn whose a number is; a name alone
    never does either, so nobody can browse the index. Restricted people are returned like
    anyone else: the caller masks them through the policy's person scope.
    """
    family = family_name.strip()
    if not family:
        return []
    query = Q(family_name__iexact=family, date_of_birth=date_of_birth)
    if nhs_number:
        query |= Q(nhs_number=normalise_nhs_number(nhs_number), family_name__iexact=family)
    if upn:
        query |= Q(upn=normalise_upn(upn), family_name__iexact=family)
    people = list(Person.objects.filter(query).select_related("school")[: limit * 2])
    wanted = given_name.strip().lower()

    def rank(p: Person) -> tuple[int, str]:
        names = {p.given_name.lower(), *(n.strip().lower() for n in p.known_as.split(","))}
        return (0 if wanted and wanted in names else 1, p.given_name)

    return sorted(people, key=rank)[:limit]


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
