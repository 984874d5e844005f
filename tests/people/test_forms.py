"""The child's details form: the API's checks and messages, GOV.UK's date messages, and a
kept draft shown as typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from safehub.people.forms import PersonDetailsForm, typed_as_post
from safehub.people.services import validate_person_details
from safehub.refusals import Refused
from tests.factories import make_agency

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
GOOD = {
    "given_name": " Ivo ",
    "family_name": "Sandercock",
    "date_of_birth-day": "29",
    "date_of_birth-month": "2",
    "date_of_birth-year": "2012",
    "sex": "male",
    "nhs_number": "943-476-5919",
    "postcode": "cv1 5rr",
}


def post(**values: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(values)
    return data


def test_good_details_become_the_api_s_checked_details() -> None:
    school = make_agency()
    form = PersonDetailsForm(post(**GOOD, school_id=str(school.pk)), today=TODAY)
    assert form.is_valid(), form.errors
    assert form.details is not None
    assert form.details.given_name == "Ivo" and form.details.nhs_number == "9434765919"
    assert form.details.postcode == "CV1 5RR" and form.details.school_id == school.pk
    assert form.details.date_of_birth == date(2012, 2, 29)


def test_the_messages_are_the_api_s_own() -> None:
    bad = {"given_name": "", "family_name": "", "sex": "x", "nhs_number": "943 476 5918"}
    form = PersonDetailsForm(post(**bad), today=TODAY)
    assert not form.is_valid()
    with pytest.raises(Refused) as caught:
        validate_person_details(dict(bad, date_of_birth=""), today=TODAY)
    assert dict(form.error_list) == {
        ("date_of_birth-day" if k == "date_of_birth" else k): m
        for k, m in caught.value.errors.items()
    }
    assert [name for name, _ in form.error_list][:3] == [
        "given_name",
        "family_name",
        "date_of_birth-day",
    ]


def test_a_date_the_boxes_cannot_read_keeps_govuk_s_message() -> None:
    form = PersonDetailsForm(post(**dict(GOOD, **{"date_of_birth-month": ""})), today=TODAY)
    assert not form.is_valid()
    assert dict(form.error_list) == {"date_of_birth-day": "Date of birth must include a month"}
    later = {"date_of_birth-day": "28", "date_of_birth-year": "2099"}
    future = PersonDetailsForm(post(**dict(GOOD, **later)), today=TODAY)
    assert not future.is_valid()
    assert future.errors["date_of_birth"] == ["Date of birth must be today or in the past"]


def test_a_kept_draft_is_shown_as_typed_without_messages() -> None:
    form = PersonDetailsForm(post(given_name="Iv", **{"date_of_birth-day": "99"}), as_draft=True)
    html = str(form)
    assert 'name="given_name"' in html and 'value="Iv"' in html and 'value="99"' in html
    assert "govuk-error-message" not in html and form.error_list == []


def test_what_was_typed_round_trips_through_a_screening_draft() -> None:
    form = PersonDetailsForm(post(**GOOD), today=TODAY)
    assert form.is_valid()
    typed = form.typed()
    assert typed["given_name"] == "Ivo" and typed["date_of_birth_day"] == "29"
    again = PersonDetailsForm(typed_as_post(typed), today=TODAY)
    assert again.is_valid() and again.details == form.details
