"""`safehub restore FILE --yes`: replace the database with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.ops.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace everything in the database with the backup in FILE. Needs --yes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm the replacement")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces every record. Run again with --yes to confirm.")
        try:
            restore_database(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {options['file']}")
