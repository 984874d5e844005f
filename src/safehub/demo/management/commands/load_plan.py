"""`safehub load_plan`: the synthetic city's delivery plan, bodies and resolutions (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safehub.demo.partnership import DEMO_PASSWORD
from safehub.demo.plan import load_plan


class Command(BaseCommand):
    help = "Load the delivery plan, governance bodies and resolutions from partnership.yaml."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_plan(password=DEMO_PASSWORD)
        if not result.created:
            self.stdout.write(f"The delivery plan '{result.plan.title}' is already loaded.")
            return
        summary = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(f"Loaded the delivery plan '{result.plan.title}': {summary}.")
