"""The missing journey's front door, and the police's first notification of a child Safehub
does not know: find the child among the likely matches, or add them with the episode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.missing.models import MissingEpisode
from safehub.people.models import MatchCheck, Person
from safehub.policy.roles import AgencyType, Role
from tests.factories import make_agency, make_user
from tests.missing.helpers import dt_post
from tests.people.front_door_helpers import make_kay, typed_child

pytestmark = pytest.mark.django_db

FIND = "/missing/record/"
NEW_CHILD = "/missing/record/new-child/"


@pytest.fixture
def police() -> User:
    return make_user(Role.POLICE_INTELLIGENCE, agency=make_agency(AgencyType.POLICE))


def find_typed(**changes: str) -> dict[str, str]:
    child = typed_child(**changes)
    child.pop("sex")
    return child


def episode(**overrides: str) -> dict[str, str]:
    seen = timezone.now() - timedelta(hours=5)
    return {
        "missing_from": "home",
        "category": "missing",
        "risk": "high",
        "reported_by": "Mother",
        "police_reference": "WM-2026-0417",
        **dt_post("went_missing_at", seen),
        **dt_post("reported_at", seen + timedelta(hours=1)),
        **overrides,
    }


def first_notification(**changes: Any) -> dict[str, str]:
    return {**typed_child(**changes), **episode()}


def test_kay_brierly_test_is_offered_with_the_reasons_and_choosing_her_records_hers(
    client_for, police
) -> None:
    kay = make_kay()
    client = client_for(police)
    page = client.post(FIND, find_typed())
    text = page.content.decode()
    assert '<h1 class="govuk-fieldset__heading">Is this the child who is missing?</h1>' in text
    assert "Katherine Brierley-Test, born 12 March 2011" in text
    assert "Family name differs by one letter; Kay is a recorded also-known-as" in text
    assert "None of these: this is a child new to Safehub" in text
    response = client.post(FIND, {**find_typed(), "person": str(kay.public_id), "shown": ""})
    assert response["Location"] == f"/missing/person/{kay.public_id}/episodes/new/"
    assert client.post(response["Location"], episode()).status_code == 302
    assert MissingEpisode.objects.get().person == kay and Person.objects.count() == 1
    check = MatchCheck.objects.get()
    assert (check.journey, check.candidates_shown, check.outcome, check.person) == (
        "missing",
        1,
        "chosen",
        kay,
    )


def test_none_of_these_then_the_police_add_the_child_with_the_episode(client_for, police) -> None:
    kay = make_kay()
    client = client_for(police)
    shown = str(kay.public_id)
    response = client.post(FIND, {**find_typed(), "person": "none", "shown": shown})
    assert response["Location"] == NEW_CHILD
    page = client.get(NEW_CHILD).content.decode()
    assert 'value="Kay"' in page and 'value="Brierly-Test"' in page  # what was typed, kept
    response = client.post(NEW_CHILD, first_notification())
    added = Person.objects.exclude(pk=kay.pk).get()
    assert response["Location"] == f"/missing/person/{added.public_id}/"
    assert (added.given_name, added.created_by) == ("Kay", police)
    assert MissingEpisode.objects.get().person == added
    check = MatchCheck.objects.get()
    assert (check.candidates_shown, check.outcome, check.person) == (1, "new", added)
    history = client.get(response["Location"])
    assert b"WM-2026-0417" in history.content


def test_a_child_nobody_knows_is_added_as_not_asked(client_for, police) -> None:
    client = client_for(police)
    client.post(FIND, find_typed(given_name="Nerys", family_name="Pendlebury"))
    response = client.post(
        NEW_CHILD, first_notification(given_name="Nerys", family_name="Pendlebury")
    )
    assert response.status_code == 302
    check = MatchCheck.objects.get()
    assert (check.candidates_shown, check.outcome) == (0, "new")


def test_details_that_now_match_a_known_child_are_asked_about_first(client_for, police) -> None:
    kay = make_kay()
    client = client_for(police)
    # Straight to adding a child, with her details: the front door asks before anyone is added.
    page = client.post(NEW_CHILD, first_notification())
    text = page.content.decode()
    assert page.status_code == 200 and "Is this the child who is missing?" in text
    assert 'name="police_reference" value="WM-2026-0417"' in text  # the episode, carried
    assert not MissingEpisode.objects.exists() and Person.objects.count() == 1
    response = client.post(
        NEW_CHILD,
        {**first_notification(), "person": str(kay.public_id), "shown": str(kay.public_id)},
    )
    assert response["Location"] == f"/missing/person/{kay.public_id}/"
    assert MissingEpisode.objects.get().person == kay and Person.objects.count() == 1
    assert MatchCheck.objects.get().outcome == "chosen"


def test_no_answer_is_a_clear_error_and_changes_nothing(client_for, police) -> None:
    kay = make_kay()
    client = client_for(police)
    for url, data in ((FIND, find_typed()), (NEW_CHILD, first_notification())):
        page = client.post(url, {**data, "shown": str(kay.public_id)})
        text = page.content.decode()
        assert page.status_code == 200 and "<title>Error:" in text
        assert '<a href="#person">Select the child, or select ‘None of these’</a>' in text
    assert Person.objects.count() == 1
    assert not MissingEpisode.objects.exists() and not MatchCheck.objects.exists()


def test_a_refused_episode_adds_no_child(client_for, police) -> None:
    client = client_for(police)
    client.post(FIND, find_typed(given_name="Nerys", family_name="Pendlebury"))
    later = timezone.now() - timedelta(hours=1)
    bad = {
        **first_notification(given_name="Nerys", family_name="Pendlebury"),
        **dt_post("went_missing_at", later),
        **dt_post("reported_at", later - timedelta(days=1)),
    }
    page = client.post(NEW_CHILD, bad)
    assert page.status_code == 200
    assert b"The report must be after the child was last seen" in page.content
    assert not Person.objects.exists() and not MatchCheck.objects.exists()


def test_a_restricted_child_is_masked_and_needs_access_before_an_episode(
    client_for, police
) -> None:
    kay = make_kay()
    Person.objects.filter(pk=kay.pk).update(is_restricted=True)
    client = client_for(police)
    text = client.post(FIND, find_typed()).content.decode()
    assert "A restricted record matches: ask a CSE manager" in text
    assert "Katherine" not in text and "12 March 2011" not in text
    page = client.post(FIND, {**find_typed(), "person": str(kay.public_id), "shown": ""})
    assert b"This child&#x27;s record is restricted: ask a CSE manager" in page.content
    assert not MissingEpisode.objects.exists() and not MatchCheck.objects.exists()
    assert AccessEvent.objects.filter(
        person_id=kay.pk, reason="matched when recording a missing episode; restricted, not shown"
    ).exists()


def test_a_twin_sharing_the_family_name_and_date_of_birth_is_not_offered(
    client_for, mash_officer
) -> None:
    make_kay(given_name="Jade", known_as="")
    response = client_for(mash_officer).post(FIND, find_typed(given_name="Maisie"))
    assert response["Location"] == NEW_CHILD


@pytest.mark.parametrize("role", [Role.REFERRER, Role.EDUCATION_WELFARE, Role.POLICE_ANALYST])
def test_roles_that_do_not_record_episodes_cannot_add_a_child_here(client_for, role: Role) -> None:
    client: Client = client_for(make_user(role))
    assert client.get(NEW_CHILD).status_code == 403
    assert client.post(NEW_CHILD, first_notification()).status_code == 403
    assert not Person.objects.exists()


def test_the_police_add_children_only_in_this_journey(client_for, police) -> None:
    client = client_for(police)
    assert client.get("/screening/").status_code == 403
    assert client.get("/referrals/new/").status_code == 403
    assert client.get(NEW_CHILD).status_code == 200


def test_what_was_typed_on_the_new_child_page_is_kept_and_goes_when_sent(
    client_for, police
) -> None:
    from safehub.drafts.models import FormDraft

    client = client_for(police)
    details = first_notification(given_name="Nerys", family_name="Pendlebury")
    client.post("/accounts/drafts/", {**details, "draft_path": NEW_CHILD})
    page = client.get(NEW_CHILD).content.decode()
    assert "We kept what you typed" in page
    assert 'value="Pendlebury"' in page and 'value="WM-2026-0417"' in page
    assert client.post(NEW_CHILD, details).status_code == 302
    assert not FormDraft.objects.exists()
