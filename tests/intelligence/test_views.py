"""The intelligence pages: search, lists and records, who may see them, and the audit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent, AuditAction
from safehub.imports.models import ImportRun, SourceRecord
from safehub.intelligence.choices import DisruptionKind, LocationKind
from safehub.intelligence.templatetags.intelligence_tags import vrm
from safehub.licensing.models import Driver
from safehub.licensing.models import Vehicle as LicensedVehicle
from safehub.missing.models import MissingEpisode
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.intelligence.helpers import (
    make_adult,
    make_association,
    make_child,
    make_disruption,
    make_location,
    make_poi,
    make_vehicle,
    police_user,
)
from tests.missing.helpers import make_episode

pytestmark = pytest.mark.django_db

POLICE = (Role.POLICE_INTELLIGENCE, Role.POLICE_ANALYST)
NOT_POLICE = [r for r in Role if r not in POLICE]


def give_police_reference(person_id: int, reference: str) -> None:
    run = ImportRun.objects.create(source="police_persons", source_version=1, file_name="p.csv")
    SourceRecord.objects.create(
        source="police_persons",
        source_key=reference,
        row_hash="x",
        import_run=run,
        source_row=2,
        person_id=person_id,
    )


@pytest.mark.parametrize("role", POLICE)
def test_the_home_page_lists_and_searches_and_both_are_audited(
    role: Role, client_for: Callable[[User], Client]
) -> None:
    user = police_user(role)
    poi = make_poi(person=make_adult(family_name="Testvance"))
    place = make_location(name="Kestrel Noodle Bar", kind=LocationKind.TAKEAWAY, postcode="SH4 3WG")
    car = make_vehicle(vrm="XJ68VSX")
    client = client_for(user)
    page = client.get(reverse("intelligence:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Testvance" in body and "Kestrel Noodle Bar" in body and "XJ68 VSX" in body
    assert AccessEvent.objects.filter(user_id=user.pk, action=AuditAction.SEARCH).count() == 1
    for query, expected in (
        ("testvance", "Testvance"),
        (poi.police_reference, "Testvance"),
        ("xj68 vsx", reverse("intelligence:vehicle", args=[car.public_id])),
        ("SH4 3WG", reverse("intelligence:location", args=[place.public_id])),
        ("noodle", reverse("intelligence:location", args=[place.public_id])),
    ):
        found = client.post(reverse("intelligence:home"), {"q": query})
        results = found.content.decode().split('data-testid="search-results"')
        assert len(results) == 2 and expected in results[1].split("</ul>")[0], query
    searches = AccessEvent.objects.filter(
        user_id=user.pk, action=AuditAction.SEARCH, reason__startswith="intelligence search"
    )
    assert searches.count() == 5
    assert all("Testvance" not in e.reason for e in searches)


def test_a_person_of_interest_page_shows_their_network_and_is_audited(
    client_for: Callable[[User], Client],
) -> None:
    user = police_user(Role.POLICE_ANALYST)
    poi = make_poi(person=make_adult(family_name="Testvance"))
    child = make_child(family_name="Testlinked")
    give_police_reference(child.pk, "PN700000001")
    hotel = make_location(name="Alder Parkway")
    make_vehicle(vrm="XJ68VSX", keeper=poi.person)
    make_association(person=child, other_person=poi.person)
    make_association(person=poi.person, location=hotel)
    make_disruption(
        kind=DisruptionKind.CAWN, subject=poi.person, child=child, ends_on=None, notes="Served"
    )
    page = client_for(user).get(reverse("intelligence:person", args=[poi.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    children = body.split('data-testid="children"')[1].split("</ul>")[0]
    assert "Testlinked" in children and "PN700000001" in children
    assert "XJ68 VSX" in body.split('data-testid="poi-vehicles"')[1]
    assert "Alder Parkway" in body.split('data-testid="poi-locations"')[1]
    disruptions = body.split('data-testid="disruptions"')[1].split("</table>")[0]
    assert "Child abduction warning notice" in disruptions and "Testlinked" in disruptions
    assert "2CP" in body  # the grading of each association
    # An analyst reads; only the intelligence officer records.
    assert reverse("intelligence:disruption_new") not in body
    event = AccessEvent.objects.get(user_id=user.pk, action=AuditAction.VIEW)
    assert (event.object_type, event.object_id, event.person_id) == (
        "person_of_interest",
        str(poi.public_id),
        poi.person_id,
    )


def test_a_location_shows_who_was_seen_there_and_children_found_there(
    client_for: Callable[[User], Client],
) -> None:
    user = police_user()
    hotel = make_location(reference="L00H00", name="Alder Parkway")
    seen = make_child(family_name="Testseen")
    make_association(person=seen, location=hotel)
    found = make_child(family_name="Testfound")
    episode = make_episode(make_user(Role.MASH_OFFICER), found)
    MissingEpisode.objects.filter(pk=episode.pk).update(
        found_place="Police location L00H00",
        found_at=episode.went_missing_at + timedelta(hours=5),
    )
    make_disruption(kind=DisruptionKind.HOTEL_NOTICE, subject=None, location=hotel)
    page = client_for(user).get(reverse("intelligence:location", args=[hotel.public_id]))
    body = page.content.decode()
    assert "Testseen" in body.split('data-testid="seen"')[1].split("</ul>")[0]
    assert "Testfound" in body.split('data-testid="found-here"')[1].split("</ul>")[0]
    assert "Hotel information notice" in body
    assert AccessEvent.objects.filter(
        user_id=user.pk, object_type="intel_location", object_id=str(hotel.public_id)
    ).exists()


def test_a_vehicle_shows_only_the_plate_and_badge_from_the_licensing_register(
    client_for: Callable[[User], Client],
) -> None:
    driver = Driver.objects.create(
        badge_number="D9100001", given_name="Testdriver", family_name="Private", badge_type="dual"
    )
    licensed = LicensedVehicle.objects.create(
        plate_number="PH910001", vrm="TX12 ABC", driver=driver
    )
    car = make_vehicle(vrm="TX12ABC", licensed_vehicle=licensed)
    page = client_for(police_user()).get(reverse("intelligence:vehicle", args=[car.public_id]))
    details = page.content.decode().split('data-testid="vehicle-details"')[1].split("</dl>")[0]
    assert "plate PH910001" in details and "driver badge D9100001" in details
    assert "Testdriver" not in page.content.decode()


def test_an_association_page_shows_its_grading(client_for: Callable[[User], Client]) -> None:
    link = make_association()
    page = client_for(police_user()).get(reverse("intelligence:association", args=[link.public_id]))
    assert "2 – Untested" in page.content.decode() and "Patrol log" in page.content.decode()


@pytest.mark.parametrize("role", NOT_POLICE)
def test_no_other_role_sees_intelligence_and_a_refused_record_is_logged(
    role: Role, client_for: Callable[[User], Client]
) -> None:
    user = make_user(role)
    poi = make_poi()
    client = client_for(user)
    assert client.get(reverse("intelligence:home")).status_code == 403
    assert client.post(reverse("intelligence:home"), {"q": "Test"}).status_code == 403
    assert client.get(reverse("intelligence:person", args=[poi.public_id])).status_code == 403
    denied = AccessEvent.objects.get(user_id=user.pk, action=AuditAction.DENIED)
    assert denied.person_id == poi.person_id


def test_an_unknown_record_is_not_found(client_for: Callable[[User], Client]) -> None:
    client = client_for(police_user())
    for name in ("person", "location", "vehicle", "association"):
        url = reverse(f"intelligence:{name}", args=["8d7c1a52-5d0c-4c53-9d4e-2f1d7a1b0c99"])
        assert client.get(url).status_code == 404


def test_the_navigation_offers_intelligence_to_police_only(
    client_for: Callable[[User], Client],
) -> None:
    home = reverse("intelligence:home")
    police = client_for(police_user(Role.POLICE_ANALYST)).get(reverse("home"))
    assert f'href="{home}"' in police.content.decode()
    other = client_for(make_user(Role.CSE_MANAGER)).get(reverse("home"))
    assert f'href="{home}"' not in other.content.decode()


def test_a_person_of_interest_shows_their_age_today(
    client_for: Callable[[User], Client],
) -> None:
    today = timezone.localdate()
    poi = make_poi(person=make_adult(date_of_birth=date(today.year - 30, 1, 1)))
    page = client_for(police_user()).get(reverse("intelligence:person", args=[poi.public_id]))
    assert "(age 30)" in page.content.decode()


@given(st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True))
def test_a_registration_mark_is_shown_as_written_and_never_altered(stored: str) -> None:
    shown = vrm(stored)
    assert shown.replace(" ", "") == stored
    assert (" " in shown) == bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z]{3}", stored))
