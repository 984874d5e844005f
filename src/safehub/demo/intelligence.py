"""Demo data for police intelligence: the police logins and a few disruptions against the
synthetic city's planted network.

`load_demo_intelligence()` is idempotent. The intelligence itself (persons of interest,
locations, vehicles, associations) arrives through the imports of the city's police extract
(`import_city_extracts`); this adds what the extract does not carry: disruption. It reads the
planted network from the city's truth files (VAR_DIR/demo-city/truth/) to choose whom and
where, and finds them among the imported records by their police references.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from safehub.accounts.models import User
from safehub.accounts.services import create_agency
from safehub.demo.partnership import DEMO_PASSWORD, POLICE, DemoLogin, demo_user
from safehub.intelligence import disruptions, selectors
from safehub.intelligence.choices import DisruptionKind, DisruptionOutcome
from safehub.intelligence.models import Disruption
from safehub.policy.roles import AgencyType, Role
from safehub.refusals import Refused

INTELLIGENCE_OFFICER = DemoLogin(
    "police.intel",
    "Farid Hussain",
    Role.POLICE_INTELLIGENCE,
    POLICE,
    "police intelligence officer: persons of interest, places, vehicles and disruption",
)
ANALYST = DemoLogin(
    "police.analyst",
    "Joanne Pryce",
    Role.POLICE_ANALYST,
    POLICE,
    "police analyst: reads the intelligence and the problem profile",
)
LOGINS = [INTELLIGENCE_OFFICER, ANALYST]


def _user(login: DemoLogin, password: str) -> User:
    agency = create_agency(name=login.agency, agency_type=AgencyType.POLICE)
    return demo_user(login, agency, password)


@dataclass(frozen=True)
class PlantedNetwork:
    """The first planted network, in police references."""

    offender: str
    victims: list[str]
    hotel: str
    takeaway: str


def planted_network(truth_dir: Path) -> PlantedNetwork | None:
    """The first network of the city's truth files, or None when they are absent or it names
    no offender, child or place the police extract holds."""
    truth_file, records_file = truth_dir / "truth.json", truth_dir / "records.csv"
    if not truth_file.exists() or not records_file.exists():
        return None
    truth: dict[str, Any] = json.loads(truth_file.read_text(encoding="utf-8"))
    police: dict[str, str] = {}
    with records_file.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["agency"] == "police" and not row.get("duplicate_of"):
                police.setdefault(row["person_id"], row["record_id"])
    places = {loc["location_id"]: loc["type"] for loc in truth.get("planted_locations", [])}
    for network in truth.get("networks", []):
        offenders = [
            police[o["person_id"]] for o in network["offenders"] if o["person_id"] in police
        ]
        victims = [police[v["person_id"]] for v in network["victims"] if v["person_id"] in police]
        hotel = next((lid for lid in network["locations"] if places.get(lid) == "hotel"), "")
        takeaway = next((lid for lid in network["locations"] if places.get(lid) == "takeaway"), "")
        if offenders and victims:
            return PlantedNetwork(offenders[0], victims, hotel, takeaway)
    return None


def _once(actor: User, details: disruptions.DisruptionDetails, today: date) -> None:
    """Record the disruption unless this demo already did, or it no longer fits the data."""
    subject = selectors.person_by_police_reference(details.subject_reference)
    place = selectors.location_by_reference(details.location_reference)
    done = Disruption.objects.filter(
        kind=details.kind, subject=subject, location=place, created_by=actor
    )
    if done.exists():
        return
    try:
        disruptions.record_disruption(actor=actor, details=details, today=today)
    except Refused:
        # A child who has turned 18, or records not imported: nothing to show, nothing made.
        return


@transaction.atomic
def load_demo_intelligence(
    password: str = DEMO_PASSWORD, *, today: date | None = None, truth_dir: Path | None = None
) -> list[DemoLogin]:
    """Create the police logins and, against the planted network, a child abduction warning
    notice, a hotel information notice and an awareness visit to the takeaway (idempotent)."""
    today = today or date.today()
    officer = _user(INTELLIGENCE_OFFICER, password)
    _user(ANALYST, password)
    network = planted_network(truth_dir or Path(settings.VAR_DIR) / "demo-city" / "truth")
    if network is None:
        return LOGINS
    served = DisruptionOutcome.SERVED
    child = next(
        (
            v
            for v in network.victims
            if (p := selectors.person_by_police_reference(v)) is not None
            and (age := selectors.age_on(p.date_of_birth, today)) is not None
            and age < 18
        ),
        "",
    )
    if child:
        _once(
            officer,
            disruptions.DisruptionDetails(
                kind=DisruptionKind.CAWN,
                occurred_on=today - timedelta(days=30),
                subject_reference=network.offender,
                child_reference=child,
                outcome=served,
                notes="Served in person at his home address; he was told the child's name.",
            ),
            today,
        )
    if network.hotel:
        _once(
            officer,
            disruptions.DisruptionDetails(
                kind=DisruptionKind.HOTEL_NOTICE,
                occurred_on=today - timedelta(days=20),
                location_reference=network.hotel,
                outcome=served,
                notes="Guest names and addresses to be supplied for six months.",
                ends_on=today - timedelta(days=20) + timedelta(days=182),
            ),
            today,
        )
    if network.takeaway:
        _once(
            officer,
            disruptions.DisruptionDetails(
                kind=DisruptionKind.AWARENESS_VISIT,
                occurred_on=today - timedelta(days=10),
                location_reference=network.takeaway,
                outcome=served,
                notes="Operation Makesafe leaflets and posters; staff briefed on warning signs.",
            ),
            today,
        )
    return LOGINS
