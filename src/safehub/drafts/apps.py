from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "safehub.drafts"
    label = "drafts"
    verbose_name = "Form drafts"
