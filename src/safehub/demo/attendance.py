"""The attendance part of the demo: an education welfare officer covering the demo city's
schools, and a first scan so their alerts are waiting for them.

`load_demo_attendance` expects the city's attendance in `AttendanceWeek` (the imports app
loads it from the extract). `load_city_attendance` puts the same rows there straight from the
city generator, for tests and for a demo without the importer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max

from safehub.accounts.models import Agency, User
from safehub.accounts.services import create_agency, create_user
from safehub.attendance.models import AttendanceWeek
from safehub.attendance.services import ScanSummary, assign_schools, scan_attendance
from safehub.demo.city.build import generate_chunk
from safehub.demo.city.model import Chunk
from safehub.demo.city.schools import chunk_attendance_rows
from safehub.demo.city.spec import CitySpec, make_spec
from safehub.demo.partnership import COUNCIL, DEMO_PASSWORD, DemoLogin
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role

EWO_LOGIN = DemoLogin(
    "ewo.city",
    "Nadia Kershaw",
    Role.EDUCATION_WELFARE,
    COUNCIL,
    "education welfare officer: attendance alerts for the city's schools, escalates to screening",
)
BATCH = 5000


def chunk_attendance(spec: CitySpec, chunk: Chunk) -> Iterator[tuple[str, str, str, str]]:
    """The chunk's attendance extract rows (upn, school URN, Monday, sessions), exactly as
    the city build writes them to `extracts/education/attendance.csv`."""
    yield from chunk_attendance_rows(chunk, spec.year, spec.rng(chunk.index, "attendance"))


@transaction.atomic
def load_city_attendance(size: str, seed: int) -> int:
    """Store the generated city's attendance as AttendanceWeek rows, linked to the loaded
    schools (by URN) and pupils (by UPN). Replaces rows already held for those schools."""
    spec = make_spec(size, seed)
    schools = dict(
        Agency.objects.filter(agency_type=AgencyType.SCHOOL)
        .exclude(urn="")
        .values_list("urn", "pk")
    )
    people = dict(Person.objects.exclude(upn="").values_list("upn", "pk"))
    total = 0
    for index in range(spec.chunks):
        chunk = generate_chunk(spec, index)
        urns = {s.urn for s in chunk.schools}
        AttendanceWeek.objects.filter(
            school_id__in=[schools[u] for u in urns if u in schools]
        ).delete()
        batch: list[AttendanceWeek] = []
        for upn, urn, monday, sessions in chunk_attendance(spec, chunk):
            if urn not in schools:
                continue
            batch.append(
                AttendanceWeek(
                    upn=upn,
                    school_id=schools[urn],
                    week_commencing=date.fromisoformat(monday),
                    sessions=sessions,
                    person_id=people.get(upn),
                )
            )
            if len(batch) >= BATCH:
                AttendanceWeek.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        AttendanceWeek.objects.bulk_create(batch)
        total += len(batch)
    return total


def ewo_user(password: str = DEMO_PASSWORD) -> User:
    """The demo education welfare officer (created once)."""
    user = User.objects.filter(username=EWO_LOGIN.username).first()
    if user is None:
        first, last = EWO_LOGIN.name.split(" ", 1)
        user = create_user(
            username=EWO_LOGIN.username,
            password=password,
            agency=create_agency(name=EWO_LOGIN.agency, agency_type=AgencyType.COUNCIL),
            roles=[EWO_LOGIN.role],
            first_name=first,
            last_name=last,
            job_title="Education welfare officer",
        )
    return user


def load_demo_attendance(
    as_of: date | None = None, *, password: str = DEMO_PASSWORD
) -> ScanSummary:
    """Give the demo EWO every school that has registers, and scan up to `as_of` (by default
    the Friday of the latest register week held). Idempotent: a second run changes nothing."""
    officer = ewo_user(password)
    school_ids = AttendanceWeek.objects.values_list("school_id", flat=True).distinct()
    assign_schools(officer=officer, schools=Agency.objects.filter(pk__in=list(school_ids)))
    if as_of is None:
        latest = AttendanceWeek.objects.aggregate(latest=Max("week_commencing"))["latest"]
        as_of = (latest + timedelta(days=4)) if latest else date.today()
    return scan_attendance(as_of)
