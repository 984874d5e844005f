"""Missing pages through HTTP: journeys, refusals per role, audit rows, nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.missing.models import Alert, FlaggedLocation, MissingEpisode, ReturnInterview
from safehub.missing.team_services import ProfileDetails, save_profile
from safehub.people.models import AccessGrant, Person
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.missing.helpers import dt_post, make_child, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner() -> User:
    return make_user(Role.CSE_PRACTITIONER)


def episode_post(**overrides: str) -> dict[str, str]:
    seen = timezone.now() - timedelta(hours=6)
    data = {
        "missing_from": "care",
        "dfe_code": "M",
        "category": "missing",
        "risk": "medium",
        "reported_by": "Residential worker",
        "reported_by_agency": "Oakfield children's home",
        "police_reference": "PR-778",
        **dt_post("went_missing_at", seen),
        **dt_post("reported_at", seen + timedelta(hours=1)),
    }
    data.update(overrides)
    return data


def test_find_the_child_then_record_an_episode(client_for, mash_officer) -> None:
    child = make_child()
    client = client_for(mash_officer)
    typed = {
        "given_name": child.given_name,
        "family_name": child.family_name.upper(),
        "date_of_birth-day": "17",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2011",
    }
    page = client.post("/missing/record/", typed)
    assert page.status_code == 200 and child.family_name.encode() in page.content
    assert AccessEvent.objects.filter(action="search", person_id=child.pk).exists()
    chosen = client.post("/missing/record/", {**typed, "person": str(child.public_id), "shown": ""})
    assert chosen["Location"] == f"/missing/person/{child.public_id}/episodes/new/"
    response = client.post(chosen["Location"], episode_post())
    assert response.status_code == 302
    episode = MissingEpisode.objects.get(person=child)
    assert (episode.dfe_code, episode.recorded_by) == ("M", mash_officer)
    history = client.get(response["Location"])
    assert b"PR-778" in history.content and b"Oakfield" in history.content
    assert AccessEvent.objects.filter(
        action="view", object_type="missing_history", person_id=child.pk
    ).exists()


def test_an_unknown_child_is_offered_to_be_added_and_nobody_is_added_yet(
    client_for, mash_officer
) -> None:
    people = Person.objects.count()
    client = client_for(mash_officer)
    response = client.post(
        "/missing/record/",
        {
            "given_name": "Ysolde",
            "family_name": "Nobodyknows",
            "date_of_birth-day": "1",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2012",
        },
    )
    assert response["Location"] == "/missing/record/new-child/"
    page = client.get(response["Location"]).content.decode()
    assert "No child with these details is known to Safehub" in page
    assert 'value="Nobodyknows"' in page and 'value="2012"' in page
    assert Person.objects.count() == people


def test_finding_needs_both_names_and_the_date_of_birth(client_for, mash_officer) -> None:
    page = client_for(mash_officer).post("/missing/record/", {"family_name": "Nobodyknows"})
    text = page.content.decode()
    assert page.status_code == 200
    assert '<a href="#given_name">Enter the child&#x27;s first name</a>' in text
    assert '<a href="#date_of_birth-day">Enter the child&#x27;s date of birth</a>' in text


def test_impossible_timeline_shows_errors_and_writes_nothing(client_for, mash_officer) -> None:
    child = make_child()
    later = timezone.now() - timedelta(hours=1)
    page = client_for(mash_officer).post(
        f"/missing/person/{child.public_id}/episodes/new/",
        episode_post(
            **dt_post("reported_at", later - timedelta(days=1)), **dt_post("went_missing_at", later)
        ),
    )
    assert page.status_code == 200
    assert b"There is a problem" in page.content
    assert b"The report must be after the child was last seen" in page.content
    assert b'href="#reported_at-day"' in page.content
    assert not MissingEpisode.objects.exists()


def test_bad_time_is_refused_next_to_the_field(client_for, mash_officer) -> None:
    child = make_child()
    page = client_for(mash_officer).post(
        f"/missing/person/{child.public_id}/episodes/new/",
        episode_post(**{"went_missing_at-time": "25:99"}),
    )
    assert b"Enter the time like 21:30" in page.content
    assert not MissingEpisode.objects.exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.EDUCATION_WELFARE, Role.BOARD_MEMBER])
def test_other_roles_are_refused_and_the_refusal_is_logged(client_for, role: Role) -> None:
    child = make_child()
    user = make_user(role)
    client = client_for(user)
    assert client.get("/missing/record/").status_code == 403
    response = client.get(f"/missing/person/{child.public_id}/")
    assert response.status_code == 403 and child.family_name.encode() not in response.content
    assert AccessEvent.objects.filter(action="denied", user_id=user.pk, person_id=child.pk).exists()


def test_restricted_child_needs_a_grant(client_for, mash_officer) -> None:
    child = make_child()
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    client = client_for(mash_officer)
    assert client.get(f"/missing/person/{child.public_id}/").status_code == 403
    assert AccessEvent.objects.filter(action="denied", person_id=child.pk).exists()
    AccessGrant.objects.create(person=child, user=mash_officer, kind="explicit", reason="MASE")
    assert client.get(f"/missing/person/{child.public_id}/").status_code == 200


def test_return_then_interview_with_concerns_prompts_a_screening(
    client_for, mash_officer, practitioner
) -> None:
    episode = make_episode(mash_officer, make_child())
    found_at = timezone.now() - timedelta(hours=10)
    mash = client_for(mash_officer)
    response = mash.post(
        f"/missing/episode/{episode.public_id}/found/",
        {**dt_post("found_at", found_at), "found_place": "Bus station", "found_with": "Two men"},
    )
    assert response.status_code == 302
    client = client_for(practitioner)
    form = client.get(f"/missing/episode/{episode.public_id}/return-interview/")
    assert b"Due" in form.content
    # The recorder of the episode is not offered as an interviewer.
    assert f'value="{mash_officer.pk}"'.encode() not in form.content
    response = client.post(
        f"/missing/episode/{episode.public_id}/return-interview/",
        {
            **dt_post("offered_at", found_at + timedelta(hours=1)),
            **dt_post("completed_at", found_at + timedelta(hours=5)),
            "response": "accepted",
            "interviewer": str(practitioner.pk),
            "outcome": "Stayed at a flat with older boys",
            "pull_factors": ["older_people", "gifts"],
            "places": "Tower flats, CV1 4FS\nCanal towpath",
            "associates": "Big J",
            "exploitation_concerns": "yes",
            "concerns_detail": "Given vodka",
        },
    )
    assert response.status_code == 302
    history = client.get(response["Location"])
    assert b"Complete a CSE screening" in history.content
    assert b'href="/screening/"' in history.content
    assert ReturnInterview.objects.get().screening_prompted_at is not None
    assert Alert.objects.filter(trigger="rhi_exploitation").exists()


def test_recorder_posted_as_interviewer_is_refused(client_for, practitioner) -> None:
    episode = make_episode(practitioner, make_child(), found_after=timedelta(hours=3))
    assert episode.found_at is not None
    page = client_for(practitioner).post(
        f"/missing/episode/{episode.public_id}/return-interview/",
        {
            **dt_post("offered_at", episode.found_at + timedelta(hours=1)),
            **dt_post("completed_at", episode.found_at + timedelta(hours=2)),
            "response": "accepted",
            "interviewer": str(practitioner.pk),
            "outcome": "Talked",
            "exploitation_concerns": "no",
        },
    )
    assert b"The interviewer must be independent" in page.content
    assert not ReturnInterview.objects.exists()


def test_police_intelligence_records_episodes_but_not_interviews(client_for) -> None:
    police = make_user(Role.POLICE_INTELLIGENCE)
    episode = make_episode(police, make_child(), found_after=timedelta(hours=3))
    client = client_for(police)
    assert client.get(f"/missing/person/{episode.person.public_id}/").status_code == 200
    assert client.get(f"/missing/episode/{episode.public_id}/return-interview/").status_code == 403
    assert client.get("/missing/return-interviews/").status_code == 403


def test_overdue_list_hides_restricted_names(client_for, mash_officer, practitioner) -> None:
    open_child, hidden_child = make_child(), make_child()
    for child in (open_child, hidden_child):
        make_episode(
            mash_officer,
            child,
            went_missing_at=timezone.now() - timedelta(days=6),
            reported_at=timezone.now() - timedelta(days=6),
            found_after=timedelta(days=1),
        )
    Person.objects.filter(pk=hidden_child.pk).update(is_restricted=True)
    page = client_for(practitioner).get("/missing/return-interviews/")
    assert b"Overdue" in page.content and open_child.family_name.encode() in page.content
    assert hidden_child.family_name.encode() not in page.content
    assert b"Restricted record" in page.content


def test_alerts_are_listed_and_acknowledged(client_for, mash_officer) -> None:
    child = make_child()
    make_episode(mash_officer, child, risk="high")
    alert = Alert.objects.get()
    client = client_for(make_user(Role.CSE_MANAGER))
    page = client.get("/missing/alerts/")
    assert child.family_name.encode() in page.content and b"Graded high risk" in page.content
    assert client.post("/missing/alerts/", {"alert": str(alert.public_id)}).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert AccessEvent.objects.filter(object_type="missing_alert", action="change").exists()
    police = client_for(make_user(Role.POLICE_INTELLIGENCE))
    assert police.post("/missing/alerts/", {"alert": str(alert.public_id)}).status_code == 403


def test_findings_hide_small_numbers_from_mash_but_not_the_cse_team(
    client_for, mash_officer, practitioner
) -> None:
    for child in (make_child(), make_child()):
        episode = make_episode(mash_officer, child)
        MissingEpisode.objects.filter(pk=episode.pk).update(
            found_at=timezone.now() - timedelta(hours=1), found_place="Quayside Arcade"
        )
    team = client_for(practitioner).get("/missing/findings/")
    assert b"Quayside Arcade" in team.content
    mash = client_for(mash_officer).get("/missing/findings/")
    assert b"Quayside Arcade" not in mash.content and b"fewer than 3 children" in mash.content
    bad = client_for(practitioner).get(
        "/missing/findings/",
        {"start-day": "31", "start-month": "2", "start-year": "2025"},
    )
    assert b"There is a problem" in bad.content


def test_profile_edit_and_police_can_read_but_not_edit(client_for, mash_officer) -> None:
    child = make_child()
    client = client_for(mash_officer)
    empty = client.post(f"/missing/person/{child.public_id}/profile/edit/", {})
    assert b"Enter at least a description" in empty.content
    form = client.get(f"/missing/person/{child.public_id}/profile/edit/").content.decode()
    assert 'name="version" value="0"' in form  # no profile yet
    saved = client.post(
        f"/missing/person/{child.public_id}/profile/edit/",
        {"version": "0", "description": "Slim, dyed blue hair", "social_media": "snap: zq_2011"},
    )
    assert saved.status_code == 302
    police = client_for(make_user(Role.POLICE_INTELLIGENCE))
    page = police.get(f"/missing/person/{child.public_id}/profile/")
    assert b"dyed blue hair" in page.content and b"Update the profile" not in page.content
    assert police.get(f"/missing/person/{child.public_id}/profile/edit/").status_code == 403


def test_stale_profile_asks_for_review(client_for, mash_officer) -> None:
    child = make_child()
    profile = save_profile(
        actor=mash_officer, person=child, details=ProfileDetails(description="Tall"), read_version=0
    )
    type(profile).objects.filter(pk=profile.pk).update(
        updated_at=timezone.now() - timedelta(days=200)
    )
    page = client_for(mash_officer).get(f"/missing/person/{child.public_id}/profile/")
    assert b"has not been updated for more than 90 days" in page.content


def test_flagged_locations_are_the_managers(client_for) -> None:
    manager = make_user(Role.CSE_MANAGER)
    client = client_for(manager)
    assert client.post("/missing/flagged-locations/", {"name": "Crown Hotel"}).status_code == 302
    bad = client.post("/missing/flagged-locations/", {"name": "Elsewhere", "postcode": "nope"})
    assert b"Enter a full UK postcode" in bad.content
    location = FlaggedLocation.objects.get()
    client.post("/missing/flagged-locations/", {"remove": str(location.public_id)})
    location.refresh_from_db()
    assert not location.active
    practitioner = client_for(make_user(Role.CSE_PRACTITIONER))
    assert practitioner.get("/missing/flagged-locations/").status_code == 403


def test_navigation_links_follow_the_policy(client_for) -> None:
    # The home page lists every link the user may follow; the top bar the daily ones.
    manager_home = client_for(make_user(Role.CSE_MANAGER)).get("/")
    assert b'href="/missing/flagged-locations/"' in manager_home.content
    police_home = client_for(make_user(Role.POLICE_INTELLIGENCE)).get("/")
    assert b'href="/missing/record/"' in police_home.content
    assert b'href="/missing/alerts/"' not in police_home.content
