"""Referring a child without a screening: the web form."""

from __future__ import annotations

import pytest

from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Rosalind",
    "family_name": "Quennell",
    "date_of_birth-day": "3",
    "date_of_birth-month": "3",
    "date_of_birth-year": "2010",
    "sex": "female",
    "concerns": "Collected from school by an unknown adult in a taxi twice this week",
    "sharing_basis": "safeguarding",
    "family_aware": "no",
}


def test_a_referrer_refers_a_child_and_follows_it(client_for, referrer) -> None:
    client = client_for(referrer)
    response = client.post("/referrals/new/", FORM)
    assert response.status_code == 302 and response["Location"] == "/screening/submissions/"
    referral = Referral.objects.get()
    assert (referral.source, referral.sharing_basis, referral.family_aware) == (
        "form",
        "safeguarding",
        "no",
    )
    page = client.get("/screening/submissions/")
    assert b"Quennell" in page.content and b"Referral without a screening" in page.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("concerns", "", b"Describe your concerns"),
        ("sharing_basis", "gossip", b"Select the basis"),
        ("family_aware", "", b"Say whether the family knows"),
        ("date_of_birth-year", "2099", b"today or in the past"),
    ],
)
def test_bad_referrals_are_refused_and_nothing_is_stored(
    client_for, referrer, field: str, value: str, message: bytes
) -> None:
    response = client_for(referrer).post("/referrals/new/", dict(FORM, **{field: value}))
    assert response.status_code == 200 and message in response.content
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_roles_that_do_not_refer_are_refused(client_for) -> None:
    client = client_for(make_user(Role.BOARD_MEMBER))
    assert client.post("/referrals/new/", FORM).status_code == 403
    assert not Referral.objects.exists()
