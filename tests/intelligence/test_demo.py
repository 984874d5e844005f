"""The intelligence demo: police logins and disruptions against the planted network."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from safehub.accounts.models import User
from safehub.demo.intelligence import load_demo_intelligence, planted_network
from safehub.intelligence.models import Disruption
from safehub.policy.roles import Role
from tests.intelligence.helpers import make_adult, make_child, make_location, make_poi
from tests.intelligence.test_views import give_police_reference

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 31)


def write_truth(out: Path) -> Path:
    out.mkdir()
    truth = {
        "networks": [
            {
                "network_id": "N001",
                "offenders": [{"person_id": "P1", "licensed_driver": False}],
                "victims": [{"person_id": "P2", "exploitation_began": "2025-10-20"}],
                "locations": ["LH", "LT", "LP"],
                "vehicles": [],
                "innocent_contacts": [],
            }
        ],
        "planted_locations": [
            {"location_id": "LH", "type": "hotel"},
            {"location_id": "LT", "type": "takeaway"},
            {"location_id": "LP", "type": "park"},
        ],
    }
    (out / "truth.json").write_text(json.dumps(truth))
    (out / "records.csv").write_text(
        "agency,record_id,person_id,errors,duplicate_of\n"
        "education,ED1,P2,,\n"
        "police,PN000000001,P1,,\n"
        "police,PN000000002,P2,,\n"
    )
    return out


def test_the_demo_makes_the_police_logins_and_three_disruptions_once(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "truth")
    assert planted_network(truth) is not None
    make_poi(person=make_adult(), police_reference="PN000000001")
    child = make_child(date_of_birth=date(2011, 3, 1))
    give_police_reference(child.pk, "PN000000002")
    make_location(reference="LH")
    make_location(reference="LT")
    logins = load_demo_intelligence("a-demo-password-1", today=TODAY, truth_dir=truth)
    assert {(login.username, login.role) for login in logins} == {
        ("police.intel", Role.POLICE_INTELLIGENCE),
        ("police.analyst", Role.POLICE_ANALYST),
    }
    officer = User.objects.get(username="police.intel")
    assert officer.agency is not None and officer.agency.agency_type == "police"
    kinds = sorted(Disruption.objects.values_list("kind", flat=True))
    assert kinds == ["awareness_visit", "cawn", "hotel_notice"]
    assert Disruption.objects.get(kind="cawn").child == child
    load_demo_intelligence("a-demo-password-1", today=TODAY, truth_dir=truth)
    assert (
        Disruption.objects.count() == 3
        and User.objects.filter(username__startswith="police.").count() == 2
    )


def test_without_the_city_the_demo_makes_only_the_logins(tmp_path: Path) -> None:
    logins = load_demo_intelligence("a-demo-password-1", today=TODAY, truth_dir=tmp_path)
    assert len(logins) == 2 and not Disruption.objects.exists()
