from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _link_licensed_vehicle(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A licensing record that arrives after the intelligence links the taxi then.
    from safehub.intelligence.importer import link_licensed_vehicle

    link_licensed_vehicle(instance)


class IntelligenceConfig(AppConfig):
    name = "safehub.intelligence"
    label = "intelligence"
    verbose_name = "Police intelligence: persons of interest, locations, vehicles, disruption"

    def ready(self) -> None:
        from safehub.intelligence.importer import register_sources

        register_sources()
        post_save.connect(
            _link_licensed_vehicle,
            sender="licensing.Vehicle",
            dispatch_uid="intelligence.link_licensed_vehicle",
        )
