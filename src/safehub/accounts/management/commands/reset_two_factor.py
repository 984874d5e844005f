"""`safehub reset_two_factor USERNAME`: for a lost or replaced phone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.audit.models import AuditAction
from safehub.audit.services import record_access


class Command(BaseCommand):
    help = "Remove a user's authenticator app so they set up a new one at their next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, e.g. the ticket number")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        record_access(
            user=user,
            action=AuditAction.CHANGE,
            object_type="two_factor_device",
            object_id=user.pk,
            reason=f"reset by an administrator: {options['reason']}",
            channel="cli",
        )
        self.stdout.write(
            f"Removed {removed} device(s); {user.username} sets up two-factor at next sign-in."
        )
