"""Operator commands for users and API tokens."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.enrolment import redeem_enrolment_code
from safehub.accounts.models import Agency, User
from safehub.accounts.services import user_for_api_token
from safehub.policy.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_working_token(capsys: pytest.CaptureFixture[str]) -> None:
    user = make_user(Role.REFERRER)
    call_command("create_api_token", user.username, "school MIS")
    token = capsys.readouterr().out.strip()
    assert user_for_api_token(token) == user
    assert user.api_tokens.get().digest != token  # only a hash is stored


def test_create_api_token_refuses_roles_without_api_use() -> None:
    user = make_user(Role.BOARD_MEMBER)
    with pytest.raises(CommandError, match="do not allow"):
        call_command("create_api_token", user.username, "x")
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody", "x")


def test_add_user_creates_the_agency_and_roles() -> None:
    with mock.patch("getpass.getpass", return_value="a-long-enough-passphrase"):
        call_command(
            "add_user",
            "new.officer",
            "--agency",
            "Northside Police",
            "--agency-type",
            "police",
            "--role",
            "police_analyst",
            "--role",
            "police_intelligence",
        )
    user = User.objects.get(username="new.officer")
    assert user.agency.agency_type == "police"
    assert user.role_set() == {"police_analyst", "police_intelligence"}


def test_add_user_refuses_a_weak_password_and_changes_nothing() -> None:
    with mock.patch("getpass.getpass", return_value="password"), pytest.raises(CommandError):
        call_command(
            "add_user",
            "weak",
            "--agency",
            "X",
            "--agency-type",
            "police",
            "--role",
            "police_analyst",
        )
    assert not User.objects.filter(username="weak").exists()
    assert not Agency.objects.filter(name="X").exists()


def test_reset_two_factor_removes_the_device_and_is_audited(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safehub.audit.models import AccessEvent

    user = make_user(Role.REFERRER)
    TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    with pytest.raises(CommandError):
        call_command("reset_two_factor", user.username)  # a reason is required
    call_command("reset_two_factor", user.username, "--reason", "INC-1234 lost phone")
    assert not TOTPDevice.objects.filter(user=user).exists()
    reset = AccessEvent.objects.get(object_type="user_account", channel="cli")
    assert reset.reason == "two-factor reset: INC-1234 lost phone"
    # It prints the new enrolment code once; only its hash is kept, and the log never has it.
    code = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert redeem_enrolment_code(user=user, raw=code).used_at is not None
    assert all(code not in e.reason for e in AccessEvent.objects.all())


def test_add_user_prints_an_enrolment_code(capsys: pytest.CaptureFixture[str]) -> None:
    with mock.patch("getpass.getpass", return_value="a-long-enough-passphrase"):
        call_command(
            "add_user", "new.worker", "--agency", "Northside", "--agency-type", "council",
            "--role", "mash_officer", "--email", "nw@example.org", "--email-code",
        )  # fmt: skip
    out = capsys.readouterr().out
    code = out.splitlines()[0].rsplit(" ", 1)[-1]
    assert "nw@example.org" in out
    user = User.objects.get(username="new.worker")
    assert user.enrolment_code.digest != code
    assert redeem_enrolment_code(user=user, raw=code).user == user
