"""Designate a licensing officer as senior (may override the licensing rules), or undo it.

safehub designate_senior_officer USERNAME [--note TEXT]
safehub designate_senior_officer USERNAME --remove
safehub designate_senior_officer --list
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.licensing import selectors, services
from safehub.refusals import Refused


class Command(BaseCommand):
    help = "Designate (or remove) a senior licensing officer"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--note", default="")
        parser.add_argument("--remove", action="store_true")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for senior in selectors.senior_officers():
                self.stdout.write(f"{senior.user.username} (since {senior.designated_on})")
            return
        user = User.objects.filter(username=options["username"] or "").first()
        if user is None:
            raise CommandError("No such user")
        if options["remove"]:
            services.remove_senior_officer(user=user)
            change = "senior licensing officer designation removed"
        else:
            try:
                services.designate_senior_officer(
                    user=user, on=timezone.localdate(), note=options["note"]
                )
            except Refused as exc:
                raise CommandError(str(exc)) from exc
            change = "designated senior licensing officer"
        record_access(
            user=None,
            action=AuditAction.CHANGE,
            object_type=AuditObjectType.SENIOR_LICENSING_OFFICER,
            object_id=user.pk,
            reason=change,
            channel="cli",
        )
        self.stdout.write(f"{user.username}: {change}")
