"""Every API answer is JSON, errors included; the API's description needs a signed-in caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehub.accounts.services import issue_api_token
from safehub.api import api as api_module
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.api.test_referrals_api import REFERRAL
from tests.conftest import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers() -> dict[str, str]:
    token = issue_api_token(user=make_user(Role.REFERRER), name="mis")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def detail_of(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_json_413(headers: dict[str, str], settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = dict(REFERRAL, concerns="x" * 5000)
    response = Client().post("/api/v1/referrals", big, content_type="application/json", **headers)
    assert response.status_code == 413
    assert "too large" in detail_of(response)
    assert not Referral.objects.exists()


def test_malformed_json_is_a_json_400(headers: dict[str, str]) -> None:
    response = Client().post(
        "/api/v1/referrals", '{"child": ', content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert isinstance(detail_of(response), str)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/nothing-here", "/api/v1/"])
def test_an_unknown_api_path_is_a_json_404(headers: dict[str, str], path: str) -> None:
    response = Client().get(path, **headers)
    assert response.status_code == 404
    assert "nothing at this address" in detail_of(response)


def test_a_wrong_method_is_a_json_405_that_says_what_is_allowed(headers: dict[str, str]) -> None:
    response = Client().delete("/api/v1/referrals", **headers)
    assert response.status_code == 405
    assert detail_of(response) and "POST" in response["Allow"]


def test_a_crash_in_an_operation_is_a_json_500_without_a_traceback(
    headers: dict[str, str], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.DEBUG = True  # ninja would answer a traceback in plain text

    def crash() -> None:
        raise RuntimeError("Elowen Trescothick 2012-09-09")

    monkeypatch.setattr(api_module.registry, "list_tools", crash)
    response = Client().get("/api/v1/screening-tools", **headers)
    assert response.status_code == 500
    assert "problem with the service" in detail_of(response)
    assert b"Traceback" not in response.content and b"Elowen" not in response.content


def test_a_crash_outside_an_operation_is_a_json_500_too(
    headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Elowen Trescothick")

    monkeypatch.setattr(api_module.api, "get_openapi_schema", crash)
    response = Client(raise_request_exception=False).get("/api/v1/openapi.json", **headers)
    assert response.status_code == 500
    assert "problem with the service" in detail_of(response)
    assert b"Traceback" not in response.content and b"Elowen" not in response.content


# The API's description.


def test_anonymous_callers_cannot_read_the_api_description() -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 401 and "Sign in" in detail_of(schema)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/sign-in/")
    bad_token = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer sh_not-a-token")
    assert bad_token.status_code == 401


def test_a_signed_in_user_without_two_factor_cannot_read_it() -> None:
    client = Client()
    client.force_login(make_user(Role.REFERRER))  # password only: not verified
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/v1/docs").status_code == 302


def test_a_verified_user_or_a_valid_token_reads_it(headers: dict[str, str]) -> None:
    client = sign_in(Client(), make_user(Role.REFERRER))
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/referrals" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200
    by_token = Client().get("/api/v1/openapi.json", **headers)
    assert by_token.status_code == 200 and by_token.json()["info"]["title"] == "Safehub API"
