"""`safehub load_demo`: the demo partnership and its logins, printed for a newcomer.

Loads the small synthetic city, then brings its agency extracts in through the import
framework (as a council would), scans the school registers for the education welfare officer,
and sets up the licensing and workforce registers. Safe to run again: it keeps what is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safehub.accounts.models import User
from safehub.analytics.published import import_published_files
from safehub.demo.attendance import EWO_LOGIN, load_demo_attendance
from safehub.demo.city.build import build_city
from safehub.demo.city.load import CityAlreadyLoaded, load_city
from safehub.demo.city.spec import make_spec
from safehub.demo.licensing import load_demo_licensing
from safehub.demo.partnership import (
    DEMO_PASSWORD,
    DemoLogin,
    activate_demo_login,
    load_partnership,
)
from safehub.demo.plan import load_plan
from safehub.demo.workforce import load_demo_workforce
from safehub.imports.city import import_city_extracts
from safehub.linkage import services as linkage
from safehub.linkage.choices import RunStatus
from safehub.linkage.models import LinkageRun

DEMO_CITY_SEED = 2015
IMPORTER = "sysadmin"


class Command(BaseCommand):
    help = "Load a small synthetic city and the demo logins, and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "SAFEHUB_DEMO", False):
            raise CommandError("load_demo only runs with the demo settings (SAFEHUB_DEMO).")
        try:
            counts = load_city("small", DEMO_CITY_SEED)
        except CityAlreadyLoaded:
            self.stdout.write("The synthetic city is already loaded; keeping it.")
        else:
            summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
            self.stdout.write(f"Loaded a small synthetic city (seed {DEMO_CITY_SEED}): {summary}")
        logins: list[DemoLogin] = list(load_partnership())
        load_plan(password=DEMO_PASSWORD)
        self._import_extracts()
        scan = load_demo_attendance(password=DEMO_PASSWORD)
        self.stdout.write(
            f"Scanned {scan.pupils_scanned:,} pupils' registers to {scan.as_of:%d %B %Y}: "
            f"{scan.created:,} new alerts, {scan.updated:,} updated"
        )
        logins.append(EWO_LOGIN)
        logins += load_demo_licensing(password=DEMO_PASSWORD)
        logins += load_demo_workforce(password=DEMO_PASSWORD)
        # --- intelligence demo ---
        from safehub.demo.intelligence import load_demo_intelligence

        logins += load_demo_intelligence(password=DEMO_PASSWORD)
        # --- analytics demo ---
        published = import_published_files(User.objects.get(username=IMPORTER))
        self.stdout.write(
            "Imported the published DfE/ONS comparator files: "
            f"{sum(r.new for r in published.values()):,} new rows, "
            f"{sum(r.unchanged for r in published.values()):,} unchanged"
        )
        # Every login printed signs in with the printed password, whichever loader made it.
        for user in User.objects.filter(username__in=[login.username for login in logins]):
            activate_demo_login(user)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.what}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and sign in.\n")

    def _import_extracts(self) -> None:
        """Write the city's agency extracts once, then import them (unchanged rows are
        recognised, so a second run imports nothing new)."""
        out = Path(settings.VAR_DIR) / "demo-city"
        if not (out / "manifest.json").exists():
            build_city(make_spec("small", DEMO_CITY_SEED), out)
        runs = import_city_extracts(out, User.objects.get(username=IMPORTER))
        for name, run in runs.items():
            self.stdout.write(
                f"Imported {name}: {run.new:,} new, {run.changed:,} changed, "
                f"{run.unchanged:,} unchanged, {run.rejected:,} rejected"
            )
        if not LinkageRun.objects.filter(status=RunStatus.SUCCEEDED).exists():
            linkage.load_identities_from_extracts(out)
            linking = linkage.run_linkage(channel="cli")
            self.stdout.write(
                f"Linked {linking.records:,} agency records into {linking.clusters:,} people: "
                f"{linking.review_pairs:,} pairs for the data officer to review"
            )
