from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "safehub.attendance"
    label = "attendance"
    verbose_name = "School attendance patterns"

    def ready(self) -> None:
        # Refuse to start with thresholds that do not make sense, rather than at the first scan.
        from safehub.attendance.config import thresholds

        thresholds()
        # The register importer registers its source with the imports app on import.
        from safehub.attendance import importer, selectors  # noqa: F401
        from safehub.policy import facts

        facts.provide(covers_school=selectors.covers_school)
