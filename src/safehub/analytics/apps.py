from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "safehub.analytics"
    label = "analytics"
    verbose_name = "Problem profile: victims, perpetrators, hotspots, networks and scale"

    def ready(self) -> None:
        # The published comparator files (DfE, ONS) come in through the import framework.
        from safehub.analytics.published import register_sources

        register_sources()
