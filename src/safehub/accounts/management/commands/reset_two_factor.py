"""`safehub reset_two_factor USERNAME --reason ...`: for a lost or replaced phone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.administration import reset_two_factor
from safehub.accounts.models import User
from safehub.refusals import Refused


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and print a new enrolment code, which they need to "
        "set up a new one at their next sign-in. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, e.g. the ticket number")
        parser.add_argument(
            "--email-code",
            action="store_true",
            help="also email the enrolment code to the user's registered address",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        try:
            enrolment = reset_two_factor(
                actor=None,
                user=user,
                reason=options["reason"],
                email_code=options["email_code"],
                channel="cli",
            )
        except Refused as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Two-factor reset for {user.username}. At their next sign-in they set up a new "
            f"authenticator with this enrolment code (works once, for 24 hours; shown only "
            f"now): {enrolment.code}"
        )
        if enrolment.emailed_to:
            self.stdout.write(f"The code is also being emailed to {enrolment.emailed_to}.")
