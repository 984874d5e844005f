"""Sign-in, two-factor, password and account administration forms, and the staff list's filter.

All are `safehub.govuk_forms.GovukForm`s, shown through the GOV.UK templates. The account
forms pass what was typed on as posted: `administration` checks it, so its messages are the
ones shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms

from safehub.accounts.administration import AccountDetails
from safehub.accounts.models import Agency, User
from safehub.govuk_forms import (
    Choice,
    GovukForm,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    TickField,
    text,
)
from safehub.policy.roles import Role
from safehub.refusals import NON_FIELD


class SignInForm(GovukForm, auth_forms.AuthenticationForm):
    """Django's own sign-in (username and password), shown as GOV.UK components."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off. Ask your system administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = "Username"
        username.error_messages["required"] = "Enter your username"
        username.widget.attrs.update(autocomplete="username", spellcheck_off="1", width="20")
        password.label = "Password"
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs.update(width="20")

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """A wrong username or password is linked to the username box in the summary."""
        return [("username" if f == NON_FIELD else f, m) for f, m in super().error_list]


def _typed(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


STATUSES = [("active", "Active"), ("suspended", "Suspended"), ("all", "All")]


class StaffFilterForm(GovukForm):
    """The staff list's filter (sent as a query string): words in the name, username or
    agency, a role, and active or suspended accounts (active unless asked). A role or status
    it does not know filters nothing."""

    q = text("Name, username or agency", widget=_typed(spellcheck_off="1"))
    role = ServiceChoiceField(
        label="Role", options=Role.choices, widget=forms.Select(attrs={"empty_label": "Any role"})
    )
    status = ServiceChoiceField(
        label="Status", options=STATUSES, widget=forms.Select(attrs={"no_empty_choice": True})
    )

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip()[:100]

    def clean_status(self) -> str:
        return str(self.cleaned_data.get("status") or "") if "status" in self.data else "active"


SIX_DIGITS = "The security code must be 6 digits"


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Security code",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "width": "5"}
        ),
        error_messages={
            "required": "Enter the 6-digit security code from your authenticator app",
            "min_length": SIX_DIGITS,
            "max_length": SIX_DIGITS,
        },
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).strip()
        if not token.isdigit():
            raise forms.ValidationError(SIX_DIGITS)
        return token


class EnrolmentCodeForm(GovukForm):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="For example, ABCD-EFGH-JKLM",
        max_length=40,
        widget=_typed(spellcheck_off="1", width="10"),
        error_messages={
            "required": "Enter the enrolment code your system administrator gave you",
            "max_length": "The enrolment code is 12 letters and numbers",
        },
    )


def _email_code() -> TickField:
    return TickField(
        label="Enrolment code by email",
        box="Also email the enrolment code to their work email address",
        help_text=(
            "Only if one is recorded. The code is shown to you either way; the password is "
            "never emailed."
        ),
    )


class AccountForm(GovukForm):
    """A member of staff's names, agency and roles (`details()`, for `administration`)."""

    first_name = text("First name", widget=_typed(spellcheck_off="1", width="20"))
    last_name = text("Last name", widget=_typed(spellcheck_off="1", width="20"))
    email = text(
        "Work email address (optional)",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck_off": "1"}),
    )
    job_title = text("Job title (optional)", widget=_typed())
    agency = ServiceChoiceField(
        label="Agency", widget=forms.Select(attrs={"empty_label": "Select an agency"})
    )
    roles = ServiceMultipleChoiceField(
        label="Roles",
        options=Role.choices,
        help_text="What the person may do follows from their roles and the access policy",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("name")
        self.fields["agency"].set_options(  # type: ignore[attr-defined]
            [Choice(str(a.pk), a.name) for a in agencies]
        )

    @staticmethod
    def initial_of(account: User) -> dict[str, Any]:
        return {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": account.email,
            "job_title": account.job_title,
            "agency": str(account.agency_id or ""),
            "roles": sorted(account.role_set()),
        }

    def details(self) -> AccountDetails:
        data = self.cleaned_data
        chosen = str(data.get("agency") or "")
        agency = None
        if chosen.isdecimal() and len(chosen) < 19:
            agency = Agency.objects.filter(pk=int(chosen)).first()
        return AccountDetails(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            job_title=data.get("job_title", ""),
            agency=agency,
            roles=tuple(data.get("roles", [])),
        )


class NewAccountForm(AccountForm):
    username = text(
        "Username",
        hint="Lower-case letters, digits, dots, hyphens or underscores, for example j.smith",
        widget=_typed(spellcheck_off="1", width="20"),
    )
    email_code = _email_code()

    field_order = ["username"]

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class AccountActionForm(GovukForm):
    """An administrator's action on an account (suspend or restore it, reset its two-factor
    or password), with the reason written to the access log."""

    reason = text("Reason", hint="For example the service desk ticket number", widget=_typed())
    email_code = _email_code()
    # Posted by the button pressed: Restore the account (yes) or Suspend the account (no).
    active = TickField(label="Active", box="Active")


class PasswordChangeForm(GovukForm, auth_forms.PasswordChangeForm):
    """Django's own password change, shown as GOV.UK components."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Current password", "Enter your current password", ""),
            "new_password1": (
                "New password",
                "Enter a new password",
                "At least 12 characters; not a common password and not like your name or username",
            ),
            "new_password2": ("Confirm the new password", "Confirm the new password", ""),
        }
        for name, (label, required, hint) in labels.items():
            field = self.fields[name]
            field.label = label
            field.help_text = hint
            field.error_messages["required"] = required
            field.widget.attrs.pop("autofocus", None)
