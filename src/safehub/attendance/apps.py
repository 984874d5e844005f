from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "safehub.attendance"
    label = "attendance"
    verbose_name = "School attendance patterns"
