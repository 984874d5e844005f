"""Session idle timeout, the two-factor requirement and the password-change requirement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse

from safehub.accounts.models import User
from safehub.drafts.requests import AUTOSAVE_PATH, keep_posted_form

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
    """Sign a user out after SAFEHUB_SESSION_IDLE_SECONDS without a request.

    A form posted after the timeout (with a valid CSRF token, so it is the user's own) is kept
    as their draft of the page it came from; after signing in again they land back on that
    page with what they typed. The session store keeps an idle session a while longer than the
    timeout (SESSION_COOKIE_AGE), so this check, not the store, ends it and knows whose it was.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            idle = settings.SAFEHUB_SESSION_IDLE_SECONDS
            if last_seen is not None and now - int(last_seen) > idle:
                kept_path = _keep_typed_work(request, self.get_response)
                logout(request)
                if kept_path is not None:
                    messages.info(
                        request,
                        f"You were signed out because you had not done anything for "
                        f"{idle_time_in_words(idle)}. What you typed has been kept: sign in "
                        "again to carry on.",
                    )
                else:
                    messages.info(
                        request,
                        f"You were signed out because you had not done anything for "
                        f"{idle_time_in_words(idle)}. Sign in again to carry on where you "
                        "were: nothing you saved is lost.",
                    )
                if request.path.startswith(AUTOSAVE_PATH):
                    # A script (autosave, "stay signed in") is told in JSON, not redirected.
                    return JsonResponse({"saved": kept_path is not None}, status=401)
                # Paths carry random ids only, never personal data.
                after = kept_path if kept_path is not None else request.get_full_path()
                return redirect_to_login(after, settings.LOGIN_URL)
            request.session["last_seen"] = now
        return self.get_response(request)


def idle_time_in_words(seconds: int) -> str:
    """'30 minutes', '1 minute', '45 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _keep_typed_work(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]
) -> str | None:
    """Keep a form posted after the session timed out as the user's draft of its page, if its
    CSRF token was valid; the page's path, or None when nothing was kept."""
    user = request.user
    if request.method != "POST" or request.FILES or not isinstance(user, User):
        return None
    if request.path.startswith(OPEN_PREFIXES) and request.path != AUTOSAVE_PATH:
        return None
    if CsrfViewMiddleware(get_response).process_view(request, get_response, (), {}) is not None:
        return None
    return keep_posted_form(request, user)


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
