"""The session idle timeout, which keeps a form posted after it as a draft; offer a page's kept
draft to its template, and forget the draft once the form is sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware

from safehub.accounts.middleware import OPEN_PREFIXES
from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
from safehub.drafts.requests import AUTOSAVE_PATH, keep_posted_form
from safehub.drafts.selectors import draft_for
from safehub.drafts.services import NO_DRAFT_PREFIXES, discard_draft


class FormDraftMiddleware:
    """On GET, `request.form_draft` is the user's draft of this page (looked up only if the
    page asks); after a POST answered with a redirect (the form was accepted), the user's
    draft of that page is deleted.

    Sits after the idle-timeout, two-factor and password-change middleware, so their
    redirects never count as a form accepted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # For the timeout warning (base.html): how long the session lasts without a request.
        request.idle_seconds = settings.SAFEHUB_SESSION_IDLE_SECONDS  # type: ignore[attr-defined]
        user = request.user
        signed_in = isinstance(user, User) and user.is_authenticated
        if signed_in and request.method == "GET" and not request.path.startswith(NO_DRAFT_PREFIXES):
            assert isinstance(user, User)
            path = request.path

            @cache
            def form_draft() -> FormDraft | None:
                return draft_for(user, path)

            request.form_draft = form_draft  # type: ignore[attr-defined]
        response = self.get_response(request)
        if (
            signed_in
            and request.method == "POST"
            and response.status_code in (301, 302, 303)
            and isinstance(request.user, User)
            and request.user.is_authenticated
        ):
            discard_draft(user=request.user, path=request.path)
        return response


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
