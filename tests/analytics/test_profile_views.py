"""The problem profile's pages and exports: who gets which version, and what is audited."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import networkx as nx
import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AccessEvent, AuditAction
from safehub.intelligence.models import Association, Location, PersonOfInterest
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import child_details, make_screening, make_user

pytestmark = pytest.mark.django_db

HOTEL_NAME = "Kestrel Lodge Hotel"


@pytest.fixture
def city() -> dict:
    """Two children at risk, one person of interest linked to both, a hotel they meet at."""
    screener = make_user(Role.REFERRER)
    first = make_screening(screener, missing_repeat="current").screening.person
    second = make_screening(screener, missing_repeat="current").screening.person
    adult = Person.objects.create(
        **{
            k: v
            for k, v in child_details(given_name="Arlo", family_name="Demo-Adult").__dict__.items()
            if k in {"given_name", "family_name", "sex"}
        },
        date_of_birth=date(1980, 1, 1),
    )
    poi = PersonOfInterest.objects.create(person=adult)
    hotel = Location.objects.create(
        kind="hotel", name=HOTEL_NAME, postcode="SH1 7NU", easting=431000, northing=273000
    )
    on = date.today() - timedelta(days=10)
    for child in (first, second):
        Association.objects.create(
            kind="seen_with", recorded_on=on, person=adult, other_person=child
        )
        # Each child seen at the hotel too: a repeat location.
        Association.objects.create(
            kind="seen_at_location", recorded_on=on, person=child, location=hotel
        )
    Association.objects.create(
        kind="seen_at_location", recorded_on=on, person=adult, location=hotel
    )
    return {"poi": poi, "hotel": hotel, "children": [first, second]}


def client_for(role: Role) -> tuple[Client, object]:
    user = make_user(role)
    return sign_in(Client(), user), user


def test_a_police_analyst_sees_the_full_profile_with_places_and_the_network(city) -> None:
    client, user = client_for(Role.POLICE_ANALYST)
    response = client.get(reverse("analytics:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "CSE problem profile" in page
    assert HOTEL_NAME in page
    assert 'data-testid="figure-networks"' in page
    # The person of interest links through to their intelligence record.
    assert reverse("intelligence:person", kwargs={"public_id": city["poi"].public_id}) in page
    event = AccessEvent.objects.get(user_id=user.pk, object_type="problem_profile")
    assert event.action == AuditAction.VIEW and event.object_id.startswith("full:12m")


def test_a_board_member_sees_only_the_aggregate_version(city) -> None:
    client, user = client_for(Role.BOARD_MEMBER)
    response = client.get(reverse("analytics:profile"), {"months": "6"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "aggregate version" in page
    assert HOTEL_NAME not in page
    assert "fewer than 5" in page
    assert 'data-testid="figure-networks"' not in page
    assert reverse("analytics:network_graphml") not in page
    assert AccessEvent.objects.filter(
        user_id=user.pk, object_type="problem_profile", object_id__startswith="aggregate:6m"
    ).exists()


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.MASH_OFFICER, Role.DATA_OFFICER, Role.SYSTEM_ADMIN]
)
def test_other_roles_are_refused_the_profile(city, role: Role) -> None:
    client, _ = client_for(role)
    for name in ("analytics:profile", "analytics:profile_pdf", "analytics:tables_zip"):
        assert client.get(reverse(name)).status_code == 403


def test_the_board_is_refused_the_network_exports(city) -> None:
    client, _ = client_for(Role.BOARD_MEMBER)
    assert client.get(reverse("analytics:network_graphml")).status_code == 403
    assert client.get(reverse("analytics:network_svg")).status_code == 403


def test_each_table_downloads_as_csv_and_all_of_them_as_a_zip(city) -> None:
    client, user = client_for(Role.POLICE_ANALYST)
    response = client.get(reverse("analytics:profile_csv", args=["repeat-locations"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Place", "Type", "Events"]
    assert rows[1][0] == HOTEL_NAME
    assert client.get(reverse("analytics:profile_csv", args=["no-such-table"])).status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("analytics:tables_zip")).content))
    assert "victims-by-sex.csv" in archive.namelist()
    exports = AccessEvent.objects.filter(user_id=user.pk, action=AuditAction.EXPORT)
    assert exports.count() == 2


def test_the_pdf_follows_the_profile_order(city) -> None:
    client, _ = client_for(Role.POLICE_INTELLIGENCE)
    response = client.get(reverse("analytics:profile_pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_network_exports_as_graphml_and_svg(city) -> None:
    client, _ = client_for(Role.POLICE_ANALYST)
    response = client.get(reverse("analytics:network_graphml"))
    graph = nx.read_graphml(io.BytesIO(response.content))
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert {"child", "person_of_interest", "location"} <= kinds
    svg = client.get(reverse("analytics:network_svg"))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_an_unknown_period_falls_back_to_twelve_months(city) -> None:
    client, _ = client_for(Role.POLICE_ANALYST)
    response = client.get(reverse("analytics:profile"), {"months": "'; DROP"})
    assert response.status_code == 200
    assert '<option value="12" selected>' in response.content.decode()


def test_the_scale_section_sets_the_city_beside_its_neighbours(city) -> None:
    from tests.analytics.helpers import import_real_files

    import_real_files()
    client, _ = client_for(Role.BOARD_MEMBER)
    page = client.get(reverse("analytics:profile")).content.decode()
    # Coventry's latest year with a population estimate: 2023-24, 80 episodes, 9.6 per 10,000.
    assert "year ending March 2024" in page
    assert "recorded 80 assessments with CSE as a factor: 9.6 per 10,000" in page
    assert "Child criminal exploitation" in page and "Going missing" in page
    # Safehub's own count sits beside the published figures, with its caveat.
    assert "Safehub&#x27;s own count for the year ending March" in page
    assert "not the same measure" in page


def test_every_link_the_analyst_is_offered_opens(city) -> None:
    import re

    client, _ = client_for(Role.POLICE_ANALYST)
    page = client.get(reverse("analytics:profile")).content.decode()
    links = set(re.findall(r'href="(/intelligence/[^"]+|/people/[^"]+)"', page))
    assert links, "the profile should link to intelligence records"
    for href in links:
        assert client.get(href).status_code == 200, href
