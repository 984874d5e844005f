"""Signing in: password, lockout, two-factor set-up and verification, idle timeout."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.enrolment import issue_enrolment_code
from safehub.policy.roles import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_wrong_password_is_refused_with_a_clear_message(client: Client) -> None:
    user = make_user(Role.REFERRER)
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # no back-off between the wrong and the right code
def test_first_sign_in_sets_up_two_factor_and_then_needs_a_code(client: Client) -> None:
    user = make_user(Role.REFERRER)
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/accounts/two-factor/"
    # Until verified, every page sends the user back to two-factor.
    assert client.get("/screening/")["Location"] == "/accounts/two-factor/"
    # The enrolment code an administrator issued comes first (see test_enrolment.py).
    code = issue_enrolment_code(user=user, issued_by=None).code
    client.post("/accounts/two-factor/", {"enrolment_code": code})
    setup = client.get("/accounts/two-factor/")
    assert b"Set up two-factor authentication" in setup.content and b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert b"The security code is not right" in wrong.content
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/accounts/two-factor/", {"token": code})["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/screening/").status_code == 200


def test_a_wrong_code_slows_down_the_next_attempt(client: Client) -> None:
    user = make_user(Role.REFERRER)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/two-factor/", {"token": "000000"})
    # Straight after a failure even the right code is refused (django-otp's throttling).
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/screening/")["Location"] == "/accounts/two-factor/"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_returning_user_enters_a_code(client: Client) -> None:
    user = make_user(Role.REFERRER)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    page = client.get("/accounts/two-factor/")
    assert b"Enter your security code" in page.content and b"<svg" not in page.content
    assert client.post("/accounts/two-factor/", {"token": "12ab56"}).status_code == 200
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/screening/").status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(client: Client) -> None:
    user = make_user(Role.REFERRER)
    for _ in range(3):
        client.post(
            "/accounts/sign-in/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
        )
    locked = client.post(
        "/accounts/sign-in/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert locked.status_code == 429
    assert b"Your account is locked" in locked.content
    assert "_auth_user_id" not in client.session


@override_settings(SAFEHUB_SESSION_IDLE_SECONDS=60)
def test_idle_session_is_signed_out(client_for) -> None:
    client = client_for(make_user(Role.REFERRER))
    assert client.get("/screening/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/screening/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert client.get("/screening/")["Location"].startswith("/accounts/sign-in/")


def test_sign_out_needs_post_and_ends_the_session(client_for) -> None:
    client = client_for(make_user(Role.REFERRER))
    assert client.get("/accounts/sign-out/").status_code == 405
    client.post("/accounts/sign-out/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "true", "SECRET_KEY": "x" * 60}, "DEBUG must be off"),
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
    ],
)
def test_production_settings_refuse_unsafe_configuration(env: dict[str, str], message: str) -> None:
    code = "import safehub.config.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and message in result.stderr


def test_production_settings_accept_a_safe_configuration() -> None:
    code = "import safehub.config.settings.production as p; print(p.SESSION_COOKIE_SECURE)"
    env = {"PATH": "/usr/bin", "DEBUG": "false", "SECRET_KEY": "k" * 64}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
