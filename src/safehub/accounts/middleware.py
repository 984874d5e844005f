"""The two-factor requirement and the password-change requirement (the session idle timeout,
which keeps typed work, is safehub.drafts.middleware's)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but not yet verified user may reach (each account page among them makes
# its own check where it needs one). Staff account administration is not among them.
OPEN_PREFIXES = (
    "/accounts/sign-in/",
    "/accounts/sign-out/",
    "/accounts/two-factor/",
    "/accounts/password/",
    "/accounts/held/",
    "/static/",
    "/api/",
)


class TwoFactorRequiredMiddleware:
    """Where two-factor authentication is required, send unverified users to verify or set up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.SAFEHUB_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an administrator issued a password, the user chooses their own before anything
    else (the account pages, where the change is made, stay open)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
