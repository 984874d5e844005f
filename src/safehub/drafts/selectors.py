"""Read form drafts: only ever a user's own."""

from __future__ import annotations

from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
from safehub.drafts.services import DRAFT_DAYS


def draft_for(user: User, path: str) -> FormDraft | None:
    """`user`'s unexpired draft of the form at `path`; None for anyone else's or none."""
    return FormDraft.objects.filter(
        user=user, path=path, updated_at__gte=timezone.now() - timedelta(days=DRAFT_DAYS)
    ).first()


def draft_as_post(draft: FormDraft) -> QueryDict:
    """A draft's fields as a QueryDict, so a view can read them as it reads a posted form."""
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        if isinstance(values, list):
            data.setlist(name, [str(v) for v in values])
    return data
