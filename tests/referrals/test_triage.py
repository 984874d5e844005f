"""MASH triage: rating, deciding, milestones, requests for information; refusals and stale
saves; the referrer told the outcome only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from safehub.audit.models import AccessEvent
from safehub.policy.roles import AgencyType, Role
from safehub.referrals.models import InformationRequest, RagChange, Referral, TriageDecision
from safehub.referrals.triage import (
    decide_referral,
    rate_referral,
    record_information_answer,
    record_milestone,
    request_information,
)
from safehub.refusals import Refused
from tests.factories import make_agency, make_screening, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral() -> Referral:
    referrer = make_user(Role.REFERRER)
    referrer.email = "dsl@example.invalid"
    referrer.save()
    made = make_screening(referrer, missing_repeat="current").referral
    assert made is not None
    return made


def test_ratings_change_and_every_change_is_kept(referral: Referral, mash_officer) -> None:
    rate_referral(
        actor=mash_officer,
        referral=referral,
        rating="amber",
        reason="First look",
        version=referral.version,
    )
    rate_referral(
        actor=mash_officer,
        referral=referral,
        rating="red",
        reason="Police info",
        version=referral.version,
    )
    referral.refresh_from_db()
    assert referral.rag == "red" and referral.status == "in_triage"
    assert list(RagChange.objects.values_list("rating", flat=True)) == ["amber", "red"]
    assert AccessEvent.objects.filter(action="change", object_type="referral").count() == 2


def test_a_stale_save_is_refused_and_nothing_changes(referral: Referral, mash_officer) -> None:
    read_version = referral.version
    other = make_user(Role.MASH_OFFICER)
    rate_referral(
        actor=other,
        referral=Referral.objects.get(pk=referral.pk),
        rating="green",
        reason="Colleague",
        version=read_version,
    )
    with pytest.raises(Refused) as caught:
        rate_referral(
            actor=mash_officer, referral=referral, rating="red", reason="Mine", version=read_version
        )
    assert "Someone else changed this referral" in caught.value.errors["version"]
    assert Referral.objects.get(pk=referral.pk).rag == "green"
    assert RagChange.objects.count() == 1


@pytest.mark.parametrize(
    ("rating", "reason", "field"), [("purple", "x", "rating"), ("red", " ", "reason")]
)
def test_bad_ratings_are_refused(referral, mash_officer, rating, reason, field) -> None:
    with pytest.raises(Refused) as caught:
        rate_referral(
            actor=mash_officer,
            referral=referral,
            rating=rating,
            reason=reason,
            version=referral.version,
        )
    assert field in caught.value.errors and not RagChange.objects.exists()


def test_decision_needs_a_rating_first(referral: Referral, mash_officer) -> None:
    with pytest.raises(Refused, match="RAG rating"):
        decide_referral(
            actor=mash_officer,
            referral=referral,
            decision="advice",
            rationale="Low level",
            version=referral.version,
        )
    assert not TriageDecision.objects.exists()


def test_decision_tells_the_referrer_the_outcome_only(
    referral: Referral, mash_officer, django_capture_on_commit_callbacks
) -> None:
    rate_referral(
        actor=mash_officer, referral=referral, rating="green", reason="r", version=referral.version
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide_referral(
            actor=mash_officer,
            referral=referral,
            decision="early_help",
            rationale="Family engaging; early help offer",
            version=referral.version,
        )
    referral.refresh_from_db()
    assert referral.status == "decided"
    assert referral.outcome_for_referrer == "MASH decision: referred for early help"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert referral.person.family_name not in message.subject + message.body
    assert referral.person.given_name not in message.subject + message.body
    with pytest.raises(Refused, match="already"):
        decide_referral(
            actor=mash_officer,
            referral=referral,
            decision="nfa",
            rationale="x",
            version=referral.version,
        )


def test_milestones_follow_the_timeline(referral: Referral, mash_officer) -> None:
    rate_referral(
        actor=mash_officer, referral=referral, rating="red", reason="r", version=referral.version
    )
    decide_referral(
        actor=mash_officer,
        referral=referral,
        decision="nfa",
        rationale="r",
        version=referral.version,
    )
    today = timezone.localdate()
    with pytest.raises(Refused, match="follow the strategy discussion"):
        record_milestone(
            actor=mash_officer,
            referral=referral,
            milestone="icpc_held_on",
            on=today,
            version=referral.version,
        )
    with pytest.raises(Refused, match="future"):
        record_milestone(
            actor=mash_officer,
            referral=referral,
            milestone="strategy_discussion_on",
            on=today + timedelta(days=1),
            version=referral.version,
        )
    with pytest.raises(Refused, match="before the referral"):
        record_milestone(
            actor=mash_officer,
            referral=referral,
            milestone="strategy_discussion_on",
            on=today - timedelta(days=30),
            version=referral.version,
        )
    record_milestone(
        actor=mash_officer,
        referral=referral,
        milestone="strategy_discussion_on",
        on=today,
        version=referral.version,
    )
    decision = record_milestone(
        actor=mash_officer,
        referral=referral,
        milestone="icpc_held_on",
        on=today,
        version=referral.version,
    )
    assert decision.strategy_discussion_on == today == decision.icpc_held_on


def test_information_requests_default_to_the_rating_and_take_one_answer(
    referral: Referral, mash_officer
) -> None:
    police = make_agency(AgencyType.POLICE)
    with pytest.raises(Refused) as caught:
        request_information(actor=mash_officer, referral=referral, agency_id=None, question="")
    assert set(caught.value.errors) == {"agency", "question"}
    rate_referral(
        actor=mash_officer, referral=referral, rating="red", reason="r", version=referral.version
    )
    asked = request_information(
        actor=mash_officer, referral=referral, agency_id=police.pk, question="Any missing reports?"
    )
    assert timedelta(hours=1, minutes=59) < asked.due_at - asked.requested_at <= timedelta(hours=2)
    record_information_answer(actor=mash_officer, request=asked, answer="Two in October")
    with pytest.raises(Refused):
        record_information_answer(actor=mash_officer, request=asked, answer="again")
    assert InformationRequest.objects.get().answer == "Two in October"


def test_a_cse_decision_opens_a_case_once(referral: Referral, mash_officer) -> None:
    from safehub.cases.models import Case

    rate_referral(
        actor=mash_officer, referral=referral, rating="red", reason="r", version=referral.version
    )
    decide_referral(
        actor=mash_officer,
        referral=referral,
        decision="cse_assessment",
        rationale="Indicators of current exploitation",
        version=referral.version,
    )
    assert Case.objects.filter(person=referral.person).count() == 1
    # A second referral for the same child, also sent to the CSE team, keeps the one case.
    second = make_screening(
        make_user(Role.REFERRER), person=referral.person, missing_repeat="current"
    ).referral
    assert second is not None
    rate_referral(
        actor=mash_officer, referral=second, rating="red", reason="r", version=second.version
    )
    decide_referral(
        actor=mash_officer,
        referral=second,
        decision="strategy_discussion",
        rationale="Escalating",
        version=second.version,
    )
    assert Case.objects.filter(person=referral.person).count() == 1
    assert Referral.objects.get(pk=second.pk).status == "decided"


@pytest.mark.parametrize(
    ("rating", "level", "weeks"),
    [("red", "high", 6), ("amber", "medium", 12), ("green", "low", 12)],
)
def test_the_case_opens_at_the_risk_the_mash_decided(
    referral: Referral, mash_officer, rating: str, level: str, weeks: int
) -> None:
    from safehub.cases.models import Case

    rate_referral(
        actor=mash_officer, referral=referral, rating=rating, reason="r", version=referral.version
    )
    decide_referral(
        actor=mash_officer,
        referral=referral,
        decision="strategy_discussion",
        rationale="Significant harm suspected",
        version=referral.version,
    )
    case = Case.objects.get(person=referral.person)
    assert case.risk_level == level
    assert case.next_review_due == timezone.localdate() + timedelta(weeks=weeks)
    first = case.risk_changes.get()
    assert first.level == level and "MASH" in first.reason


def test_the_case_page_shows_the_screening_result_and_the_rag(
    referral: Referral, mash_officer, client_for
) -> None:
    from safehub.cases.models import Case

    rate_referral(
        actor=mash_officer, referral=referral, rating="red", reason="r", version=referral.version
    )
    decide_referral(
        actor=mash_officer,
        referral=referral,
        decision="cse_assessment",
        rationale="Current indicators",
        version=referral.version,
    )
    case = Case.objects.get(person=referral.person)
    page = client_for(make_user(Role.CSE_MANAGER)).get(f"/cases/{case.public_id}/")
    summary = page.content.decode()
    assert page.status_code == 200
    assert "Risk when referred" in summary and "Red" in summary
    assert "Significant risk" in summary and "High" in summary
