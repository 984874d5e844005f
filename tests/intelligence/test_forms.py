"""Recording intelligence: the forms, what they refuse (changing nothing), and the audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent, AuditAction
from safehub.intelligence.models import (
    Association,
    Disruption,
    Location,
    PersonOfInterest,
    Vehicle,
)
from safehub.licensing.models import Vehicle as LicensedVehicle
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.intelligence.helpers import (
    make_adult,
    make_child,
    make_disruption,
    make_location,
    make_poi,
    make_vehicle,
    police_user,
)

pytestmark = pytest.mark.django_db

FORMS = ("person_new", "location_new", "vehicle_new", "association_new", "disruption_new")


def dated(name: str, d: date) -> dict[str, str]:
    return {f"{name}-day": str(d.day), f"{name}-month": str(d.month), f"{name}-year": str(d.year)}


@pytest.fixture
def officer(client_for: Callable[[User], Client]) -> tuple[User, Client]:
    user = police_user()
    return user, client_for(user)


def counts() -> tuple[int, ...]:
    models: list[Any] = [PersonOfInterest, Person, Location, Vehicle, Association, Disruption]
    return tuple(m.objects.count() for m in models)


@pytest.mark.parametrize("name", FORMS)
def test_an_analyst_reads_but_does_not_record(
    name: str, client_for: Callable[[User], Client]
) -> None:
    client = client_for(police_user(Role.POLICE_ANALYST))
    before = counts()
    assert client.get(reverse(f"intelligence:{name}")).status_code == 403
    assert client.post(reverse(f"intelligence:{name}"), {"kind": "hotel"}).status_code == 403
    assert counts() == before


def test_a_person_in_the_index_is_found_and_made_a_person_of_interest(
    officer: tuple[User, Client],
) -> None:
    user, client = officer
    person = make_adult(given_name="Darren", family_name="Testkeeper")
    url = reverse("intelligence:person_new")
    found = client.post(url, {"step": "find", "q": "darren testkeeper"})
    assert str(person.public_id) in found.content.decode()
    made = client.post(
        url,
        {
            "step": "choose",
            "q": "darren",
            "person": str(person.public_id),
            "police_reference": "pn000000019",
            "reason": "Seen with missing children at a hotel",
        },
    )
    poi = PersonOfInterest.objects.get(person=person)
    assert made.status_code == 302 and made["Location"].endswith(f"{poi.public_id}/")
    assert (poi.police_reference, poi.created_by) == ("PN000000019", user)
    assert AccessEvent.objects.filter(
        user_id=user.pk, action=AuditAction.CREATE, object_type="person_of_interest"
    ).exists()
    assert AccessEvent.objects.filter(
        user_id=user.pk, action=AuditAction.SEARCH, object_type="person"
    ).exists()


def test_a_new_adult_is_added_as_a_person_of_interest(officer: tuple[User, Client]) -> None:
    user, client = officer
    made = client.post(
        reverse("intelligence:person_new"),
        {
            "step": "create",
            "given_name": "Testy",
            "family_name": "Newcomer",
            **dated("date_of_birth", date(1979, 4, 3)),
            "sex": "male",
            "postcode": "sh1 2bb",
            "address_line1": "1 Test Street",
            "police_reference": "PN123456789",
            "reason": "Named by two children",
        },
    )
    assert made.status_code == 302
    poi = PersonOfInterest.objects.get(police_reference="PN123456789")
    assert poi.person.family_name == "Newcomer" and poi.person.created_by == user
    address = poi.person.current_address()
    assert address is not None and address.postcode == "SH1 2BB"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"step": "choose", "person": "", "police_reference": "PN1", "reason": "x"}, "person"),
        ({"step": "create", "given_name": "A", "family_name": "B", "sex": "male"}, "date_of_birth"),
        (
            {
                "step": "create",
                "given_name": "Too",
                "family_name": "Young",
                "sex": "female",
                **dated("date_of_birth", date(2015, 1, 1)),
                "police_reference": "PN999",
                "reason": "x",
            },
            "date_of_birth",
        ),
        (
            {
                "step": "create",
                "given_name": "Bad",
                "family_name": "Date",
                "sex": "male",
                "date_of_birth-day": "31",
                "date_of_birth-month": "2",
                "date_of_birth-year": "1980",
                "police_reference": "PN998",
                "reason": "x",
            },
            "date_of_birth",
        ),
        ({"step": "create", "given_name": "No", "family_name": "Reason"}, "police_reference"),
    ],
)
def test_a_bad_person_of_interest_is_refused_and_nothing_changes(
    officer: tuple[User, Client], data: dict[str, str], field: str
) -> None:
    _, client = officer
    before = counts()
    page = client.post(reverse("intelligence:person_new"), data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem" in body and f'href="#{field}' in body
    assert counts() == before


def test_a_child_or_an_existing_person_of_interest_cannot_be_made_one(
    officer: tuple[User, Client],
) -> None:
    _, client = officer
    child = make_child()
    already = make_poi()
    before = counts()
    for person in (child, already.person):
        page = client.post(
            reverse("intelligence:person_new"),
            {
                "step": "choose",
                "person": str(person.public_id),
                "police_reference": "PN555555555",
                "reason": "x",
            },
        )
        assert "There is a problem" in page.content.decode()
    assert counts() == before


def test_a_location_is_added_with_a_reference(officer: tuple[User, Client]) -> None:
    user, client = officer
    made = client.post(
        reverse("intelligence:location_new"),
        {
            "kind": "takeaway",
            "name": "Test Grill",
            "postcode": "sh4 3wg",
            "easting": "431775",
            "northing": "275997",
        },
    )
    place = Location.objects.get(name="Test Grill")
    assert made.status_code == 302
    assert (place.kind, place.postcode, place.created_by) == ("takeaway", "SH4 3WG", user)
    assert place.reference and place.reference.startswith("SH")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "spaceport", "name": "X"}, "kind"),
        ({"kind": "hotel"}, "name"),
        ({"kind": "hotel", "name": "X", "postcode": "nonsense"}, "postcode"),
        ({"kind": "hotel", "name": "X", "easting": "431000"}, "easting"),
        ({"kind": "hotel", "name": "X", "easting": "abc", "northing": "1"}, "easting"),
        ({"kind": "hotel", "name": "X", "reference": "LDUP"}, "reference"),
    ],
)
def test_a_bad_location_is_refused(
    officer: tuple[User, Client], data: dict[str, str], field: str
) -> None:
    _, client = officer
    make_location(reference="LDUP")
    before = counts()
    page = client.post(reverse("intelligence:location_new"), data)
    assert f'href="#{field}"' in page.content.decode()
    assert counts() == before


def test_a_vehicle_is_added_and_linked_to_the_licensing_register(
    officer: tuple[User, Client],
) -> None:
    _, client = officer
    licensed = LicensedVehicle.objects.create(plate_number="HC920001", vrm="TY15 XYZ")
    keeper = make_poi()
    made = client.post(
        reverse("intelligence:vehicle_new"),
        {"vrm": "ty15 xyz", "colour": "black", "keeper_reference": keeper.police_reference},
    )
    car = Vehicle.objects.get(vrm="TY15XYZ")
    assert made.status_code == 302
    assert car.licensed_vehicle == licensed and car.keeper == keeper.person


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"vrm": ""}, "vrm"),
        ({"vrm": "TE99ABC"}, "vrm"),  # already recorded
        ({"vrm": "AB-12"}, "vrm"),
        ({"vrm": "NEW1", "keeper_reference": "PN000000000"}, "keeper_reference"),
    ],
)
def test_a_bad_vehicle_is_refused(
    officer: tuple[User, Client], data: dict[str, str], field: str
) -> None:
    _, client = officer
    make_vehicle(vrm="TE99ABC")
    before = counts()
    page = client.post(reverse("intelligence:vehicle_new"), data)
    assert f'href="#{field}"' in page.content.decode()
    assert counts() == before


GRADED = {
    "source": "Hotel manager",
    "source_evaluation": "1",
    "intelligence_assessment": "B",
    "handling_code": "C",
}


def test_an_association_is_recorded_between_a_person_and_a_place(
    officer: tuple[User, Client],
) -> None:
    user, client = officer
    poi = make_poi()
    place = make_location()
    form = client.get(reverse("intelligence:association_new") + f"?poi={poi.public_id}")
    assert f'value="{poi.police_reference}"' in form.content.decode()
    made = client.post(
        reverse("intelligence:association_new"),
        {
            "kind": "seen_at_location",
            **dated("recorded_on", date(2026, 3, 1)),
            "person_reference": poi.police_reference,
            "location_reference": place.reference,
            **GRADED,
        },
    )
    assert made.status_code == 302 and made["Location"].endswith(f"{poi.public_id}/")
    link = Association.objects.get()
    assert (link.person, link.location, link.grading) == (poi.person, place, "1BC")
    assert link.created_by == user


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"location_reference": ""}, "person_reference"),  # one end
        ({"vrm": "TE98ABC"}, "person_reference"),  # three ends
        ({"location_reference": "NOPE"}, "location_reference"),
        ({"handling_code": "X"}, "handling_code"),
        ({"source_evaluation": "4"}, "source_evaluation"),
        ({"intelligence_assessment": ""}, "intelligence_assessment"),
        ({"source": ""}, "source"),
        ({"kind": "stalking"}, "kind"),
        (dated("recorded_on", date(2099, 1, 1)), "recorded_on"),
        ({"recorded_on-day": "40"}, "recorded_on"),
        (
            {"person_reference": "", "other_reference": "PN1", "location_reference": "X"},
            "other_reference",
        ),
    ],
)
def test_a_bad_association_is_refused_and_nothing_changes(
    officer: tuple[User, Client], change: dict[str, str], field: str
) -> None:
    _, client = officer
    poi = make_poi()
    place = make_location()
    make_vehicle(vrm="TE98ABC")
    data = {
        "kind": "seen_at_location",
        **dated("recorded_on", date(2026, 3, 1)),
        "person_reference": poi.police_reference,
        "location_reference": place.reference,
        **GRADED,
        **change,
    }
    before = counts()
    page = client.post(reverse("intelligence:association_new"), data)
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert f'href="#{field}' in body
    assert counts() == before


def cawn(poi: PersonOfInterest, child_reference: str, **change: str) -> dict[str, str]:
    return {
        "kind": "cawn",
        "subject_reference": poi.police_reference,
        "child_reference": child_reference,
        **dated("occurred_on", date(2026, 3, 2)),
        "outcome": "served",
        "notes": "Served in person",
        **change,
    }


def test_a_cawn_is_recorded_naming_the_child(officer: tuple[User, Client]) -> None:
    user, client = officer
    poi = make_poi()
    child = make_poi(person=make_child(), police_reference="PN700000002")  # known by reference
    PersonOfInterest.objects.filter(pk=child.pk).delete()
    from tests.intelligence.test_views import give_police_reference

    give_police_reference(child.person_id, "PN700000002")
    made = client.post(reverse("intelligence:disruption_new"), cawn(poi, "PN700000002"))
    assert made.status_code == 302
    done = Disruption.objects.get()
    assert (done.kind, done.subject, done.child, done.outcome) == (
        "cawn",
        poi.person,
        child.person,
        "served",
    )
    assert AccessEvent.objects.filter(
        user_id=user.pk, action=AuditAction.CREATE, object_type="disruption"
    ).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"child_reference": ""}, "child_reference"),
        ({"child_reference": "ADULT"}, "child_reference"),
        ({"subject_reference": ""}, "subject_reference"),
        ({"kind": "hotel_notice", "child_reference": ""}, "location_reference"),
        ({"kind": "arrest"}, "child_reference"),  # only a CAWN names a child
        ({"outcome": "maybe"}, "outcome"),
        (dated("ends_on", date(2026, 1, 1)), "ends_on"),
        (dated("occurred_on", date(2099, 1, 1)), "occurred_on"),
        ({"ends_on-day": "1"}, "ends_on"),
    ],
)
def test_a_bad_disruption_is_refused_and_nothing_changes(
    officer: tuple[User, Client], change: dict[str, str], field: str
) -> None:
    _, client = officer
    poi = make_poi()
    make_poi(police_reference="ADULT")
    child = make_poi(person=make_child(), police_reference="CHILD")
    data = {**cawn(poi, child.police_reference), **change}
    before = counts()
    page = client.post(reverse("intelligence:disruption_new"), data)
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert f'href="#{field}' in body
    assert counts() == before


def test_a_place_disruption_is_recorded_from_the_location_page(
    officer: tuple[User, Client],
) -> None:
    _, client = officer
    hotel = make_location()
    form = client.get(reverse("intelligence:disruption_new") + f"?location={hotel.public_id}")
    assert f'value="{hotel.reference}"' in form.content.decode()
    made = client.post(
        reverse("intelligence:disruption_new"),
        {
            "kind": "awareness_visit",
            "location_reference": hotel.reference,
            **dated("occurred_on", timezone.localdate()),
            "outcome": "served",
        },
    )
    assert made.status_code == 302 and made["Location"].endswith(f"{hotel.public_id}/")
    assert Disruption.objects.get().location == hotel


def test_a_disruption_outcome_is_updated_and_a_bad_one_refused(
    officer: tuple[User, Client],
) -> None:
    user, client = officer
    done = make_disruption(kind="sexual_risk_order", notes="Applied for")
    url = reverse("intelligence:disruption_outcome", args=[done.public_id])
    assert f'name="version" value="{done.version}"' in client.get(url).content.decode()
    bad = client.post(
        url, {"version": done.version, "outcome": "granted", **dated("ends_on", date(2020, 1, 1))}
    )
    assert "There is a problem" in bad.content.decode()
    done.refresh_from_db()
    assert done.outcome == "pending"
    client.post(
        url,
        {
            "version": done.version,
            "outcome": "granted",
            **dated("ends_on", date(2028, 2, 1)),
            "note": "2y",
        },
    )
    done.refresh_from_db()
    assert (done.outcome, done.ends_on) == ("granted", date(2028, 2, 1))
    assert done.notes.startswith("Applied for") and done.notes.endswith(": 2y")
    assert AccessEvent.objects.filter(
        user_id=user.pk, action=AuditAction.CHANGE, object_id=str(done.public_id)
    ).exists()
