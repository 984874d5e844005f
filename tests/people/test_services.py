"""Validating and creating person records; break-glass access."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.audit.models import AccessEvent
from safehub.people.models import AccessGrant, Person
from safehub.people.services import (
    break_glass,
    create_person,
    validate_person_details,
)
from safehub.policy.roles import Role
from safehub.refusals import Refused
from tests.factories import child_details, make_user

TODAY = date(2026, 11, 23)
GOOD = {
    "given_name": "Ivo",
    "family_name": "Sandercock",
    "date_of_birth": "2012-02-29",
    "sex": "male",
}


def test_good_details_are_accepted_and_normalised() -> None:
    details = validate_person_details(
        dict(GOOD, nhs_number="943-476-5919", postcode="cv1 5rr", given_name="  Ivo "), today=TODAY
    )
    assert details.given_name == "Ivo" and details.nhs_number == "9434765919"
    assert details.postcode == "CV1 5RR" and details.date_of_birth == date(2012, 2, 29)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(Refused) as caught:
        validate_person_details(
            {"date_of_birth": "2030-01-01", "sex": "x", "nhs_number": "1", "ethnicity": "martian"},
            today=TODAY,
        )
    assert set(caught.value.errors) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "ethnicity",
    }


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ("", "Enter the child's date of birth"),
        ("2012-13-01", "real date"),
        ("2026-11-24", "today or in the past"),
        ("1990-01-01", "within the last 25 years"),
    ],
)
def test_bad_dates_of_birth_are_refused(dob: str, message: str) -> None:
    with pytest.raises(Refused) as caught:
        validate_person_details(dict(GOOD, date_of_birth=dob), today=TODAY)
    assert message in caught.value.errors["date_of_birth"]


@given(st.dictionaries(st.sampled_from(list(GOOD) + ["nhs_number", "upn", "postcode"]), st.text()))
def test_validation_either_accepts_or_names_the_fields(data: dict[str, str]) -> None:
    try:
        validate_person_details(data, today=TODAY)
    except Refused as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())


@pytest.mark.django_db
def test_create_person_writes_the_record_and_an_audit_row() -> None:
    actor = make_user(Role.REFERRER)
    person = create_person(actor=actor, details=child_details(postcode="CV1 5RR"))
    assert Person.objects.get() == person and person.created_by == actor
    assert person.addresses.get().postcode == "CV1 5RR"
    event = AccessEvent.objects.get()
    assert (event.action, event.person_id, event.user_id) == ("create", person.pk, actor.pk)


@pytest.mark.django_db
def test_create_person_refuses_a_school_that_is_not_one() -> None:
    actor = make_user(Role.REFERRER)
    with pytest.raises(Refused):
        create_person(actor=actor, details=child_details(school_id=actor.agency_id + 999))
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_break_glass_needs_a_reason_and_is_flagged_for_review() -> None:
    actor = make_user(Role.MASH_OFFICER)
    person = create_person(actor=actor, details=child_details())
    with pytest.raises(Refused):
        break_glass(actor=actor, person=person, reason="  ")
    assert not AccessGrant.objects.exists()
    grant = break_glass(actor=actor, person=person, reason="Police report child missing tonight")
    assert grant.needs_review and grant.kind == "break_glass"
    assert AccessEvent.objects.filter(action="break_glass", person_id=person.pk).exists()
