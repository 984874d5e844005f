"""Where a posted form came from, and keeping it when the post itself cannot be used."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest

from safehub.accounts.models import User
from safehub.drafts.services import (
    check_page_path,
    draft_fields,
    keep_draft,
)
from safehub.refusals import Refused

AUTOSAVE_PATH = "/accounts/drafts/"


def page_path_of(request: HttpRequest) -> str:
    """The path of the page whose form was posted: the autosave's `draft_path`, else the
    same-site Referer's path (a form may post to another URL), else the posted URL's path."""
    if request.path == AUTOSAVE_PATH:
        return str(request.POST.get("draft_path", ""))
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc == request.get_host() and referer.path:
        return referer.path
    return request.path


def same_site(request: HttpRequest) -> bool:
    """Whether a POST says it comes from one of Safehub's own pages (Origin, else Referer)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer", "")
    return bool(origin) and urlsplit(origin).netloc == request.get_host()


def keep_posted_form(request: HttpRequest, user: User) -> str | None:
    """Keep a posted form as `user`'s draft of the page it came from; that page's path, or
    None when nothing was kept (files, a page whose forms are not kept, too much text).

    The caller must have established that the post is the user's own (a valid CSRF token, or
    a same-site request carrying their session).
    """
    if request.method != "POST" or request.FILES:
        return None
    path = page_path_of(request)
    try:
        check_page_path(path)
        keep_draft(user=user, path=path, data=draft_fields(request.POST))
    except Refused:
        return None
    return path
