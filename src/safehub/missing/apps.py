from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safehub.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        from safehub import tasks, timeline
        from safehub.missing import selectors

        tasks.register_source("missing", selectors.tasks_for)
        timeline.register_source("missing", selectors.timeline_for)
