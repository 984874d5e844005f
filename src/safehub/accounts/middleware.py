"""Session idle timeout, the two-factor requirement and the password-change requirement."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import HeldSubmission, User

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


class SessionIdleTimeoutMiddleware:
    """Sign a user out after SAFEHUB_SESSION_IDLE_SECONDS without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if (
                last_seen is not None
                and now - int(last_seen) > settings.SAFEHUB_SESSION_IDLE_SECONDS
            ):
                held = _hold_submission(request, self.get_response)
                logout(request)
                if held is not None:
                    messages.info(
                        request,
                        "You were signed out because you had not done anything for a while. "
                        "What you were sending has been kept: sign in again to send it.",
                    )
                    return redirect_to_login(
                        reverse("accounts:held_submission", args=[held.public_id]),
                        settings.LOGIN_URL,
                    )
                messages.info(
                    request,
                    "You were signed out because you had not done anything for a while. "
                    "Sign in again to carry on where you were: nothing you saved is lost.",
                )
                # Paths carry random ids only, never personal data.
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            request.session["last_seen"] = now
        return self.get_response(request)


def _hold_submission(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]
) -> HeldSubmission | None:
    """Keep a form posted after the session timed out, if its CSRF token was valid."""
    user = request.user
    if request.method != "POST" or request.path.startswith(OPEN_PREFIXES) or request.FILES:
        return None
    if not isinstance(user, User):
        return None
    if CsrfViewMiddleware(get_response).process_view(request, get_response, (), {}) is not None:
        return None
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    HeldSubmission.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return HeldSubmission.objects.create(user=user, path=request.path, data=data)


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
