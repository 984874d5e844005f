"""`safehub create_database_roles`: print the psql script that makes Safehub's two logins.

Prints SQL for a PostgreSQL superuser to run (it connects to nothing itself), so no superuser
password passes through Safehub. See docs/operations.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.ops.database_roles import DatabaseRoleError, role_setup_script


class Command(BaseCommand):
    help = (
        "Print a psql script that creates the owner and the application's login and the "
        "database (or converts an older install). Pipe it to psql as a PostgreSQL superuser."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="the login that owns the schema")
        parser.add_argument("--app", required=True, help="the application's own login")
        parser.add_argument("--database", required=True, help="the database name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            script = role_setup_script(
                owner=options["owner"], app=options["app"], database=options["database"]
            )
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(script, ending="")
