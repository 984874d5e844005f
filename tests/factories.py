"""Factories for test data. Synthetic names only."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from safehub.accounts.models import Agency, User
from safehub.accounts.services import create_agency, create_user
from safehub.people.models import Person
from safehub.people.services import PersonDetails
from safehub.policy.roles import AgencyType, Role
from safehub.screening import registry
from safehub.screening.services import Submission, submit_screening

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_agency(agency_type: AgencyType = AgencyType.SCHOOL, name: str | None = None) -> Agency:
    n = next(_seq)
    return create_agency(name=name or f"Test {agency_type.label} {n}", agency_type=agency_type)


def make_user(*roles: Role, agency: Agency | None = None, username: str | None = None) -> User:
    n = next(_seq)
    return create_user(
        username=username or f"user{n}",
        password=PASSWORD,
        agency=agency or make_agency(),
        roles=list(roles),
        first_name="Test",
        last_name=f"User{n}",
    )


def child_details(**overrides: Any) -> PersonDetails:
    n = next(_seq)
    data: dict[str, Any] = {
        "given_name": "Zelda",
        "family_name": f"Quorington{n}",
        "date_of_birth": date(2011, 5, 17),
        "sex": "female",
    }
    data.update(overrides)
    return PersonDetails(**data)


def lowest_option(indicator: Any) -> str:
    """The answer that says the indicator is absent ("no" or "not_present")."""
    ids = [o.id for o in indicator.options]
    return next(i for i in ("no", "not_present") if i in ids)


def wm_answers(**positive: str) -> dict[str, str]:
    """Answers to every wm-cse-2014 indicator at its lowest option, except those given."""
    tool = registry.get_tool("wm-cse-2014")
    answers = {i.id: lowest_option(i) for i in tool.indicators()}
    answers.update(positive)
    return answers


def make_screening(actor: User, person: Person | None = None, **positive: str) -> Submission:
    tool = registry.get_tool("wm-cse-2014")
    return submit_screening(
        actor=actor,
        tool=tool,
        answers=wm_answers(**positive),
        screening_date=date.today(),
        person=person,
        new_person=None if person is not None else child_details(),
        sharing_basis="safeguarding",
        family_aware="yes",
    )
