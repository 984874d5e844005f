"""Autosave a form, discard a kept draft, stay signed in, and the CSRF failure page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safehub.accounts.models import User
from safehub.drafts.requests import keep_posted_form, page_path_of, same_site
from safehub.drafts.services import (
    check_page_path,
    discard_draft,
    draft_fields,
    keep_draft,
)
from safehub.refusals import Refused


def _signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _signed_out() -> JsonResponse:
    # JSON, not a redirect to the sign-in page: the caller is a script, not a person.
    return JsonResponse({"saved": False, "signed_in": False}, status=401)


@require_POST
def autosave(request: HttpRequest) -> JsonResponse:
    """Keep the posted fields as the user's draft of the page at `draft_path`.

    Refuses anonymous requests (401), a missing or invalid CSRF token (the CSRF failure
    page, 403), a path that is not a Safehub page's (400), too many fields or too much text
    (413), and files (they are never kept).
    """
    user = _signed_in(request)
    if user is None:
        return _signed_out()
    if request.FILES:
        return JsonResponse({"saved": False, "error": "Files are not kept."}, status=400)
    path = str(request.POST.get("draft_path", ""))
    try:
        check_page_path(path)
    except Refused as refused:
        return JsonResponse({"saved": False, "error": refused.message}, status=400)
    try:
        keep_draft(user=user, path=path, data=draft_fields(request.POST))
    except Refused as refused:
        return JsonResponse({"saved": False, "error": refused.message}, status=413)
    return JsonResponse({"saved": True, "idle_seconds": settings.SAFEHUB_SESSION_IDLE_SECONDS})


@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    """Delete the user's draft of the page at `draft_path` and go back to that page.

    Refuses anonymous requests (401) and a path that is not a Safehub page's (400).
    """
    user = _signed_in(request)
    if user is None:
        return _signed_out()
    path = str(request.POST.get("draft_path", ""))
    try:
        check_page_path(path)
    except Refused as refused:
        return HttpResponse(refused.message, status=400, content_type="text/plain")
    discard_draft(user=user, path=path)
    messages.info(request, "What you had typed before has been cleared.")
    return redirect(path)


@require_POST
def stay_signed_in(request: HttpRequest) -> JsonResponse:
    """Extend the session (any request does; this one does nothing else). Refuses anonymous
    requests (401)."""
    if _signed_in(request) is None:
        return _signed_out()
    return JsonResponse({"signed_in": True, "idle_seconds": settings.SAFEHUB_SESSION_IDLE_SECONDS})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form could not be accepted because its security token was missing or out of date
    (usually: the user was signed out, or signed in again in another tab).

    For a signed-in user posting from one of Safehub's own pages, what they sent is kept as
    their draft of that page; a cross-site post is never kept (it could plant text in a
    user's form). Nothing else is done with the post.
    """
    user = _signed_in(request)
    path = page_path_of(request) if request.method == "POST" else ""
    kept = None
    if user is not None and same_site(request):
        kept = keep_posted_form(request, user)
    try:
        check_page_path(path)
    except Refused:
        path = ""
    after = f"?{urlencode({'next': path})}" if path else ""
    context = {
        "signed_in": user is not None,
        "kept": kept is not None,
        "page_path": path,
        "sign_in_url": reverse("accounts:login") + after,
    }
    if request.path.startswith("/accounts/drafts/"):
        return JsonResponse({"saved": False, "signed_in": user is not None}, status=403)
    return render(request, "drafts/csrf_failure.html", context, status=403)
