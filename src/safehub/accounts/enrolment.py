"""Two-factor enrolment codes: what a user needs, besides their password, to set up an
authenticator app.

A system administrator issues a code when adding an account and when resetting someone's
two-factor authentication. It is shown once to the administrator (and, if they ask, emailed to
the user's registered address), stored only as a salted hash, works once, expires after a day
and stops working after a few wrong tries; issuing a new code replaces the old. Codes are never
written to the access log or the application log.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import EnrolmentCode, User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.refusals import Refused

logger = logging.getLogger(__name__)

# Letters and digits that cannot be mistaken for one another when read out or copied by hand.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 60 bits
VALID_FOR = timedelta(hours=24)
MOST_WRONG_TRIES = 5
OBJECT_TYPE = AuditObjectType.TWO_FACTOR_ENROLMENT
ASK_FOR_A_NEW_ONE = "Ask your system administrator for a new one."


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued: `code` is the only copy there will ever be."""

    code: str
    expires_at: datetime
    emailed_to: str = ""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(raw: str) -> str:
    """A code as typed, without spaces or hyphens, in capitals."""
    return "".join(raw.split()).replace("-", "").upper()


def issue_enrolment_code(
    *,
    user: User,
    issued_by: User | None,
    email: bool = False,
    channel: str = "web",
    now: datetime | None = None,
) -> IssuedCode:
    """Issue a new enrolment code for the user, replacing any earlier one, and return it.

    With `email`, it is also sent to the user's registered address once the change is saved
    (nothing is sent when they have none). The access log records that a code was issued and
    by whom, never the code.
    """
    now = now or timezone.now()
    code = new_code()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user).delete()
        EnrolmentCode.objects.create(
            user=user,
            digest=make_password(normalise(code)),
            issued_by=issued_by,
            issued_at=now,
            expires_at=now + VALID_FOR,
        )
        emailed_to = user.email if email and user.email else ""
        record_access(
            user=issued_by,
            action=AuditAction.CHANGE,
            object_type=OBJECT_TYPE,
            object_id=user.public_id,
            reason="enrolment code issued" + (", also emailed to the user" if emailed_to else ""),
            channel=channel,
        )
        if emailed_to:
            transaction.on_commit(_emailer(user, code, now + VALID_FOR))
    return IssuedCode(code=code, expires_at=now + VALID_FOR, emailed_to=emailed_to)


def _emailer(user: User, code: str, expires_at: datetime) -> Callable[[], None]:
    def send() -> None:
        ends = timezone.localtime(expires_at)
        try:
            send_mail(
                "Your Safehub set-up code",
                f"Your code to set up two-factor authentication for Safehub is {code}\n\n"
                f"It works once, until {ends:%H:%M} on {ends:%d %B %Y}. Your password reaches "
                f"you separately. Sign in at {settings.SAFEHUB_BASE_URL}/ and enter the code "
                "when asked.\n\nIf you did not expect this, tell your system administrator.",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        except Exception:  # the administrator still has the code on screen
            logger.warning("could not email an enrolment code to user %s", user.public_id)

    return send


def redeem_enrolment_code(*, user: User, raw: str, now: datetime | None = None) -> EnrolmentCode:
    """Accept the user's enrolment code, once, and start a fresh authenticator set-up (any
    earlier unconfirmed one is discarded, so nobody else can hold its secret).

    Refuses (Refused, each refusal written to the access log): no code issued, a code
    already used, expired, or spent by too many wrong tries, and a wrong code (which counts as
    a wrong try).
    """
    now = now or timezone.now()
    with transaction.atomic():
        code = EnrolmentCode.objects.select_for_update().filter(user=user).first()
        message, why = _problem(code, raw, now)
        if code is not None and not message:
            code.used_at = now
            code.save(update_fields=["used_at"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
            _log(user, AuditAction.CHANGE, "enrolment code accepted")
            return code
        if why == "wrong" and code is not None:
            EnrolmentCode.objects.filter(pk=code.pk).update(wrong_attempts=F("wrong_attempts") + 1)
            if code.wrong_attempts + 1 >= MOST_WRONG_TRIES:
                message = _too_many()
        _log(user, AuditAction.DENIED, f"enrolment code refused: {why}")
    raise Refused(message)


def _too_many() -> str:
    return f"Too many wrong codes: this enrolment code no longer works. {ASK_FOR_A_NEW_ONE}"


def _problem(code: EnrolmentCode | None, raw: str, now: datetime) -> tuple[str, str]:
    """(message for the user, reason for the log), or two empty strings if the code is good."""
    if code is None:
        return (
            "No enrolment code has been issued to you. Ask your system administrator for one.",
            "none",
        )
    if code.used_at is not None:
        return f"This enrolment code has been used already. {ASK_FOR_A_NEW_ONE}", "used"
    if code.wrong_attempts >= MOST_WRONG_TRIES:
        return _too_many(), "too many wrong tries"
    if code.expires_at <= now:
        return f"This enrolment code has expired. {ASK_FOR_A_NEW_ONE}", "expired"
    if not check_password(normalise(raw), code.digest):
        return "The enrolment code is not right. Check it and try again.", "wrong"
    return "", ""


def may_set_up(user: User, code_id: object) -> bool:
    """Whether the enrolment code accepted in this session (its id) still lets the user set up
    an authenticator: false once an administrator has issued a new code or reset two-factor."""
    if not isinstance(code_id, int):
        return False
    return EnrolmentCode.objects.filter(pk=code_id, user=user, used_at__isnull=False).exists()


def complete_enrolment(*, user: User, device: TOTPDevice) -> None:
    """Confirm the authenticator the user has just proved they hold."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _log(user, AuditAction.CHANGE, "authenticator app set up")


def _log(user: User, action: AuditAction, reason: str) -> None:
    record_access(
        user=user, action=action, object_type=OBJECT_TYPE, object_id=user.public_id, reason=reason
    )
