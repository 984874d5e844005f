"""Long forms never lose work: drafts are saved as the user goes, and a timed-out session
returns the user to their draft after signing in again."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.policy.roles import Role
from safehub.screening.models import ScreeningDraft
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Tamsin",
    "family_name": "Oakenshaw",
    "date_of_birth-day": "1",
    "date_of_birth-month": "6",
    "date_of_birth-year": "2012",
    "sex": "female",
}


@override_settings(SAFEHUB_SESSION_IDLE_SECONDS=60, OTP_TOTP_THROTTLE_FACTOR=0)
def test_timed_out_user_returns_to_their_draft_with_nothing_lost(client: Client) -> None:
    user = make_user(Role.REFERRER)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True, tolerance=2)
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    draft = client.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    client.post(f"/screening/draft/{draft}/questions/1/", {"disclosed_exploitation": "no"})

    session = client.session
    session["last_seen"] = int(time.time()) - 600
    session.save()
    page_two = f"/screening/draft/{draft}/questions/2/"
    response = client.get(page_two)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=")

    signed = client.post(response["Location"], {"username": user.username, "password": PASSWORD})
    assert signed["Location"].startswith("/accounts/two-factor/?next=")
    verified = client.post(signed["Location"], {"token": f"{totp(device.bin_key, drift=1):06d}"})
    assert verified["Location"] == page_two
    check = client.get(f"/screening/draft/{draft}/check/")
    assert b"Oakenshaw" in check.content
    assert ScreeningDraft.objects.get(user=user).data["answers"] == {"disclosed_exploitation": "no"}


def test_start_page_lists_unfinished_screenings(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = client.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    page = client.get("/screening/")
    assert b"Your unfinished screenings" in page.content and b"Oakenshaw" in page.content


def test_someone_elses_draft_is_not_found(client_for, referrer) -> None:
    other = client_for(make_user(Role.REFERRER))
    draft = other.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    assert client_for(referrer).get(f"/screening/draft/{draft}/child/").status_code == 404


def test_submitting_or_cancelling_removes_the_draft(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = client.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    client.post(f"/screening/draft/{draft}/cancel/")
    assert not ScreeningDraft.objects.exists()


def test_an_unsafe_next_address_is_ignored(client: Client) -> None:
    user = make_user(Role.REFERRER)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    response = client.post(
        "/accounts/two-factor/?next=https://evil.example/steal",
        {"token": f"{totp(device.bin_key):06d}"},
    )
    assert response["Location"] == "/"
