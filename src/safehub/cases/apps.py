from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safehub.cases"
    label = "cases"
    verbose_name = "CSE cases"
