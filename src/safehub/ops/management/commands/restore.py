"""`safehub restore FILE --yes`: replace the database with a backup.

Runs as the schema's owner when DATABASE_OWNER_URL is set (a restore drops and recreates every
table, which the application's own login may not do), then gives the application's login its
privileges again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.ops.backup import BackupError, restore_database
from safehub.ops.database_roles import (
    DatabaseRoleError,
    app_login,
    checked_owner,
    connected_as_owner,
    grant_app_privileges,
)


class Command(BaseCommand):
    help = "Replace everything in the database with the backup in FILE. Needs --yes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm the replacement")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces every record. Run again with --yes to confirm.")
        try:
            app = app_login() if checked_owner() is not None else None
            with connected_as_owner() as connection:
                restore_database(options["file"])
                if app is not None:
                    grant_app_privileges(connection, app)
        except (BackupError, DatabaseRoleError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {options['file']}")
