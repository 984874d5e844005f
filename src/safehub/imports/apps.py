from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "safehub.imports"
    label = "imports"
    verbose_name = "Data imports"

    def ready(self) -> None:
        # Register the sources the imports app ships. Other apps register theirs in their own
        # ready() (see safehub.imports.registry): attendance its registers.
        from safehub.imports.sources import education, police, social_care  # noqa: F401
