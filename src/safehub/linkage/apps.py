from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "safehub.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
