"""`safehub grant_app_privileges`: give the application's login exactly its part, and check it.

`safehub migrate` does this itself when DATABASE_OWNER_URL is set; run this after changing
roles by hand, or with --check to see what the application's login could do that it should not.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from safehub.ops.database_roles import (
    DatabaseRoleError,
    app_login,
    app_role_problems,
    checked_owner,
    connected_as_owner,
    grant_app_privileges,
)


class Command(BaseCommand):
    help = (
        "Grant the application's login (DATABASE_URL's user, or --app) row access to every "
        "table and only INSERT and SELECT on the access log. Runs as DATABASE_OWNER_URL."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app", help="the application's login (default: DATABASE_URL's)")
        parser.add_argument(
            "--check", action="store_true", help="change nothing; list what is wrong"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        if vendor != "postgresql":
            self.stdout.write(f"{vendor} has no database roles: nothing to do.")
            return
        try:
            checked_owner(DEFAULT_DB_ALIAS)
            app = options["app"] or app_login(DEFAULT_DB_ALIAS)
            with connected_as_owner(DEFAULT_DB_ALIAS) as connection:
                if options["check"]:
                    problems = app_role_problems(connection, app)
                else:
                    grant_app_privileges(connection, app)
                    problems = []
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from None
        if problems:
            raise CommandError(f"{app} can do too much or too little:\n- " + "\n- ".join(problems))
        if options["check"]:
            self.stdout.write(f"{app} has exactly its privileges.")
        else:
            self.stdout.write(f"Granted {app} its privileges (rows only; access log append-only).")
