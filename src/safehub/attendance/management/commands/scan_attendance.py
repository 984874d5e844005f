"""`safehub scan_attendance [--as-of YYYY-MM-DD]`: run the attendance rules, update alerts."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.attendance.services import scan_attendance


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Scan every pupil's registers with the attendance rules and create or update alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            default="",
            help="use registers up to this date (default today): YYYY-MM-DD",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        started = time.perf_counter()
        summary = scan_attendance(as_of)
        seconds = time.perf_counter() - started
        # Counts only: no pupil is named in command output or logs.
        self.stdout.write(
            f"Scanned {summary.pupils_scanned} pupils' registers up to {as_of:%d %b %Y} in "
            f"{seconds:.1f} s: {summary.findings} findings; {summary.created} new alerts, "
            f"{summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.kept_closed} left dismissed or escalated."
        )
