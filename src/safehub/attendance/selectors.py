"""Reading attendance: who covers which school, the alerts an officer sees, a pupil's weeks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from safehub.attendance import codes
from safehub.attendance.choices import ACTIVE, CLOSED
from safehub.attendance.models import AttendanceAlert, AttendanceWeek, SchoolAssignment


def covers_school(*, user_id: int, school_id: int) -> bool:
    """Whether the user is assigned to the school as its education welfare officer."""
    return SchoolAssignment.objects.filter(officer_id=user_id, school_id=school_id).exists()


def schools_covered(user_id: int) -> list[int]:
    """The ids of the schools the user covers."""
    return list(
        SchoolAssignment.objects.filter(officer_id=user_id).values_list("school_id", flat=True)
    )


def alerts_for_officer(user_id: int, *, show: str = "active") -> QuerySet[AttendanceAlert]:
    """The alerts of the officer's schools only: "active" (open and acknowledged), "closed"
    (dismissed and escalated, kept for review) or "all". Refuses any other `show`."""
    statuses = {"active": ACTIVE, "closed": CLOSED, "all": ACTIVE + CLOSED}[show]
    return (
        AttendanceAlert.objects.filter(
            school_id__in=schools_covered(user_id), status__in=[s.value for s in statuses]
        )
        .select_related("school", "person", "status_changed_by")
        .prefetch_related("findings")
        .order_by("-has_new_findings", "status", "-as_of", "-id")
    )


def alert_by_public_id(public_id: str | uuid.UUID) -> AttendanceAlert | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        AttendanceAlert.objects.select_related("school", "person", "status_changed_by")
        .filter(public_id=key)
        .first()
    )


@dataclass(frozen=True)
class WeekRow:
    """One register week as shown to the officer: each session's code and its kind."""

    monday: date
    sessions: list[tuple[str, str, str]]  # (code, kind, meaning)
    possible: int
    attended: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.possible) if self.possible else None


def weeks_for_alert(alert: AttendanceAlert, *, weeks: int = 20) -> list[WeekRow]:
    """The pupil's latest register weeks at the alert's school, newest first."""
    rows = (
        AttendanceWeek.objects.filter(upn=alert.upn, school_id=alert.school_id)
        .filter(week_commencing__lte=alert.as_of)
        .order_by("-week_commencing")[:weeks]
    )
    out = []
    for row in rows:
        marks = [(c, codes.kind_of(c), codes.MEANINGS.get(c, "unknown code")) for c in row.sessions]
        possible = sum(c in codes.COUNTED for c in row.sessions)
        attended = sum(c in codes.ATTENDED for c in row.sessions)
        out.append(WeekRow(row.week_commencing, marks, possible, attended))
    return out


def last_complete_monday(as_of: date) -> date:
    """The Monday of the last school week whose Friday is on or before `as_of`."""
    friday = as_of - timedelta(days=(as_of.weekday() - 4) % 7)
    return friday - timedelta(days=4)


def latest_register_week(school_ids: list[int]) -> date | None:
    """The latest school week with a register imported for any of these schools, or None
    when none has been imported yet."""
    if not school_ids:
        return None
    return (
        AttendanceWeek.objects.filter(school_id__in=school_ids)
        .order_by("-week_commencing")
        .values_list("week_commencing", flat=True)
        .first()
    )
