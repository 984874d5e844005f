"""Code lists of the attendance app."""

from __future__ import annotations

from django.db import models

from safehub.attendance.wording import TITLES


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISMISSED = "dismissed", "Dismissed"
    ESCALATED = "escalated", "Escalated to a screening"


ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
CLOSED = (AlertStatus.DISMISSED, AlertStatus.ESCALATED)


class DismissalReason(models.TextChoices):
    """Why an officer dismissed an alert, as a choice, so dismissals can be counted per rule
    (the rules review) without reading anyone's words; the officer's details are kept beside
    it, on the alert only."""

    ILLNESS = "illness", "Illness or medical reasons the school knows about"
    HOLIDAY = "holiday", "A family holiday"
    EXPECTED = (
        "expected",
        ("Expected absence: study leave, leaving school, or an agreed part-time timetable"),
    )
    LATE_BUT_IN_SCHOOL = "late_but_in_school", "Late, but in school"
    ALREADY_KNOWN = "already_known", "Already known: support or a plan is in place"
    REGISTER_MISTAKE = "register_mistake", "A mistake in the register"
    OTHER = "other", "Something else"


class RuleName(models.TextChoices):
    """The rules of rules.py, titled as the officer sees them (wording.TITLES)."""

    SHARP_FALL = "sharp_fall", TITLES["sharp_fall"]
    PERSISTENT_ABSENCE = "persistent_absence", TITLES["persistent_absence"]
    PART_DAY = "part_day", TITLES["part_day"]
    LATE_AFTER_REGISTERS = "late_after_registers", TITLES["late_after_registers"]
    SAME_WEEKDAY = "same_weekday", TITLES["same_weekday"]
    AROUND_MISSING = "around_missing", TITLES["around_missing"]
    PART_TIME_TIMETABLE = "part_time_timetable", TITLES["part_time_timetable"]
    CHILDREN_MISSING_EDUCATION = "children_missing_education", TITLES["children_missing_education"]
    OFF_ROLL = "off_roll", TITLES["off_roll"]
