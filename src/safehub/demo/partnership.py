"""The demo partnership: agencies and one login per main role, with a few screenings in flight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from safehub.accounts.models import Agency, User
from safehub.accounts.services import create_agency, create_user
from safehub.people.services import PersonDetails
from safehub.policy.roles import AgencyType, Role
from safehub.screening import registry
from safehub.screening.definitions import Indicator
from safehub.screening.services import submit_screening

# Demo only: the settings refuse to run production with a known secret, and these accounts are
# created only by `safehub load_demo`, never by migrations.
DEMO_PASSWORD = "safehub-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: Role
    agency: str
    what: str


def activate_demo_login(user: User, password: str = DEMO_PASSWORD) -> User:
    """Give a demo login the printed password if it has none it can sign in with.

    The synthetic city creates the partnership's team with unusable passwords; a login the
    demo prints must work. A password someone has already set is kept.
    """
    if not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_user(login: DemoLogin, agency: Agency, password: str = DEMO_PASSWORD) -> User:
    """The login's account (created in `agency` if new), with the printed password if it has
    none it can sign in with (idempotent)."""
    existing = User.objects.filter(username=login.username).first()
    if existing is None:
        first, last = login.name.split(" ", 1)
        existing = create_user(
            username=login.username,
            password=password,
            agency=agency,
            roles=[login.role],
            first_name=first,
            last_name=last,
            job_title=login.what.split(":")[0],
        )
    return activate_demo_login(existing, password)


COUNCIL = "Safehub City Council"
POLICE = "Safehub City Police"
HEALTH = "Safehub City Health Trust"
SCHOOL = "Hillfield Academy"

AGENCIES = [
    (COUNCIL, AgencyType.COUNCIL, "", ""),
    (POLICE, AgencyType.POLICE, "", ""),
    (HEALTH, AgencyType.HEALTH, "", ""),
    (SCHOOL, AgencyType.SCHOOL, "900101", "secondary"),
    ("Brookside Primary School", AgencyType.SCHOOL, "900102", "primary"),
    ("City Youth Service", AgencyType.YOUTH_SERVICE, "", ""),
    ("City Taxi and Private Hire Licensing", AgencyType.LICENSING, "", ""),
]

LOGINS = [
    DemoLogin(
        "dsl.hillfield",
        "Priya Naylor",
        Role.REFERRER,
        SCHOOL,
        "school designated safeguarding lead: screens a child, follows their submissions",
    ),
    DemoLogin(
        "nurse.health", "Owen Castell", Role.REFERRER, HEALTH, "school nurse: screens a child"
    ),
    DemoLogin(
        "mash.officer",
        "Grace Adeyemi",
        Role.MASH_OFFICER,
        COUNCIL,
        "MASH officer: the referral queue and the child's record",
    ),
    DemoLogin(
        "cse.manager",
        "Martin Okafor",
        Role.CSE_MANAGER,
        COUNCIL,
        "CSE service manager (also manages the MASH)",
    ),
    DemoLogin(
        "plan.owner",
        "Ruth Ellery",
        Role.ACTION_OWNER,
        COUNCIL,
        "action owner: updates their delivery-plan actions",
    ),
    DemoLogin(
        "board.member",
        "Helen Farrow",
        Role.BOARD_MEMBER,
        COUNCIL,
        "board member: the delivery plan and progress reports, no case content",
    ),
    DemoLogin(
        "data.officer",
        "Nadia Brennan",
        Role.DATA_OFFICER,
        COUNCIL,
        "data officer: imports partners' files, record linkage and its review queue",
    ),
    DemoLogin(
        "sysadmin",
        "Sam Whitcombe",
        Role.SYSTEM_ADMIN,
        COUNCIL,
        "system administrator: users and configuration, no case content",
    ),
]

# (given, family, dob, sex, answers that differ from the lowest option, by whom, days ago)
SCREENINGS = [
    (
        "Jade",
        "Merrivale",
        date(2011, 3, 14),
        "female",
        {
            "missing_repeat": "current",
            "vehicles_unknown_adults": "current",
            "unexplained_goods": "current",
        },
        "dsl.hillfield",
        0,
    ),
    (
        "Kieran",
        "Ashdown",
        date(2010, 9, 2),
        "male",
        {"education_disengaged": "yes", "drug_misuse": "yes", "unknown_contacts": "yes"},
        "dsl.hillfield",
        1,
    ),
    (
        "Amira",
        "Coldwell",
        date(2012, 1, 20),
        "female",
        {"online_grooming": "historic"},
        "nurse.health",
        2,
    ),
    (
        "Lacey",
        "Threlfall",
        date(2009, 11, 5),
        "female",
        {"disclosed_exploitation": "yes"},
        "nurse.health",
        3,
    ),
    (
        "Tyler",
        "Pembury",
        date(2011, 6, 30),
        "male",
        {"family_breakdown": "yes"},
        "dsl.hillfield",
        4,
    ),
]


def _lowest(indicator: Indicator) -> str:
    ids = [o.id for o in indicator.options]
    return next(i for i in ("no", "not_present") if i in ids)


@transaction.atomic
def load_partnership() -> list[DemoLogin]:
    """Create the demo agencies and logins (idempotent) and a few submitted screenings."""
    agencies: dict[str, Agency] = {}
    for name, kind, urn, phase in AGENCIES:
        agencies[name] = create_agency(name=name, agency_type=kind, urn=urn, school_phase=phase)
    users: dict[str, User] = {}
    for login in LOGINS:
        users[login.username] = demo_user(login, agencies[login.agency])
    tool = registry.get_tool("wm-cse-2014")
    today = date.today()
    for given, family, dob, sex, positive, by, days_ago in SCREENINGS:
        actor = users[by]
        if actor.screenings_submitted.filter(person__family_name=family).exists():
            continue
        answers = {i.id: _lowest(i) for i in tool.indicators()}
        answers.update(positive)
        submit_screening(
            actor=actor,
            tool=tool,
            answers=answers,
            screening_date=today - timedelta(days=days_ago),
            new_person=PersonDetails(
                given_name=given,
                family_name=family,
                date_of_birth=dob,
                sex=sex,
                school_id=agencies[SCHOOL].pk if by == "dsl.hillfield" else None,
            ),
            sharing_basis="safeguarding",
            family_aware="not_known",
        )
    return LOGINS
