"""Logs and URLs never carry personal data.

The journeys below (success, refusal, bad input, not found, API errors) run with every logger at
DEBUG; no log line may contain a child's name, date of birth or identifiers.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safehub.accounts.services import issue_api_token
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user, wm_answers

pytestmark = pytest.mark.django_db

GIVEN, FAMILY, DOB, NHS = "Perpetua", "Winterbourne", "2011-08-19", "9434765919"
SECRETS = [GIVEN, FAMILY, DOB, NHS, "19/08/2011", "19 August 2011"]


def test_no_personal_data_reaches_the_logs(
    client_for, caplog: pytest.LogCaptureFixture, mash_officer
) -> None:
    caplog.set_level(logging.DEBUG)
    referrer = make_user(Role.REFERRER)
    client = client_for(referrer)
    draft = client.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    child = {
        "given_name": GIVEN,
        "family_name": FAMILY,
        "date_of_birth-day": "19",
        "date_of_birth-month": "8",
        "date_of_birth-year": "2011",
        "sex": "female",
        "nhs_number": NHS,
    }
    client.post(f"/screening/draft/{draft}/child/", dict(child, nhs_number="9434765918"))
    client.post(f"/screening/draft/{draft}/child/", child)
    for number in (1, 2, 3):
        client.post(
            f"/screening/draft/{draft}/questions/{number}/", wm_answers(missing_repeat="current")
        )
    client.post(
        f"/screening/draft/{draft}/check/",
        {"notes": f"{GIVEN} seen in cars", "sharing_basis": "safeguarding", "family_aware": "no"},
    )
    client.get("/screening/submissions/")
    mash = client_for(mash_officer)
    queue = mash.get("/referrals/")
    assert FAMILY.encode() in queue.content  # the journey really did reach the MASH
    for match in re.findall(rb'href="(/referrals/[0-9a-f-]{36}/)"', queue.content):
        mash.get(match.decode())
    # Refusals and errors log too: none of them may carry the child's details.
    other = make_screening(make_user(Role.REFERRER)).screening
    client.get(f"/people/{other.person.public_id}/")
    client.get("/screening/00000000-0000-0000-0000-000000000000/")
    token = issue_api_token(user=referrer, name="t")
    Client().post(
        "/api/v1/screenings",
        {
            "tool": "wm-cse-2014",
            "screening_date": "2026-01-01",
            "answers": {},
            "child": {
                "given_name": GIVEN,
                "family_name": FAMILY,
                "date_of_birth": DOB,
                "sex": "female",
                "nhs_number": "9434765918",
            },
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records, "the journeys should have logged something"
    for secret in SECRETS:
        assert secret not in logged, f"personal data {secret!r} found in the logs"


def test_url_patterns_carry_only_random_ids() -> None:
    allowed = {"uuid", "int", "str"}
    # Fixed names from Safehub's own lists (a draft's key, a tool, a profile table), never data.
    names_with_str = {"draft_id", "tool_id", "table_id"}

    def walk(patterns: list[object]) -> list[str]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                found.append(str(p.pattern))
        return found

    for route in walk(get_resolver().url_patterns):
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            assert (converter or "str") in allowed, route
            if (converter or "str") == "str":
                assert name in names_with_str, f"{route}: free-text URL parameter {name}"
            assert name not in {"name", "dob", "date_of_birth", "nhs_number", "upn"}, route
