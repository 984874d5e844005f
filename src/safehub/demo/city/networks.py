"""Planted exploitation networks, the children they target, and a matched control group.

A network has offenders (one may be a licensed taxi driver), the locations it uses (a hotel, a
takeaway, a park, an address), its vehicles, and innocent contacts of the offenders, so the
networks cannot be separated just by who knows whom. Exploited children show the signs in a
fixed order: exploitation begins, then attendance changes (the pattern planted for the child in
`patterns.py`), then, some weeks later, the first missing report, then repeat episodes.
Controls are matched by sex, age and area and show some of the same signs for innocent
reasons.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from safehub.demo.city.geography import Grid
from safehub.demo.city.identifiers import CAR_MAKES, COLOURS, vrm
from safehub.demo.city.missing import add_episode, evening
from safehub.demo.city.model import (
    AttendanceChange,
    Chunk,
    HealthEncounter,
    Intelligence,
    Location,
    Network,
    Person,
    Vehicle,
)
from safehub.demo.city.names import NamePicker
from safehub.demo.city.population import add_person, dob_for_age

LOCATION_KINDS = (
    ("hotel", 6, ("Station", "Central", "Parkway", "Lodge", "Royal", "Heritage")),
    ("takeaway", 14, ("Kebab House", "Pizza", "Fried Chicken", "Grill", "Noodle Bar", "Chippy")),
    ("park", 6, ("Park", "Recreation Ground", "Fields", "Common")),
    ("shopping_centre", 2, ("Shopping Centre", "Retail Park")),
    ("car_park", 3, ("Multi-storey", "Car Park")),
)
CONTROL_REASONS = ("illness", "family_conflict", "seen_at_planted_location", "screened")


def build_locations(chunk: Chunk, grid: Grid, rng: random.Random) -> None:
    """Background places: hotels, takeaways, parks, shopping centres and car parks."""
    for kind, count, suffixes in LOCATION_KINDS:
        for i in range(count):
            word = grid.street_of(grid.random_address().postcode).split()[0]
            name = f"{word} {rng.choice(suffixes)}"
            address = grid.random_address(name=name)
            chunk.locations.append(
                Location(f"L{chunk.index:02d}{kind[0].upper()}{i:02d}", kind, name, address)
            )


def _intel(
    chunk: Chunk, on: date, subject: str, other: str, lid: str, vrm_: str, kind: str
) -> None:
    iid = f"I{chunk.index:02d}{len(chunk.intelligence) + 1:06d}"
    chunk.intelligence.append(Intelligence(iid, on, subject, other, lid, vrm_, kind))


def _age_on(person: Person, on: date) -> int:
    dob = person.dob
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _near(children: list[Person], x: int, y: int, count: int) -> list[Person]:
    return sorted(children, key=lambda c: (c.address.x - x) ** 2 + (c.address.y - y) ** 2)[:count]  # type: ignore[union-attr]


def plant_networks(chunk: Chunk, grid: Grid, rng: random.Random, count: int, year: int) -> None:
    """Plant `count` networks with offenders, victims, locations, vehicles and contacts."""
    names = NamePicker(rng)
    as_of = date(year + 1, 7, 31)
    takeaways = [loc for loc in chunk.locations if loc.kind == "takeaway"]
    hotels = [loc for loc in chunk.locations if loc.kind == "hotel"]
    parks = [loc for loc in chunk.locations if loc.kind == "park"]
    taxis = [v for v in chunk.vehicles if v.plate]
    for n in range(count):
        nid = f"N{chunk.index:02d}{n + 1}"
        hub = takeaways[(n * 5) % len(takeaways)]
        hotel = min(
            hotels,
            key=lambda h: abs(h.address.x - hub.address.x) + abs(h.address.y - hub.address.y),
        )
        park = parks[(n * 3 + 1) % len(parks)]
        offenders: list[Person] = []
        for i in range(rng.randint(3, 5)):
            eth = names.ethnicity()
            sex = "female" if i == 2 and rng.random() < 0.3 else "male"
            offenders.append(
                add_person(
                    chunk,
                    kind="offender",
                    given=names.given(eth, sex),
                    family=names.family(eth),
                    sex=sex,
                    dob=dob_for_age(
                        rng, rng.randint(18, 24) if i == 0 else rng.randint(25, 48), year
                    ),
                    ethnicity=eth,
                    address=grid.address_near(hub.address.x, hub.address.y, 1500),
                    previous_address=grid.random_address(),
                    moved_in=as_of - timedelta(days=rng.randrange(200, 3000)),
                    role="offender",
                )
            )
        home = offenders[1].address
        assert home is not None
        flat = Location(f"L{chunk.index:02d}A{n:02d}", "address", home.line1, home, nid)
        chunk.locations.append(flat)
        locations = [hub, hotel, park, flat]
        for loc in (hub, hotel, park):
            loc.planted_by = loc.planted_by or nid
        vehicles: list[Vehicle] = []
        car = Vehicle(
            vrm(rng), rng.choice(CAR_MAKES), rng.choice(COLOURS), offenders[0].pid, "", nid
        )
        chunk.vehicles.append(car)
        vehicles.append(car)
        if taxis and rng.random() < 0.8:
            taxi = taxis[(n * 7 + 3) % len(taxis)]
            taxi.planted_by = nid
            driver = next(p for p in chunk.people if p.pid == taxi.keeper_pid)
            driver.role = "offender"
            offenders.append(driver)
            vehicles.append(taxi)
        contacts = _contacts(chunk, grid, rng, names, offenders, year)
        network = Network(
            nid,
            [o.pid for o in offenders],
            [],
            [loc.lid for loc in locations],
            [v.vrm for v in vehicles],
            contacts,
        )
        _plant_victims(chunk, rng, network, offenders, locations, vehicles, hub, year)
        _plant_background_sightings(chunk, rng, locations, vehicles, hub, year)
        chunk.networks.append(network)


def _contacts(
    chunk: Chunk,
    grid: Grid,
    rng: random.Random,
    names: NamePicker,
    offenders: list[Person],
    year: int,
) -> list[str]:
    """Innocent adults who know the offenders (family, workmates) and know each other."""
    as_of = date(year + 1, 7, 31)
    contacts: list[str] = []
    for offender in offenders:
        for _ in range(rng.randint(3, 5)):
            eth = offender.ethnicity if rng.random() < 0.7 else names.ethnicity()
            sex = rng.choice(("female", "male"))
            contact = add_person(
                chunk,
                kind="contact",
                given=names.given(eth, sex),
                family=offender.family if rng.random() < 0.3 else names.family(eth),
                sex=sex,
                dob=dob_for_age(rng, rng.randint(18, 70), year),
                ethnicity=eth,
                address=grid.random_address(),
            )
            contacts.append(contact.pid)
            _intel(
                chunk,
                as_of - timedelta(days=rng.randrange(700)),
                offender.pid,
                contact.pid,
                "",
                "",
                "associate",
            )
    for _ in range(len(contacts)):
        a, b = rng.sample(contacts, 2)
        _intel(chunk, as_of - timedelta(days=rng.randrange(700)), a, b, "", "", "associate")
    return contacts


def _plant_victims(
    chunk: Chunk,
    rng: random.Random,
    network: Network,
    offenders: list[Person],
    locations: list[Location],
    vehicles: list[Vehicle],
    hub: Location,
    year: int,
) -> None:
    as_of = date(year + 1, 7, 31)
    taken = {p for p, s in chunk.stories.items()}
    pool = [
        c
        for c in chunk.people
        if c.kind == "child"
        and c.pid not in taken
        and c.upn
        and 12 <= _age_on(c, date(year, 9, 1)) <= 16
    ]
    candidates = _near(pool, hub.address.x, hub.address.y, 120)
    weights = [
        (4.0 if c.looked_after else 1.0) * (4.0 if c.sex == "female" else 1.0) for c in candidates
    ]
    victims: list[Person] = []
    wanted = rng.randint(4, 7)
    while len(victims) < wanted and candidates:
        child = rng.choices(candidates, weights)[0]
        i = candidates.index(child)
        del candidates[i], weights[i]
        victims.append(child)
    for child in victims:
        began = date(year, 9, 22) + timedelta(days=rng.randrange(190))
        first_missing = evening(rng, began + timedelta(days=rng.randint(21, 56)))
        child.role = "exploited"
        network.victims.append(child.pid)
        network.began[child.pid] = began
        chunk.attendance_changes.setdefault(child.pid, []).append(
            AttendanceChange(
                began, as_of, rng.uniform(0.12, 0.25), "OOOONG", rng.uniform(0.15, 0.3), "O", 0.4
            )
        )
        when = first_missing
        while when.date() < as_of - timedelta(days=3):
            where = rng.choice(
                [loc.lid for loc in locations[1:]] + ["with an unknown adult", "city centre"]
            )
            add_episode(
                chunk,
                rng,
                child,
                when,
                rng.choice((6, 10, 14, 20, 30, 44)) + rng.random(),
                where,
                rng.choice(("medium", "high")),
            )
            when = evening(rng, when.date() + timedelta(days=rng.randint(7, 30)))
        for k in range(rng.randint(2, 5)):
            # The first sighting always comes before the first missing report.
            day = began + timedelta(
                days=rng.randrange(1, 20 if k == 0 else max(21, (as_of - began).days))
            )
            offender = rng.choice(offenders)
            kind = rng.choice(("seen_with", "seen_entering_vehicle", "seen_at_location"))
            vehicle = rng.choice(vehicles) if kind == "seen_entering_vehicle" else None
            lid = rng.choice(locations).lid if kind == "seen_at_location" else ""
            other = vehicle.keeper_pid if vehicle else offender.pid
            _intel(chunk, day, child.pid, other, lid, vehicle.vrm if vehicle else "", kind)
        if rng.random() < 0.5:
            day = began + timedelta(days=rng.randrange(30, 200))
            if day < as_of:
                chunk.encounters.append(
                    HealthEncounter(child.pid, day, "sexual_health", "sti_test")
                )
        chunk.stories[child.pid] = {
            "role": "exploited",
            "network": network.nid,
            "began": began,
            "first_missing": first_missing,
            "offenders": [o.pid for o in offenders],
        }


def _plant_background_sightings(
    chunk: Chunk,
    rng: random.Random,
    locations: list[Location],
    vehicles: list[Vehicle],
    hub: Location,
    year: int,
) -> None:
    """Innocent children and taxis seen at the same places, so a location alone proves nothing."""
    start = date(year, 9, 1)
    pool = [c for c in chunk.people if c.kind == "child" and c.role == "background" and c.upn]
    for child in _near(pool, hub.address.x, hub.address.y, 40)[::3]:
        loc = rng.choice(locations[:3])
        _intel(
            chunk,
            start + timedelta(days=rng.randrange(320)),
            child.pid,
            "",
            loc.lid,
            "",
            "seen_at_location",
        )
    taxis = [v for v in chunk.vehicles if v.plate and not v.planted_by]
    for taxi in rng.sample(taxis, min(len(taxis), 6)):
        _intel(
            chunk,
            start + timedelta(days=rng.randrange(320)),
            taxi.keeper_pid,
            "",
            locations[1].lid,
            taxi.vrm,
            "seen_at_location",
        )


def match_controls(chunk: Chunk, rng: random.Random, year: int) -> None:
    """One control per exploited child: same sex, age within a year, living nearby.

    Each control gets two or three innocent signs (illness, family conflict, being seen at a
    planted place, a screening) around the time their matched child's exploitation began.
    """
    as_of = date(year + 1, 7, 31)
    start = date(year, 9, 1)
    planted = [loc for loc in chunk.locations if loc.planted_by and loc.kind != "address"]
    for pid, story in list(chunk.stories.items()):
        if story["role"] != "exploited":
            continue
        victim = next(p for p in chunk.people if p.pid == pid)
        age = _age_on(victim, start)
        pool = [
            c
            for c in chunk.people
            if c.kind == "child"
            and c.role == "background"
            and c.sex == victim.sex
            and c.upn
            and abs(_age_on(c, start) - age) <= 1
        ]
        if not pool:
            continue
        assert victim.address is not None
        control = _near(pool, victim.address.x, victim.address.y, 5)[
            rng.randrange(min(5, len(pool)))
        ]
        control.role = "control"
        began = story["began"]
        assert isinstance(began, date)
        reasons = rng.sample(CONTROL_REASONS, rng.randint(2, 3))
        if "illness" in reasons:
            chunk.attendance_changes.setdefault(control.pid, []).append(
                AttendanceChange(
                    began,
                    began + timedelta(days=rng.randint(40, 120)),
                    rng.uniform(0.1, 0.2),
                    "IIIM",
                    rng.uniform(0.05, 0.15),
                    "M",
                )
            )
        if "family_conflict" in reasons:
            day = began + timedelta(days=rng.randint(-20, 60))
            for _ in range(rng.randint(1, 3)):
                if day >= as_of:
                    break
                add_episode(
                    chunk,
                    rng,
                    control,
                    evening(rng, day),
                    rng.choice((3, 6, 10, 18)),
                    "relative's address",
                    "low",
                )
                day += timedelta(days=rng.randint(10, 60))
        if "seen_at_planted_location" in reasons and planted:
            loc = rng.choice(planted)
            _intel(
                chunk,
                began + timedelta(days=rng.randint(0, 90)),
                control.pid,
                "",
                loc.lid,
                "",
                "seen_at_location",
            )
        chunk.stories[control.pid] = {
            "role": "control",
            "matched_to": pid,
            "reasons": reasons,
            "began": began,
        }
