from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "safehub.imports"
    label = "imports"
    verbose_name = "Data imports"
