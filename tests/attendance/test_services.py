"""Scanning creates and updates alerts without duplicating them; officers' decisions."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.attendance.choices import AlertStatus
from safehub.attendance.models import AlertFinding, AttendanceAlert, AttendanceWeek
from safehub.attendance.services import (
    acknowledge_alert,
    dismiss_alert,
    scan_attendance,
)
from safehub.policy.roles import Role
from safehub.refusals import Refused
from tests.attendance.helpers import (
    ABSENT_PM,
    FIRST_MONDAY,
    PRESENT,
    alert_for,
    falling_pupil,
    make_ewo,
    make_school,
    mondays,
    scan_to_end,
    store_weeks,
)
from tests.factories import make_user
from tests.missing.helpers import make_child

pytestmark = pytest.mark.django_db


def test_a_scan_raises_one_alert_with_a_finding_per_rule() -> None:
    school = make_school()
    upn = falling_pupil(school)
    store_weeks(school, [PRESENT] * 14)
    summary = scan_to_end()
    assert (summary.created, summary.pupils_scanned) == (1, 2)
    alert = alert_for(upn)
    rules = set(alert.findings.values_list("rule", flat=True))
    assert {"sharp_fall", "part_day", "persistent_absence"} <= rules
    fall = alert.findings.get(rule="sharp_fall")
    assert fall.sentence.startswith("attendance fell from 100% to ")


def test_scanning_again_changes_nothing() -> None:
    school = make_school()
    falling_pupil(school)
    scan_to_end()
    before = list(AlertFinding.objects.values_list("id", "rule", "last_week", "facts"))
    summary = scan_to_end()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert list(AlertFinding.objects.values_list("id", "rule", "last_week", "facts")) == before
    assert AttendanceAlert.objects.count() == 1


def test_a_later_scan_updates_the_open_alert() -> None:
    school = make_school()
    upn = falling_pupil(school, weeks=14)
    scan_attendance(FIRST_MONDAY + timedelta(weeks=10, days=4))
    first = alert_for(upn).findings.get(rule="part_day").last_week
    summary = scan_to_end()
    assert summary.updated == 1 and AttendanceAlert.objects.count() == 1
    assert alert_for(upn).findings.get(rule="part_day").last_week > first


def test_weeks_after_as_of_are_not_used() -> None:
    school = make_school()
    falling_pupil(school)
    assert scan_attendance(FIRST_MONDAY + timedelta(weeks=8, days=3)).findings == 0


def test_a_dismissed_alert_stays_dismissed_until_a_new_rule_fires() -> None:
    school = make_school()
    officer = make_ewo(school)
    upn = store_weeks(school, [PRESENT] * 8 + [ABSENT_PM] * 6 + [PRESENT] * 2)
    scan_attendance(FIRST_MONDAY + timedelta(weeks=13, days=4))
    alert = alert_for(upn)
    dismiss_alert(
        actor=officer, alert=alert, category="expected", reason="Afternoon college course, agreed"
    )
    summary = scan_attendance(FIRST_MONDAY + timedelta(weeks=15, days=4))
    assert summary.kept_closed == 1 and AttendanceAlert.objects.count() == 1
    # Then twenty days of unauthorised absence: a rule that had not fired.
    AttendanceWeek.objects.bulk_create(
        AttendanceWeek(upn=upn, school=school, week_commencing=m, sessions="O" * 10)
        for m in mondays(4, FIRST_MONDAY + timedelta(weeks=16))
    )
    summary = scan_attendance(FIRST_MONDAY + timedelta(weeks=19, days=4))
    assert summary.created == 1
    statuses = sorted(AttendanceAlert.objects.values_list("status", flat=True))
    assert statuses == ["dismissed", "open"]
    kept = AttendanceAlert.objects.get(status="dismissed")
    assert (kept.dismissal_category, kept.dismissal_reason) == (
        "expected",
        "Afternoon college course, agreed",
    )


def test_an_acknowledged_alert_reopens_when_a_rule_fires_anew() -> None:
    school = make_school()
    officer = make_ewo(school)
    upn = store_weeks(school, [PRESENT] * 8 + [ABSENT_PM] * 6 + ["O" * 10] * 4)
    scan_attendance(FIRST_MONDAY + timedelta(weeks=13, days=4))
    acknowledge_alert(actor=officer, alert=alert_for(upn))
    scan_attendance(FIRST_MONDAY + timedelta(weeks=17, days=4))
    alert = alert_for(upn)
    assert alert.status == AlertStatus.OPEN and alert.has_new_findings


def test_decisions_refuse_a_closed_alert_and_an_empty_reason() -> None:
    school = make_school()
    officer = make_ewo(school)
    upn = falling_pupil(school)
    scan_to_end()
    alert = alert_for(upn)
    with pytest.raises(Refused) as refused:
        dismiss_alert(actor=officer, alert=alert, category="", reason="   ")
    assert refused.value.errors == {
        "category": "Select why you are dismissing this alert",
        "reason": "Enter the details of why you are dismissing this alert",
    }
    with pytest.raises(Refused) as refused:
        dismiss_alert(actor=officer, alert=alert, category="bored", reason="Hospital stay")
    assert list(refused.value.errors) == ["category"]
    assert alert_for(upn).status == AlertStatus.OPEN
    dismiss_alert(actor=officer, alert=alert, category="illness", reason="Known: hospital stay")
    with pytest.raises(Refused, match="already been dismissed"):
        acknowledge_alert(actor=officer, alert=alert_for(upn))


def test_alerts_link_to_the_pupil_when_the_upn_is_known() -> None:
    school = make_school()
    child = make_child()
    upn = falling_pupil(school, person=child)
    scan_to_end()
    assert alert_for(upn).person_id == child.pk


def test_absences_around_a_recorded_missing_episode() -> None:
    from tests.missing.helpers import london, make_episode

    school = make_school()
    child = make_child()
    upn = store_weeks(school, [PRESENT] * 3 + ["/\\/\\/\\OOOO"], person=child)
    thursday = FIRST_MONDAY + timedelta(weeks=3, days=3)
    make_episode(
        make_user(Role.MASH_OFFICER),
        child,
        went_missing_at=london(thursday.year, thursday.month, thursday.day, 9),
    )
    scan_to_end(4)
    finding = alert_for(upn).findings.get(rule="around_missing")
    assert finding.facts["episodes"] == 1 and finding.facts["sessions"] == 4


def test_the_command_scans_and_reports_counts_only() -> None:
    school = make_school()
    falling_pupil(school)
    out = StringIO()
    as_of = (FIRST_MONDAY + timedelta(weeks=13, days=4)).isoformat()
    call_command("scan_attendance", "--as-of", as_of, stdout=out)
    assert "1 new alerts" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("scan_attendance", "--as-of", "13/12/2025")


def test_supporting_only_rules_add_to_alerts_but_do_not_open_them() -> None:
    from django.test import override_settings

    school = make_school()
    # Ill one morning a week, a different day each week: persistently absent, nothing else.
    weeks = [PRESENT[: 2 * (i % 5)] + "I" + PRESENT[2 * (i % 5) + 1 :] for i in range(14)]
    quiet = store_weeks(school, weeks)
    loud = falling_pupil(school)
    with override_settings(SAFEHUB_ATTENDANCE_RULES={"supporting_only": ["persistent_absence"]}):
        summary = scan_to_end()
    assert summary.created == 1
    assert not AttendanceAlert.objects.filter(upn=quiet).exists()
    assert "persistent_absence" in set(alert_for(loud).findings.values_list("rule", flat=True))
