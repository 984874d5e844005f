from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safehub.cases"
    label = "cases"
    verbose_name = "CSE cases"

    def ready(self) -> None:
        from safehub import tasks, timeline
        from safehub.cases import selectors
        from safehub.policy import facts

        facts.provide(is_allocated=selectors.is_allocated, is_attending=selectors.is_attending)
        tasks.register_source("cases", selectors.tasks_for)
        timeline.register_source("cases", selectors.timeline_for)
