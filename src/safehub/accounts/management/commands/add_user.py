"""`safehub add_user`: add a member of staff with an agency and roles."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.enrolment import issue_enrolment_code
from safehub.accounts.models import Agency, User
from safehub.accounts.services import create_agency, create_user
from safehub.policy.roles import AgencyType, Role


class Command(BaseCommand):
    help = (
        "Add a user in an agency with one or more roles; asks for the password and prints the "
        "two-factor enrolment code they need at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="the agency's name")
        parser.add_argument(
            "--agency-type",
            choices=AgencyType.values,
            help="create the agency with this type if it does not exist yet",
        )
        parser.add_argument("--role", action="append", required=True, choices=Role.values)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--email-code",
            action="store_true",
            help="also email the two-factor enrolment code to --email",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"A user called {options['username']!r} already exists.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords do not match.")
        candidate = User(username=options["username"], email=options["email"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        agency = Agency.objects.filter(name=options["agency"]).first()
        if agency is None and not options["agency_type"]:
            raise CommandError("No such agency: give --agency-type to create it.")
        if agency is None:
            agency = create_agency(name=options["agency"], agency_type=options["agency_type"])
        user = create_user(
            username=options["username"],
            password=password,
            agency=agency,
            roles=options["role"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        enrolment = issue_enrolment_code(
            user=user, issued_by=None, email=options["email_code"], channel="cli"
        )
        self.stdout.write(
            f"Added {user.username}. They set up two-factor at first sign-in with this enrolment "
            f"code (works once, for 24 hours; shown only now): {enrolment.code}"
        )
        if enrolment.emailed_to:
            self.stdout.write(f"The code is also being emailed to {enrolment.emailed_to}.")
