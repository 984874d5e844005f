"""Triage through the referral page, and what the referrer sees afterwards."""

from __future__ import annotations

import pytest

from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def a_referral() -> tuple[Referral, object]:
    referrer = make_user(Role.REFERRER)
    made = make_screening(referrer, missing_repeat="current").referral
    assert made is not None
    return made, referrer


def test_mash_officer_rates_and_decides_on_the_referral_page(client_for, mash_officer) -> None:
    referral, referrer = a_referral()
    client = client_for(mash_officer)
    page = client.get(f"/referrals/{referral.public_id}/")
    assert b"Decision (1 working day)" in page.content and b"Save rating" in page.content
    bad = client.post(f"/referrals/{referral.public_id}/rating/", {"version": referral.version})
    assert bad.status_code == 400 and b"Select Red, Amber or Green" in bad.content
    client.post(
        f"/referrals/{referral.public_id}/rating/",
        {"version": referral.version, "rating": "red", "reason": "Current missing episodes"},
    )
    referral.refresh_from_db()
    assert referral.rag == "red"
    stale = client.post(
        f"/referrals/{referral.public_id}/decision/",
        {"version": referral.version - 1, "decision": "nfa", "rationale": "x"},
    )
    assert stale.status_code == 400 and b"Someone else changed" in stale.content
    client.post(
        f"/referrals/{referral.public_id}/decision/",
        {"version": referral.version, "decision": "advice", "rationale": "Advice to school"},
    )
    referral.refresh_from_db()
    assert referral.status == "decided"
    # The referrer sees the outcome in My submissions, and nothing more.
    mine = client_for(referrer).get("/screening/submissions/")
    assert b"MASH decision: advice and information given" in mine.content
    assert b"Advice to school" not in mine.content


def test_queue_shows_what_is_overdue(client_for, mash_officer) -> None:
    from datetime import timedelta

    from django.utils import timezone

    referral, _ = a_referral()
    Referral.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - timedelta(days=5), rag="red"
    )
    page = client_for(mash_officer).get("/referrals/")
    assert b"Overdue" in page.content
    assert b"1 overdue" in page.content


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CSE_PRACTITIONER, Role.BOARD_MEMBER])
def test_other_roles_cannot_triage(client_for, role: Role) -> None:
    referral, _ = a_referral()
    client = client_for(make_user(role))
    response = client.post(
        f"/referrals/{referral.public_id}/rating/",
        {"version": referral.version, "rating": "red", "reason": "x"},
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.rag == ""
