"""API fuzzing: schemathesis generates requests from the OpenAPI document.

No request may cause a 5xx, and every response must match the documented schema. Runs inside
pytest against the test database (never against a running server, where it would write).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.specs.openapi.checks import positive_data_acceptance

from safehub.accounts.services import issue_api_token
from safehub.api.api import api
from safehub.config.wsgi import application
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user

# A schema-valid body can still be refused on meaning (a check digit, an unanswered indicator),
# so "valid data is accepted" does not apply; every other check does.
EXCLUDED = [positive_data_acceptance]


def _in_process_schema() -> schemathesis.specs.openapi.schemas.OpenApiSchema:
    """The OpenAPI document built in-process: its URL needs a signed-in caller, and no user
    exists before the database does."""
    raw = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    loaded.location = "/api/v1/openapi.json"
    return loaded


schema = _in_process_schema()


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Like Django's test client: don't let request signals close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, keep_test_connection: None) -> str:
    user = make_user(Role.REFERRER)
    make_screening(user, missing_repeat="current")
    return issue_api_token(user=user, name="fuzz")


@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_and_matches_its_schema(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED)
