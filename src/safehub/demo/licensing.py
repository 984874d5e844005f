"""Demo data for taxi licensing: logins and a handful of synthetic drivers, dated from today.

`load_demo_licensing()` is idempotent. It includes Shahid Demo-Arkwright, whose CSE training
has expired, so a licensing officer can try to renew him and see the refusal with its reason;
the senior officer can then override it (with a reason) or not.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from safehub.accounts.models import User
from safehub.accounts.services import create_agency
from safehub.demo.partnership import DEMO_PASSWORD, DemoLogin, demo_user
from safehub.licensing.choices import BadgeType, RegisterResult
from safehub.licensing.models import Driver, Licence, NationalRegisterCheck, Vehicle
from safehub.licensing.services import (
    DriverDetails,
    designate_senior_officer,
    record_dbs,
    record_status_check,
    record_training,
    save_driver,
)
from safehub.policy.roles import AgencyType, Role
from safehub.workforce.choices import CourseKind, DbsLevel, DbsResult, StatusCheckResult
from safehub.workforce.models import TrainingCourse
from safehub.workforce.rules import last_valid_day
from safehub.workforce.services import DbsDetails, TrainingDetails

LICENSING = "City Taxi and Private Hire Licensing"
DRIVER_COURSE = "Safeguarding and child sexual exploitation awareness"

LICENSING_OFFICER = DemoLogin(
    "licensing.officer",
    "Dev Mistry",
    Role.LICENSING_OFFICER,
    LICENSING,
    "licensing officer: drivers' DBS, training and licences (try renewing Demo-Arkwright)",
)
SENIOR_LICENSING_OFFICER = DemoLogin(
    "licensing.senior",
    "Carol Penhaligon",
    Role.LICENSING_OFFICER,
    LICENSING,
    "senior licensing officer: may override the licensing rules, with a reason",
)
LOGINS = [LICENSING_OFFICER, SENIOR_LICENSING_OFFICER]

# (badge, given, family, type, years licensed ago, DBS: days ago or None, update service,
#  training: days ago or None, NR3 check days ago or None)
DRIVERS = [
    ("D9000001", "Shahid", "Demo-Arkwright", BadgeType.PRIVATE_HIRE, 1010, 400, False, 1200, 20),
    ("D9000002", "Maria", "Demo-Okonjo", BadgeType.HACKNEY, 1060, 300, False, 200, 10),
    ("D9000003", "Tomasz", "Demo-Wilk", BadgeType.DUAL, 500, 1500, True, 700, 30),
    ("D9000004", "Imran", "Demo-Sheikh", BadgeType.PRIVATE_HIRE, 200, 1130, False, 300, 200),
    ("D9000005", "Gary", "Demo-Fenwick", BadgeType.HACKNEY, 900, None, False, 400, None),
    ("D9000006", "Aisha", "Demo-Begum", BadgeType.PRIVATE_HIRE, 100, 120, False, 90, 100),
    ("D9000007", "Lewis", "Demo-Harcourt", BadgeType.HACKNEY, 1050, 365, True, 300, 40),
]
# A recent certificate whose Update Service status check found a change: the DBS condition
# fails ("a new certificate is needed") although the certificate is under 36 months old.
STATUS_CHANGED = {"D9000007"}


def _user(login: DemoLogin, password: str) -> User:
    agency = create_agency(name=login.agency, agency_type=AgencyType.LICENSING)
    return demo_user(login, agency, password)


def driver_course() -> TrainingCourse:
    course, _ = TrainingCourse.objects.get_or_create(
        name=DRIVER_COURSE,
        defaults={"kind": CourseKind.CSE_AWARENESS, "provider": "Barnardo's", "valid_months": 36},
    )
    return course


@transaction.atomic
def load_demo_licensing(
    *, password: str = DEMO_PASSWORD, today: date | None = None
) -> list[DemoLogin]:
    """Create the licensing logins (one designated senior) and the demo drivers (idempotent)."""
    today = today or date.today()
    officer = _user(LICENSING_OFFICER, password)
    designate_senior_officer(user=_user(SENIOR_LICENSING_OFFICER, password), on=today)
    course = driver_course()
    for n, (badge, given, family, kind, licensed, dbs, service, trained, nr3) in enumerate(DRIVERS):
        if Driver.objects.filter(badge_number=badge).exists():
            continue
        driver = save_driver(
            details=DriverDetails(
                badge_number=badge, given_name=given, family_name=family, badge_type=kind
            )
        )
        starts = today - timedelta(days=licensed)
        Licence.objects.create(
            driver=driver,
            badge_type=kind,
            starts_on=starts,
            expires_on=last_valid_day(starts, 36),
        )
        if dbs is not None:
            check = record_dbs(
                actor=officer,
                driver=driver,
                details=DbsDetails(
                    level=DbsLevel.ENHANCED_BARRED,
                    certificate_number=f"0012000000{n:02d}",
                    issued_on=today - timedelta(days=dbs),
                    result=DbsResult.CLEAR,
                    update_service=service,
                    update_service_id=f"C900000{n}" if service else "",
                ),
                today=today,
            )
            if service:
                record_status_check(
                    actor=officer,
                    check=check,
                    checked_on=today - timedelta(days=150),
                    result=StatusCheckResult.CHANGED
                    if badge in STATUS_CHANGED
                    else StatusCheckResult.NO_CHANGE,
                    today=today,
                )
        if trained is not None:
            record_training(
                actor=officer,
                driver=driver,
                details=TrainingDetails(
                    course_id=course.pk, completed_on=today - timedelta(days=trained)
                ),
                today=today,
            )
        if nr3 is not None:
            NationalRegisterCheck.objects.create(
                driver=driver,
                checked_on=today - timedelta(days=nr3),
                result=RegisterResult.NO_MATCH,
                checked_by=officer,
            )
        Vehicle.objects.create(
            plate_number=f"{'HC' if kind == BadgeType.HACKNEY else 'PH'}9000{n:02d}",
            vrm=f"DM{n}0 DEM",
            make_model="Skoda Octavia",
            colour="silver",
            driver=driver,
        )
    return LOGINS
