"""The screening app: screening tools as data, scoring rules, and completed screenings."""

from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safehub.screening"
    label = "screening"
    verbose_name = "CSE screening"

    def ready(self) -> None:
        """Load and check every screening tool file, so a broken one stops start-up."""
        from safehub.screening import registry

        registry.load_all()
