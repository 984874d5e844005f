"""The home page is each user's task list: what is due today or overdue for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.accounts.roles import Role
from safehub.referrals.models import Referral
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def test_mash_officer_sees_overdue_triage(client_for, mash_officer) -> None:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=6))
    page = client_for(mash_officer).get("/")
    reference = str(referral.public_id)[:8].upper().encode()
    assert b"Triage referral " + reference in page.content
    assert b"Overdue" in page.content
    # The task names the referral, not the child.
    assert referral.person.family_name.encode() not in page.content


def test_a_fresh_referral_is_not_yet_a_task(client_for, mash_officer) -> None:
    make_screening(make_user(Role.REFERRER), missing_repeat="current")
    page = client_for(mash_officer).get("/")
    assert b"Nothing is due today or overdue for you" in page.content


def test_referrer_home_offers_screening_and_no_triage(client_for, referrer) -> None:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=6))
    page = client_for(referrer).get("/")
    assert b"Screen a child" in page.content and b"Triage referral" not in page.content
