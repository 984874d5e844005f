from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "safehub.licensing"
    label = "licensing"
    verbose_name = "Taxi and private hire licensing"
