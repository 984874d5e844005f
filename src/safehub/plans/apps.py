from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "safehub.plans"
    label = "plans"
    verbose_name = "Delivery plans and governance"
