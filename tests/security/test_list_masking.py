"""Lists mask restricted children (unless granted) and audit one row per child shown."""

from __future__ import annotations

import pytest

from safehub.audit.models import AccessEvent
from safehub.people.models import AccessGrant, Person
from safehub.policy import PersonScope, mark_masked, shown_person_ids
from safehub.policy.roles import Role
from tests.attendance.helpers import falling_pupil, make_ewo, make_school, scan_to_end
from tests.cases.helpers import open_case_for
from tests.factories import make_user
from tests.missing.helpers import make_child

pytestmark = pytest.mark.django_db


def restricted(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(is_restricted=True)
    person.refresh_from_db()
    return person


def test_the_ewo_list_masks_a_restricted_pupil_and_audits_each_shown(client_for) -> None:
    school = make_school()
    officer = make_ewo(school)
    hidden = restricted(make_child(given_name="Hesper"))
    shown = make_child(given_name="Saffron")
    falling_pupil(school, person=hidden)
    falling_pupil(school, person=shown)
    scan_to_end()
    page = client_for(officer).get("/attendance/alerts/").content.decode()
    assert "Saffron" in page and "Hesper" not in page
    assert page.count('data-testid="restricted-record"') == 1
    listed = AccessEvent.objects.filter(object_type="attendance_alerts", user_id=officer.pk)
    assert set(listed.exclude(person_id=None).values_list("person_id", flat=True)) == {shown.pk}


def test_the_ewo_list_shows_a_restricted_pupil_to_a_holder_of_a_grant(client_for) -> None:
    school = make_school()
    officer = make_ewo(school)
    hidden = restricted(make_child(given_name="Hesper"))
    falling_pupil(school, person=hidden)
    scan_to_end()
    AccessGrant.objects.create(person=hidden, user=officer, kind="explicit", reason="Named EWO")
    page = client_for(officer).get("/attendance/alerts/").content.decode()
    assert "Hesper" in page


def test_the_team_caseload_masks_a_restricted_childs_name_risk_and_review(client_for) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(restricted(make_child(given_name="Hesper")))
    page = client_for(manager).get("/cases/team/").content.decode()
    assert "Hesper" not in page
    assert 'data-testid="restricted-record"' in page
    assert str(case.public_id) not in page  # no link to the case or its allocation
    # The counts still include the case: the manager knows there is one to ask about.
    assert (
        AccessEvent.objects.filter(
            object_type="team_caseload", user_id=manager.pk, person_id=case.person_id
        ).count()
        == 0
    )


def test_the_mash_queue_shows_a_restricted_child_to_a_holder_of_a_grant(client_for) -> None:
    from tests.cases.helpers import new_child

    officer = make_user(Role.MASH_OFFICER)
    child = restricted(new_child())
    client = client_for(officer)
    assert child.given_name not in client.get("/referrals/").content.decode()
    AccessGrant.objects.create(person=child, user=officer, kind="explicit", reason="Named worker")
    assert child.family_name in client.get("/referrals/").content.decode()
    assert AccessEvent.objects.filter(
        object_type="referral_queue", user_id=officer.pk, person_id=child.pk
    ).exists()


def test_mark_masked_and_shown_person_ids() -> None:
    class Row:
        def __init__(self, person: object) -> None:
            self.person = person

    class P:
        def __init__(self, pk: int, is_restricted: bool) -> None:
            self.pk, self.is_restricted = pk, is_restricted

    rows = [Row(P(1, False)), Row(P(2, True)), Row(P(3, True)), Row(None), Row(P(1, False))]
    scope = PersonScope(user_id=9, granted=frozenset({3}))
    marked = mark_masked(rows, scope, lambda r: r.person)
    assert [r.masked for r in marked] == [False, True, False, False, False]
    assert shown_person_ids(marked, lambda r: r.person) == [1, 3]


def test_a_meeting_page_masks_a_restricted_child_on_its_agenda(client_for) -> None:
    from tests.cases.helpers import meeting_with

    practitioner = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(restricted(make_child(given_name="Hesper")))
    meeting = meeting_with(case, attendees=[practitioner])
    page = client_for(practitioner).get(f"/cases/meetings/{meeting.public_id}/").content.decode()
    assert "Hesper" not in page and 'data-testid="restricted-record"' in page
