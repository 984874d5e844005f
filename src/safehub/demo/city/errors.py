"""Realistic recording errors, applied to one agency's copy of a person's details.

Every error applied is returned by name, and the truth file lists them per record, so linkage
can be scored and the rates can be checked against what was asked for. A rate is the chance
that a record the error can apply to gets it (see `spec.ERROR_KINDS`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from safehub.demo.city.model import Address, Person
from safehub.demo.city.names import nicknames, typo


@dataclass(slots=True)
class Recorded:
    """How one agency recorded a person."""

    given: str
    family: str
    dob: date | None
    address: Address | None
    errors: list[str]


def swappable(dob: date) -> bool:
    """Whether swapping day and month gives a different valid date."""
    return dob.day <= 12 and dob.day != dob.month


def record_person(person: Person, rng: random.Random, rates: dict[str, float]) -> Recorded:
    """The person's details as one agency wrote them down, errors included."""
    rand = rng.random
    errors: list[str] = []
    given, family, dob, address = person.given, person.family, person.dob, person.address
    variants = nicknames().get(given)
    if variants and rand() < rates["nickname"]:
        given = rng.choice(variants)
        errors.append("nickname")
    if person.alt_family and person.alt_family != family and rand() < rates["surname_change"]:
        family = person.alt_family
        errors.append("surname_change")
    if rand() < rates["typo"]:
        if rand() < 0.5:
            given = typo(rng, given)
        else:
            family = typo(rng, family)
        errors.append("typo")
    if rand() < rates["name_order_swapped"]:
        given, family = family, given
        errors.append("name_order_swapped")
    recorded_dob: date | None = dob
    if rand() < rates["dob_missing"]:
        recorded_dob = None
        errors.append("dob_missing")
    elif swappable(dob) and rand() < rates["dob_day_month_swapped"]:
        recorded_dob = date(dob.year, dob.day, dob.month)
        errors.append("dob_day_month_swapped")
    if person.previous_address is not None and rand() < rates["old_address"]:
        address = person.previous_address
        errors.append("old_address")
    return Recorded(given, family, recorded_dob, address, errors)


NO_ERRORS = dict.fromkeys(
    (
        "typo",
        "nickname",
        "name_order_swapped",
        "surname_change",
        "dob_day_month_swapped",
        "dob_missing",
        "old_address",
        "duplicate",
    ),
    0.0,
)
