"""One refusal type: its helpers, the API's 422 and the web's error summary for a service's
refusal, and no input refusal outside it."""

from __future__ import annotations

import ast
import builtins
import importlib
from datetime import date
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

import safehub
from safehub.accounts.services import issue_api_token
from safehub.api.schemas import ErrorOut
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.refusals import NON_FIELD, Refused, error_summary
from safehub.screening.models import Screening
from safehub.screening.services import SHARING_BASIS_MISSING
from tests.factories import make_screening, make_user, wm_answers

fields = st.text(st.characters(codec="ascii", categories=["L", "Nd"]), min_size=1, max_size=20)
messages = st.text(min_size=1, max_size=60)
field_errors = st.dictionaries(fields, messages, min_size=1, max_size=8)


@given(field_errors)
def test_a_refusal_keeps_every_field_and_message_in_the_order_given(
    errors: dict[str, str],
) -> None:
    refused = Refused(errors)
    assert refused.error_list() == list(errors.items())
    assert refused.errors == errors
    assert str(refused) == "; ".join(errors.values())
    assert refused.message == next(iter(errors.values()))
    assert error_summary(refused) == {"errors": errors, "error_list": list(errors.items())}
    assert error_summary(errors) == error_summary(refused)


@given(field_errors)
def test_a_refusal_keeps_its_own_copy_of_the_errors(errors: dict[str, str]) -> None:
    given_errors = dict(errors)
    refused = Refused(errors)
    errors.clear()
    assert refused.errors == given_errors


@given(fields, messages)
def test_one_refuses_one_field(field: str, message: str) -> None:
    refused = Refused.one(field, message)
    assert refused.error_list() == [(field, message)]
    assert str(refused) == message


def test_a_refusal_not_about_a_field_uses_the_documented_key() -> None:
    refused = Refused("This import has been started already.")
    assert refused.errors == {NON_FIELD: "This import has been started already."}
    assert NON_FIELD == "__all__"


def test_a_refusal_without_a_message_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="at least one message"):
        Refused({})


def test_the_error_summary_links_a_field_but_not_a_refusal_of_the_whole_form() -> None:
    refused = Refused({NON_FIELD: "This record was changed", "reason": "Enter a reason"})
    html = render_to_string("govuk/error_summary.html", {"errors": refused.error_list()})
    assert '<a href="#reason">Enter a reason</a>' in html
    assert "<li>This record was changed</li>" in html
    assert "#__all__" not in html


# --- the API: a service's refusal becomes the documented 422 ---


@pytest.mark.django_db
def test_the_api_answers_a_service_refusal_with_the_documented_422() -> None:
    # The answers refer the child to the MASH, so the screening service refuses a screening
    # without the basis for sharing: the API's own checks let it through to the service.
    token = issue_api_token(user=make_user(Role.REFERRER), name="partner system")
    body = {
        "tool": "wm-cse-2014",
        "screening_date": date.today().isoformat(),
        "child": {
            "given_name": "Wren",
            "family_name": "Halsbury",
            "date_of_birth": "2011-07-01",
            "sex": "female",
        },
        "answers": wm_answers(missing_repeat="current"),
        "sharing_basis": "",
        "family_aware": "yes",
    }
    response = Client().post(
        "/api/v1/screenings",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "sharing_basis", "message": SHARING_BASIS_MISSING}]
    }
    ErrorOut.model_validate(response.json())
    assert not Screening.objects.exists() and not Person.objects.exists()


# --- the web: a service's refusal is shown in the error summary ---


@pytest.mark.django_db
def test_a_page_shows_a_service_refusal_in_the_error_summary(client_for, mash_officer) -> None:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    response = client_for(mash_officer).post(
        f"/referrals/{referral.public_id}/rating/", {"version": referral.version, "rating": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#rating">Select Red, Amber or Green</a>' in html
    assert '<a href="#reason">Say why you chose this rating</a>' in html
    assert Referral.objects.get(pk=referral.pk).rag == ""


# --- every exception class that refuses input is a Refused ---

# Failures of the system or its operators, and lookups, not refusals of what a user sent.
NOT_REFUSALS = {
    "safehub.api.idempotency.IdempotencyConflict",
    "safehub.audit.models.AppendOnlyError",
    "safehub.demo.city.load.CityAlreadyLoaded",
    "safehub.imports.city.CityImportFailed",
    "safehub.imports.registry.UnknownSource",
    "safehub.ops.backup.BackupError",
    "safehub.ops.database_roles.DatabaseRoleError",
    "safehub.screening.definitions.ToolDefinitionError",
    "safehub.screening.registry.UnknownTool",
}
SRC = Path(safehub.__file__).parent


def _exception_classes() -> list[str]:
    """Every class in src/safehub deriving (by the names of its bases, followed through the
    classes found) from a built-in exception or one named ...Error or ...Exception, as
    module.Class."""
    classes: list[tuple[str, str, list[str]]] = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(("safehub", *path.relative_to(SRC).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
                classes.append((module, node.name, bases))
    known = {
        name
        for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    found: set[str] = set()
    while True:
        more = {
            f"{module}.{name}"
            for module, name, bases in classes
            if any(b in known or b.endswith(("Error", "Exception")) for b in bases)
        }
        if more == found:
            return sorted(found)
        found = more
        known |= {qualified.rpartition(".")[2] for qualified in found}


def test_every_exception_class_refusing_input_is_a_refusal() -> None:
    classes = _exception_classes()
    assert "safehub.versioning.StaleEdit" in classes  # the scan finds them
    outside = []
    for name in classes:
        module, _, attr = name.rpartition(".")
        cls = getattr(importlib.import_module(module), attr)
        if issubclass(cls, Exception) and not issubclass(cls, Refused):
            outside.append(name)
    assert sorted(outside) == sorted(NOT_REFUSALS)
