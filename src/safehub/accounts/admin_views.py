"""Pages for system administrators to manage staff accounts, and every user's own password
change. Thin: parse, ask the policy, call `administration`."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts import administration
from safehub.accounts.administration import AccountDetails
from safehub.accounts.models import Agency, EnrolmentCode, User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_read
from safehub.policy import Action, allows, require
from safehub.policy.roles import Role
from safehub.refusals import Refused

PAGE_SIZE = 50
STATUSES = [("active", "Active"), ("suspended", "Suspended"), ("all", "All")]


def _account(public_id: str) -> User:
    user = User.objects.select_related("agency").filter(public_id=public_id).first()
    if user is None:
        raise Http404("No such account")
    return user


def _details(request: HttpRequest) -> tuple[AccountDetails, dict[str, str]]:
    post = request.POST
    agency = None
    if post.get("agency", "").isdecimal() and len(post["agency"]) < 19:
        agency = Agency.objects.filter(pk=int(post["agency"])).first()
    details = AccountDetails(
        first_name=post.get("first_name", ""),
        last_name=post.get("last_name", ""),
        email=post.get("email", ""),
        job_title=post.get("job_title", ""),
        agency=agency,
        roles=tuple(post.getlist("roles")),
    )
    values = {k: post.get(k, "") for k in ("username", "first_name", "last_name", "email")}
    values |= {"job_title": post.get("job_title", ""), "agency": post.get("agency", "")}
    values |= {"email_code": post.get("email_code", "")}
    return details, values


def _form_context(values: Mapping[str, object], errors: Mapping[str, str]) -> dict[str, object]:
    return {
        "values": values,
        "errors": list(errors.items()),
        "field_errors": dict(errors),
        "agencies": Agency.objects.order_by("name"),
        "role_choices": Role.choices,
    }


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    status = request.GET.get("status", "active")
    accounts = User.objects.select_related("agency").prefetch_related("role_assignments")
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(agency__name__icontains=query)
        )
    if role in Role.values:
        accounts = accounts.filter(role_assignments__role=role)
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "suspended":
        accounts = accounts.filter(is_active=False)
    page = Paginator(accounts.order_by("last_name", "first_name", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = dict(Role.choices)
    rows = [
        {
            "account": a,
            "roles": sorted(labels.get(r.role, r.role) for r in a.role_assignments.all()),
        }
        for a in page.object_list
    ]
    return render(
        request,
        "accounts/users/list.html",
        {
            "rows": rows,
            "page": page,
            "q": query,
            "role": role,
            "status": status,
            "role_choices": Role.choices,
            "statuses": STATUSES,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    if request.method == "POST":
        details, values = _details(request)
        username = values["username"].strip().lower()
        problems = administration.validate_new(username, details)
        if not problems:
            new = administration.create_account(
                actor=actor,
                username=username,
                details=details,
                email_code=request.POST.get("email_code") == "yes",
            )
            # Shown once, on this response only (never stored, redirected with, or logged).
            return render(
                request,
                "accounts/users/password.html",
                {
                    "account": new.user,
                    "password": new.password,
                    "enrolment": new.enrolment,
                    "created": True,
                },
            )
        return render(
            request,
            "accounts/users/form.html",
            _form_context({**values, "roles": list(details.roles)}, problems) | {"new": True},
            status=400,
        )
    return render(
        request, "accounts/users/form.html", _form_context({"roles": []}, {}) | {"new": True}
    )


@login_required
@require_GET
def user(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    audited_read(actor, AuditObjectType.USER_ACCOUNT, object_id=account.public_id)
    return render(request, "accounts/users/detail.html", _detail_context(account, actor))


def _detail_context(account: User, actor: User, error: Refused | None = None) -> dict[str, object]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    labels = dict(Role.choices)
    return {
        "account": account,
        "roles": sorted(labels.get(r, r) for r in account.role_set()),
        "has_two_factor": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "enrolment_code": EnrolmentCode.objects.filter(user=account).first(),
        "now": timezone.now(),
        "tokens": account.api_tokens.filter(revoked_at__isnull=True).count(),
        "is_self": account.pk == actor.pk,
        "is_ewo": allows(account, Action.SCHOOLS_COVER),
        "schools_covered": account.school_assignments.count(),
        "errors": error.error_list() if error else [],
        "field_errors": error.errors if error else {},
    }


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    if request.method == "POST":
        details, values = _details(request)
        try:
            administration.update_account(actor=actor, user=account, details=details)
        except Refused as error:
            context = _form_context({**values, "roles": list(details.roles)}, error.errors)
            return render(
                request,
                "accounts/users/form.html",
                context | {"account": account},
                status=400,
            )
        messages.success(request, "Account details saved.")
        return redirect("accounts:user", public_id=account.public_id)
    current: dict[str, object] = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "job_title": account.job_title,
        "agency": str(account.agency_id or ""),
        "roles": sorted(account.role_set()),
    }
    return render(
        request, "accounts/users/form.html", _form_context(current, {}) | {"account": account}
    )


def _refuse(request: HttpRequest, account: User, actor: User, error: Refused) -> HttpResponse:
    return render(
        request, "accounts/users/detail.html", _detail_context(account, actor, error), status=400
    )


@login_required
@require_POST
def user_active(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    active = request.POST.get("active") == "yes"
    try:
        administration.set_active(
            actor=actor, user=account, active=active, reason=request.POST.get("reason", "")
        )
    except Refused as error:
        return _refuse(request, account, actor, error)
    messages.success(request, "Account restored." if active else "Account suspended.")
    return redirect("accounts:user", public_id=account.public_id)


@never_cache
@login_required
@require_POST
def user_reset_two_factor(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    try:
        enrolment = administration.reset_two_factor(
            actor=actor,
            user=account,
            reason=request.POST.get("reason", ""),
            email_code=request.POST.get("email_code") == "yes",
        )
    except Refused as error:
        return _refuse(request, account, actor, error)
    # Shown once, on this response only, like a new password.
    return render(
        request, "accounts/users/enrolment_code.html", {"account": account, "enrolment": enrolment}
    )


@never_cache
@login_required
@require_POST
def user_reset_password(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    try:
        password = administration.reset_password(
            actor=actor, user=account, reason=request.POST.get("reason", "")
        )
    except Refused as error:
        return _refuse(request, account, actor, error)
    return render(
        request,
        "accounts/users/password.html",
        {"account": account, "password": password, "created": False},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Any user changes their own password (and must, after an administrator issued one)."""
    user = signed_in_user(request)
    if settings.SAFEHUB_REQUIRE_2FA and not user.is_verified():  # type: ignore[attr-defined]
        return redirect_to_login(request.get_full_path(), "/accounts/two-factor/")
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        update_session_auth_hash(request, form.user)
        administration.record_own_password_change(user)
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    errors = [(name, message) for name, messages_ in form.errors.items() for message in messages_]
    return render(
        request,
        "accounts/password_change.html",
        {
            "errors": errors,
            "field_errors": {name: msgs[0] for name, msgs in form.errors.items()},
            "must_change": user.must_change_password,
        },
        status=400 if errors else 200,
    )
