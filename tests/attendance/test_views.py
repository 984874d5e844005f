"""The education welfare officer's pages, their refusals and their audit rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.attendance.choices import AlertStatus
from safehub.attendance.models import AttendanceAlert, AttendanceWeek
from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from safehub.screening import drafts
from tests.attendance.helpers import alert_for, falling_pupil, make_ewo, make_school, scan_to_end
from tests.factories import make_user
from tests.missing.helpers import make_child

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def setting() -> dict:
    """Two schools, each with its own officer and a pupil with an alert."""
    ours, theirs = make_school(), make_school()
    child = make_child(given_name="Ottilie")
    mine = falling_pupil(ours, person=child)
    other = falling_pupil(theirs, person=make_child(given_name="Barnaby"))
    scan_to_end()
    return {
        "officer": make_ewo(ours),
        "other_officer": make_ewo(theirs),
        "alert": alert_for(mine),
        "other_alert": alert_for(other),
        "child": child,
    }


def url(name: str, alert: AttendanceAlert) -> str:
    return reverse(f"attendance:{name}", kwargs={"public_id": alert.public_id})


def test_the_list_shows_only_the_officers_schools(client_for: ClientFor, setting: dict) -> None:
    page = client_for(setting["officer"]).get(reverse("attendance:alerts"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ottilie" in body and "Barnaby" not in body
    assert "attendance fell from 100% to" in body


def test_an_officer_with_no_schools_sees_no_alerts(client_for: ClientFor, setting: dict) -> None:
    body = client_for(make_ewo()).get(reverse("attendance:alerts")).content.decode()
    assert "not assigned to any school" in body and "Ottilie" not in body


def test_opening_an_alert_shows_why_and_the_weeks_and_is_audited(
    client_for: ClientFor, setting: dict
) -> None:
    officer, alert = setting["officer"], setting["alert"]
    page = client_for(officer).get(url("alert", alert))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Sharp fall in attendance" in body and "afternoon absences" in body
    assert 'data-testid="attendance-weeks"' in body
    assert AccessEvent.objects.filter(
        user_id=officer.pk, person_id=setting["child"].pk, object_type="attendance_alert"
    ).exists()


@pytest.mark.parametrize("name", ["alert", "dismiss"])
def test_another_schools_officer_is_refused_and_it_is_logged(
    client_for: ClientFor, setting: dict, name: str
) -> None:
    other = setting["other_officer"]
    response = client_for(other).get(url(name, setting["alert"]))
    assert response.status_code == 403
    assert "Ottilie" not in response.content.decode()
    assert AccessEvent.objects.filter(user_id=other.pk, action="denied").exists()


@pytest.mark.parametrize("name", ["acknowledge", "escalate"])
def test_another_schools_officer_cannot_act(
    client_for: ClientFor, setting: dict, name: str
) -> None:
    response = client_for(setting["other_officer"]).post(url(name, setting["alert"]))
    assert response.status_code == 403
    assert alert_for(setting["alert"].upn).status == AlertStatus.OPEN


@pytest.mark.parametrize("role", [Role.MASH_OFFICER, Role.CSE_MANAGER, Role.REFERRER])
def test_other_roles_are_refused(client_for: ClientFor, setting: dict, role: Role) -> None:
    client = client_for(make_user(role))
    assert client.get(reverse("attendance:alerts")).status_code == 403
    assert client.get(url("alert", setting["alert"])).status_code == 403


def test_an_unknown_alert_is_not_found(client_for: ClientFor, setting: dict) -> None:
    missing = reverse(
        "attendance:alert", kwargs={"public_id": "8f7e3a52-0b8e-4c71-9d5e-1f0f5a0d9c11"}
    )
    assert client_for(setting["officer"]).get(missing).status_code == 404


def test_acknowledge(client_for: ClientFor, setting: dict) -> None:
    response = client_for(setting["officer"]).post(url("acknowledge", setting["alert"]))
    assert response.status_code == 302
    alert = alert_for(setting["alert"].upn)
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.status_changed_by == setting["officer"]


def test_dismiss_needs_a_reason_and_keeps_the_alert(client_for: ClientFor, setting: dict) -> None:
    client = client_for(setting["officer"])
    refused = client.post(url("dismiss", setting["alert"]), {"reason": " "})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Select why you are dismissing this alert" in body
    assert "Enter the details of why you are dismissing this alert" in body
    assert alert_for(setting["alert"].upn).status == AlertStatus.OPEN
    done = client.post(
        url("dismiss", setting["alert"]),
        {"category": "illness", "reason": "Hospital stay, confirmed"},
    )
    assert done.status_code == 302
    alert = alert_for(setting["alert"].upn)
    assert (alert.status, alert.dismissal_category, alert.dismissal_reason) == (
        AlertStatus.DISMISSED,
        "illness",
        "Hospital stay, confirmed",
    )
    shown = client.get(url("alert", alert)).content.decode()
    assert "Reason: Illness or medical reasons the school knows about" in shown
    assert "Details: Hospital stay, confirmed" in shown
    listed = client.get(reverse("attendance:alerts") + "?show=closed").content.decode()
    assert "Ottilie" in listed
    assert "Ottilie" not in client.get(reverse("attendance:alerts")).content.decode()


def test_escalate_opens_a_prefilled_screening(client_for: ClientFor, setting: dict) -> None:
    officer, alert, child = setting["officer"], setting["alert"], setting["child"]
    client = client_for(officer)
    response = client.post(url("escalate", alert))
    assert response.status_code == 302
    (draft,) = drafts.drafts_of(officer)
    assert response["Location"] == reverse(
        "screening:group", kwargs={"draft_id": draft.public_id.hex, "number": 1}
    )
    assert draft.data["person_public_id"] == str(child.pk and child.public_id)
    assert draft.data["child"]["family_name"] == child.family_name
    assert "attendance fell from 100% to" in draft.data["notes"]
    assert alert_for(alert.upn).status == AlertStatus.ESCALATED
    # The journey continues: the questions page opens for the officer.
    assert client.get(response["Location"]).status_code == 200
    # Escalated once; a second escalation is refused, not duplicated.
    again = client.post(url("escalate", alert))
    assert again.status_code == 302 and len(drafts.drafts_of(officer)) == 1


def test_escalating_an_unlinked_pupil_starts_at_the_child_details(
    client_for: ClientFor,
) -> None:
    school = make_school()
    officer = make_ewo(school)
    upn = falling_pupil(school)
    scan_to_end()
    response = client_for(officer).post(url("escalate", alert_for(upn)))
    (draft,) = drafts.drafts_of(officer)
    assert response["Location"] == reverse(
        "screening:child", kwargs={"draft_id": draft.public_id.hex}
    )
    assert draft.data["child_form"]["upn"] == upn


def test_the_list_states_the_latest_register_and_warns_when_it_is_stale(
    client_for: ClientFor, setting: dict
) -> None:
    latest = AttendanceWeek.objects.order_by("-week_commencing").first()
    assert latest is not None and timezone.localdate() - latest.week_commencing > timedelta(14)
    body = client_for(setting["officer"]).get(reverse("attendance:alerts")).content.decode()
    assert f"week commencing {latest.week_commencing:%-d %B %Y}" in body
    assert 'data-testid="stale-registers"' in body and "more than two weeks old" in body


def test_a_recent_register_gives_no_warning(client_for: ClientFor, setting: dict) -> None:
    school = setting["officer"].school_assignments.get().school
    this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    last_week = this_monday - timedelta(weeks=1)
    AttendanceWeek.objects.create(
        upn="R00000000001", school=school, week_commencing=last_week, sessions="/\\" * 5
    )
    body = client_for(setting["officer"]).get(reverse("attendance:alerts")).content.decode()
    assert f"week commencing {last_week:%-d %B %Y}" in body
    assert 'data-testid="stale-registers"' not in body


def test_an_officer_whose_schools_have_no_registers_is_told(client_for: ClientFor) -> None:
    body = client_for(make_ewo(make_school())).get(reverse("attendance:alerts")).content.decode()
    assert "No registers have been imported for your schools yet" in body
