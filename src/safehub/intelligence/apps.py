from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "safehub.intelligence"
    label = "intelligence"
    verbose_name = "Police intelligence: persons of interest, locations, vehicles, disruption"
