from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "safehub.licensing"
    label = "licensing"
    verbose_name = "Taxi and private hire licensing"

    def ready(self) -> None:
        # Drivers appear in the workforce coverage report as counts only (no names).
        from safehub.licensing.importer import register_sources
        from safehub.licensing.selectors import driver_coverage_facts
        from safehub.workforce.coverage import register_group

        register_group(
            "drivers", "Hackney carriage and private hire drivers", driver_coverage_facts
        )
        register_sources()
