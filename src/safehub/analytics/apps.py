from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "safehub.analytics"
    label = "analytics"
    verbose_name = "Problem profile: victims, perpetrators, hotspots, networks and scale"
