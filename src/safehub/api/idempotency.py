"""Replaying POSTs safely: the same key and body give the first response again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from safehub.accounts.models import User
from safehub.api.models import IdempotencyKey

MAX_KEY_LENGTH = 100


class IdempotencyConflict(Exception):
    """The key was used before with a different request, or is malformed."""


def run_once(
    request: HttpRequest, user: User, operation: str, act: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `act` once per Idempotency-Key. Without a key, just run it.

    Refuses (IdempotencyConflict) a key longer than 100 characters, or one already used for a
    different body or operation. The stored response and the record `act` creates are
    committed together, so a retry never creates a second record.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return act()
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyConflict("Idempotency-Key must be 100 characters or fewer")
    digest = hashlib.sha256(request.body).hexdigest()
    previous = IdempotencyKey.objects.filter(user=user, key=key).first()
    if previous is not None:
        if previous.request_digest != digest or previous.operation != operation:
            raise IdempotencyConflict(
                "This Idempotency-Key was already used for a different request"
            )
        return previous.status_code, previous.response
    try:
        with transaction.atomic():
            status, body = act()
            if status < 300:
                IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    operation=operation,
                    request_digest=digest,
                    status_code=status,
                    response=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                )
    except IntegrityError:
        raise IdempotencyConflict("The same request is being processed; retry shortly") from None
    return status, body
