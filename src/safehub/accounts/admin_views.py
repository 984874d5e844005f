"""Pages for system administrators to manage staff accounts, and every user's own password
change. Thin: parse, ask the policy, call `administration`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts import administration
from safehub.accounts.forms import (
    AccountActionForm,
    AccountForm,
    NewAccountForm,
    PasswordChangeForm,
    StaffFilterForm,
)
from safehub.accounts.models import EnrolmentCode, User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_read
from safehub.policy import Action, allows, require
from safehub.policy.roles import Role
from safehub.refusals import Refused

PAGE_SIZE = 50


def _account(public_id: str) -> User:
    user = User.objects.select_related("agency").filter(public_id=public_id).first()
    if user is None:
        raise Http404("No such account")
    return user


def _form_page(
    request: HttpRequest, form: AccountForm, account: User | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "new": account is None,
        "account": account,
        "field_errors": form.errors if form.is_bound else {},
    }
    return render(
        request, "accounts/users/form.html", context, status=400 if form.error_list else 200
    )


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    form = StaffFilterForm(request.GET)
    form.is_valid()  # every field is passed on as typed: what it does not know filters nothing
    query, role, status = (form.cleaned_data[name] for name in ("q", "role", "status"))
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
            "form": form,
            "q": query,
            "role": role,
            "status": status,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    form = NewAccountForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            new = administration.create_account(
                actor=actor,
                username=form.cleaned_data["username"],
                details=form.details(),
                email_code=form.cleaned_data["email_code"],
            )
        except Refused as refused:
            form.refuse(refused)
        else:
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
    return _form_page(request, form)


@login_required
@require_GET
def user(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    audited_read(actor, AuditObjectType.USER_ACCOUNT, object_id=account.public_id)
    return render(request, "accounts/users/detail.html", _detail_context(account, actor))


def _detail_context(
    account: User, actor: User, form: AccountActionForm | None = None
) -> dict[str, object]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    labels = dict(Role.choices)
    if form is None:
        form = AccountActionForm()
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
        "form": form,
        "field_errors": form.errors if form.is_bound else {},
    }


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    if request.method != "POST":
        return _form_page(request, AccountForm(initial=AccountForm.initial_of(account)), account)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            administration.update_account(actor=actor, user=account, details=form.details())
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(request, "Account details saved.")
            return redirect("accounts:user", public_id=account.public_id)
    return _form_page(request, form, account)


def _action_form(request: HttpRequest) -> AccountActionForm:
    form = AccountActionForm(request.POST)
    form.is_valid()  # every field is passed on as posted: `administration` checks the reason
    return form


def _refuse(
    request: HttpRequest, account: User, actor: User, form: AccountActionForm, refused: Refused
) -> HttpResponse:
    form.refuse(refused)
    return render(
        request, "accounts/users/detail.html", _detail_context(account, actor, form), status=400
    )


@login_required
@require_POST
def user_active(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    form = _action_form(request)
    active = form.cleaned_data["active"]
    try:
        administration.set_active(
            actor=actor, user=account, active=active, reason=form.cleaned_data["reason"]
        )
    except Refused as refused:
        return _refuse(request, account, actor, form, refused)
    messages.success(request, "Account restored." if active else "Account suspended.")
    return redirect("accounts:user", public_id=account.public_id)


@never_cache
@login_required
@require_POST
def user_reset_two_factor(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = signed_in_user(request)
    require(actor, Action.USER_ADMIN)
    account = _account(public_id)
    form = _action_form(request)
    try:
        enrolment = administration.reset_two_factor(
            actor=actor,
            user=account,
            reason=form.cleaned_data["reason"],
            email_code=form.cleaned_data["email_code"],
        )
    except Refused as refused:
        return _refuse(request, account, actor, form, refused)
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
    form = _action_form(request)
    try:
        password = administration.reset_password(
            actor=actor, user=account, reason=form.cleaned_data["reason"]
        )
    except Refused as refused:
        return _refuse(request, account, actor, form, refused)
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
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        form.save()
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        update_session_auth_hash(request, form.user)
        administration.record_own_password_change(user)
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "must_change": user.must_change_password},
        status=400 if form.error_list else 200,
    )
