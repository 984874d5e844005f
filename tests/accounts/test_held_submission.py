"""A form posted just after the session timed out is kept as a draft of its page, and shown
again on that page after signing in; held submissions kept before drafts can still be opened."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import HeldSubmission
from safehub.drafts.models import FormDraft
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Marisol",
    "family_name": "Quarrendon",
    "date_of_birth-day": "5",
    "date_of_birth-month": "5",
    "date_of_birth-year": "2012",
    "sex": "female",
    "concerns": "Seen in a car with two adult men outside school",
    "sharing_basis": "safeguarding",
    "family_aware": "no",
}


def signed_in(client: Client, device: TOTPDevice, user: object, drift: int = 0) -> None:
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})  # type: ignore[attr-defined]
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key, drift=drift):06d}"})


@override_settings(SAFEHUB_SESSION_IDLE_SECONDS=60, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_timed_out_form_is_kept_and_shown_again_after_signing_in() -> None:
    user = make_user(Role.REFERRER)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True, tolerance=2)
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/sign-in/")
    token = client.cookies["csrftoken"].value
    client.post(
        "/accounts/sign-in/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    token = client.cookies["csrftoken"].value
    client.post(
        "/accounts/two-factor/",
        {"token": f"{totp(device.bin_key):06d}", "csrfmiddlewaretoken": token},
    )
    session = client.session
    session["last_seen"] = int(time.time()) - 600
    session.save()
    token = client.cookies["csrftoken"].value
    response = client.post("/referrals/new/", dict(FORM, csrfmiddlewaretoken=token))
    assert not Referral.objects.exists()
    draft = FormDraft.objects.get(user=user)
    # Back to the form itself (its path carries no personal data), not to a re-post page.
    assert response["Location"] == "/accounts/sign-in/?next=/referrals/new/"
    assert draft.path == "/referrals/new/" and draft.data["family_name"] == ["Quarrendon"]
    assert "csrfmiddlewaretoken" not in draft.data
    sign_in_page = client.get(response["Location"])
    assert b"had not done anything for 1 minute" in sign_in_page.content

    plain = Client()
    signed_in(plain, device, user, drift=1)
    page = plain.get("/referrals/new/")
    assert b'value="Quarrendon"' in page.content
    assert b"Seen in a car with two adult men outside school" in page.content
    assert b"We kept what you typed" in page.content
    plain.post("/referrals/new/", FORM)
    assert Referral.objects.get().person.family_name == "Quarrendon"
    assert not FormDraft.objects.exists()


@override_settings(SAFEHUB_SESSION_IDLE_SECONDS=60)
def test_a_forged_post_after_timeout_is_not_kept() -> None:
    user = make_user(Role.REFERRER)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session["last_seen"] = int(time.time()) - 600
    session.save()
    client.post("/referrals/new/", FORM)  # no CSRF token: a cross-site request
    assert not HeldSubmission.objects.exists() and not FormDraft.objects.exists()


def test_only_the_author_can_open_or_discard_it(client_for) -> None:
    author, other = make_user(Role.REFERRER), make_user(Role.REFERRER)
    held = HeldSubmission.objects.create(user=author, path="/referrals/new/", data={"a": ["1"]})
    assert client_for(other).get(f"/accounts/held/{held.public_id}/").status_code == 404
    client_for(author).post(f"/accounts/held/{held.public_id}/")
    assert not HeldSubmission.objects.exists()
