"""The referral form's front door: "Is this the child you are referring?"

Before a referral adds a child, the shared matcher offers the likely matches (name, date of
birth and why); the referrer chooses one or "None of these", and the answer is recorded with
the referral. The referrer learns nothing else about a child offered."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safehub.accounts.models import Agency
from safehub.audit.models import AccessEvent
from safehub.people.models import MatchCheck, Person
from safehub.policy.roles import AgencyType
from safehub.referrals.models import Referral
from tests.factories import make_agency
from tests.intelligence.helpers import make_adult, make_poi
from tests.people.front_door_helpers import make_kay, typed_child

pytestmark = pytest.mark.django_db

REFERRAL = {
    "concerns": "Collected from school by an unknown adult in a taxi twice this week",
    "sharing_basis": "safeguarding",
    "family_aware": "no",
}


def refer(client: Client, child: dict[str, str] | None = None, **answer: str) -> Any:
    return client.post("/referrals/new/", {**(child or typed_child()), **REFERRAL, **answer})


def kay_on_file() -> tuple[Person, Agency]:
    school = make_agency(AgencyType.SCHOOL, name="Larkspur Vale Academy")
    kay = make_kay(nhs_number="9434765919", postcode="CV1 5RR", school_id=school.pk)
    return kay, school


def test_kay_brierly_test_is_offered_with_her_name_date_of_birth_and_reasons_only(
    client_for, referrer
) -> None:
    kay, school = kay_on_file()
    page = refer(client_for(referrer))
    text = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-fieldset__heading">Is this the child you are referring?</h1>' in text
    assert "Katherine Brierley-Test, born 12 March 2011" in text
    assert "Family name differs by one letter; Kay is a recorded also-known-as; date of" in text
    for private in (school.name, "9434765919", "943 476 5919", "CV1 5RR"):
        assert private not in text
    # Nothing is sent or added until the referrer answers; the referral is carried, not lost.
    assert not Referral.objects.exists() and Person.objects.count() == 1
    assert 'name="concerns" value="Collected from school' in text
    assert AccessEvent.objects.filter(
        person_id=kay.pk, action="search", reason="shown as a possible match when referring a child"
    ).exists()


def test_going_back_to_change_the_referral_loses_nothing(client_for, referrer) -> None:
    kay_on_file()
    client = client_for(referrer)
    refer(client)
    form = client.get("/referrals/new/").content.decode()
    assert 'value="Brierly-Test"' in form and REFERRAL["concerns"] in form


def test_choosing_her_sends_the_referral_for_her_and_adds_nobody(client_for, referrer) -> None:
    kay, _school = kay_on_file()
    response = refer(client_for(referrer), person=str(kay.public_id), shown=str(kay.public_id))
    assert response.status_code == 302
    assert Referral.objects.get().person == kay and Person.objects.count() == 1
    check = MatchCheck.objects.get()
    assert (check.journey, check.candidates_shown, check.outcome, check.person) == (
        "referral",
        1,
        "chosen",
        kay,
    )
    assert AccessEvent.objects.filter(
        person_id=kay.pk, reason="matched as the child being referred"
    ).exists()


def test_none_of_these_adds_the_child_and_records_the_answer(client_for, referrer) -> None:
    kay, _school = kay_on_file()
    response = refer(client_for(referrer), person="none", shown=str(kay.public_id))
    assert response.status_code == 302
    added = Referral.objects.get().person
    assert added != kay and (added.given_name, added.family_name) == ("Kay", "Brierly-Test")
    check = MatchCheck.objects.get()
    assert (check.candidates_shown, check.outcome, check.person) == (1, "new", added)


def test_sending_without_an_answer_is_a_clear_error_and_changes_nothing(
    client_for, referrer
) -> None:
    kay, _school = kay_on_file()
    page = refer(client_for(referrer), shown=str(kay.public_id))
    text = page.content.decode()
    assert page.status_code == 200 and "<title>Error:" in text
    assert '<a href="#person">Select the child, or select ‘None of these’</a>' in text
    assert not Referral.objects.exists() and Person.objects.count() == 1
    assert not MatchCheck.objects.exists()


def test_a_child_not_asked_about_cannot_be_refused_unseen(client_for, referrer) -> None:
    kay_on_file()
    # "None of these" posted without the child having been on the page.
    page = refer(client_for(referrer), person="none", shown="")
    assert page.status_code == 200 and b"found another child" in page.content
    assert not Referral.objects.exists() and Person.objects.count() == 1


def test_a_restricted_child_is_only_the_access_message_and_can_be_chosen(
    client_for, referrer
) -> None:
    kay, school = kay_on_file()
    Person.objects.filter(pk=kay.pk).update(is_restricted=True)
    client = client_for(referrer)
    text = refer(client).content.decode()
    assert "A restricted record matches: ask a CSE manager" in text
    for private in ("Katherine", "Brierley-Test", "12 March 2011", "also-known-as", school.name):
        assert private not in text
    response = refer(client, person=str(kay.public_id), shown=str(kay.public_id))
    assert response.status_code == 302 and Referral.objects.get().person == kay
    assert AccessEvent.objects.filter(
        person_id=kay.pk, reason="matched when referring a child; restricted, not shown"
    ).exists()


def test_a_child_sharing_only_a_date_of_birth_is_not_offered(client_for, referrer) -> None:
    kay, _school = kay_on_file()
    response = refer(client_for(referrer), typed_child("Nerys", "Pendlebury"))
    assert response.status_code == 302
    assert Referral.objects.get().person != kay
    assert MatchCheck.objects.get().candidates_shown == 0
    assert not AccessEvent.objects.filter(person_id=kay.pk, action="search").exists()


def test_a_person_of_interest_is_never_offered(client_for, referrer) -> None:
    born = date(2007, 6, 1)
    adult = make_poi(person=make_adult(date_of_birth=born)).person
    response = refer(client_for(referrer), typed_child(adult.given_name, adult.family_name, born))
    assert response.status_code == 302 and Referral.objects.get().person != adult
    assert not AccessEvent.objects.filter(person_id=adult.pk).exists()


def test_the_check_holds_no_names(client_for, referrer) -> None:
    kay, _school = kay_on_file()
    refer(client_for(referrer), person="none", shown=str(kay.public_id))
    row = MatchCheck.objects.values().get()
    assert not any(
        word in str(value) for value in row.values() for word in ("Kay", "Brierl", "2011")
    )
