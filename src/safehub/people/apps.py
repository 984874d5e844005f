from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehub.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # Refuse to start with break-glass periods that make no sense, rather than in an emergency.
        from safehub.people.config import break_glass_periods

        break_glass_periods()
        from safehub.people import selectors
        from safehub.policy import facts

        facts.provide(
            has_access_grant=selectors.has_access_grant,
            granted_person_ids=selectors.granted_person_ids,
        )
