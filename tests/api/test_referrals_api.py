"""Referrals through the API, and safe retries with an Idempotency-Key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehub.accounts.services import issue_api_token
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.screening.models import Screening
from tests.api.test_screenings_api import body as screening_body
from tests.factories import make_user

pytestmark = pytest.mark.django_db

REFERRAL = {
    "child": {
        "given_name": "Elowen",
        "family_name": "Trescothick",
        "date_of_birth": "2012-09-09",
        "sex": "female",
    },
    "concerns": "Missing overnight twice; returned with new phone",
    "sharing_basis": "safeguarding",
    "family_aware": "yes",
}


def client_and_headers(role: Role = Role.REFERRER) -> tuple[Client, dict[str, str]]:
    token = issue_api_token(user=make_user(role), name="mis")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client: Client, path: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, data, content_type="application/json", **headers)


def test_a_partner_system_refers_a_child() -> None:
    client, headers = client_and_headers()
    response = post(client, "/api/v1/referrals", REFERRAL, headers)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "awaiting_triage"
    referral = Referral.objects.get()
    assert referral.source == "api" and referral.family_aware == "yes"


def test_bad_referrals_name_every_field_and_store_nothing() -> None:
    client, headers = client_and_headers()
    bad = dict(REFERRAL, concerns="", sharing_basis="x", child=dict(REFERRAL["child"], sex="?"))
    response = post(client, "/api/v1/referrals", bad, headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"concerns", "sharing_basis", "child.sex"} <= fields
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("path", "data", "model"),
    [("/api/v1/referrals", REFERRAL, Referral), ("/api/v1/screenings", None, Screening)],
)
def test_a_retry_with_the_same_key_creates_nothing_new(path: str, data: Any, model: Any) -> None:
    data = data or screening_body()
    client, headers = client_and_headers()
    headers["HTTP_IDEMPOTENCY_KEY"] = "mis-2026-11-23-0001"
    first = post(client, path, data, headers)
    again = post(client, path, data, headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert model.objects.count() == 1


def test_a_key_reused_for_a_different_request_is_refused() -> None:
    client, headers = client_and_headers()
    headers["HTTP_IDEMPOTENCY_KEY"] = "k1"
    post(client, "/api/v1/referrals", REFERRAL, headers)
    other = dict(REFERRAL, concerns="Something else entirely")
    response = post(client, "/api/v1/referrals", other, headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "Idempotency-Key"
    assert Referral.objects.count() == 1


def test_keys_are_per_user() -> None:
    a_client, a_headers = client_and_headers()
    b_client, b_headers = client_and_headers()
    for headers in (a_headers, b_headers):
        headers["HTTP_IDEMPOTENCY_KEY"] = "shared-key"
    post(a_client, "/api/v1/referrals", REFERRAL, a_headers)
    post(b_client, "/api/v1/referrals", REFERRAL, b_headers)
    assert Referral.objects.count() == 2


def test_roles_without_referral_rights_are_refused() -> None:
    client, headers = client_and_headers(Role.BOARD_MEMBER)
    assert post(client, "/api/v1/referrals", REFERRAL, headers).status_code == 403
