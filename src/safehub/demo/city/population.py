"""Households, parents and children of one chunk: age structure, sex, ethnicity, needs."""

from __future__ import annotations

import random
from datetime import date, timedelta

from safehub.demo.city.geography import Grid
from safehub.demo.city.identifiers import nhs_number
from safehub.demo.city.model import Chunk, Household, Location, Person
from safehub.demo.city.names import NamePicker

# Relative size of each single year of age 0..17 (ONS mid-year estimates are close to flat,
# a little fuller at primary ages).
AGE_WEIGHTS = (
    0.94,
    0.96,
    0.98,
    1.0,
    1.02,
    1.03,
    1.04,
    1.05,
    1.05,
    1.05,
    1.05,
    1.05,
    1.04,
    1.03,
    1.02,
    1.0,
    0.98,
    0.96,
)
CHILDREN_PER_HOUSEHOLD = ((1, 0.40), (2, 0.37), (3, 0.16), (4, 0.05), (5, 0.02))
CHILD_SHARE_OF_POPULATION = 0.223  # Coventry: 22.3% under 18
LOOKED_AFTER_RATE = 0.009  # about 90 per 10,000
PARENT_ETHNICITY = {
    "mixed_white_asian": ("white_british", "asian_pakistani"),
    "mixed_white_black_african": ("white_british", "black_african"),
    "mixed_white_black_caribbean": ("white_british", "black_caribbean"),
    "mixed_other": ("white_british", "white_other"),
}
PERSON_NUMBER_SPAN = 4_000_000  # person numbers of chunk c start at c * span


def dob_for_age(rng: random.Random, age: int, year: int) -> date:
    """A date of birth giving `age` in whole years on 31 August of `year`."""
    start = date(year - age - 1, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def build_population(chunk: Chunk, grid: Grid, rng: random.Random, target: int, year: int) -> None:
    """Fill the chunk with households of parents and `target` children, plus care placements."""
    names = NamePicker(rng)
    sizes = [k for k, _ in CHILDREN_PER_HOUSEHOLD]
    size_w = [w for _, w in CHILDREN_PER_HOUSEHOLD]
    ages = list(range(18))
    number = chunk.index * PERSON_NUMBER_SPAN
    prefix = f"P{chunk.index:02d}"
    as_of = date(year + 1, 7, 31)
    homes = [
        Location(f"L{chunk.index:02d}H{i}", "childrens_home", f"{name} House", a)
        for i, name in enumerate(("Beacon", "Laurel", "Meadowview", "Rowan"))
        for a in [grid.random_address(name=f"{name} House")]
    ]
    chunk.locations.extend(homes)
    children = parents = 0
    h = 0
    while children < target:
        h += 1
        hid = f"H{chunk.index:02d}{h:06d}"
        k = min(rng.choices(sizes, size_w)[0], target - children)
        eth = names.ethnicity()
        adults = 1 if rng.random() < 0.25 else 2
        home = grid.random_address()
        previous = grid.random_address()
        eldest = rng.choices(ages, AGE_WEIGHTS)[0]
        moved_in = as_of - timedelta(days=rng.randrange(30, 365 * max(2, eldest + 1)))
        mother_eth, father_eth = PARENT_ETHNICITY.get(eth, (eth, eth))
        family = names.family(father_eth)
        other_family = names.family(mother_eth)
        mother_family = family if adults == 2 and rng.random() < 0.8 else other_family
        chunk.households.append(Household(hid, home, previous, moved_in, adults, k))
        mother_age = eldest + rng.randint(19, 38)
        for a in range(adults):
            sex = "female" if a == 0 else "male"
            number += 1
            parents += 1
            chunk.people.append(
                Person(
                    pid=f"{prefix}{number:08d}",
                    kind="parent",
                    given=names.given(mother_eth if a == 0 else father_eth, sex),
                    family=mother_family if a == 0 else family,
                    sex=sex,
                    dob=dob_for_age(rng, mother_age + (a * rng.randint(0, 6)), year),
                    ethnicity=mother_eth if a == 0 else father_eth,
                    household=hid,
                    address=home,
                    previous_address=previous,
                    moved_in=moved_in,
                    alt_family=other_family if a == 0 else "",
                    nhs=nhs_number(number),
                )
            )
        for c in range(k):
            age = eldest if c == 0 else rng.choices(ages, AGE_WEIGHTS)[0]
            sex = "male" if rng.random() < 0.51 else "female"
            number += 1
            children += 1
            child_family = family if adults == 2 or rng.random() < 0.6 else mother_family
            child = Person(
                pid=f"{prefix}{number:08d}",
                kind="child",
                given=names.given(eth, sex),
                family=child_family,
                sex=sex,
                dob=dob_for_age(rng, age, year),
                ethnicity=eth,
                household=hid,
                address=home,
                previous_address=previous,
                moved_in=moved_in,
                alt_family=mother_family if mother_family != child_family else other_family,
                nhs=nhs_number(number),
                fsm=rng.random() < 0.25,
                absence_rate=_baseline_absence(rng),
            )
            if 4 <= age:
                roll = rng.random()
                child.sen = "E" if roll < 0.025 else "K" if roll < 0.155 else ""
            if rng.random() < LOOKED_AFTER_RATE * (1.6 if age >= 10 else 0.6):
                _place_in_care(child, grid, rng, homes, as_of)
            chunk.people.append(child)
    total = round(target / CHILD_SHARE_OF_POPULATION)
    chunk.extra_adults = max(0, total - children - parents)
    chunk.extra_households = round(chunk.extra_adults / 1.7)


def _baseline_absence(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.75:
        return rng.uniform(0.01, 0.06)
    if roll < 0.92:
        return rng.uniform(0.06, 0.12)
    return rng.uniform(0.12, 0.3)


def _place_in_care(
    child: Person, grid: Grid, rng: random.Random, homes: list[Location], as_of: date
) -> None:
    """Move a child into a foster placement or a children's home: the home address becomes old."""
    child.looked_after = True
    child.previous_address = child.address
    child.address = rng.choice(homes).address if rng.random() < 0.3 else grid.random_address()
    child.moved_in = as_of - timedelta(days=rng.randrange(60, 900))
    child.absence_rate = min(0.3, child.absence_rate * 1.5)


def next_person_number(chunk: Chunk) -> int:
    """The next free person number of the chunk (after everyone created so far)."""
    return chunk.index * PERSON_NUMBER_SPAN + len(chunk.people) + 1


def add_person(chunk: Chunk, **fields: object) -> Person:
    """Add an adult (offender, contact, driver, staff) with the chunk's next person number."""
    number = next_person_number(chunk)
    person = Person(pid=f"P{chunk.index:02d}{number:08d}", nhs=nhs_number(number), **fields)  # type: ignore[arg-type]
    chunk.people.append(person)
    return person
