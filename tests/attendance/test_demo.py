"""The demo: a small city's registers, the demo EWO covering its schools, and alerts to open."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.attendance.models import AttendanceAlert, AttendanceWeek, SchoolAssignment
from safehub.demo.attendance import (
    EWO_LOGIN,
    load_city_attendance,
    load_demo_attendance,
)
from safehub.demo.city.load import load_city

pytestmark = pytest.mark.django_db


def test_the_demo_officer_sees_alerts_for_the_city_schools_and_escalates_one(
    client_for: Callable[[User], Client],
) -> None:
    load_city("small", 7)
    rows = load_city_attendance("small", 7)
    assert rows == AttendanceWeek.objects.count() > 50_000
    summary = load_demo_attendance()
    assert summary.created > 0
    officer = User.objects.get(username=EWO_LOGIN.username)
    assert SchoolAssignment.objects.filter(officer=officer).count() == 10
    again = load_demo_attendance()
    assert (again.created, again.updated) == (0, 0)
    client = client_for(officer)
    assert client.get(reverse("attendance:alerts")).status_code == 200
    alert = AttendanceAlert.objects.filter(person__isnull=False).first()
    assert alert is not None
    page = client.get(reverse("attendance:alert", kwargs={"public_id": alert.public_id}))
    assert page.status_code == 200
    escalated = client.post(reverse("attendance:escalate", kwargs={"public_id": alert.public_id}))
    assert escalated.status_code == 302 and "/questions/1/" in escalated["Location"]
