"""A form draft: the fields of one form as its author last typed them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormDraft(models.Model):
    """What a user typed into the form at `path`, saved as they type and when a submit fails
    because their session ended.

    Server-side only (never in a URL or the browser's storage); one per user and page; only
    its author ever sees it; deleted when the form is sent and after DRAFT_DAYS.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts"
    )
    # The page's path: random ids only, never personal data (see docs/security.md).
    path = models.CharField(max_length=500)
    # Field name -> list of values, as the form would post them (no files, no CSRF token).
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="one_draft_per_user_and_page")
        ]
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Form draft {self.pk}"
