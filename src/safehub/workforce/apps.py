from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safehub.workforce"
    label = "workforce"
    verbose_name = "Workforce DBS and training register"

    def ready(self) -> None:
        from safehub.workforce.importer import register_sources

        register_sources()
