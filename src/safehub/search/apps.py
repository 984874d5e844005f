from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "safehub.search"
    label = "search"
    verbose_name = "Person search across the partnership's records"
