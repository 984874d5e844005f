"""The sign-in page and the staff list's filter are the one form system's: GOV.UK components
with the same names and messages as before, and nothing typed as a password sent back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_asks_for_a_username_and_password(client: Client) -> None:
    html = client.get("/accounts/sign-in/?next=/screening/").content.decode()
    assert '<label class="govuk-label govuk-label--s" for="username">Username</label>' in html
    assert 'id="username" name="username" type="text" value="" autocomplete="username"' in html
    assert 'id="password" name="password" type="password" value=""' in html
    assert 'autocomplete="current-password"' in html
    assert '<input type="hidden" name="next" value="/screening/">' in html
    assert "There is a problem" not in html


def test_a_wrong_password_is_linked_to_the_username_and_never_sent_back(client: Client) -> None:
    user = make_user(Role.REFERRER)
    response = client.post(
        "/accounts/sign-in/", {"username": user.username, "password": "typed-wrongly-77"}
    )
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert '<li><a href="#username">Enter a correct username and password</a></li>' in html
    assert f'name="username" type="text" value="{user.username}"' in html
    assert "typed-wrongly-77" not in html


def test_an_empty_sign_in_shows_each_message_beside_its_box(client: Client) -> None:
    html = client.post("/accounts/sign-in/", {}).content.decode()
    assert html.index('href="#username">Enter your username') < html.index(
        'href="#password">Enter your password'
    )
    assert 'id="username-error"' in html and 'id="password-error"' in html


@pytest.fixture
def admin_client() -> Client:
    return sign_in(Client(), make_user(Role.SYSTEM_ADMIN, username="sys.admin"))


def usernames(response: Any) -> list[str]:
    return [row["account"].username for row in response.context["rows"]]


def test_the_staff_list_shows_active_accounts_unless_asked(admin_client: Client) -> None:
    make_user(Role.REFERRER, username="r.here")
    gone = make_user(Role.REFERRER, username="r.gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    url = reverse("accounts:users")

    assert "r.gone" not in usernames(admin_client.get(url))
    assert usernames(admin_client.get(url, {"status": "suspended"})) == ["r.gone"]
    every = usernames(admin_client.get(url, {"status": "all", "role": "emperor"}))
    assert {"r.here", "r.gone", "sys.admin"} <= set(every)


def test_the_staff_filter_keeps_what_was_chosen(admin_client: Client) -> None:
    html = admin_client.get(
        reverse("accounts:users"), {"q": "quarter", "role": "referrer", "status": "all"}
    ).content.decode()
    assert 'id="q" name="q" type="text" value="quarter" autocomplete="off"' in html
    assert '<option value="">Any role</option>' in html
    assert '<option value="referrer" selected>Referrer</option>' in html
    status = html[html.index('<select class="govuk-select" id="status"') :]
    status = status[: status.index("</select>")]
    assert '<option value="all" selected>All</option>' in status
    assert 'value=""' not in status
