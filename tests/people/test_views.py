"""The child's record page: who may see it, the access log, restricted records, break-glass."""

from __future__ import annotations

import pytest

from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def test_mash_officer_sees_the_record_and_who_looked(client_for, mash_officer) -> None:
    person = make_screening(make_user(Role.REFERRER)).screening.person
    client = client_for(mash_officer)
    page = client.get(f"/people/{person.public_id}/")
    assert page.status_code == 200 and person.family_name.encode() in page.content
    assert b"Who has looked at this record" in page.content
    assert mash_officer.username.encode() in page.content
    assert AccessEvent.objects.filter(
        action="view", object_type="person", person_id=person.pk, user_id=mash_officer.pk
    ).exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.BOARD_MEMBER, Role.SYSTEM_ADMIN])
def test_other_roles_are_refused_and_the_refusal_is_logged(client_for, role: Role) -> None:
    person = make_screening(make_user(Role.REFERRER)).screening.person
    user = make_user(role)
    response = client_for(user).get(f"/people/{person.public_id}/")
    assert response.status_code == 403 and person.family_name.encode() not in response.content
    assert AccessEvent.objects.filter(action="denied", user_id=user.pk).exists()


def test_restricted_record_needs_break_glass_with_a_reason(client_for, mash_officer) -> None:
    person = make_screening(make_user(Role.REFERRER)).screening.person
    person.is_restricted = True
    person.save()
    client = client_for(mash_officer)
    response = client.get(f"/people/{person.public_id}/")
    assert response.status_code == 302 and response["Location"].endswith("/break-glass/")
    page = client.get(response["Location"])
    assert person.family_name.encode() not in page.content
    refused = client.post(response["Location"], {"reason": ""})
    assert b"Explain why" in refused.content
    client.post(response["Location"], {"reason": "Child reported missing, police need history"})
    assert client.get(f"/people/{person.public_id}/").status_code == 200


def test_unknown_person_is_not_found(client_for, mash_officer) -> None:
    response = client_for(mash_officer).get("/people/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_a_manager_reviews_break_glass_access(client_for) -> None:
    from safehub.people.models import AccessGrant
    from safehub.people.services import break_glass

    officer = make_user(Role.MASH_OFFICER)
    person = make_screening(make_user(Role.REFERRER)).screening.person
    grant = break_glass(actor=officer, person=person, reason="Child missing tonight, police ask")
    manager = client_for(make_user(Role.CSE_MANAGER))
    page = manager.get("/people/break-glass-reviews/")
    assert b"Child missing tonight" in page.content
    refused = manager.post(
        "/people/break-glass-reviews/",
        {"grant": grant.pk, f"review-{grant.pk}-action": "confirm", f"review-{grant.pk}-note": ""},
    )
    assert b"Record what you concluded" in refused.content
    manager.post(
        "/people/break-glass-reviews/",
        {
            "grant": grant.pk,
            f"review-{grant.pk}-action": "confirm",
            f"review-{grant.pk}-note": "Justified",
        },
    )
    grant = AccessGrant.objects.get(pk=grant.pk)
    assert not grant.needs_review and grant.review_note == "Justified"
    assert grant.review_outcome == "confirmed"
    assert client_for(officer).get("/people/break-glass-reviews/").status_code == 403
