"""Missing services: what they store, what they refuse (and that refusals store nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.cases.services import allocate_case, open_case
from safehub.missing.models import Alert, InterviewMention, MissingEpisode, ReturnInterview
from safehub.missing.services import (
    FoundDetails,
    record_episode,
    record_found,
    record_return_interview,
)
from safehub.missing.team_services import (
    ProfileDetails,
    acknowledge_alert,
    add_flagged_location,
    remove_flagged_location,
    save_profile,
)
from safehub.policy.roles import Role
from safehub.refusals import Refused
from tests.factories import make_user
from tests.missing.helpers import episode_details, interview_details, make_child, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def mash() -> User:
    return make_user(Role.MASH_OFFICER)


@pytest.fixture
def practitioner() -> User:
    return make_user(Role.CSE_PRACTITIONER)


def test_recording_an_episode_stores_it_and_audits(mash) -> None:
    child = make_child()
    episode = record_episode(actor=mash, person=child, details=episode_details())
    assert episode.person == child and episode.recorded_by_agency_id == mash.agency_id
    assert episode.duration is None
    assert AccessEvent.objects.filter(
        action="create", object_type="missing_episode", person_id=child.pk, user_id=mash.pk
    ).exists()


NOW = timezone.now()


@pytest.mark.parametrize(
    ("case", "overrides", "field"),
    [
        ("reported before last seen", {"reported_at": NOW - timedelta(days=3)}, "reported_at"),
        (
            "last seen in the future",
            {"went_missing_at": NOW + timedelta(days=1)},
            "went_missing_at",
        ),
        ("no reporter", {"reported_by": "  "}, "reported_by"),
        ("unknown risk", {"risk": "severe"}, "risk"),
        ("absent but high risk", {"category": "absent", "risk": "high"}, "risk"),
        ("care without DfE code", {"missing_from": "care"}, "dfe_code"),
        ("no last-seen time", {"went_missing_at": None}, "went_missing_at"),
    ],
)
def test_bad_episodes_are_refused_and_nothing_is_written(
    mash, case: str, overrides: dict, field: str
) -> None:
    child = make_child()
    events = AccessEvent.objects.count()
    with pytest.raises(Refused) as refused:
        record_episode(actor=mash, person=child, details=episode_details(**overrides))
    assert field in refused.value.errors, case
    assert not MissingEpisode.objects.exists() and not Alert.objects.exists()
    assert AccessEvent.objects.count() == events


def test_found_before_reported_is_refused_and_nothing_changes(mash) -> None:
    episode = make_episode(mash, make_child())
    with pytest.raises(Refused) as refused:
        record_found(
            actor=mash,
            episode=episode,
            details=FoundDetails(
                found_at=episode.reported_at - timedelta(minutes=1), found_place="Park"
            ),
        )
    assert "found_at" in refused.value.errors
    episode.refresh_from_db()
    assert episode.found_at is None and episode.found_place == ""


def test_found_records_the_return_once(mash) -> None:
    episode = make_episode(mash, make_child(), found_after=timedelta(hours=26))
    assert episode.duration == timedelta(hours=26)
    with pytest.raises(Refused):
        record_found(
            actor=mash,
            episode=episode,
            details=FoundDetails(found_at=timezone.now(), found_place="Home"),
        )


def test_third_episode_in_90_days_raises_one_alert_naming_the_episodes(mash) -> None:
    child = make_child()
    now = timezone.now()
    first = make_episode(
        mash, child, went_missing_at=now - timedelta(days=80), reported_at=now - timedelta(days=80)
    )
    make_episode(
        mash, child, went_missing_at=now - timedelta(days=40), reported_at=now - timedelta(days=40)
    )
    assert not Alert.objects.exists()
    third = make_episode(mash, child)
    alert = Alert.objects.get()
    assert alert.trigger == "repeat_episodes" and alert.episode == third
    assert first.reference in alert.explanation and third.reference in alert.explanation
    assert AccessEvent.objects.filter(object_type="missing_alert", action="create").count() == 1


@override_settings(SAFEHUB_MISSING_TRIGGERS={"repeat_episodes": 2, "repeat_window_days": 30})
def test_repeat_thresholds_are_read_from_settings(mash) -> None:
    child = make_child()
    make_episode(
        mash,
        child,
        went_missing_at=timezone.now() - timedelta(days=20),
        reported_at=timezone.now() - timedelta(days=20),
    )
    make_episode(mash, child)
    assert Alert.objects.filter(trigger="repeat_episodes").count() == 1


def test_high_risk_and_flagged_location_alerts(mash) -> None:
    manager = make_user(Role.CSE_MANAGER)
    add_flagged_location(actor=manager, name="Crown Hotel", postcode="cv1 2ab")
    episode = make_episode(mash, make_child(), risk="high")
    record_found(
        actor=mash,
        episode=episode,
        details=FoundDetails(
            found_at=timezone.now() - timedelta(hours=1),
            found_place="car park behind the hotel",
            found_postcode="CV12AB",
        ),
    )
    assert {a.trigger for a in Alert.objects.all()} == {"high_risk", "flagged_location"}
    # Saving again does not raise the same alert twice.
    assert Alert.objects.filter(episode=episode, trigger="high_risk").count() == 1


def test_interview_with_concerns_alerts_and_records_the_screening_prompt(
    mash, practitioner
) -> None:
    episode = make_episode(mash, make_child(), found_after=timedelta(hours=20))
    result = record_return_interview(
        actor=practitioner,
        episode=episode,
        details=interview_details(
            episode,
            completed_at=episode.found_at + timedelta(hours=10),
            interviewer_id=practitioner.pk,
            outcome="Went to a party with older men",
            pull_factors=("older_people", "gifts"),
            exploitation_concerns=True,
            concerns_detail="Given alcohol and a phone",
            places=(("Crown Hotel", "CV1 2AB"),),
            associates=("Big J",),
        ),
    )
    interview = result.interview
    assert interview.screening_prompted_at is not None
    assert [a.trigger for a in result.new_alerts] == ["rhi_exploitation"]
    assert InterviewMention.objects.filter(interview=interview).count() == 2
    assert AccessEvent.objects.filter(object_type="return_interview", action="create").exists()


@pytest.mark.parametrize(
    ("case", "overrides", "field"),
    [
        ("held before the return", {"completed_at": "before_found"}, "completed_at"),
        ("offered before the return", {"offered_at": "before_found"}, "offered_at"),
        ("held in the future", {"completed_at": "future"}, "completed_at"),
        ("held without an interviewer", {"completed_at": "later", "outcome": "x"}, "interviewer"),
        ("declined yet held", {"response": "declined", "completed_at": "later"}, "completed_at"),
        ("unknown pull factor", {"pull_factors": ("aliens",)}, "pull_factors"),
        ("concerns without detail", {"exploitation_concerns": True}, "concerns_detail"),
        ("bad postcode in a place", {"places": (("Park", "NOT A POSTCODE"),)}, "places"),
    ],
)
def test_bad_interviews_are_refused_and_nothing_is_written(
    mash, practitioner, case: str, overrides: dict, field: str
) -> None:
    episode = make_episode(mash, make_child(), found_after=timedelta(hours=20))
    assert episode.found_at is not None
    moments = {
        "before_found": episode.found_at - timedelta(minutes=1),
        "future": timezone.now() + timedelta(hours=1),
        "later": episode.found_at + timedelta(hours=5),
    }
    values = {k: moments.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    with pytest.raises(Refused) as refused:
        record_return_interview(
            actor=practitioner, episode=episode, details=interview_details(episode, **values)
        )
    assert field in refused.value.errors, case
    assert not ReturnInterview.objects.exists() and not Alert.objects.exists()


def test_interview_before_the_child_is_found_is_refused(mash, practitioner) -> None:
    episode = make_episode(mash, make_child())
    episode.found_at = timezone.now() - timedelta(hours=1)  # not saved: the stored one has none
    details = interview_details(episode)
    episode.refresh_from_db()
    with pytest.raises(Refused):
        record_return_interview(actor=practitioner, episode=episode, details=details)
    assert not ReturnInterview.objects.exists()


def test_the_recorder_cannot_be_the_interviewer(practitioner) -> None:
    episode = make_episode(practitioner, make_child(), found_after=timedelta(hours=20))
    assert episode.found_at is not None
    with pytest.raises(Refused) as refused:
        record_return_interview(
            actor=practitioner,
            episode=episode,
            details=interview_details(
                episode,
                completed_at=episode.found_at + timedelta(hours=10),
                interviewer_id=practitioner.pk,
                outcome="Talked",
            ),
        )
    assert "independent" in refused.value.errors["interviewer"]
    assert not ReturnInterview.objects.exists()


def test_profile_is_saved_and_updated(mash) -> None:
    child = make_child()
    with pytest.raises(Refused):
        save_profile(actor=mash, person=child, details=ProfileDetails(), read_version=0)
    made = save_profile(
        actor=mash,
        person=child,
        details=ProfileDetails(description="Tall, red coat"),
        read_version=0,
    )
    assert made.version == 1
    profile = save_profile(
        actor=mash,
        person=child,
        details=ProfileDetails(description="Tall", social_media="@zq"),
        read_version=made.version,
    )
    assert profile.description == "Tall" and profile.social_media == "@zq"
    assert profile.version == 2
    assert list(
        AccessEvent.objects.filter(object_type="missing_profile")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["create", "change"]


def test_alert_is_acknowledged_once(mash) -> None:
    make_episode(mash, make_child(), risk="high")
    alert = Alert.objects.get()
    acknowledge_alert(actor=mash, alert=alert)
    assert alert.acknowledged_by == mash and alert.acknowledged_at is not None
    with pytest.raises(Refused):
        acknowledge_alert(actor=mash, alert=alert)


def test_flagged_locations_refuse_duplicates_and_bad_postcodes() -> None:
    manager = make_user(Role.CSE_MANAGER)
    location = add_flagged_location(actor=manager, name="Canal Basin", note="Seen by police")
    for name, postcode, field in (
        ("", "", "name"),
        ("the canal basin", "", "name"),
        ("Somewhere", "XYZ", "postcode"),
    ):
        with pytest.raises(Refused) as refused:
            add_flagged_location(actor=manager, name=name, postcode=postcode)
        assert field in refused.value.errors
    remove_flagged_location(actor=manager, location=location)
    with pytest.raises(Refused):
        remove_flagged_location(actor=manager, location=location)
    add_flagged_location(actor=manager, name="Canal Basin")


def test_the_childs_allocated_worker_cannot_be_the_interviewer(mash, practitioner) -> None:
    manager = make_user(Role.CSE_MANAGER)
    child = make_child()
    case = open_case(actor=manager, person=child, referral=None, reason="Repeat missing")
    allocate_case(actor=manager, case=case, worker=practitioner, read_version=case.version)
    episode = make_episode(mash, child, found_after=timedelta(hours=20))
    assert episode.found_at is not None
    with pytest.raises(Refused) as refused:
        record_return_interview(
            actor=manager,
            episode=episode,
            details=interview_details(
                episode,
                completed_at=episode.found_at + timedelta(hours=10),
                interviewer_id=practitioner.pk,
                outcome="Talked",
            ),
        )
    assert "allocated worker" in refused.value.errors["interviewer"]
    assert not ReturnInterview.objects.exists()
