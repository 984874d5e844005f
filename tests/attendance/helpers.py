"""Test data for the attendance app: schools, officers, register weeks and alerts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from safehub.accounts.models import Agency, User
from safehub.attendance.models import AttendanceAlert, AttendanceWeek
from safehub.attendance.services import ScanSummary, assign_schools, scan_attendance
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role
from tests.factories import make_agency, make_user
from tests.missing.helpers import make_child

FIRST_MONDAY = date(2025, 9, 8)
PRESENT = "/\\/\\/\\/\\/\\"
ABSENT_PM = "/O/O/O/O/O"


def mondays(n: int, start: date = FIRST_MONDAY) -> list[date]:
    return [start + timedelta(weeks=i) for i in range(n)]


def make_school() -> Agency:
    return make_agency(AgencyType.SCHOOL)


def make_ewo(*schools: Agency) -> User:
    officer = make_user(Role.EDUCATION_WELFARE, agency=make_agency(AgencyType.COUNCIL))
    assign_schools(officer=officer, schools=schools)
    return officer


def store_weeks(
    school: Agency, sessions: Sequence[str], *, upn: str = "", person: Person | None = None
) -> str:
    """Store one pupil's consecutive weeks from FIRST_MONDAY; returns the UPN."""
    upn = upn or (person.upn if person is not None and person.upn else uuid.uuid4().hex[:13])
    if person is not None and person.upn != upn:
        Person.objects.filter(pk=person.pk).update(upn=upn)
    AttendanceWeek.objects.bulk_create(
        AttendanceWeek(upn=upn, school=school, week_commencing=m, sessions=s, person=person)
        for m, s in zip(mondays(len(sessions)), sessions, strict=True)
    )
    return upn


def falling_pupil(school: Agency, person: Person | None = None, weeks: int = 14) -> str:
    """Eight weeks present, then afternoons missed: a sharp fall and part-day absences."""
    return store_weeks(school, [PRESENT] * 8 + [ABSENT_PM] * (weeks - 8), person=person)


def scan_to_end(weeks: int = 14) -> ScanSummary:
    return scan_attendance(FIRST_MONDAY + timedelta(weeks=weeks - 1, days=4))


def alert_for(upn: str) -> AttendanceAlert:
    return AttendanceAlert.objects.get(upn=upn)


def matrix_alert(user: User, *, covered: bool, restricted: bool) -> uuid.UUID:
    """An alert at a school `user` covers (own, or restricted child) or another school's."""
    school = make_school()
    if covered or restricted:
        assign_schools(officer=user, schools=[school])
    child = make_child()
    if restricted:
        Person.objects.filter(pk=child.pk).update(is_restricted=True)
    upn = falling_pupil(school, person=child)
    scan_to_end()
    return alert_for(upn).public_id
