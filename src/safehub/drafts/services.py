"""Keep and discard form drafts. Each function says what it refuses."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
from safehub.refusals import Refused

DRAFT_DAYS = 7
MAX_BYTES = 100_000
MAX_FIELDS = 300
MAX_DRAFTS_PER_USER = 50
# Never kept: the CSRF token (a fresh one comes with the page) and the autosave's own field.
NEVER_KEPT = frozenset({"csrfmiddlewaretoken", "draft_path"})
# Pages whose forms are never kept: signing in, passwords, the drafts endpoints themselves.
NO_DRAFT_PREFIXES = ("/accounts/", "/static/", "/api/")


def draft_fields(post: QueryDict) -> dict[str, list[str]]:
    """The fields of a posted form as they would be kept (no CSRF token, no files)."""
    return {name: post.getlist(name) for name in post if name not in NEVER_KEPT}


def check_page_path(path: str) -> str:
    """The page path a draft is kept under.

    Refuses (Refused) anything but the path of a Safehub page (no query string, no
    host), and the account pages, where nothing typed is kept.
    """
    if (
        not path.startswith("/")
        or path.startswith("//")
        or len(path) > 500
        or any(c in path for c in "?#\\")
        or path.startswith(NO_DRAFT_PREFIXES)
    ):
        raise Refused("That is not a page whose form can be kept.")
    try:
        resolve(path)
    except Resolver404:
        raise Refused("That is not a page whose form can be kept.") from None
    return path


def _expired_before() -> datetime:
    return timezone.now() - timedelta(days=DRAFT_DAYS)


@transaction.atomic
def keep_draft(*, user: User, path: str, data: dict[str, list[str]]) -> FormDraft:
    """Keep what `user` typed into the form at `path`, replacing their earlier draft of it.

    Refuses (Refused, nothing changed) a path that is not a Safehub page (see
    `check_page_path`), more than MAX_FIELDS fields and more than MAX_BYTES of text. Deletes the
    user's expired drafts and keeps at most MAX_DRAFTS_PER_USER, newest first.
    """
    check_page_path(path)
    if len(data) > MAX_FIELDS:
        raise Refused("That form has too many fields to keep.")
    if len(json.dumps(data)) > MAX_BYTES:
        raise Refused("That is too much text to keep as a draft.")
    draft, _ = FormDraft.objects.update_or_create(user=user, path=path, defaults={"data": data})
    mine = FormDraft.objects.filter(user=user)
    mine.filter(updated_at__lt=_expired_before()).delete()
    surplus = list(mine.order_by("-updated_at").values_list("pk", flat=True)[MAX_DRAFTS_PER_USER:])
    if surplus:
        FormDraft.objects.filter(pk__in=surplus).delete()
    return draft


def discard_draft(*, user: User, path: str) -> bool:
    """Delete `user`'s draft of the form at `path`; False when there was none."""
    deleted, _ = FormDraft.objects.filter(user=user, path=path).delete()
    return deleted > 0
