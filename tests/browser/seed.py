"""Seed the browser-test server's database: one user per journey, each with a known TOTP key.

Run as `python -m tests.browser.seed` with the server's environment. Synthetic data only.
"""

from __future__ import annotations

import os

from safehub.policy.roles import AgencyType, Role

TOTP_KEY = "3132333435363738393031323334353637383930"  # hex of "12345678901234567890"
PASSWORD = "browser-test-password-1"  # noqa: S105
ROLES = {
    "referrer": (Role.REFERRER, "Oakfield School", AgencyType.SCHOOL),
    "mash": (Role.MASH_OFFICER, "Test City Council", AgencyType.COUNCIL),
    "manager": (Role.CSE_MANAGER, "Test City Council", AgencyType.COUNCIL),
    "practitioner": (Role.CSE_PRACTITIONER, "Test City Council", AgencyType.COUNCIL),
    "board": (Role.BOARD_MEMBER, "Test City Council", AgencyType.COUNCIL),
    "police": (Role.POLICE_INTELLIGENCE, "Test City Police", AgencyType.POLICE),
    "admin": (Role.SYSTEM_ADMIN, "Test City Council", AgencyType.COUNCIL),
    "ewo": (Role.EDUCATION_WELFARE, "Test City Council", AgencyType.COUNCIL),
    "licensing": (Role.LICENSING_OFFICER, "Test City Licensing", AgencyType.LICENSING),
    "workforce": (Role.WORKFORCE_ADMIN, "Test City Council", AgencyType.COUNCIL),
    "data": (Role.DATA_OFFICER, "Test City Council", AgencyType.COUNCIL),
    "analyst": (Role.POLICE_ANALYST, "Test City Police", AgencyType.POLICE),
}
# TOTP codes cannot be replayed within their 30-second step, so each test signs in as its own
# person: referrer1, referrer2, ... (several people of each role, as in a real partnership).
PEOPLE_PER_ROLE = 6
USERS = {
    f"{prefix}{n}": spec for prefix, spec in ROLES.items() for n in range(1, PEOPLE_PER_ROLE + 1)
}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")
    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safehub.accounts.services import create_agency, create_user

    for username, (role, agency_name, agency_type) in USERS.items():
        agency = create_agency(name=agency_name, agency_type=agency_type)
        user = create_user(
            username=username,
            password=PASSWORD,
            agency=agency,
            roles=[role],
            first_name="Browser",
            last_name=username.title(),
        )
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True, tolerance=2)
    # The delivery plan as the minutes describe it, with its demo action owner.
    from safehub.accounts.models import User
    from safehub.demo.plan import load_plan

    load_plan(password=PASSWORD)
    owner = User.objects.get(username="plan.owner")
    TOTPDevice.objects.create(user=owner, name="test", key=TOTP_KEY, confirmed=True, tolerance=2)
    seed_attendance()
    seed_tasks()
    seed_queue()
    seed_linkage()
    seed_intelligence()
    seed_profile()
    seed_search()
    from safehub.demo.licensing import load_demo_licensing

    for login in load_demo_licensing(password=PASSWORD):
        user = User.objects.get(username=login.username)
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True, tolerance=2)


def seed_tasks() -> None:
    """For the task-order journey: an unrated significant-risk referral three days old, and
    return home interviews overdue by days and by many months."""
    from datetime import date, timedelta

    from django.utils import timezone

    from safehub.accounts.models import User
    from safehub.missing.services import (
        EpisodeDetails,
        FoundDetails,
        record_episode,
        record_found,
    )
    from safehub.people.services import PersonDetails, create_person
    from safehub.referrals.models import Referral
    from safehub.screening import registry
    from safehub.screening.services import submit_screening

    referrer = User.objects.get(username="referrer1")
    tool = registry.get_tool("wm-cse-2014")
    answers = {
        i.id: next(o.id for o in i.options if o.id in ("no", "not_present"))
        for i in tool.indicators()
    }
    answers["missing_repeat"] = "current"
    submission = submit_screening(
        actor=referrer,
        tool=tool,
        answers=answers,
        screening_date=date.today(),
        new_person=PersonDetails(
            given_name="Primrose",
            family_name="Urgentfirst",
            date_of_birth=date(2011, 3, 4),
            sex="female",
        ),
        sharing_basis="safeguarding",
        family_aware="yes",
    )
    assert submission.referral is not None
    Referral.objects.filter(pk=submission.referral.pk).update(
        received_at=timezone.now() - timedelta(days=3)
    )
    actor = User.objects.get(username="mash1")
    for n, days in enumerate((400, 200, 120, 5)):
        child = create_person(
            actor=actor,
            details=PersonDetails(
                given_name="Returned",
                family_name=f"Waitinglong{n}",
                date_of_birth=date(2010, 6, 1),
                sex="male",
            ),
        )
        went = timezone.now() - timedelta(days=days + 3, hours=2)
        episode = record_episode(
            actor=actor,
            person=child,
            details=EpisodeDetails(
                missing_from="home",
                category="missing",
                risk="medium",
                went_missing_at=went,
                reported_at=went + timedelta(minutes=30),
                reported_by="Carer",
            ),
        )
        record_found(
            actor=actor,
            episode=episode,
            details=FoundDetails(found_at=went + timedelta(hours=1), found_place="A friend's"),
        )


# For the queue-width journey: long names from a long-named school, the widest a row gets.
QUEUE_CHILDREN = (
    ("Maximiliana-Josephine", "Featherstonehaugh-Worthington"),
    ("Bartholomew-Alexander", "Montgomery-Ashcombe-Fairweather"),
    ("Anastasia", "Vanderpoel-Kowalczyk"),
    ("Oluwaseun", "Adebayo-Ogunleye"),
)
QUEUE_SCHOOL = "Saint Bartholomew's Church of England Voluntary Aided Academy and Sixth Form"


def seed_queue() -> None:
    """Referrals made by form, waiting for triage, one of them rated Green (so not due today:
    the task lists are not changed)."""
    from datetime import date

    from safehub.accounts.models import User
    from safehub.accounts.services import create_agency, create_user
    from safehub.people.services import PersonDetails
    from safehub.referrals.services import make_referral
    from safehub.referrals.triage import rate_referral

    school = create_agency(name=QUEUE_SCHOOL, agency_type=AgencyType.SCHOOL)
    teacher = create_user(
        username="queue.referrer",
        password=None,
        agency=school,
        roles=[Role.REFERRER],
        first_name="Queue",
        last_name="Referrer",
    )
    referrals = [
        make_referral(
            actor=teacher,
            concerns="Older boyfriend collects her from school in different cars.",
            sharing_basis="safeguarding",
            family_aware="yes",
            new_person=PersonDetails(
                given_name=given, family_name=family, date_of_birth=date(2011, 1, 2), sex="female"
            ),
        )
        for given, family in QUEUE_CHILDREN
    ]
    rate_referral(
        actor=User.objects.get(username="mash6"),
        referral=referrals[0],
        rating="green",
        reason="Known to early help; no immediate risk",
        version=referrals[0].version,
    )


def seed_intelligence() -> None:
    """A person of interest linked to a child and a hotel, for the police intelligence journey."""
    from datetime import date

    from safehub.imports.models import ImportRun, SourceRecord
    from safehub.intelligence.models import Association, Location, PersonOfInterest
    from safehub.people.models import Person

    man = Person.objects.create(
        given_name="Darren", family_name="Holloway", date_of_birth=date(1984, 6, 2), sex="male"
    )
    child = Person.objects.create(
        given_name="Keira", family_name="Ashdown", date_of_birth=date(2011, 9, 14), sex="female"
    )
    run = ImportRun.objects.create(source="police_persons", source_version=1, file_name="p.csv")
    for n, person in enumerate((man, child), start=1):
        SourceRecord.objects.create(
            source="police_persons",
            source_key=f"PN80000000{n}",
            row_hash="seed",
            import_run=run,
            source_row=n + 1,
            person=person,
        )
    PersonOfInterest.objects.create(
        person=man, police_reference="PN800000001", reason="Seen with missing children"
    )
    hotel = Location.objects.create(
        reference="L80H00", kind="hotel", name="Harbour View Lodge", postcode="SH1 7NU"
    )
    for ends in ({"other_person": child}, {"location": hotel}):
        Association.objects.create(
            kind="seen_with" if "other_person" in ends else "seen_at_location",
            recorded_on=date(2026, 3, 1),
            person=man,
            source="Patrol log",
            **ends,
        )


def seed_linkage() -> None:
    """Two agencies' records of (perhaps) one child, queued for a data officer's review."""
    from safehub.linkage.models import (
        ClusterMembership,
        IdentityRecord,
        LinkageRun,
        PersonCluster,
        ReviewPair,
    )
    from safehub.linkage.services import record_identities

    base = {"date_of_birth": "2012-03-07", "sex": "F", "postcode": "SH1 1AA"}
    record_identities(
        "health",
        [{**base, "source_key": "HP0000001", "given_name": "Rebecca", "family_name": "Calloway"}],
    )
    record_identities(
        "police",
        [{**base, "source_key": "PN0000001", "given_name": "Becky", "family_name": "Caloway"}],
    )
    run = LinkageRun.objects.create(engine="duckdb", status="succeeded")
    records = list(IdentityRecord.objects.order_by("pk"))
    for record in records:
        cluster = PersonCluster.objects.create()
        ClusterMembership.objects.create(record=record, cluster=cluster, basis="alone", run=run)
    ReviewPair.objects.create(
        record_a=records[0],
        record_b=records[1],
        match_probability=0.71,
        match_weight=1.3,
        evidence=[
            {"comparison": "Date of birth", "level": "Exact match", "weight": 6.1},
            {"comparison": "Given name", "level": "Known nickname", "weight": 3.2},
            {"comparison": "Family name", "level": "Close spelling", "weight": -0.4},
        ],
        run=run,
    )


# Registers for the education welfare officers: at the officers' school, a pupil present for
# eight weeks who then misses every afternoon; at a school they do not cover, another.
FIRST_MONDAY = (2025, 9, 8)
PRESENT, ABSENT_PM = "/\\/\\/\\/\\/\\", "/O/O/O/O/O"


def seed_attendance() -> None:
    from datetime import date, timedelta

    from safehub.accounts.models import Agency, User
    from safehub.accounts.services import create_agency
    from safehub.attendance.models import AttendanceWeek
    from safehub.attendance.services import assign_schools, scan_attendance
    from safehub.people.models import Person

    covered = Agency.objects.get(name="Oakfield School")
    other = create_agency(name="Beechwood School", agency_type=AgencyType.SCHOOL, urn="990002")
    monday = date(*FIRST_MONDAY)
    weeks = [PRESENT] * 8 + [ABSENT_PM] * 6
    for school, given, family, upn in (
        (covered, "Esther", "Falloway", "E990001125001"),
        (other, "Wilf", "Outerbridge", "E990002125002"),
    ):
        person = Person.objects.create(
            given_name=given,
            family_name=family,
            date_of_birth=date(2012, 2, 3),
            sex="female" if given == "Esther" else "male",
            upn=upn,
            school=school,
        )
        AttendanceWeek.objects.bulk_create(
            AttendanceWeek(
                upn=upn,
                school=school,
                person=person,
                week_commencing=monday + timedelta(weeks=n),
                sessions=sessions,
            )
            for n, sessions in enumerate(weeks)
        )
    for officer in User.objects.filter(username__startswith="ewo"):
        assign_schools(officer=officer, schools=[covered])
    scan_attendance(monday + timedelta(weeks=len(weeks) - 1, days=4))


def seed_profile() -> None:
    """A planted hotspot and network for the problem-profile journey: six children seen with
    one man at one hotel in the last months, and single events scattered across the city."""
    from datetime import date, timedelta

    from safehub.intelligence.models import Association, Location, PersonOfInterest
    from safehub.people.models import Person

    today = date.today()
    man = Person.objects.create(
        given_name="Connor", family_name="Pelham", date_of_birth=date(1979, 2, 11), sex="male"
    )
    PersonOfInterest.objects.create(person=man, reason="Seen with several children")
    hotel = Location.objects.create(
        kind="hotel",
        name="Seeded Hotspot Hotel",
        postcode="SH3 2AB",
        easting=432_400,
        northing=274_100,
    )
    for n in range(6):
        child = Person.objects.create(
            given_name=f"Profile{n}",
            family_name="Child",
            date_of_birth=today.replace(year=today.year - 14) - timedelta(days=30 * n),
            sex="female",
        )
        on = today - timedelta(days=20 + 7 * n)
        Association.objects.create(kind="seen_with", recorded_on=on, person=man, other_person=child)
        Association.objects.create(
            kind="seen_at_location", recorded_on=on, person=child, location=hotel
        )
    for n in range(6):
        place = Location.objects.create(
            kind="park",
            name=f"Background Park {n}",
            postcode="SH4 1AA",
            easting=430_000 + 900 * n,
            northing=276_500 - 700 * n,
        )
        Association.objects.create(
            kind="seen_at_location",
            recorded_on=today - timedelta(days=40 + n),
            person=man,
            location=place,
        )


def seed_search() -> None:
    """For the search journey (and the front door): Katherine Brierley-Test, known as Kay,
    with records from two agencies linked to her; another girl born the same day; a restricted
    child. Synthetic names only."""
    from datetime import date

    from safehub.linkage.choices import LinkBasis
    from safehub.linkage.models import ClusterMembership, IdentityRecord, LinkageRun, PersonCluster
    from safehub.people.models import Person

    kay = Person.objects.create(
        given_name="Katherine",
        family_name="Brierley-Test",
        known_as="Kay",
        date_of_birth=date(2011, 3, 12),
        sex="female",
    )
    Person.objects.create(
        given_name="Zinnia",
        family_name="Okonkwo-Sample",
        date_of_birth=date(2011, 3, 12),
        sex="female",
    )
    Person.objects.create(
        given_name="Rhiannon",
        family_name="Quillfeather",
        date_of_birth=date(2012, 1, 2),
        sex="female",
        is_restricted=True,
    )
    run = LinkageRun.objects.create(engine="duckdb", status="succeeded")
    cluster = PersonCluster.objects.create(person=kay)
    for source, key in (("social_care", "SC-SEARCH-1"), ("education", "ED-SEARCH-1")):
        record = IdentityRecord.objects.create(
            source=source,
            source_key=key,
            given_name="Katherine",
            family_name="Brierley-Test",
            date_of_birth=date(2011, 3, 12),
            person=kay,
        )
        ClusterMembership.objects.create(
            record=record,
            cluster=cluster,
            match_probability=0.99,
            basis=LinkBasis.AUTOMATIC,
            run=run,
        )


if __name__ == "__main__":
    main()
