"""Account administration: what a system administrator does to staff accounts.

Every change is checked here (so a bad form changes nothing) and written to the access log
with the administrator's name and reason. Passwords and two-factor enrolment codes are
generated, shown once to the administrator, and never stored or logged in clear.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.enrolment import IssuedCode, issue_enrolment_code
from safehub.accounts.models import Agency, RoleAssignment, User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.policy.roles import Role
from safehub.refusals import Refused

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")
OBJECT_TYPE = AuditObjectType.USER_ACCOUNT


@dataclass(frozen=True)
class AccountDetails:
    first_name: str
    last_name: str
    email: str
    job_title: str
    agency: Agency | None
    roles: tuple[str, ...]


def new_password() -> str:
    """A one-time password for the administrator to pass on; the user signs in with it once
    and sets up two-factor authentication."""
    return secrets.token_urlsafe(12)


def _check(details: AccountDetails) -> dict[str, str]:
    """What is wrong with the details: field -> message for the administrator."""
    problems: dict[str, str] = {}
    if not details.first_name.strip():
        problems["first_name"] = "Enter the person's first name"
    if not details.last_name.strip():
        problems["last_name"] = "Enter the person's last name"
    if details.agency is None:
        problems["agency"] = "Select the agency the person works for"
    if not details.roles:
        problems["roles"] = "Select at least one role"
    elif set(details.roles) - set(Role.values):
        problems["roles"] = "Select roles from the list"
    return problems


def validate_new(username: str, details: AccountDetails) -> dict[str, str]:
    """What is wrong with a new account: field -> message, the username first."""
    problems: dict[str, str] = {}
    if not USERNAME.match(username):
        problems["username"] = (
            "Enter a username of 3 to 150 characters: lower-case letters, digits, dots, "
            "hyphens or underscores"
        )
    elif User.objects.filter(username=username).exists():
        problems["username"] = "That username is taken: choose another"
    return problems | _check(details)


def _apply(user: User, details: AccountDetails) -> None:
    user.first_name = details.first_name.strip()
    user.last_name = details.last_name.strip()
    user.email = details.email.strip()
    user.job_title = details.job_title.strip()
    user.agency = details.agency
    user.save()
    RoleAssignment.objects.filter(user=user).exclude(role__in=details.roles).delete()
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=r) for r in details.roles if r not in held]
    )
    user.__dict__.pop("_role_cache", None)


def _log(actor: User, user: User, action: AuditAction, reason: str) -> None:
    record_access(
        user=actor, action=action, object_type=OBJECT_TYPE, object_id=user.public_id, reason=reason
    )


@dataclass(frozen=True)
class NewAccount:
    """An account just added, with what the administrator passes on (shown once)."""

    user: User
    password: str
    enrolment: IssuedCode


@transaction.atomic
def create_account(
    *, actor: User, username: str, details: AccountDetails, email_code: bool = False
) -> NewAccount:
    """Create an account with a one-time password and a two-factor enrolment code (emailed to
    the person too if `email_code`). Refuses (Refused, nothing written) what `validate_new`
    finds."""
    problems = validate_new(username, details)
    if problems:
        raise Refused(problems)
    user = User(username=username, must_change_password=True)
    password = new_password()
    user.set_password(password)
    _apply(user, details)
    _log(actor, user, AuditAction.CREATE, f"account created with roles {_roles(details.roles)}")
    enrolment = issue_enrolment_code(user=user, issued_by=actor, email=email_code)
    return NewAccount(user=user, password=password, enrolment=enrolment)


@transaction.atomic
def update_account(*, actor: User, user: User, details: AccountDetails) -> None:
    """Change names, agency and roles. Refuses (Refused, nothing written) what `_check` finds,
    and an administrator removing their own admin role."""
    problems = _check(details)
    if actor.pk == user.pk and Role.SYSTEM_ADMIN not in details.roles:
        problems.setdefault("roles", "You cannot remove your own system administrator role")
    if problems:
        raise Refused(problems)
    before = sorted(user.role_set())
    _apply(user, details)
    _log(
        actor,
        user,
        AuditAction.CHANGE,
        f"account details changed; roles {_roles(before)} -> {_roles(details.roles)}",
    )


def _roles(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles)) or "none"


def _reason(reason: str) -> str:
    if not reason.strip():
        raise Refused.one("reason", "Enter the reason, for example the service desk ticket")
    return reason.strip()


@transaction.atomic
def set_active(*, actor: User, user: User, active: bool, reason: str) -> None:
    """Suspend or restore an account. Suspended users cannot sign in or use API tokens."""
    why = _reason(reason)
    if actor.pk == user.pk and not active:
        raise Refused.one("reason", "You cannot suspend your own account")
    user.is_active = active
    user.save(update_fields=["is_active"])
    _log(actor, user, AuditAction.CHANGE, f"{'restored' if active else 'suspended'}: {why}")


@transaction.atomic
def reset_two_factor(
    *, actor: User | None, user: User, reason: str, email_code: bool = False, channel: str = "web"
) -> IssuedCode:
    """Remove the user's authenticator and issue a new enrolment code (replacing any earlier
    one), so they, and not just someone with their password, set up a new one at their next
    sign-in. Returns the code, to be shown once. Refuses an empty reason."""
    why = _reason(reason)
    TOTPDevice.objects.filter(user=user).delete()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=OBJECT_TYPE,
        object_id=user.public_id,
        reason=f"two-factor reset: {why}",
        channel=channel,
    )
    return issue_enrolment_code(user=user, issued_by=actor, email=email_code, channel=channel)


@transaction.atomic
def reset_password(*, actor: User, user: User, reason: str) -> str:
    """Give the user a new one-time password (shown once to the administrator)."""
    why = _reason(reason)
    password = new_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _log(actor, user, AuditAction.CHANGE, f"password reset: {why}")
    return password


def record_own_password_change(user: User) -> None:
    """Write the access-log row for a user who has just changed their own password."""
    _log(user, user, AuditAction.CHANGE, "password changed by its owner")
