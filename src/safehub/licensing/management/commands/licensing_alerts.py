"""Expiry alerts for licensed drivers: DBS, Update Service checks, training and licences.

    safehub licensing_alerts [--on yyyy-mm-dd] [--list]

Prints counts by kind (expired / due within the configured days); `--list` adds the badge
numbers (never names). Exits 0; meant for a daily scheduled job whose output is mailed to the
licensing team.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.licensing import config, selectors
from safehub.licensing.choices import AlertKind


class Command(BaseCommand):
    help = "Report drivers' DBS, Update Service, training and licence expiries"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="the day to report for (default today)")
        parser.add_argument("--list", action="store_true", help="list badge numbers")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--on must be a date like 2026-07-31") from exc
        rows = selectors.expiry_alerts(on)
        counts: Counter[tuple[str, bool]] = Counter()
        for row in rows:
            for alert in row.alerts:
                counts[(alert.kind, alert.expired)] += 1
        days = config.policy().alert_days
        self.stdout.write(f"Driver expiry alerts on {on.isoformat()} (due within {days} days)")
        for kind, label in AlertKind.choices:
            self.stdout.write(
                f"  {label}: {counts[(kind, True)]} expired, {counts[(kind, False)]} due"
            )
        self.stdout.write(f"  Drivers with any alert: {len(rows)}")
        if options["list"]:
            for row in rows:
                kinds = ", ".join(
                    f"{a.kind} {'expired' if a.expired else 'due'} {a.valid_until}"
                    for a in row.alerts
                )
                self.stdout.write(f"  {row.driver.badge_number}: {kinds}")
