"""A system administrator sets the schools an education welfare officer covers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safehub.attendance.models import SchoolAssignment
from safehub.audit.models import AccessEvent
from safehub.policy.roles import AgencyType, Role
from tests.attendance.helpers import make_ewo, make_school
from tests.conftest import sign_in
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def url_for(officer) -> str:  # type: ignore[no-untyped-def]
    return reverse("attendance:officer_schools", kwargs={"public_id": officer.public_id})


def covered(officer) -> set[int]:  # type: ignore[no-untyped-def]
    return set(SchoolAssignment.objects.filter(officer=officer).values_list("school", flat=True))


def test_the_administrator_replaces_the_schools_covered() -> None:
    old, new_a, new_b = make_school(), make_school(), make_school()
    officer = make_ewo(old)
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))

    page = admin.get(url_for(officer))
    assert page.status_code == 200
    response = admin.post(
        url_for(officer), {"schools": [new_a.pk, new_b.pk], "reason": "New patch (ticket 5)"}
    )

    assert response.status_code == 302
    assert covered(officer) == {new_a.pk, new_b.pk}
    assert AccessEvent.objects.filter(object_type="school_assignment").count() == 1


def test_a_change_without_a_reason_changes_nothing() -> None:
    school = make_school()
    officer = make_ewo(school)
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))

    response = admin.post(url_for(officer), {"schools": [make_school().pk], "reason": " "})

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert covered(officer) == {school.pk}
    assert not AccessEvent.objects.filter(object_type="school_assignment").exists()


def test_only_schools_can_be_chosen() -> None:
    officer = make_ewo(make_school())
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))
    council = make_agency(AgencyType.COUNCIL)

    admin.post(url_for(officer), {"schools": [council.pk], "reason": "Tidy up"})

    assert covered(officer) == set()


def test_only_education_welfare_officers_cover_schools() -> None:
    referrer = make_user(Role.REFERRER)
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))
    response = admin.post(url_for(referrer), {"schools": [make_school().pk], "reason": "x"})
    assert response.status_code == 400
    assert covered(referrer) == set()


def test_an_education_welfare_officer_cannot_change_their_own_schools() -> None:
    officer = make_ewo(make_school())
    response = sign_in(Client(), officer).post(
        url_for(officer), {"schools": [make_school().pk], "reason": "more"}
    )
    assert response.status_code == 403
