"""Offer a page's kept draft to its template, and forget the draft once the form is sent."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
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
