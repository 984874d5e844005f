"""Who may read the API's description (the OpenAPI document and its docs page).

The description names every field Safehub takes about a child, so it is not public: a user
signed in on the web (with two-factor verified where it is required) or a partner system with
a valid API token may read it. Anyone else is sent to sign in (the docs page) or gets the API's
401 (the OpenAPI document).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

from safehub.accounts.services import user_for_api_token

View = Callable[..., HttpResponse]


def _may_read(request: HttpRequest) -> bool:
    """A verified web session or a valid bearer token; refuses anyone else."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        if not settings.SAFEHUB_REQUIRE_2FA or user.is_verified():
            return True
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        token_user = user_for_api_token(token.strip())
        if token_user is not None:
            request.user = token_user
            return True
    return False


def signed_in_only(view: View) -> View:
    """Wrap a description view (ninja's `docs_decorator`) so only `_may_read` callers see it."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _may_read(request):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(
                {"detail": "Sign in, or send a valid API token, to read the API's description."},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return redirect_to_login(request.get_full_path())

    return update_wrapper(wrapped, view) if hasattr(view, "__name__") else wrapped
