"""Actions on agencies, users and API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, ApiToken, RoleAssignment, User
from safehub.policy.roles import AgencyType, Role


def create_agency(
    *, name: str, agency_type: AgencyType | str, urn: str = "", school_phase: str = ""
) -> Agency:
    """Create (or return the existing) agency of that name."""
    agency, _ = Agency.objects.get_or_create(
        name=name, defaults={"agency_type": agency_type, "urn": urn, "school_phase": school_phase}
    )
    return agency


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    agency: Agency,
    roles: Iterable[Role | str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    """Create a user in one agency with the given roles. Refuses an unknown role."""
    role_values = [str(r) for r in roles]
    unknown = set(role_values) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown role(s): {', '.join(sorted(unknown))}")
    user = User(
        username=username,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in role_values])
    return user


def issue_api_token(*, user: User, name: str) -> str:
    """Issue a new API token for the user and return it. It cannot be shown again."""
    raw = ApiToken.new_raw_token()
    ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], digest=ApiToken.digest_of(raw))
    return raw


def user_for_api_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown or revoked token."""
    if not raw or not raw.startswith("sh_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke_api_token(*, token: ApiToken) -> None:
    """Revoke a token; later calls with it are refused."""
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def signed_in_user(request: object) -> User:
    """The request's user, typed; refuses an anonymous request (views also need login)."""
    from django.core.exceptions import PermissionDenied

    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("not signed in")
    return user
