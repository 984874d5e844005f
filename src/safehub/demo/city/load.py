"""Put a synthetic city into the application database.

Loads what has a model today: agencies and schools, the partnership's staff as users (unusable
passwords), children as people with addresses, and screenings with their referrals. Missing
episodes, attendance, intelligence, licensing and plans stay in the `--out` files until their
models exist. Everything loaded is created by the `synthetic-city` user, which is how a loaded
city is recognised and, with `replace`, removed (users are never deleted: the audit log may
name them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.accounts.services import create_agency, create_user
from safehub.demo.city.build import generate_chunk
from safehub.demo.city.cases import TOOL_ID
from safehub.demo.city.model import Chunk
from safehub.demo.city.spec import make_spec
from safehub.people.models import Address, Person
from safehub.policy.roles import AgencyType, Role
from safehub.referrals.models import Referral
from safehub.screening.models import Screening

LOADER_USERNAME = "synthetic-city"
PARTNERSHIP_FILE = Path(__file__).resolve().parent.parent / "data" / "partnership.yaml"
BATCH = 2000
AGENCY_TYPES = {
    "council": AgencyType.COUNCIL,
    "police": AgencyType.POLICE,
    "health": AgencyType.HEALTH,
    "youth_service": AgencyType.YOUTH_SERVICE,
    "licensing": AgencyType.LICENSING,
}
# Which login submits a screening made by each kind of professional (schools use their DSL).
SCREENER = {"health": "school.nurse", "social_care": "cse.sw1", "police": "cse.police.sergeant"}


class CityAlreadyLoaded(Exception):
    """A synthetic city is already in the database and `replace` was not asked for."""


@cache
def partnership() -> dict[str, Any]:
    """The partnership file: team, governance bodies, delivery plan and resolutions."""
    with PARTNERSHIP_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _loader() -> User:
    user = User.objects.filter(username=LOADER_USERNAME).first()
    if user is None:
        council = create_agency(name=partnership()["council"], agency_type=AgencyType.COUNCIL)
        user = create_user(
            username=LOADER_USERNAME,
            password=None,
            agency=council,
            roles=[],
            first_name="Synthetic",
            last_name="City",
            job_title="Demo data loader",
        )
    return user


def remove_city() -> dict[str, int]:
    """Delete what a previous load created (referrals, screenings, people); keep users."""
    loader = User.objects.filter(username=LOADER_USERNAME).first()
    if loader is None:
        return {}
    people = Person.objects.filter(created_by=loader)
    referrals, _ = Referral.objects.filter(person__in=people).delete()
    screenings, _ = Screening.objects.filter(person__in=people).delete()
    removed, _ = people.delete()
    return {"referrals": referrals, "screenings": screenings, "people_and_addresses": removed}


def _agencies_and_users(chunks: list[Chunk]) -> tuple[dict[str, Agency], dict[str, User]]:
    data = partnership()
    agencies = {
        key: create_agency(name=data[key], agency_type=kind) for key, kind in AGENCY_TYPES.items()
    }
    for chunk in chunks:
        for school in chunk.schools:
            agencies[school.urn] = create_agency(
                name=school.name,
                agency_type=AgencyType.SCHOOL,
                urn=school.urn,
                school_phase=school.phase,
            )
    users: dict[str, User] = {}
    existing = {u.username: u for u in User.objects.filter(username__in=_usernames(chunks))}
    for member in data["team"]["members"]:
        user = existing.get(member["username"])
        if user is None:
            first, last = member["name"].split(" ", 1)
            user = create_user(
                username=member["username"],
                password=None,
                agency=agencies[member["agency"]],
                roles=member["roles"],
                first_name=first,
                last_name=last,
                job_title=member["job_title"],
            )
        users[member["username"]] = user
    for chunk in chunks:
        for school in chunk.schools:
            username = f"dsl.{school.urn}"
            user = existing.get(username)
            if user is None:
                user = create_user(
                    username=username,
                    password=None,
                    agency=agencies[school.urn],
                    roles=[Role.REFERRER],
                    first_name="Designated",
                    last_name=f"Safeguarding Lead {school.urn}",
                    job_title="Designated safeguarding lead",
                )
            users[username] = user
    return agencies, users


def _usernames(chunks: list[Chunk]) -> list[str]:
    names = [m["username"] for m in partnership()["team"]["members"]]
    return names + [f"dsl.{s.urn}" for chunk in chunks for s in chunk.schools]


def load_city(size: str, seed: int, *, replace: bool = False) -> dict[str, int]:
    """Generate the city of that size and seed and load it; return row counts per table.

    Refuses (CityAlreadyLoaded) when a city is already loaded, unless `replace` is given, in
    which case the previous city's people, screenings and referrals are deleted first.
    """
    spec = make_spec(size, seed)
    chunks = [generate_chunk(spec, i) for i in range(spec.chunks)]
    with transaction.atomic():
        loader = _loader()
        if Person.objects.filter(created_by=loader).exists():
            if not replace:
                raise CityAlreadyLoaded(
                    "A synthetic city is already loaded; use --replace to load it again."
                )
            remove_city()
        agencies, users = _agencies_and_users(chunks)
        counts = {"agencies": len(agencies), "users": len(users)}
        counts.update(_load_people(chunks, spec.as_of, loader, agencies, users))
    return counts


def _load_people(
    chunks: list[Chunk],
    as_of: Any,
    loader: User,
    agencies: dict[str, Agency],
    users: dict[str, User],
) -> dict[str, int]:
    children = [p for chunk in chunks for p in chunk.people if p.kind == "child"]
    people = [
        Person(
            given_name=c.given,
            family_name=c.family,
            date_of_birth=c.dob,
            sex=c.sex,
            ethnicity=c.ethnicity,
            nhs_number=c.nhs,
            upn=c.upn,
            school=agencies.get(c.school_urn),
            created_by=loader,
        )
        for c in children
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    person_of = {c.pid: p for c, p in zip(children, people, strict=True)}
    addresses = [
        Address(
            person=person_of[c.pid],
            line1=a.line1,
            town=a.town,
            postcode=a.postcode,
            moved_in=c.moved_in if i == 0 else None,
            moved_out=c.moved_in if i == 1 else None,
        )
        for c in children
        for i, a in enumerate((c.address, c.previous_address))
        if a is not None
    ]
    Address.objects.bulk_create(addresses, batch_size=BATCH)
    shift = timezone.now() - timezone.make_aware(datetime.combine(as_of, datetime.min.time()))
    school_of = {c.pid: c.school_urn for c in children}
    screenings, referrals = [], []
    for chunk in chunks:
        for s in chunk.screenings:
            urn = school_of.get(s.pid, "")
            username = f"dsl.{urn}" if s.by_role == "school" and urn else SCREENER.get(s.by_role)
            actor = users[username or "cse.sw1"]
            screening = Screening(
                person=person_of[s.pid],
                tool_id=TOOL_ID,
                tool_version=1,
                screening_date=s.screening_date,
                age_at_screening=person_of[s.pid].age_on(s.screening_date),
                answers=s.answers,
                computed_category=s.category,
                computed_rule=s.rule,
                computed_indicators=list(s.indicators),
                final_category=s.category,
                submitted_by=actor,
                submitted_by_agency=actor.agency,
            )
            screenings.append(screening)
            if s.referral_status and s.referral_received:
                received = timezone.make_aware(s.referral_received)
                if s.referral_status != "decided":
                    # Work in progress stays recent, whenever the city is loaded.
                    received = received + shift - timedelta(days=1)
                referrals.append(
                    Referral(
                        person=screening.person,
                        screening=screening,
                        source="screening",
                        status=s.referral_status,
                        received_at=received,
                        referrer=actor,
                        referrer_agency=actor.agency,
                        concerns=f"Screening result: {s.category.replace('_', ' ')}.",
                    )
                )
    Screening.objects.bulk_create(screenings, batch_size=BATCH)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    return {
        "people": len(people),
        "addresses": len(addresses),
        "screenings": len(screenings),
        "referrals": len(referrals),
    }
