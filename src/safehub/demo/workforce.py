"""Demo data for the workforce register: a login, staff, councillors, training and campaigns.

Synthetic people only, dated from today so the coverage report shows a mix of valid, expiring
and missing checks. `load_demo_workforce()` is idempotent.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from safehub.accounts.models import User
from safehub.accounts.services import create_agency, create_user
from safehub.demo.partnership import COUNCIL, DEMO_PASSWORD, DemoLogin
from safehub.policy.roles import AgencyType, Role
from safehub.workforce.choices import Audience, CourseKind, DbsLevel, DbsResult, StaffKind
from safehub.workforce.models import AwarenessCampaign, StaffMember, TrainingCourse
from safehub.workforce.services import (
    AwarenessSessionDetails,
    DbsDetails,
    StaffDetails,
    TrainingDetails,
    create_campaign,
    record_awareness_session,
    record_staff_dbs,
    record_staff_training,
    save_staff_member,
)

WORKFORCE_ADMIN = DemoLogin(
    "workforce.admin",
    "Beth Ansari",
    Role.WORKFORCE_ADMIN,
    COUNCIL,
    "workforce administrator: staff DBS and training register, coverage report",
)
LOGINS = [WORKFORCE_ADMIN]

COURSES = [
    ("CSE awareness (e-learning)", CourseKind.CSE_AWARENESS, "City safeguarding partnership", 36),
    (
        "Safeguarding children level 3",
        CourseKind.SAFEGUARDING_3,
        "City safeguarding partnership",
        36,
    ),
]

# (number, given, family, kind, job title, directorate/ward, regulated, child-facing,
#  DBS level or "", DBS days ago, training days ago or None)
PEOPLE = [
    (
        "S90001",
        "Nadia",
        "Demo-Holt",
        StaffKind.STAFF,
        "Social worker",
        "Children's social care",
        True,
        True,
        DbsLevel.ENHANCED_BARRED,
        400,
        100,
    ),
    (
        "S90002",
        "Owen",
        "Demo-Prys",
        StaffKind.STAFF,
        "Team manager",
        "Children's social care",
        True,
        True,
        DbsLevel.ENHANCED_BARRED,
        1200,
        300,
    ),
    (
        "S90003",
        "Leah",
        "Demo-Marsh",
        StaffKind.STAFF,
        "Residential care worker",
        "Children's homes",
        True,
        True,
        DbsLevel.ENHANCED_BARRED,
        200,
        None,
    ),
    (
        "S90004",
        "Femi",
        "Demo-Adebayo",
        StaffKind.STAFF,
        "Family support worker",
        "Early help",
        False,
        True,
        DbsLevel.ENHANCED,
        700,
        1150,
    ),
    (
        "S90005",
        "Ruth",
        "Demo-Kaye",
        StaffKind.STAFF,
        "Education welfare officer",
        "Education",
        False,
        True,
        DbsLevel.ENHANCED,
        100,
        50,
    ),
    (
        "S90006",
        "Paul",
        "Demo-Greer",
        StaffKind.STAFF,
        "Business support officer",
        "Business support",
        False,
        False,
        "",
        0,
        None,
    ),
    (
        "M90001",
        "Janet",
        "Demo-Lowry",
        StaffKind.COUNCILLOR,
        "Councillor",
        "Earlsdon ward",
        False,
        False,
        DbsLevel.BASIC,
        300,
        200,
    ),
    (
        "M90002",
        "Ravi",
        "Demo-Chandra",
        StaffKind.COUNCILLOR,
        "Councillor",
        "Foleshill ward",
        False,
        False,
        DbsLevel.BASIC,
        900,
        None,
    ),
    (
        "M90003",
        "Alan",
        "Demo-Stott",
        StaffKind.COUNCILLOR,
        "Councillor",
        "Binley ward",
        False,
        False,
        "",
        0,
        30,
    ),
]

CAMPAIGN_SESSIONS = [
    (Audience.TAXI_FIRMS, 40, 24, "Taxi rank office"),
    (Audience.HOTELS, 120, 12, "City Centre Hotel"),
    (Audience.SCHOOLS, 200, 180, "Hillfield Academy"),
    (Audience.PARENTS, 20, 35, "Brookside Primary School"),
    (Audience.FAST_FOOD, 10, 9, "Market Street"),
    (Audience.GOVERNORS, 300, 22, "Council House"),
]


def _admin(password: str) -> User:
    existing = User.objects.filter(username=WORKFORCE_ADMIN.username).first()
    if existing is not None:
        return existing
    first, last = WORKFORCE_ADMIN.name.split(" ", 1)
    return create_user(
        username=WORKFORCE_ADMIN.username,
        password=password,
        agency=create_agency(name=COUNCIL, agency_type=AgencyType.COUNCIL),
        roles=[WORKFORCE_ADMIN.role],
        first_name=first,
        last_name=last,
        job_title="Workforce administrator",
    )


@transaction.atomic
def load_demo_workforce(
    *, password: str = DEMO_PASSWORD, today: date | None = None
) -> list[DemoLogin]:
    """Create the workforce login, courses, staff and councillors, and an awareness campaign."""
    today = today or date.today()
    admin = _admin(password)
    courses = []
    for name, course_kind, provider, months in COURSES:
        course, _ = TrainingCourse.objects.get_or_create(
            name=name,
            defaults={"kind": course_kind, "provider": provider, "valid_months": months},
        )
        courses.append(course)
    for n, (
        number,
        given,
        family,
        kind,
        title,
        where,
        regulated,
        facing,
        level,
        dbs_ago,
        trained,
    ) in enumerate(PEOPLE):
        if StaffMember.objects.filter(staff_number=number).exists():
            continue
        member = save_staff_member(
            actor=admin,
            details=StaffDetails(
                staff_number=number,
                given_name=given,
                family_name=family,
                kind=kind,
                job_title=title,
                directorate=where,
                works_with_children=facing,
                regulated_activity=regulated,
            ),
        )
        if level:
            record_staff_dbs(
                actor=admin,
                staff=member,
                details=DbsDetails(
                    level=level,
                    certificate_number=f"0013000000{n:02d}",
                    issued_on=today - timedelta(days=dbs_ago),
                    result=DbsResult.CLEAR,
                ),
                today=today,
            )
        if trained is not None:
            record_staff_training(
                actor=admin,
                staff=member,
                details=TrainingDetails(
                    course_id=courses[n % 2].pk, completed_on=today - timedelta(days=trained)
                ),
                today=today,
            )
    if not AwarenessCampaign.objects.exists():
        campaign = create_campaign(
            actor=admin,
            name="Say something if you see something",
            running_agency="Safehub City Council",
            starts_on=today - timedelta(days=320),
            materials="Posters, leaflets and a short film for staff briefings",
        )
        for audience, days_ago, attendance, venue in CAMPAIGN_SESSIONS:
            record_awareness_session(
                actor=admin,
                campaign=campaign,
                details=AwarenessSessionDetails(
                    held_on=today - timedelta(days=days_ago),
                    audience=audience,
                    attendance=attendance,
                    running_agency="Safehub City Council",
                    venue=venue,
                ),
                today=today,
            )
    return LOGINS
