"""The child every front-door test looks for: Katherine Brierley-Test, also known as Kay.

"Kay Brierly-Test" (her recorded also-known-as name, the family name one letter short, the
same date of birth and sex) is how a referrer who knows her types her. Synthetic names only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safehub.accounts.models import User
from safehub.people.models import Person
from safehub.people.services import PersonDetails, create_person
from safehub.policy.roles import Role
from tests.factories import make_user

KAY_BORN = date(2011, 3, 12)


def make_kay(actor: User | None = None, **overrides: Any) -> Person:
    details: dict[str, Any] = {
        "given_name": "Katherine",
        "family_name": "Brierley-Test",
        "known_as": "Kay",
        "date_of_birth": KAY_BORN,
        "sex": "female",
    }
    details.update(overrides)
    return create_person(
        actor=actor or make_user(Role.MASH_OFFICER), details=PersonDetails(**details)
    )


def typed_child(
    given_name: str = "Kay",
    family_name: str = "Brierly-Test",
    born: date = KAY_BORN,
    **more: str,
) -> dict[str, str]:
    """A child's details as a form posts them."""
    return {
        "given_name": given_name,
        "family_name": family_name,
        "date_of_birth-day": str(born.day),
        "date_of_birth-month": str(born.month),
        "date_of_birth-year": str(born.year),
        "sex": "female",
        **more,
    }
