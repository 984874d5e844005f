"""The staff register's services: people, checks, training, sessions and awareness raising."""

from __future__ import annotations

from datetime import date

import pytest

from safehub.policy.roles import Role
from safehub.refusals import Refused
from safehub.workforce import selectors, services
from safehub.workforce.choices import Audience, DbsLevel, StaffKind, StatusCheckResult
from safehub.workforce.models import TrainingRecord, TrainingSession
from safehub.workforce.services import AwarenessSessionDetails
from tests.factories import make_user
from tests.workforce.helpers import give_dbs, give_training, make_course, make_staff

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 31)


def test_duplicate_staff_numbers_and_missing_names_are_refused() -> None:
    make_staff(staff_number="S00001")
    with pytest.raises(Refused) as refused:
        make_staff(staff_number="S00001", given_name="", kind="contractor")
    assert set(refused.value.errors) == {"staff_number", "given_name", "kind"}


@pytest.mark.parametrize(
    ("overrides", "level", "valid"),
    [
        ({"kind": StaffKind.COUNCILLOR, "works_with_children": False}, DbsLevel.BASIC, True),
        ({"regulated_activity": True}, DbsLevel.ENHANCED, False),
        ({"regulated_activity": True}, DbsLevel.ENHANCED_BARRED, True),
        ({}, DbsLevel.ENHANCED, True),
        ({}, DbsLevel.STANDARD, False),
    ],
)
def test_the_level_needed_depends_on_the_group(overrides: dict, level: str, valid: bool) -> None:
    member = make_staff(**overrides)
    give_dbs(member, date(2025, 1, 1), level)
    standing = selectors.staff_standing(member.public_id, TODAY)
    assert standing is not None and standing.dbs.valid is valid


def test_staff_not_working_with_children_need_no_check() -> None:
    member = make_staff(works_with_children=False, job_title="Business support officer")
    standing = selectors.staff_standing(member.public_id, TODAY)
    assert standing is not None and standing.dbs_ok and standing.required_level == ""


@pytest.mark.parametrize(
    ("on", "valid"),
    [(date(2026, 7, 29), True), (date(2026, 7, 30), True), (date(2026, 7, 31), False)],
)
def test_staff_dbs_boundaries(on: date, valid: bool) -> None:
    member = make_staff()
    give_dbs(member, date(2023, 7, 31))
    standing = selectors.staff_standing(member.public_id, on)
    assert standing is not None and standing.dbs.valid is valid


def test_update_service_checks_keep_an_old_staff_certificate_valid() -> None:
    member = make_staff()
    check = give_dbs(member, date(2019, 1, 1), update_service=True)
    services.record_staff_status_check(
        actor=None,
        check=check,
        checked_on=date(2026, 3, 1),
        result=StatusCheckResult.NO_CHANGE,
        today=TODAY,
    )
    standing = selectors.staff_standing(member.public_id, TODAY)
    assert standing is not None and standing.dbs.valid and standing.dbs.route == "update_service"


def test_attendance_gives_each_attendee_one_training_record() -> None:
    admin = make_user(Role.WORKFORCE_ADMIN)
    course = make_course(months=24)
    session = services.create_training_session(
        actor=admin,
        course_id=course.pk,
        held_on=date(2026, 5, 1),
        venue="Council House",
        trainer="Barnardo's",
    )
    a, b = make_staff(), make_staff()
    assert services.record_attendance(actor=admin, session=session, staff=[a, b], today=TODAY) == 2
    assert services.record_attendance(actor=admin, session=session, staff=[a], today=TODAY) == 0
    record = TrainingRecord.objects.get(staff=a)
    assert (record.completed_on, record.expires_on, record.provider) == (
        date(2026, 5, 1),
        date(2028, 4, 30),
        "Barnardo's",
    )
    assert set(session.attendees.all()) == {a, b}


def test_attendance_cannot_be_recorded_before_the_session() -> None:
    admin = make_user(Role.WORKFORCE_ADMIN)
    session = TrainingSession.objects.create(
        course=make_course(), held_on=date(2026, 9, 1), created_by=admin
    )
    with pytest.raises(Refused):
        services.record_attendance(actor=admin, session=session, staff=[make_staff()], today=TODAY)
    assert not TrainingRecord.objects.exists()


def test_courses_are_validated() -> None:
    services.create_course(name="CSE awareness", kind="cse_awareness")
    with pytest.raises(Refused) as refused:
        services.create_course(name="cse awareness", kind="juggling", valid_months=0)
    assert set(refused.value.errors) == {"name", "kind", "valid_months"}


def test_coverage_and_who_is_missing_what() -> None:
    complete = make_staff(directorate="Early help")
    give_dbs(complete, date(2025, 1, 1))
    give_training(complete, date(2025, 1, 1))
    no_training = make_staff(directorate="Early help")
    give_dbs(no_training, date(2025, 1, 1))
    councillor = make_staff(
        kind=StaffKind.COUNCILLOR, works_with_children=False, directorate="Binley ward"
    )
    give_training(councillor, date(2026, 1, 1))
    make_staff(works_with_children=False, directorate="Business support")  # not in scope
    rows = {r.label: r for r in selectors.coverage_on(TODAY)}
    staff = rows["Staff in child-facing roles"]
    assert (staff.people, staff.dbs, staff.training, staff.both) == (2, 2, 1, 1)
    assert list(staff.sections) == ["Early help"]
    councillors = rows["Councillors"]
    assert (councillors.people, councillors.dbs, councillors.training) == (1, 0, 1)
    gaps = {s.member: s.missing for s in selectors.missing_lists(TODAY)}
    assert set(gaps) == {no_training, councillor}
    assert gaps[councillor] == ["No DBS check is recorded."]


def test_the_trend_uses_each_dates_records() -> None:
    member = make_staff()
    give_dbs(member, date(2026, 2, 1))
    give_training(member, date(2026, 2, 1))
    trend = selectors.coverage_trend(TODAY)
    assert [p.on for p in trend] == [
        date(2025, 9, 30),
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 6, 30),
        TODAY,
    ]
    staff_both = [next(r for r in p.rows if r.label.startswith("Staff")).both for p in trend]
    assert staff_both == [0, 0, 1, 1, 1]


def test_awareness_sessions_and_reach() -> None:
    admin = make_user(Role.WORKFORCE_ADMIN)
    campaign = services.create_campaign(
        actor=admin, name="Night-time economy", running_agency="Police", starts_on=date(2026, 1, 1)
    )
    for held_on, audience, count in (
        (date(2026, 2, 1), Audience.HOTELS, 12),
        (date(2026, 5, 1), Audience.HOTELS, 8),
        (date(2026, 5, 2), Audience.TAXI_FIRMS, 30),
    ):
        services.record_awareness_session(
            actor=admin,
            campaign=campaign,
            details=AwarenessSessionDetails(held_on, audience, count, "Police"),
            today=TODAY,
        )
    reach = selectors.reach(date(2026, 1, 1), TODAY)
    assert reach.periods == ["2026 Q1", "2026 Q2"]
    rows = {label: (counts, total) for label, counts, total in reach.rows}
    assert rows["Hotels"] == ([12, 8], 20)
    assert rows["Taxi firms"] == ([0, 30], 30)
    assert (reach.sessions, reach.total) == (3, 50)
    assert selectors.reach(date(2026, 1, 1), TODAY, by="year").periods == ["2026"]
    with pytest.raises(Refused) as refused:
        services.record_awareness_session(
            actor=admin,
            campaign=campaign,
            details=AwarenessSessionDetails(date(2027, 1, 1), "aliens", -1, ""),
            today=TODAY,
        )
    assert set(refused.value.errors) == {"held_on", "audience", "attendance", "running_agency"}
    assert campaign.sessions.count() == 3


def test_checks_and_training_running_out_are_listed_ahead() -> None:
    soon = make_staff(family_name="Soon")
    give_dbs(soon, date(2023, 9, 1))  # counts until 31 August 2026: 31 days ahead
    give_training(soon, date(2025, 1, 1))
    later = make_staff(family_name="Later")
    give_dbs(later, date(2023, 10, 1))  # 30 September 2026: 61 days ahead
    give_training(later, date(2025, 1, 1))
    found = selectors.expiring_soon(TODAY)
    assert [(s.member, notes) for s, notes in found] == [
        (soon, ["DBS certificate counts until 31 August 2026"])
    ]
