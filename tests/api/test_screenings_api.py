"""The JSON API: token authentication, tools, screenings, own submissions, and refusals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safehub.accounts.services import issue_api_token, revoke_api_token
from safehub.audit.models import AccessEvent
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.screening.models import Screening
from tests.factories import make_screening, make_user, wm_answers

pytestmark = pytest.mark.django_db


def api(user: Any) -> tuple[Client, dict[str, str]]:
    token = issue_api_token(user=user, name="partner system")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tool": "wm-cse-2014",
        "screening_date": date.today().isoformat(),
        "child": {
            "given_name": "Wren",
            "family_name": "Halsbury",
            "date_of_birth": "2011-07-01",
            "sex": "female",
            "nhs_number": "9434765919",
        },
        "answers": wm_answers(missing_repeat="current"),
        "marks": {"missing_repeat": "evidence"},
        "sharing_basis": "safeguarding",
        "family_aware": "yes",
    }
    data.update(overrides)
    return data


def post(client: Client, headers: dict[str, str], data: dict[str, Any]) -> Any:
    return client.post("/api/v1/screenings", data, content_type="application/json", **headers)


def test_requests_without_a_valid_token_are_refused() -> None:
    client = Client()
    assert client.get("/api/v1/screening-tools").status_code == 401
    bad = client.get("/api/v1/screening-tools", HTTP_AUTHORIZATION="Bearer sh_not-a-token")
    assert bad.status_code == 401


def test_a_revoked_token_is_refused() -> None:
    user = make_user(Role.REFERRER)
    client, headers = api(user)
    revoke_api_token(token=user.api_tokens.get())
    assert client.get("/api/v1/screening-tools", **headers).status_code == 401


def test_tools_are_listed_and_described() -> None:
    client, headers = api(make_user(Role.REFERRER))
    tools = client.get("/api/v1/screening-tools", **headers).json()
    assert {t["id"] for t in tools} == {"wm-cse-2014", "cse-domains-2014"}
    tool = client.get("/api/v1/screening-tools/wm-cse-2014", **headers).json()
    assert tool["version"] == 1 and len(tool["groups"]) == 3
    assert {c["id"] for c in tool["categories"]} == {
        "no_current_risk",
        "at_risk",
        "significant_risk",
    }
    assert client.get("/api/v1/screening-tools/nope", **headers).status_code == 404


def test_posting_a_screening_scores_stores_refers_and_audits() -> None:
    user = make_user(Role.REFERRER)
    client, headers = api(user)
    response = post(client, headers, body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["category"] == "significant_risk" and data["rule"] == "part_a_current"
    assert (
        data["indicators"] == ["missing_repeat"] and data["referral"]["status"] == "awaiting_triage"
    )
    screening = Screening.objects.get()
    assert screening.channel == "api" and screening.submitted_by == user
    assert Referral.objects.get().source == "screening_api"
    assert AccessEvent.objects.filter(channel="api", object_type="screening").exists()


def test_a_known_child_is_matched_by_nhs_number() -> None:
    client, headers = api(make_user(Role.REFERRER))
    post(client, headers, body())
    post(client, headers, body())
    assert Person.objects.count() == 1 and Screening.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"child": {**body()["child"], "nhs_number": "9434765918"}}, "child.nhs_number"),
        ({"child": {**body()["child"], "date_of_birth": "2099-01-01"}}, "child.date_of_birth"),
        ({"answers": {**wm_answers(), "missing_repeat": "sometimes"}}, "answers.missing_repeat"),
        (
            {"answers": {k: v for k, v in wm_answers().items() if k != "self_harm"}},
            "answers.self_harm",
        ),
        ({"answers": {**wm_answers(), "star_sign": "leo"}}, "answers.star_sign"),
        ({"marks": {"self_harm": "evidence"}}, "marks.self_harm"),
        ({"tool": "no-such-tool"}, "tool"),
        ({"screening_date": (date.today() + timedelta(days=1)).isoformat()}, "screening_date"),
        # A result that refers the child needs the sharing basis and the family's knowledge.
        ({"sharing_basis": ""}, "sharing_basis"),
        ({"family_aware": ""}, "family_aware"),
        ({"sharing_basis": "gossip"}, "sharing_basis"),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_stores_nothing(change: dict, field: str) -> None:
    client, headers = api(make_user(Role.REFERRER))
    response = post(client, headers, body(**change))
    assert response.status_code == 422, response.content
    fields = [e["field"] for e in response.json()["detail"]]
    assert field in fields
    assert not Screening.objects.exists() and not Person.objects.exists()
    assert not Referral.objects.exists()


def test_malformed_json_shape_gets_422() -> None:
    client, headers = api(make_user(Role.REFERRER))
    response = post(client, headers, {"tool": "wm-cse-2014"})
    assert response.status_code == 422
    assert {"child", "answers", "screening_date"} <= {e["field"] for e in response.json()["detail"]}


def test_submissions_are_only_the_callers_own() -> None:
    user = make_user(Role.REFERRER)
    make_screening(make_user(Role.REFERRER))
    client, headers = api(user)
    post(client, headers, body())
    listed = client.get("/api/v1/submissions", **headers).json()
    assert len(listed) == 1 and listed[0]["category"] == "significant_risk"


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.SYSTEM_ADMIN, Role.POLICE_ANALYST])
def test_roles_without_screening_are_refused(role: Role) -> None:
    client, headers = api(make_user(role))
    assert post(client, headers, body()).status_code == 403
    assert client.get("/api/v1/submissions", **headers).status_code == 403
    assert client.get("/api/v1/screening-tools", **headers).status_code == 403
    assert not Screening.objects.exists()


def test_openapi_document_is_served_to_a_partner_system() -> None:
    client, headers = api(make_user(Role.REFERRER))
    schema = client.get("/api/v1/openapi.json", **headers).json()
    assert "/api/v1/screenings" in schema["paths"]
    assert "422" in schema["paths"]["/api/v1/screenings"]["post"]["responses"]


def test_a_screening_that_does_not_refer_needs_no_sharing_basis() -> None:
    client, headers = api(make_user(Role.REFERRER))
    response = post(
        client,
        headers,
        body(answers=wm_answers(), marks={}, sharing_basis="", family_aware=""),
    )
    assert response.status_code == 201, response.content
    assert Screening.objects.count() == 1 and not Referral.objects.exists()


def test_the_mash_never_sees_a_referral_without_its_sharing_basis() -> None:
    client, headers = api(make_user(Role.REFERRER))
    response = post(client, headers, body())
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert (referral.sharing_basis, referral.family_aware) == ("safeguarding", "yes")
