"""The screening app: screening tools as data, scoring rules, and completed screenings."""

from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safehub.screening"
    label = "screening"
    verbose_name = "CSE screening"

    def ready(self) -> None:
        """Load and check every screening tool file, so a broken one stops start-up; add the
        child's screenings to the chronology."""
        from safehub import timeline
        from safehub.people.sections import Section, register_section
        from safehub.screening import registry, selectors

        registry.load_all()
        timeline.register_source("screening", selectors.timeline_for)
        register_section(
            Section(
                name="screenings",
                position=10,
                template="screening/_person_screenings.html",
                context=lambda person, user: {
                    "screenings": list(selectors.screenings_for_person(person.pk))
                },
            )
        )
