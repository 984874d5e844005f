from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "safehub.plans"
    label = "plans"
    verbose_name = "Delivery plans and governance"

    def ready(self) -> None:
        from safehub import tasks
        from safehub.plans import selectors

        tasks.register_source("plans", selectors.tasks_for)
