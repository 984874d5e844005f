"""Form drafts: autosave, restore on the form, discard, stay signed in, the CSRF failure page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
from safehub.drafts.services import MAX_BYTES
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.conftest import sign_in
from tests.factories import make_user

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


def autosave(client: Client, path: str = "/referrals/new/", **fields: str) -> object:
    return client.post("/accounts/drafts/", dict(FORM, draft_path=path, **fields))


def test_autosave_keeps_the_users_fields_on_the_server(client_for, referrer: User) -> None:
    response = autosave(client_for(referrer), csrfmiddlewaretoken="x")
    assert response.status_code == 200 and response.json()["saved"] is True
    draft = FormDraft.objects.get(user=referrer)
    assert draft.path == "/referrals/new/"
    assert draft.data["concerns"] == [FORM["concerns"]]
    assert "csrfmiddlewaretoken" not in draft.data and "draft_path" not in draft.data


def test_autosave_refuses_anonymous_users_with_json(client: Client) -> None:
    response = autosave(client)
    assert response.status_code == 401 and response.json() == {"saved": False, "signed_in": False}
    assert not FormDraft.objects.exists()


def test_autosave_only_accepts_post(client_for, referrer: User) -> None:
    assert client_for(referrer).get("/accounts/drafts/").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "",
        "referrals/new/",
        "https://elsewhere.example/referrals/new/",
        "//elsewhere/x",
        "/referrals/new/?given_name=Marisol",
        "/no-such-page/",
        "/accounts/sign-in/",
    ],
)
def test_autosave_refuses_a_path_that_is_not_a_form_page(
    client_for, referrer: User, path: str
) -> None:
    response = autosave(client_for(referrer), path=path)
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not FormDraft.objects.exists()


def test_autosave_refuses_too_much_text(client_for, referrer: User) -> None:
    client = client_for(referrer)
    autosave(client)
    response = autosave(client, concerns="x" * (MAX_BYTES + 1))
    assert response.status_code == 413
    # The earlier draft is unchanged.
    assert FormDraft.objects.get().data["concerns"] == [FORM["concerns"]]


def test_a_draft_is_shown_only_to_its_author(client_for, referrer: User) -> None:
    autosave(client_for(referrer))
    other = make_user(Role.REFERRER)
    page = client_for(other).get("/referrals/new/")
    assert b"Quarrendon" not in page.content and b"We kept what you typed" not in page.content
    # Another user's autosave of the same page is their own draft: it never replaces hers.
    autosave(client_for(other), family_name="Other")
    assert FormDraft.objects.get(user=referrer).data["family_name"] == ["Quarrendon"]


def test_the_form_comes_back_with_the_draft_and_the_draft_goes_when_sent(
    client_for, referrer: User
) -> None:
    client = client_for(referrer)
    autosave(client)
    page = client.get("/referrals/new/")
    html = page.content.decode()
    assert "We kept what you typed" in html
    assert 'value="Quarrendon"' in html and FORM["concerns"] in html
    # The draft also goes to the page's script (for forms the view does not fill itself).
    assert 'id="safehub-form-draft"' in html
    response = client.post("/referrals/new/", FORM)
    assert response.status_code == 302 and Referral.objects.count() == 1
    assert not FormDraft.objects.exists()


def test_a_refused_submit_keeps_the_draft(client_for, referrer: User) -> None:
    client = client_for(referrer)
    autosave(client)
    response = client.post("/referrals/new/", dict(FORM, concerns=""))
    assert response.status_code == 200
    assert FormDraft.objects.filter(user=referrer).exists()


def test_discard_clears_the_draft_and_returns_to_the_page(client_for, referrer: User) -> None:
    client = client_for(referrer)
    autosave(client)
    response = client.post("/accounts/drafts/discard/", {"draft_path": "/referrals/new/"})
    assert response.status_code == 302 and response["Location"] == "/referrals/new/"
    assert not FormDraft.objects.exists()
    bad = client.post("/accounts/drafts/discard/", {"draft_path": "https://elsewhere.example/"})
    assert bad.status_code == 400


def test_stay_signed_in(client_for, referrer: User, client: Client) -> None:
    response = client_for(referrer).post("/accounts/drafts/stay-signed-in/")
    assert response.status_code == 200 and response.json()["signed_in"] is True
    assert client.post("/accounts/drafts/stay-signed-in/").status_code == 401


def test_signed_in_pages_carry_the_timeout_warning(client_for, referrer: User) -> None:
    html = client_for(referrer).get("/referrals/new/").content.decode()
    assert 'id="safehub-timeout-warning"' in html and "Stay signed in" in html
    assert 'data-idle-seconds="' in html and "data-autosave" in html
    assert "<script>" not in html and " style=" not in html


def test_a_csrf_failure_when_signed_in_keeps_the_form_and_explains(referrer: User) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), referrer)
    client.get("/referrals/new/")
    response = client.post(
        "/referrals/new/",
        dict(FORM, csrfmiddlewaretoken="stale" * 8),
        HTTP_ORIGIN="http://testserver",
        HTTP_REFERER="http://testserver/referrals/new/",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form was not sent" in html and "govuk-" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert 'href="/referrals/new/"' in html
    assert FormDraft.objects.get(user=referrer).data["family_name"] == ["Quarrendon"]
    assert not Referral.objects.exists()


def test_a_cross_site_post_is_never_kept(referrer: User) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), referrer)
    response = client.post("/referrals/new/", FORM, HTTP_ORIGIN="https://attacker.example")
    assert response.status_code == 403
    assert not FormDraft.objects.exists()


def test_a_csrf_failure_when_signed_out_says_to_sign_in_again() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/referrals/new/", FORM, HTTP_REFERER="http://testserver/referrals/new/")
    html = response.content.decode()
    assert response.status_code == 403 and "Sign in again" in html
    assert "/accounts/sign-in/?next=%2Freferrals%2Fnew%2F" in html
    assert "Quarrendon" not in html and not FormDraft.objects.exists()


def test_an_autosave_with_a_stale_token_gets_json(referrer: User) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), referrer)
    response = client.post(
        "/accounts/drafts/",
        {"draft_path": "/referrals/new/", "concerns": "x"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 403 and json.loads(response.content)["saved"] is False


def test_an_autosave_after_the_idle_timeout_is_kept_and_answered_in_json(
    referrer: User, settings: object
) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), referrer)
    client.get("/referrals/new/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    session = client.session
    session["last_seen"] = 1  # long ago: this request comes after the idle timeout
    session.save()
    response = client.post(
        "/accounts/drafts/",
        dict(FORM, draft_path="/referrals/new/", csrfmiddlewaretoken=token),
    )
    assert response.status_code == 401 and response.json() == {"saved": True}
    assert FormDraft.objects.get(user=referrer).data["family_name"] == ["Quarrendon"]
    # Signed out: the next page is the sign-in page, which says why.
    page = client.get("/referrals/new/", follow=True)
    assert b"had not done anything for 30 minutes" in page.content


def test_the_session_store_outlives_the_idle_timeout(settings: object) -> None:
    # Were they equal, an idle session would vanish from the store at the moment the idle
    # check should catch it: the user would be anonymous, their form redirected away unkept.
    assert settings.SESSION_COOKIE_AGE > settings.SAFEHUB_SESSION_IDLE_SECONDS  # type: ignore[attr-defined]
