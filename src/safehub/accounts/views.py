"""Sign in, two-factor set-up and verification, the home page and error pages."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub import tasks
from safehub.accounts.enrolment import (
    complete_enrolment,
    may_set_up,
    redeem_enrolment_code,
)
from safehub.accounts.forms import EnrolmentCodeForm, SignInForm, TokenForm
from safehub.accounts.models import HeldSubmission, User
from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list
from safehub.policy import Action, allows, person_scope
from safehub.refusals import Refused


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        if settings.SAFEHUB_REQUIRE_2FA:
            after = self.get_redirect_url()
            return "/accounts/two-factor/" + (f"?{urlencode({'next': after})}" if after else "")
        return super().get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = getattr(settings, "SAFEHUB_DEMO", False)
        return context


# The id of the enrolment code accepted in this session: it lets this session, and only this
# one, see the new authenticator's secret and confirm it.
ENROLMENT_SESSION_KEY = "safehub_enrolment_code"
TASK_PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a confirmed TOTP device or, for a user with none yet, set one up: first the
    enrolment code a system administrator issued, then the authenticator app's code."""
    user = signed_in_user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect("home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        if may_set_up(user, request.session.get(ENROLMENT_SESSION_KEY)):
            device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            return _enrolment_code(request, user)
    assert device is not None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                complete_enrolment(user=user, device=device)
                request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            after = request.GET.get("next", "")
            if after and url_has_allowed_host_and_scheme(
                after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(after)
            return redirect("home")
        form.add_error("token", "The security code is not right. Check your app and try again.")
    context: dict[str, Any] = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#0b0c0c"
        )
        context["secret"] = _base32_secret(device)
    return render(request, "accounts/two_factor.html", context)


def _enrolment_code(request: HttpRequest, user: User) -> HttpResponse:
    """Ask a user with no authenticator for their enrolment code before showing any secret."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = redeem_enrolment_code(user=user, raw=form.cleaned_data["enrolment_code"])
        except Refused as refused:
            form.add_error("enrolment_code", refused.message)
        else:
            request.session[ENROLMENT_SESSION_KEY] = code.pk
            return redirect(request.get_full_path())
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "asking_for_code": True},
        status=400 if form.errors else 200,
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's task list from every part of Safehub, the most urgent first (the order of
    `safehub.tasks.by_urgency`), grouped by kind, filterable by kind (`?kind=`, repeatable;
    unknown kinds are ignored) and paged. Each task names its child where the user's person
    scope shows the child, "a restricted record" otherwise; every child named is audited."""
    user = signed_in_user(request)
    now = timezone.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    every = tasks.by_urgency(tasks.for_user(user), now, end_of_today)
    counts = Counter(t.kind for t in every)
    chosen = [k for k in dict.fromkeys(request.GET.getlist("kind")) if k in counts]
    listed = [t for t in every if not chosen or t.kind in chosen]
    group_totals = Counter(tasks.group_of(t, now) for t in listed)
    page = Paginator(listed, TASK_PAGE_SIZE).get_page(request.GET.get("page"))
    scope = person_scope(user)
    groups, named = [], []
    for key, members in tasks.group_by_kind(page.object_list, now):
        rows = []
        for task in members:
            masked = task.person_id is not None and not scope.shows(
                person_id=task.person_id, restricted=task.restricted
            )
            if task.person_id is not None and not masked and task.person_id not in named:
                named.append(task.person_id)
            rows.append(
                {
                    "task": task,
                    "overdue": task.is_overdue(now),
                    "due_today": task.due <= end_of_today,
                    "masked": masked,
                }
            )
        label = tasks.KIND_LABELS.get(key, key.replace("_", " ").capitalize())
        groups.append({"key": key, "label": label, "total": group_totals[key], "rows": rows})
    if named:
        audited_list(
            user, AuditObjectType.TASK_LIST, person_ids=named, reason="shown on the task list"
        )
    kinds = [k for k in tasks.KIND_LABELS if k in counts] + sorted(
        k for k in counts if k not in tasks.KIND_LABELS
    )
    filters = [
        {
            "kind": k,
            "label": tasks.KIND_LABELS.get(k, k),
            "count": counts[k],
            "checked": k in chosen,
        }
        for k in kinds
    ]
    context = {
        "groups": groups,
        "page": page,
        "total": len(every),
        "listed": len(listed),
        "overdue": sum(1 for t in listed if t.is_overdue(now)),
        "filters": filters,
        "chosen": chosen,
        "filter_query": urlencode([("kind", k) for k in chosen]),
        "long_overdue_days": tasks.LONG_OVERDUE.days,
        "may_screen": allows(user, Action.SCREENING_CREATE),
    }
    return render(request, "accounts/home.html", context)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


HELD_FOR = timedelta(days=1)


@login_required
@require_http_methods(["GET", "POST"])
def held_submission(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send again, with a fresh CSRF token, a form posted just after a session timed out."""
    user = signed_in_user(request)
    if settings.SAFEHUB_REQUIRE_2FA and not user.is_verified():  # type: ignore[attr-defined]
        return redirect_to_login(request.get_full_path(), "/accounts/two-factor/")
    held = HeldSubmission.objects.filter(
        public_id=public_id, user=user, created_at__gte=timezone.now() - HELD_FOR
    ).first()
    if held is None:
        raise Http404("Nothing is held for you with that id")
    if request.method == "POST":
        held.delete()
        messages.info(request, "What you had entered was discarded.")
        return redirect("home")
    fields = [(name, value) for name, values in held.data.items() for value in values]
    return render(request, "accounts/held_submission.html", {"held": held, "fields": fields})
