"""`safehub load_demo`: the demo partnership and its logins, printed for a newcomer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safehub.demo.city.load import CityAlreadyLoaded, load_city
from safehub.demo.partnership import DEMO_PASSWORD, load_partnership
from safehub.plans.loader import load_plan

DEMO_CITY_SEED = 2015


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
        logins = load_partnership()
        load_plan(password=DEMO_PASSWORD)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.what}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and sign in.\n")
