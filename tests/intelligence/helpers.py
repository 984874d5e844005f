"""Test data for police intelligence. Synthetic names only."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from safehub.accounts.models import User
from safehub.intelligence.choices import AssociationKind, DisruptionKind, LocationKind
from safehub.intelligence.models import (
    Association,
    Disruption,
    Location,
    PersonOfInterest,
    Vehicle,
)
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role
from tests.factories import make_agency, make_user

_seq = itertools.count(1)


def police_user(role: Role = Role.POLICE_INTELLIGENCE) -> User:
    return make_user(role, agency=make_agency(AgencyType.POLICE))


def make_adult(**overrides: Any) -> Person:
    n = next(_seq)
    data: dict[str, Any] = {
        "given_name": "Testman",
        "family_name": f"Adult{n}",
        "date_of_birth": date(1980, 1, 1),
        "sex": "male",
    }
    data.update(overrides)
    return Person.objects.create(**data)


def make_child(**overrides: Any) -> Person:
    return make_adult(
        **{
            "given_name": "Testgirl",
            "date_of_birth": date(2012, 5, 5),
            "sex": "female",
            **overrides,
        }
    )


def make_poi(owner: User | None = None, **overrides: Any) -> PersonOfInterest:
    n = next(_seq)
    person = overrides.pop("person", None) or make_adult()
    return PersonOfInterest.objects.create(
        person=person,
        police_reference=overrides.pop("police_reference", f"PN8{n:08d}"),
        reason="Seen with children",
        created_by=owner,
        **overrides,
    )


def make_location(owner: User | None = None, **overrides: Any) -> Location:
    n = next(_seq)
    data: dict[str, Any] = {
        "reference": f"LT{n:05d}",
        "kind": LocationKind.HOTEL,
        "name": f"Testbury Lodge {n}",
        "postcode": "SH1 2BB",
        "created_by": owner,
    }
    data.update(overrides)
    return Location.objects.create(**data)


def make_vehicle(owner: User | None = None, **overrides: Any) -> Vehicle:
    n = next(_seq)
    data: dict[str, Any] = {"vrm": f"TE{n:02d}ABC", "make_model": "Ford Focus", "created_by": owner}
    data.update(overrides)
    return Vehicle.objects.create(**data)


def make_association(owner: User | None = None, **ends: Any) -> Association:
    if not ends:
        ends = {"person": make_adult(), "location": make_location()}
    return Association.objects.create(
        kind=AssociationKind.SEEN_AT_LOCATION,
        recorded_on=date(2026, 1, 10),
        source="Patrol log",
        created_by=owner,
        **ends,
    )


def make_disruption(owner: User | None = None, **fields: Any) -> Disruption:
    data: dict[str, Any] = {
        "kind": DisruptionKind.LETTER_OF_CONCERN,
        "subject": make_adult(),
        "occurred_on": date(2026, 2, 1),
        "created_by": owner,
    }
    data.update(fields)
    return Disruption.objects.create(**data)


INTELLIGENCE_KINDS = frozenset(
    {"person_of_interest", "intel_location", "intel_vehicle", "association", "disruption"}
)


def intelligence_target(kind: str, user: User, *, own: bool) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix: a record the user made (own) or not."""
    owner = user if own else None
    maker = {
        "person_of_interest": make_poi,
        "intel_location": make_location,
        "intel_vehicle": make_vehicle,
        "association": make_association,
        "disruption": make_disruption,
    }[kind]
    return {"public_id": maker(owner).public_id}
