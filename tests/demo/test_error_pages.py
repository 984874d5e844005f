"""The demo runs with DEBUG off and answers errors with GOV.UK pages, never Django's."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client, override_settings

from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_settings_turn_debug_off_unless_asked() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    code = "from safehub.config.settings import local; print(local.DEBUG, local.SAFEHUB_DEMO)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def assert_govuk_page(html: str, heading: str) -> None:
    assert 'class="govuk-template' in html and "safehub.css" in html
    assert heading in html
    for django_text in ("Traceback", "DEBUG = True", "Page not found at /", "URLconf"):
        assert django_text not in html


def test_an_unknown_address_gives_the_govuk_404_page() -> None:
    assert settings.DEBUG is False
    user = make_user(Role.REFERRER)
    response = sign_in(Client(), user).get("/no-such-page/")
    assert response.status_code == 404
    assert_govuk_page(response.content.decode(), "Page not found")


def test_a_refusal_gives_the_govuk_403_page() -> None:
    user = make_user(Role.REFERRER)
    response = sign_in(Client(), user).get("/licensing/alerts/")
    assert response.status_code == 403
    assert_govuk_page(response.content.decode(), "You cannot see this page")


@override_settings(ROOT_URLCONF="tests.demo.error_urls")
def test_a_failing_page_gives_the_govuk_500_page_without_details() -> None:
    client = sign_in(Client(raise_request_exception=False), make_user(Role.REFERRER))
    response = client.get("/broken-for-test/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_govuk_page(html, "Sorry, there is a problem with the service")
    assert "deliberate failure" not in html and "SAFEHUB_" not in html


def test_the_500_page_renders_without_any_context() -> None:
    from django.views.defaults import server_error

    response = server_error(HttpRequest())
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_static_files_are_served_with_debug_off() -> None:
    """WhiteNoise serves the GOV.UK styles itself: runserver serves none when DEBUG is off."""
    built = settings.STATICFILES_DIRS[0] / "build" / "safehub.css"
    # `make test` builds the styles first (its set-up step), so they are always there.
    assert built.exists(), "the styles are not built: run make assets"
    response = Client().get("/static/build/safehub.css")
    assert response.status_code == 200
    assert "text/css" in response["Content-Type"]


def test_every_sass_function_in_our_stylesheet_is_compiled() -> None:
    """A GOV.UK Sass function Sass does not know is copied into the CSS as text, and the
    browser then ignores the whole rule: the risk panels lost their colours that way."""
    css = (settings.STATICFILES_DIRS[0] / "build" / "safehub.css").read_text()
    assert not re.search(r"govuk-[a-z-]+\(", css)
    assert re.search(r"\.safehub-result-panel--significant_risk[^{]*\{[^}]*background-color:#", css)
