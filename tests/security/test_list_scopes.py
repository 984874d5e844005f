"""Need-to-know in every list: no list, match, count or export shows a child the viewer may not see.

One world is seeded with a restricted child (a staff member's child, say) and an ordinary child
known only to other agencies, each with a screening, a referral, an open case allocated to
someone else, a meeting, a missing episode with its return interview due, an attendance alert,
a linkage review pair and police intelligence. Then every list-like URL in the URL
configuration (every URL without a path parameter, plus the searches) and every API list
operation is opened as a fresh user of every role, none of whom holds a grant, and the
response must not contain the restricted child's names or date of birth. Roles that have no
relationship with the ordinary child must not see it either. (A school's name is not checked:
schools are agencies, listed in every agency picker.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safehub.accounts.models import Agency, User
from safehub.accounts.services import issue_api_token
from safehub.attendance.services import assign_schools
from safehub.cases import meetings
from safehub.intelligence.choices import AssociationKind
from safehub.intelligence.models import Association
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role
from tests.attendance.helpers import alert_for, falling_pupil, scan_to_end
from tests.cases.helpers import open_case_for
from tests.conftest import sign_in
from tests.factories import child_details, make_agency, make_screening, make_user
from tests.intelligence.helpers import make_poi
from tests.linkage.helpers import identity, queued_pair
from tests.missing.helpers import make_episode

R = Role
RESTRICTED = {
    "given_name": "Quillon",
    "family_name": "Restrictmarker",
    "known_as": "Quilly",
    "date_of_birth": date(2010, 11, 17),
    "sex": "female",
}
OTHER = {
    "given_name": "Ottoline",
    "family_name": "Otherhaven",
    "date_of_birth": date(2011, 3, 9),
    "sex": "female",
}
RESTRICTED_SCHOOL = "Marigold Lane Scopetest Academy"
OTHER_SCHOOL = "Bramblecote Scopetest School"
# Roles with no relationship to the ordinary child: it must not appear in their lists at all.
# (The CSE team's meetings, actions and return interviews are team records, open to every
# practitioner by the policy, so practitioners are not outsiders here.)
OUTSIDERS = {
    R.REFERRER,
    R.EDUCATION_WELFARE,
    R.LICENSING_OFFICER,
    R.WORKFORCE_ADMIN,
    R.ACTION_OWNER,
    R.BOARD_MEMBER,
    R.SYSTEM_ADMIN,
}
# Lists that need a query to show anything: the searches, asked for both children.
SEARCHES: dict[str, list[dict[str, str]]] = {
    "missing:find": [
        {
            "given_name": child["given_name"],
            "family_name": child["family_name"],
            "date_of_birth-day": str(child["date_of_birth"].day),  # type: ignore[attr-defined]
            "date_of_birth-month": str(child["date_of_birth"].month),  # type: ignore[attr-defined]
            "date_of_birth-year": str(child["date_of_birth"].year),  # type: ignore[attr-defined]
        }
        for child in (RESTRICTED, OTHER)
    ]
}
SKIP = {"accounts:logout"}  # signs the user out


def marks(child: dict[str, Any]) -> list[str]:
    dob: date = child["date_of_birth"]
    found = [child["given_name"], child["family_name"], child.get("known_as", "") or ""]
    found += [
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        f"{dob.day} {dob:%B %Y}",
        f"{dob.day} {dob:%b %Y}",
    ]
    return [m for m in found if m]


def list_urls() -> Iterator[str]:
    """Every URL name in the configuration that takes no path parameter."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                name = f"{namespace}:{p.name}" if namespace else p.name
                if name not in SKIP and "<" not in str(p.pattern):
                    yield name

    yield from walk(get_resolver().url_patterns, "")


def _child(details: dict[str, Any], school: Agency, referrer: User, *, restricted: bool) -> Person:
    submission = make_screening(
        referrer,
        person=None,
        missing_repeat="current",
    )
    person = submission.screening.person
    fields = child_details(**details)
    Person.objects.filter(pk=person.pk).update(
        given_name=fields.given_name,
        family_name=fields.family_name,
        known_as=details.get("known_as", ""),
        date_of_birth=fields.date_of_birth,
        school=school,
        is_restricted=restricted,
    )
    person.refresh_from_db()
    return person


def seed_child(details: dict[str, Any], school: Agency, *, restricted: bool) -> Person:
    """A child with a record in every part of Safehub, none of it the test users'."""
    referrer = make_user(R.REFERRER, agency=make_agency(AgencyType.HEALTH))
    person = _child(details, school, referrer, restricted=restricted)
    worker = make_user(R.CSE_PRACTITIONER, agency=make_agency(AgencyType.COUNCIL))
    case = open_case_for(person, worker=worker)
    meeting = meetings.create_meeting(
        actor=make_user(R.CSE_MANAGER),
        kind="mase",
        held_at=case.opened_at + timedelta(hours=1),
        agenda=[case],
        attendees=[worker],
        external_attendees=[],
    )
    meetings.add_meeting_action(
        actor=worker,
        meeting=meeting,
        case=case,
        description="Visit the child at school",
        owner=worker,
        due_date=date.today() + timedelta(days=3),
    )
    make_episode(make_user(R.MASH_OFFICER), person, found_after=timedelta(hours=6))
    falling_pupil(school, person=person)
    person.refresh_from_db()
    source = identity(
        "health",
        given_name=details["given_name"],
        family_name=details["family_name"],
        date_of_birth=details["date_of_birth"].isoformat(),
    )
    other = identity(
        "police",
        given_name=details["given_name"],
        family_name=details["family_name"] + "e",
        date_of_birth=details["date_of_birth"].isoformat(),
    )
    from safehub.linkage.models import IdentityRecord

    IdentityRecord.objects.filter(pk__in=[source.pk, other.pk]).update(person=person)
    queued_pair(source, other)
    Association.objects.create(
        kind=AssociationKind.SEEN_WITH,
        recorded_on=date.today() - timedelta(days=20),
        source="Patrol log",
        person=make_poi().person,
        other_person=person,
    )
    return person


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    school = make_agency(AgencyType.SCHOOL, name=RESTRICTED_SCHOOL)
    other_school = make_agency(AgencyType.SCHOOL, name=OTHER_SCHOOL)
    restricted = seed_child(RESTRICTED, school, restricted=True)
    other = seed_child(OTHER, other_school, restricted=False)
    scan_to_end()
    assert alert_for(restricted.upn or "").person_id == restricted.pk
    users: dict[Role, User] = {}
    for role in Role:
        agency_type = {
            R.POLICE_INTELLIGENCE: AgencyType.POLICE,
            R.POLICE_ANALYST: AgencyType.POLICE,
            R.LICENSING_OFFICER: AgencyType.LICENSING,
        }.get(role, AgencyType.COUNCIL)
        users[role] = make_user(role, agency=make_agency(agency_type))
    # The education welfare officer covers the restricted child's school, not the other's.
    assign_schools(officer=users[R.EDUCATION_WELFARE], schools=[school])
    return {"users": users, "restricted": restricted, "other": other}


def _get_everything(client: Client, api_token: str) -> Iterator[tuple[str, str]]:
    for name in sorted(list_urls()):
        url = reverse(name)
        yield name, _text(client.get(url))
        for query in SEARCHES.get(name, []):
            yield f"{name} (searched)", _text(client.post(url, query))
    for path in ("/api/v1/submissions", "/api/v1/screening-tools"):
        response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {api_token}")
        yield path, _text(response)


def _text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if "pdf" in content_type or "zip" in content_type or "spreadsheet" in content_type:
        return ""
    return body.decode("utf-8", errors="replace")


def test_no_list_shows_a_child_the_role_may_not_see(world: dict[str, Any]) -> None:
    # One world, every role: seeding it is the slow part.
    leaks = []
    for role in Role:
        user = world["users"][role]
        client = sign_in(Client(), user)
        token = issue_api_token(user=user, name="scope test")
        other_marks = marks(OTHER) if role in OUTSIDERS else []
        for where, text in _get_everything(client, token):
            # A search page shows back the names the user typed: that is not a leak.
            typed = (
                {RESTRICTED["family_name"], OTHER["family_name"]}
                | {RESTRICTED["given_name"], OTHER["given_name"]}
                if "searched" in where
                else set()
            )
            for m in marks(RESTRICTED):
                if m in text and m not in typed:
                    leaks.append(f"{role}: {where}: restricted child's {m!r}")
            for m in other_marks:
                if m in text and m not in typed:
                    leaks.append(f"{role}: {where}: other agency's child's {m!r}")
    assert not leaks, "\n".join(leaks)
