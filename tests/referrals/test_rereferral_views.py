"""The re-referral flag in the MASH queue and on the referral's page, and the selector."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehub.accounts.models import User
from safehub.cases import services as cases
from safehub.people.models import Person
from safehub.people.services import create_person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.referrals.rereferral import long_date
from safehub.referrals.rules import LONDON
from safehub.referrals.selectors import re_referral_flags, re_referral_of
from safehub.referrals.services import make_referral
from safehub.referrals.triage import decide_referral, rate_referral
from tests.factories import child_details, make_screening, make_user

pytestmark = pytest.mark.django_db


def waiting_referral(person: Person | None = None) -> Referral:
    """A referral from a screening, waiting in the queue (a new child unless given one)."""
    referral = make_screening(
        make_user(Role.REFERRER), person=person, missing_repeat="current"
    ).referral
    assert referral is not None
    return referral


def decided_referral(person: Person, *, days_ago: int, officer: User) -> Referral:
    """A referral by form for the child, received `days_ago`, decided and out of the queue."""
    referral = make_referral(
        actor=make_user(Role.REFERRER),
        concerns="Seen getting into cars with older men",
        sharing_basis="safeguarding",
        family_aware="no",
        person=person,
    )
    rate_referral(
        actor=officer, referral=referral, rating="green", reason="Known", version=referral.version
    )
    referral.refresh_from_db()
    decide_referral(
        actor=officer,
        referral=referral,
        decision="advice",
        rationale="Advice to the school",
        version=referral.version,
    )
    received = timezone.now() - timedelta(days=days_ago)
    Referral.objects.filter(pk=referral.pk).update(received_at=received)
    referral.refresh_from_db()
    return referral


def closed_case(person: Person) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = cases.open_case(actor=manager, person=person, referral=None, reason="Strategy")
    cases.close_case(
        actor=manager,
        case=case,
        read_version=case.version,
        reason="risk_reduced",
        notes="",
        risk_at_closure="low",
        in_education="yes",
        missing_episodes_last_3_months=0,
    )


def row_of(page: str, family_name: str) -> str:
    """The queue's table row that names the child."""
    return next(row for row in page.split("<tr") if family_name in row)


def london_day(referral: Referral) -> str:
    return long_date(referral.received_at.astimezone(LONDON).date())


def test_the_queue_tags_a_re_referral_and_not_a_first_referral(client_for, mash_officer) -> None:
    first = waiting_referral()
    again = waiting_referral()
    decided_referral(again.person, days_ago=40, officer=mash_officer)
    page = client_for(mash_officer).get("/referrals/").content.decode()
    assert 'data-testid="re-referral"' in row_of(page, again.person.family_name)
    assert "Re-referral" not in row_of(page, first.person.family_name)


def test_the_referral_page_gives_the_reasons(client_for, mash_officer) -> None:
    child = create_person(actor=make_user(Role.REFERRER), details=child_details())
    earlier = decided_referral(child, days_ago=40, officer=mash_officer)
    closed_case(child)
    referral = waiting_referral(child)
    client = client_for(mash_officer)
    page = client.get(f"/referrals/{referral.public_id}/").content.decode()
    assert 'data-testid="re-referral"' in page
    assert f"Referred before on {london_day(earlier)}" in page
    closed_on = long_date(timezone.localdate())
    assert f"A CSE case was closed on {closed_on}" in page
    # The earlier referral's own page: nothing before it (the later referral and the case
    # closed since do not count).
    first_page = client.get(f"/referrals/{earlier.public_id}/").content.decode()
    assert 'data-testid="re-referral"' not in first_page


def test_a_referral_page_without_history_has_no_flag(client_for, mash_officer) -> None:
    referral = waiting_referral()
    page = client_for(mash_officer).get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Re-referral" not in page


def test_a_referral_more_than_12_months_ago_does_not_flag(mash_officer) -> None:
    referral = waiting_referral()
    decided_referral(referral.person, days_ago=400, officer=mash_officer)
    assert not re_referral_of(referral)


def test_an_open_case_does_not_flag_and_a_closed_one_does() -> None:
    referral = waiting_referral()
    manager = make_user(Role.CSE_MANAGER)
    case = cases.open_case(actor=manager, person=referral.person, referral=None, reason="S47")
    # The case was opened before this referral: still open, it is not a re-referral.
    assert not re_referral_of(referral)
    cases.close_case(
        actor=manager,
        case=case,
        read_version=case.version,
        reason="risk_reduced",
        notes="",
        risk_at_closure="low",
        in_education="yes",
        missing_episodes_last_3_months=0,
    )
    # Closed after the referral was received: it does not count for this referral...
    assert not re_referral_of(referral)
    # ...but it does for the next one.
    assert re_referral_of(waiting_referral(referral.person)).reasons == (
        f"Referred before on {london_day(referral)}",
        f"A CSE case was closed on {long_date(timezone.localdate())}",
    )


def test_flags_for_several_children_keep_each_child_apart(mash_officer) -> None:
    known, new = waiting_referral(), waiting_referral()
    decided_referral(known.person, days_ago=10, officer=mash_officer)
    flags = re_referral_flags([known, new])
    assert flags[known.pk].is_re_referral and not flags[new.pk]
    assert re_referral_flags([]) == {}


def test_the_queue_reads_the_flags_in_a_fixed_number_of_queries(client_for, mash_officer) -> None:
    def known_child() -> None:
        referral = waiting_referral()
        decided_referral(referral.person, days_ago=20, officer=mash_officer)
        closed_case(referral.person)

    client = client_for(mash_officer)
    client.get("/referrals/")  # sessions, two-factor and caches warmed

    def queries_for_the_queue() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/referrals/").content.decode()
        assert (
            page.count('data-testid="re-referral"')
            == Referral.objects.filter(status="awaiting_triage").count()
        )
        return len(captured)

    for _ in range(2):
        known_child()
    two_rows = queries_for_the_queue()
    for _ in range(4):
        known_child()
    assert queries_for_the_queue() == two_rows


def test_a_masked_row_shows_no_flag(client_for, mash_officer) -> None:
    referral = waiting_referral()
    decided_referral(referral.person, days_ago=30, officer=mash_officer)
    closed_case(referral.person)
    Person.objects.filter(pk=referral.person_id).update(is_restricted=True)
    page = client_for(mash_officer).get("/referrals/").content.decode()
    assert 'data-testid="restricted-record"' in page
    assert "Re-referral" not in page and "re-referral" not in page
