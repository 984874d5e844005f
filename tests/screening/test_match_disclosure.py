"""Front-door matching discloses nothing the person screening did not already know.

A candidate is shown only for the same family name and date of birth, or an identifier with the
same family name; an identifier alone never reveals whose it is; a restricted candidate shows
only the access message, can still be chosen, and its name never reaches the screener.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehub.audit.models import AccessEvent
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user
from tests.screening.test_views import CHILD, answer_all_groups, start_draft

pytestmark = pytest.mark.django_db
NHS = "9434765919"


def existing_child(*, restricted: bool = False) -> Person:
    person = make_screening(make_user(Role.REFERRER)).screening.person
    Person.objects.filter(pk=person.pk).update(nhs_number=NHS, is_restricted=restricted)
    person.refresh_from_db()
    return person


def describe(person: Person, **changes: str) -> dict[str, Any]:
    assert person.date_of_birth is not None
    details = dict(
        CHILD,
        given_name=person.given_name,
        family_name=person.family_name,
        nhs_number="",
        **{
            "date_of_birth-day": str(person.date_of_birth.day),
            "date_of_birth-month": str(person.date_of_birth.month),
            "date_of_birth-year": str(person.date_of_birth.year),
        },
    )
    details.update(changes)
    return details


def match_page(client: Client, details: dict[str, Any]) -> tuple[str, Any]:
    draft = start_draft(client)
    response = client.post(f"/screening/draft/{draft}/child/", details)
    assert response.status_code == 302, response.content.decode()[:400]
    return draft, client.get(f"/screening/draft/{draft}/known-child/")


def test_name_and_date_of_birth_show_the_candidate(client_for, referrer) -> None:
    person = existing_child()
    _draft, page = match_page(client_for(referrer), describe(person))
    assert page.status_code == 200
    assert person.given_name.encode() in page.content


def test_an_nhs_number_alone_never_reveals_whose_it_is(client_for, referrer) -> None:
    person = existing_child()
    details = describe(
        person,
        given_name="Someone",
        family_name="Elsewhere",
        nhs_number=NHS,
        **{"date_of_birth-year": "2012"},
    )
    draft, page = match_page(client_for(referrer), details)
    # No candidate: straight on to the questions, and nothing of the child in the response.
    assert page.status_code == 302
    assert page["Location"].endswith(f"/screening/draft/{draft}/questions/1/")
    assert not AccessEvent.objects.filter(person_id=person.pk, action="search").exists()


def test_an_nhs_number_with_the_family_name_shows_the_candidate(client_for, referrer) -> None:
    person = existing_child()
    details = describe(person, given_name="Other", nhs_number=NHS, **{"date_of_birth-year": "2012"})
    _draft, page = match_page(client_for(referrer), details)
    assert page.status_code == 200
    assert person.given_name.encode() in page.content


def test_a_restricted_candidate_shows_only_the_access_message(client_for, referrer) -> None:
    person = existing_child(restricted=True)
    client = client_for(referrer)
    # The screener types a different first name: the stored one must not come back.
    draft, page = match_page(client, describe(person, given_name="Kay"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "A restricted record matches" in text
    assert person.given_name not in text
    assert person.school is None or person.school.name not in text
    # Choosing it joins the screening to the record without revealing it.
    client.post(f"/screening/draft/{draft}/known-child/", {"person": str(person.public_id)})
    answer_all_groups(client, draft, "wm-cse-2014", {})
    done = client.post(f"/screening/draft/{draft}/check/", {})
    assert done.status_code == 302
    assert person.screenings.count() == 2
    result = client.get(done["Location"]).content.decode()
    assert "a restricted record" in result and person.given_name not in result
    submissions = client.get("/screening/submissions/").content.decode()
    assert person.given_name not in submissions and "A restricted record" in submissions


def test_a_grant_shows_the_restricted_candidate(client_for, referrer) -> None:
    from safehub.people.models import AccessGrant

    person = existing_child(restricted=True)
    AccessGrant.objects.create(person=person, user=referrer, kind="explicit", reason="Named worker")
    _draft, page = match_page(client_for(referrer), describe(person))
    assert person.given_name.encode() in page.content


def test_each_candidate_shown_is_audited_against_the_child(client_for, referrer) -> None:
    shown, hidden = existing_child(), existing_child(restricted=True)
    Person.objects.filter(pk=hidden.pk).update(
        family_name=shown.family_name, date_of_birth=shown.date_of_birth
    )
    match_page(client_for(referrer), describe(shown))
    events = AccessEvent.objects.filter(user_id=referrer.pk, action="search")
    reasons = dict(events.values_list("person_id", "reason"))
    assert reasons[shown.pk] == "shown as a possible match when screening"
    assert reasons[hidden.pk] == "matched when screening; restricted, not shown"
