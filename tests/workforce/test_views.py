"""The workforce administrator's pages: the register, training, coverage reports, awareness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from safehub.workforce.models import AwarenessCampaign, StaffMember, TrainingSession
from tests.conftest import sign_in
from tests.factories import make_user
from tests.licensing.helpers import compliant_driver, give_licence, make_driver
from tests.workforce.helpers import give_dbs, give_training, make_course, make_staff

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def admin() -> User:
    return make_user(Role.WORKFORCE_ADMIN)


@pytest.fixture
def client(admin: User) -> Client:
    return sign_in(Client(), admin)


def parts(name: str, day: date) -> dict[str, int]:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def test_add_find_and_open_a_record(client: Client, admin: User) -> None:
    response = client.post(
        reverse("workforce:staff_new"),
        {
            "staff_number": "s12345",
            "given_name": "Rhian",
            "family_name": "Calloway",
            "kind": "staff",
            "job_title": "Youth worker",
            "directorate": "Youth service",
            "regulated_activity": "yes",
        },
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(staff_number="S12345")
    assert member.regulated_activity and member.works_with_children
    found = client.post(reverse("workforce:find"), {"q": "callo"}).content.decode()
    assert reverse("workforce:staff", args=[member.public_id]) in found
    page = client.get(reverse("workforce:staff", args=[member.public_id])).content.decode()
    assert "Staff in regulated activity" in page and "Enhanced with barred lists" in page
    assert "No DBS check is recorded." in page
    assert AccessEvent.objects.filter(user_id=admin.pk, object_type="staff_member").exists()


def test_bad_staff_input_changes_nothing(client: Client) -> None:
    response = client.post(reverse("workforce:staff_new"), {"given_name": "Only"})
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the staff or member number" in page
    assert not StaffMember.objects.exists()


def test_edit_marks_a_role_as_child_facing(client: Client) -> None:
    member = make_staff(works_with_children=False)
    data = {
        "staff_number": member.staff_number,
        "given_name": member.given_name,
        "family_name": member.family_name,
        "kind": "staff",
        "works_with_children": "yes",
    }
    assert (
        client.post(reverse("workforce:staff_edit", args=[member.public_id]), data).status_code
        == 302
    )
    member.refresh_from_db()
    assert member.works_with_children


def test_record_dbs_status_check_and_training(client: Client) -> None:
    member = make_staff()
    issued = today() - timedelta(days=40)
    response = client.post(
        reverse("workforce:dbs_new", args=[member.public_id]),
        {
            "level": "enhanced",
            "certificate_number": "001122334455",
            "result": "clear",
            "update_service": "yes",
            "update_service_id": "C5556667",
            **parts("issued_on", issued),
        },
    )
    assert response.status_code == 302
    check = member.dbs_checks.get()
    response = client.post(
        reverse("workforce:status_check", args=[member.public_id, check.public_id]),
        {"result": "no_change", **parts("checked_on", today())},
    )
    assert response.status_code == 302 and check.status_checks.count() == 1
    course = make_course()
    response = client.post(
        reverse("workforce:training_new", args=[member.public_id]),
        {"course": course.pk, **parts("completed_on", today())},
    )
    assert response.status_code == 302 and member.training.count() == 1
    response = client.post(
        reverse("workforce:training_new", args=[member.public_id]),
        {"course": course.pk, **parts("completed_on", today() + timedelta(days=5))},
    )
    assert "today or in the past" in response.content.decode()
    assert member.training.count() == 1


def test_courses_sessions_and_attendance(client: Client) -> None:
    response = client.post(
        reverse("workforce:courses"),
        {"name": "CSE level 2", "kind": "safeguarding_2", "valid_months": "24"},
    )
    assert response.status_code == 302
    course = make_course()
    response = client.post(
        reverse("workforce:sessions"),
        {"course": course.pk, "venue": "Room 1", **parts("held_on", today())},
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    member = make_staff(family_name="Attendee")
    url = reverse("workforce:session", args=[session.public_id])
    assert str(member.public_id) in client.post(url, {"q": "Attendee"}).content.decode()
    assert "Select who attended" in client.post(url, {"record": "yes"}).content.decode()
    response = client.post(url, {"record": "yes", "attendee": [str(member.public_id)]})
    assert response.status_code == 302
    assert member.training.get().course == course
    assert "Attendee" in client.get(url).content.decode()


def coverage_data() -> None:
    complete = make_staff(directorate="Children's social care", family_name="Complete")
    give_dbs(complete, today() - timedelta(days=100))
    give_training(complete, today() - timedelta(days=100))
    make_staff(directorate="Early help", family_name="Nothingrecorded")
    driver = compliant_driver(today())
    give_licence(driver, today() - timedelta(days=10))
    give_licence(make_driver(family_name="Uncheckeddriver"), today() - timedelta(days=10))


def test_coverage_report_html_csv_pdf(client: Client) -> None:
    coverage_data()
    page = client.get(reverse("workforce:coverage")).content.decode()
    assert "Staff in child-facing roles" in page and "Early help" in page
    assert "Hackney carriage and private hire drivers" in page
    assert "Uncheckeddriver" not in page and "Nothingrecorded" not in page
    csv_text = client.get(reverse("workforce:coverage_csv")).content.decode()
    lines = csv_text.splitlines()
    assert lines[0].startswith("as_at,group,section,people,valid_dbs")
    half = "All,2,1,50.0,1,50.0,1,50.0"
    assert f"{today().isoformat()},Staff in child-facing roles,{half}" in lines
    assert f"{today().isoformat()},Hackney carriage and private hire drivers,{half}" in lines
    pdf = client.get(reverse("workforce:coverage_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_cabinet_members_figures_on_one_page(client: Client) -> None:
    coverage_data()
    page = client.get(reverse("workforce:cabinet")).content.decode()
    for label in (
        "Councillors",
        "Staff in child-facing roles",
        "Hackney carriage and private hire drivers",
    ):
        assert label in page
    assert "with a valid DBS check" in page and "with in-date CSE training" in page
    assert "Uncheckeddriver" not in page and "Nothingrecorded" not in page


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.LICENSING_OFFICER, Role.CSE_MANAGER])
def test_only_administrators_produce_the_coverage_report(role: Role) -> None:
    client = sign_in(Client(), make_user(role))
    for name in ("coverage", "coverage_csv", "coverage_pdf", "cabinet", "gaps"):
        assert client.get(reverse(f"workforce:{name}")).status_code == 403


def test_who_is_missing_what_is_for_administrators(client: Client, admin: User) -> None:
    coverage_data()
    page = client.get(reverse("workforce:gaps")).content.decode()
    assert "Nothingrecorded" in page and "No DBS check is recorded." in page
    assert "Complete" not in page
    assert "Uncheckeddriver" not in page  # drivers are the licensing team's
    assert AccessEvent.objects.filter(user_id=admin.pk, object_type="workforce_gaps").exists()


def test_awareness_campaign_sessions_and_reach(client: Client) -> None:
    response = client.post(
        reverse("workforce:campaigns"),
        {"name": "Hotel watch", "running_agency": "Police", **parts("starts_on", today())},
    )
    campaign = AwarenessCampaign.objects.get()
    assert response.status_code == 302
    url = reverse("workforce:campaign", args=[campaign.public_id])
    response = client.post(
        url,
        {
            "audience": "hotels",
            "attendance": "14",
            "running_agency": "Police",
            **parts("held_on", today()),
        },
    )
    assert response.status_code == 302
    bad = client.post(
        url, {"audience": "hotels", "attendance": "lots", **parts("held_on", today())}
    )
    assert "Enter a whole number" in bad.content.decode()
    assert campaign.sessions.count() == 1
    reach = client.get(reverse("workforce:reach")).content.decode()
    assert "Hotels" in reach and "14" in reach


def test_plan_readers_see_reach_but_do_not_record() -> None:
    client = sign_in(Client(), make_user(Role.ACTION_OWNER))
    assert client.get(reverse("workforce:reach")).status_code == 200
    response = client.post(
        reverse("workforce:campaigns"),
        {"name": "X", "running_agency": "Y", **parts("starts_on", today())},
    )
    assert response.status_code == 403
    assert not AwarenessCampaign.objects.exists()


def test_bad_attendee_ids_are_ignored(client: Client) -> None:
    session = TrainingSession.objects.create(
        course=make_course(), held_on=today(), created_by=make_user(Role.WORKFORCE_ADMIN)
    )
    url = reverse("workforce:session", args=[session.public_id])
    response = client.post(url, {"record": "yes", "attendee": ["not-a-uuid"]})
    assert "Select who attended" in response.content.decode()
    assert not session.attendees.exists()


def test_changing_details_shows_what_is_recorded_and_keeps_it(client: Client) -> None:
    member = make_staff(works_with_children=True, date_of_birth=date(1990, 3, 27))
    url = reverse("workforce:staff_edit", args=[member.public_id])
    page = client.get(url).content.decode()
    assert f'value="{member.staff_number}"' in page
    assert (
        'id="works_with_children" name="works_with_children" type="checkbox" value="yes" checked'
        in page
    )
    assert 'id="regulated_activity" name="regulated_activity" type="checkbox" value="yes">' in page
    assert 'name="date_of_birth-year" type="text" inputmode="numeric" value="1990"' in page
    assert "There is a problem" not in page


def test_a_bad_date_is_shown_with_the_other_problems_and_links_to_the_day_box(
    client: Client,
) -> None:
    member = make_staff()
    response = client.post(
        reverse("workforce:training_new", args=[member.public_id]),
        {"completed_on-day": "31", "completed_on-month": "2", "completed_on-year": "2025"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<title>Error: ") == 1
    assert "Date completed must be a real date" in page and "Select the course" in page
    assert 'href="#completed_on-day"' in page and 'href="#course"' in page
    assert 'name="completed_on-day" type="text" inputmode="numeric" value="31"' in page
    assert not member.training.exists()


def test_an_optional_date_of_birth_is_named_plainly_in_its_message(client: Client) -> None:
    response = client.post(
        reverse("workforce:staff_new"),
        {
            "staff_number": "S1",
            "given_name": "Ada",
            "family_name": "Owen",
            "kind": "staff",
            "date_of_birth-day": "1",
            "date_of_birth-year": "1990",
        },
    )
    page = response.content.decode()
    assert "Date of birth must include a month" in page
    assert "Date of birth (optional) must" not in page
    assert not StaffMember.objects.exists()
