"""The account pages' forms are the one form system's: GOV.UK components from govuk/field.html,
the administration's own messages beside their fields, and nothing secret sent back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    return sign_in(Client(), make_user(Role.SYSTEM_ADMIN, username="sys.admin"))


def test_the_new_account_form_shows_each_field_as_its_govuk_component(
    admin_client: Client,
) -> None:
    agency = make_agency(name="Northgate Academy")
    html = admin_client.get(reverse("accounts:user_new")).content.decode()

    assert 'id="username" name="username" type="text"' in html
    assert 'id="email" name="email" type="email"' in html
    assert '<select class="govuk-select" id="agency" name="agency"' in html
    assert '<option value="">Select an agency</option>' in html
    assert f'<option value="{agency.pk}">Northgate Academy</option>' in html
    assert 'id="roles" name="roles" type="checkbox"' in html
    assert 'id="email_code" name="email_code" type="checkbox" value="yes"' in html
    assert "There is a problem" not in html


def test_a_refused_account_keeps_what_was_typed_and_links_each_message_to_its_field(
    admin_client: Client,
) -> None:
    agency = make_agency()
    response = admin_client.post(
        reverse("accounts:user_new"),
        {
            "username": "Not Valid",
            "first_name": "",
            "last_name": "Okoro",
            "agency": str(agency.pk),
            "roles": ["emperor"],
            "email_code": "yes",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert html.index('href="#username"') < html.index('href="#first_name"')
    assert html.index('href="#first_name"') < html.index('href="#roles"')
    assert 'id="first_name-error"' in html and "Enter the person&#x27;s first name" in html
    assert "Select roles from the list" in html
    assert 'name="username" type="text" value="Not Valid"' in html
    assert f'<option value="{agency.pk}" selected>' in html
    assert 'name="email_code" type="checkbox" value="yes" checked' in html
    assert not User.objects.filter(last_name="Okoro").exists()


def test_the_change_form_starts_from_the_account_and_has_no_username_box(
    admin_client: Client,
) -> None:
    account = make_user(Role.REFERRER, Role.MASH_OFFICER)
    url = reverse("accounts:user_edit", kwargs={"public_id": account.public_id})

    html = admin_client.get(url).content.decode()

    assert 'name="username"' not in html and 'name="email_code"' not in html
    assert f'name="last_name" type="text" value="{account.last_name}"' in html
    assert f'<option value="{account.agency_id}" selected>' in html
    assert 'value="referrer" checked' in html and 'value="mash_officer" checked' in html


def test_a_refused_action_keeps_the_reason_form_on_the_account_page(
    admin_client: Client,
) -> None:
    account = make_user(Role.REFERRER)
    url = reverse("accounts:user_reset_password", kwargs={"public_id": account.public_id})

    response = admin_client.post(url, {"reason": "  ", "email_code": "yes"})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#reason">Enter the reason, for example the service desk ticket</a>' in html
    assert 'id="reason-error"' in html
    assert 'name="email_code" type="checkbox" value="yes" checked' in html


def test_the_password_change_never_sends_a_typed_password_back() -> None:
    user = make_user(Role.REFERRER)
    client = sign_in(Client(), user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "the-wrong-old-one",
            "new_password1": "violet-harbour-lantern-9",
            "new_password2": "violet-harbour-lantern-8",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "the-wrong-old-one" not in html and "violet-harbour-lantern" not in html
    assert 'id="old_password" name="old_password" type="password" value=""' in html
    assert 'autocomplete="new-password"' in html
    assert '<a href="#old_password">Your old password was entered incorrectly' in html
    assert '<a href="#new_password2">' in html


def test_an_empty_password_change_asks_for_each_box_in_plain_words() -> None:
    client = sign_in(Client(), make_user(Role.REFERRER))

    response = client.post(reverse("accounts:password_change"), {})

    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "Enter your current password",
        "Enter a new password",
        "Confirm the new password</a>",
    ):
        assert message in html


def test_the_security_code_box_is_a_one_time_code_and_its_message_links_to_it() -> None:
    user = make_user(Role.REFERRER)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})

    page = client.post("/accounts/two-factor/", {"token": "12ab56"}).content.decode()

    assert 'id="token" name="token" type="text"' in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert '<a href="#token">The security code must be 6 digits</a>' in page
    assert 'value="12ab56"' in page  # what was typed is shown again to be corrected


def test_the_enrolment_code_box_keeps_its_hint_and_its_refusal() -> None:
    user = make_user(Role.REFERRER)
    client = Client()
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})

    page = client.post("/accounts/two-factor/", {"enrolment_code": "ABCD-EFGH-JKLM"})

    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="enrolment_code-hint" class="govuk-hint">For example, ABCD-EFGH-JKLM' in html
    assert '<a href="#enrolment_code">No enrolment code has been issued to you' in html
