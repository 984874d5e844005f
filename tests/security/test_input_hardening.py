"""Text with control characters is refused everywhere it comes in, with a clear error, and
nothing is written; numbers in forms that do not parse are an error, not a 500.

Run on SQLite and PostgreSQL (PostgreSQL refuses NUL in text outright).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safehub.accounts.models import User
from safehub.accounts.services import issue_api_token
from safehub.config.middleware import has_refused_characters
from safehub.imports.models import ImportRun
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role
from safehub.referrals.models import Referral
from tests.api.test_referrals_api import REFERRAL
from tests.conftest import sign_in
from tests.factories import make_agency, make_screening, make_user
from tests.referrals.test_referral_form import FORM

pytestmark = pytest.mark.django_db

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]


@pytest.mark.parametrize("char", REFUSED)
def test_control_characters_are_refused(char: str) -> None:
    assert has_refused_characters(f"Elo{char}wen")


@pytest.mark.parametrize("text", ["Elowen", "line one\r\nline two", "a\tb", "Zoë Ní Bhriain"])
def test_tab_newlines_and_ordinary_text_are_accepted(text: str) -> None:
    assert not has_refused_characters(text)


# The API.


@pytest.fixture
def api_headers() -> dict[str, str]:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=make_user(Role.REFERRER), name='m')}"
    }


def post_json(body: Any, headers: dict[str, str], content_type: str = "application/json") -> Any:
    return Client().post("/api/v1/referrals", body, content_type=content_type, **headers)


@pytest.mark.parametrize("char", ["\u0000", "\x1b", "\x7f"])
def test_an_api_post_with_a_control_character_is_refused_and_creates_nothing(
    api_headers: dict[str, str], char: str
) -> None:
    body = dict(REFERRAL, child=dict(REFERRAL["child"], given_name=f"Elo{char}wen"))
    response = post_json(body, api_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "child.given_name",
            "message": "must not contain control characters (such as NUL) or invalid characters",
        }
    ]
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_control_character_in_a_json_key_or_a_lone_surrogate_is_refused(
    api_headers: dict[str, str],
) -> None:
    key = post_json('{"child\\u0000": 1, "concerns": "x"}', api_headers)
    assert key.status_code == 422 and key.json()["detail"][0]["field"] == "child?"
    body = '{"child": {"given_name": "Elo\\ud800wen"}, "concerns": "x"}'
    surrogate = post_json(body, api_headers)
    assert surrogate.status_code == 422
    assert surrogate.json()["detail"][0]["field"] == "child.given_name"
    # Whatever the declared type, an API body is read as JSON, so it is checked as JSON.
    disguised = post_json('{"concerns": "a\\u0000b"}', api_headers, content_type="text/plain")
    assert disguised.status_code == 422
    assert not Referral.objects.exists()


def test_an_api_query_string_with_a_nul_is_refused(api_headers: dict[str, str]) -> None:
    response = Client().get("/api/v1/screening-tools/wm-cse-2014?version=1%00", **api_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "version"


def test_tabs_and_newlines_still_go_through_the_api(api_headers: dict[str, str]) -> None:
    body = dict(REFERRAL, concerns="Seen twice:\n\tMonday\r\n\tFriday")
    assert post_json(body, api_headers).status_code == 201
    assert Referral.objects.get().concerns == "Seen twice:\n\tMonday\r\n\tFriday"


# Web forms.


@pytest.fixture
def referrer() -> User:
    return make_user(Role.REFERRER)


def test_a_web_form_post_with_a_nul_gets_a_clear_error_and_creates_nothing(
    referrer: User,
) -> None:
    client = sign_in(Client(), referrer)
    response = client.post("/referrals/new/", dict(FORM, given_name="Rosa\x00lind"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem with what you sent" in page
    assert "given_name" in page and "Nothing has been saved" in page
    assert "Rosa" not in page  # the value is not shown back
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_query_string_with_a_control_character_is_refused(referrer: User) -> None:
    client = sign_in(Client(), referrer)
    response = client.get("/referrals/new/?q=a%1Bb")
    assert response.status_code == 400 and b"control character" in response.content


def test_a_timed_out_form_with_a_nul_is_not_even_held(referrer: User, settings: Any) -> None:
    client = sign_in(Client(), referrer)
    session = client.session
    session["last_seen"] = 1  # long ago: the next request is after the idle timeout
    session.save()
    response = client.post("/referrals/new/", dict(FORM, concerns="x\x00"))
    assert response.status_code == 400
    from safehub.accounts.models import HeldSubmission
    from safehub.drafts.models import FormDraft

    assert not HeldSubmission.objects.exists() and not FormDraft.objects.exists()


def test_a_web_body_over_the_limit_gets_the_error_page(referrer: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = sign_in(Client(), referrer)
    response = client.post("/referrals/new/", dict(FORM, concerns="x" * 5000))
    assert response.status_code == 400 and b"too large" in response.content
    assert not Referral.objects.exists()


def test_multipart_text_fields_are_checked_but_file_content_is_not() -> None:
    officer = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))
    client = sign_in(Client(), officer)
    good_file = SimpleUploadedFile("s.csv", b"urn,name\n9\x00,x\n", content_type="text/csv")
    refused = client.post("/imports/new/", {"source": "schools\x00", "file": good_file})
    assert refused.status_code == 400 and b"source" in refused.content
    assert not ImportRun.objects.exists()
    with_nul_inside = SimpleUploadedFile("s.csv", b"urn,name\n9\x00,x\n", content_type="text/csv")
    checked = client.post("/imports/new/", {"source": "schools", "file": with_nul_inside})
    assert checked.status_code == 302  # the file went on to the import's own checks
    assert ImportRun.objects.count() == 1


# Numbers typed into forms (item: parse failures are errors, not 500s).


def test_a_non_ascii_digit_in_a_number_box_is_an_error_not_a_crash() -> None:
    mash = make_user(Role.MASH_OFFICER)
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    client = sign_in(Client(), mash)
    response = client.post(
        f"/referrals/{referral.public_id}/information-requests/",
        {"agency": "²", "question": "Is the child known to you?"},
    )
    assert response.status_code in (302, 400)
    assert not referral.information_requests.exists()


@pytest.mark.parametrize("months", ["²", "9" * 5000])
def test_profile_period_that_is_not_a_number_falls_back(months: str) -> None:
    client = sign_in(Client(), make_user(Role.CSE_MANAGER))
    response = client.get("/profile/", {"months": months})
    assert response.status_code in (200, 403)


@pytest.mark.parametrize("year", ["99999999999999999999", "²⁰¹⁰"])
def test_a_date_with_an_impossible_year_is_an_error_not_a_crash(referrer: User, year: str) -> None:
    client = sign_in(Client(), referrer)
    response = client.post("/referrals/new/", dict(FORM, **{"date_of_birth-year": year}))
    assert response.status_code in (200, 400)
    assert b"must be a real date" in response.content or b"4 numbers" in response.content
    assert not Referral.objects.exists()


@pytest.mark.parametrize("year", ["²", "9" * 5000])
def test_a_scale_year_that_is_not_a_number_is_an_error_not_a_crash(year: str) -> None:
    client = sign_in(Client(), make_user(Role.CSE_MANAGER))
    response = client.get("/profile/scale/", {"year": year})
    assert response.status_code in (200, 400, 403)
