"""The screening's front door: "Is this the child you are screening?"

The likely matches come from the shared matcher (people.front_door): the referrer sees each
one's name, date of birth and why it matches, and must choose one or "None of these"; the
answer is recorded with the screening. Nothing else about a candidate is shown: an identifier
alone never reveals whose it is, a child sharing only a date of birth is not offered, a
restricted candidate is only the access message (and can still be chosen), and a person of
interest never appears.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safehub.audit.models import AccessEvent
from safehub.people.models import AccessGrant, MatchCheck, Person
from safehub.policy.roles import Role
from safehub.screening.models import Screening
from tests.factories import make_screening, make_user
from tests.intelligence.helpers import make_adult, make_poi
from tests.people.front_door_helpers import make_kay, typed_child
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


def finish(client: Client, draft: str) -> Screening:
    answer_all_groups(client, draft, "wm-cse-2014", {})
    done = client.post(f"/screening/draft/{draft}/check/", {})
    assert done.status_code == 302, done.content.decode()[:400]
    return Screening.objects.get(public_id=done["Location"].split("/")[2])


def test_kay_brierly_test_is_offered_katherine_and_choosing_her_adds_nobody(
    client_for, referrer
) -> None:
    kay = make_kay()
    client = client_for(referrer)
    draft, page = match_page(client, typed_child())
    text = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-fieldset__heading">Is this the child you are screening?</h1>' in text
    assert "Katherine Brierley-Test, born 12 March 2011" in text
    assert "Family name differs by one letter; Kay is a recorded also-known-as" in text
    assert '<div class="govuk-radios__divider">or</div>' in text
    assert "None of these: this is a child new to Safehub" in text
    people = Person.objects.count()
    client.post(f"/screening/draft/{draft}/known-child/", {"person": str(kay.public_id)})
    screening = finish(client, draft)
    assert screening.person == kay and Person.objects.count() == people
    check = MatchCheck.objects.get()
    assert (check.journey, check.candidates_shown, check.outcome, check.person) == (
        "screening",
        1,
        "chosen",
        kay,
    )
    assert check.checked_by == referrer


def test_none_of_these_adds_the_child_and_records_the_answer(client_for, referrer) -> None:
    kay = make_kay()
    client = client_for(referrer)
    draft, _page = match_page(client, typed_child())
    client.post(
        f"/screening/draft/{draft}/known-child/",
        {"person": "none", "shown": str(kay.public_id)},
    )
    screening = finish(client, draft)
    assert screening.person != kay and screening.person.given_name == "Kay"
    check = MatchCheck.objects.get()
    assert (check.candidates_shown, check.outcome, check.person) == (1, "new", screening.person)


def test_no_choice_is_a_clear_error_and_changes_nothing(client_for, referrer) -> None:
    make_kay()
    client = client_for(referrer)
    draft, _page = match_page(client, typed_child())
    people = Person.objects.count()
    response = client.post(f"/screening/draft/{draft}/known-child/", {})
    text = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#person">Select the child, or select ‘None of these’</a>' in text
    assert "<title>Error:" in text
    # Going round the question to the end does not add anyone either: it is asked again.
    answer_all_groups(client, draft, "wm-cse-2014", {})
    response = client.post(f"/screening/draft/{draft}/check/", {})
    assert response["Location"] == f"/screening/draft/{draft}/known-child/"
    assert Person.objects.count() == people
    assert not Screening.objects.filter(person__given_name="Kay").exists()
    assert not MatchCheck.objects.exists()


def test_a_new_child_with_no_likely_match_is_recorded_as_not_asked(client_for, referrer) -> None:
    client = client_for(referrer)
    draft, page = match_page(client, typed_child("Nerys", "Pendlebury-Vance"))
    assert page.status_code == 302
    screening = finish(client, draft)
    check = MatchCheck.objects.get()
    assert (check.candidates_shown, check.outcome, check.person) == (0, "new", screening.person)


def test_a_child_sharing_only_the_date_of_birth_is_not_offered(client_for, referrer) -> None:
    kay = make_kay()
    make_kay(given_name="Jade", known_as="")  # a twin: same family name and date of birth
    draft, page = match_page(client_for(referrer), typed_child("Nerys", "Pendlebury"))
    assert page.status_code == 302
    assert not AccessEvent.objects.filter(person_id=kay.pk).exclude(action="create").exists()


def test_the_same_family_name_and_date_of_birth_is_offered_as_before(client_for, referrer) -> None:
    # A twin, or a first name the nickname table does not know: the referrer typed the family
    # name and the date of birth, so offering the children who have both discloses nothing new.
    make_kay()
    make_kay(given_name="Jade", known_as="")
    _draft, page = match_page(client_for(referrer), typed_child("Maisie", "Brierley-Test"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Katherine Brierley-Test" in text and "Jade Brierley-Test" in text


def test_a_person_of_interest_is_never_offered(client_for, referrer) -> None:
    # A young man named in police intelligence: the details a screener might type for a child.
    adult = make_poi(person=make_adult(date_of_birth=date(2007, 6, 1))).person
    details = typed_child(adult.given_name, adult.family_name, date(2007, 6, 1))
    _draft, page = match_page(client_for(referrer), details)
    assert page.status_code == 302
    assert not AccessEvent.objects.filter(person_id=adult.pk).exists()


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
    assert b"NHS number matches" in page.content


def test_a_restricted_candidate_shows_only_the_access_message(client_for, referrer) -> None:
    person = existing_child(restricted=True)
    client = client_for(referrer)
    # The screener types the first name one letter out: the stored one must not come back.
    draft, page = match_page(client, describe(person, given_name="Zelder"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "A restricted record matches: ask a CSE manager" in text
    assert person.given_name not in text and "differs by one letter" not in text
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
    # The words typed are in no row.
    assert not events.filter(reason__icontains=shown.family_name).exists()
