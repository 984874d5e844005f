"""Security headers and cookie settings on every response."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client

from safehub.policy.roles import Role
from tests.factories import make_screening

pytestmark = pytest.mark.django_db


def csp_directives(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split(" ", 1)[0]: (p.split(" ", 1) + [""])[1] for p in parts}


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/screening/", "/api/v1/docs"])
def test_pages_carry_the_security_headers(client_for, referrer, path: str) -> None:
    response = client_for(referrer).get(path)
    csp = csp_directives(response["Content-Security-Policy"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_service_pages_have_no_unsafe_inline_and_a_script_nonce(client_for, referrer) -> None:
    response = client_for(referrer).get("/screening/")
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    nonce = csp_directives(header)["script-src"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content
    assert b"<script>" not in response.content and b"style=" not in response.content


def test_session_and_csrf_cookies_are_http_only_and_same_site(client: Client) -> None:
    make_screening  # noqa: B018 - the factory module imports the tools
    response = client.get("/accounts/sign-in/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    from tests.factories import PASSWORD, make_user

    user = make_user(Role.REFERRER)
    signed = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    session = signed.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_production_adds_hsts_secure_cookies_and_https_redirect() -> None:
    code = (
        "import safehub.config.settings.production as p;"
        "print(p.SECURE_HSTS_SECONDS, p.SESSION_COOKIE_SECURE, p.CSRF_COOKIE_SECURE,"
        " p.SECURE_SSL_REDIRECT, p.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    env = {"PATH": "/usr/bin", "DEBUG": "false", "SECRET_KEY": "s" * 64}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"], result.stderr


def test_api_docs_use_local_scripts_only(client_for, referrer) -> None:
    page = client_for(referrer).get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
