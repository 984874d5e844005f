"""Every login `safehub load_demo` prints signs in with the password it prints."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from safehub.accounts.models import User
from safehub.accounts.services import create_user
from safehub.demo.licensing import LICENSING_OFFICER, load_demo_licensing
from safehub.policy.roles import Role
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def printed_logins(output: str) -> tuple[str, list[str]]:
    """The password and usernames from the command's closing list."""
    match = re.search(r"Demo logins \(password for all: (\S+)\)\n(.*?)\nOpen ", output, re.S)
    assert match, output
    usernames = [line.split()[0] for line in match.group(2).splitlines() if line.strip()]
    return match.group(1), usernames


def signs_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_every_printed_demo_login_signs_in_with_the_printed_password(tmp_path: Path) -> None:
    out = StringIO()
    with override_settings(SAFEHUB_DEMO=True, SAFEHUB_REQUIRE_2FA=False, VAR_DIR=tmp_path):
        call_command("load_demo", stdout=out)
        password, usernames = printed_logins(out.getvalue())
        assert "licensing.officer" in usernames and len(usernames) >= 10
        cannot = [u for u in usernames if not signs_in(u, password)]
    assert cannot == []


def test_the_licensing_demo_gives_a_login_the_city_made_a_password() -> None:
    """The synthetic city makes licensing.officer with an unusable password first."""
    create_user(
        username=LICENSING_OFFICER.username,
        password=None,
        agency=make_agency(),
        roles=[Role.LICENSING_OFFICER],
    )
    assert not User.objects.get(username=LICENSING_OFFICER.username).has_usable_password()
    load_demo_licensing(password="a-demo-password-1")
    with override_settings(SAFEHUB_REQUIRE_2FA=False):
        assert signs_in(LICENSING_OFFICER.username, "a-demo-password-1")
