"""Licensed drivers and their vehicles; council staff and councillors with DBS and training.

Some DBS checks and training records are expired or missing, on purpose: the licensing and
workforce reports must find them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from safehub.demo.city.geography import Grid
from safehub.demo.city.identifiers import CAR_MAKES, COLOURS, vrm
from safehub.demo.city.model import Chunk, Vehicle
from safehub.demo.city.names import NamePicker
from safehub.demo.city.population import add_person, dob_for_age

DRIVER_ETHNICITY = (
    ("asian_pakistani", 0.33),
    ("asian_indian", 0.10),
    ("asian_bangladeshi", 0.07),
    ("white_british", 0.26),
    ("black_african", 0.09),
    ("other_arab", 0.04),
    ("white_other", 0.07),
    ("other_any", 0.04),
)
TRAINING_COURSE = "Safeguarding and child sexual exploitation awareness"
STAFF_JOBS = (
    ("Social worker", "Children's social care", 0.30),
    ("Senior practitioner", "Children's social care", 0.06),
    ("Team manager", "Children's social care", 0.05),
    ("Family support worker", "Early help", 0.12),
    ("Youth worker", "Youth service", 0.08),
    ("Education welfare officer", "Education", 0.05),
    ("Licensing officer", "Licensing", 0.03),
    ("Business support officer", "Business support", 0.10),
    ("Independent reviewing officer", "Children's social care", 0.04),
    ("Residential care worker", "Children's homes", 0.14),
    ("Community safety officer", "Community safety", 0.03),
)
WARDS = (
    "Bablake Binley and Willenhall Cheylesmore Earlsdon Foleshill Henley Holbrook Longford "
    "Lower Stoke Radford Sherbourne St Michael's Upper Stoke Wainbody Westwood Whoberley "
    "Woodlands Wyken"
).split()


def _expiring(rng: random.Random, as_of: date, missing: float, expired: float) -> date | None:
    """A check date: None (missing), older than three years (expired), or recent."""
    roll = rng.random()
    if roll < missing:
        return None
    if roll < missing + expired:
        return as_of - timedelta(days=rng.randrange(3 * 365 + 10, 6 * 365))
    return as_of - timedelta(days=rng.randrange(10, 3 * 365 - 10))


def build_drivers(chunk: Chunk, grid: Grid, rng: random.Random, count: int, as_of: date) -> None:
    """Licensed hackney carriage and private hire drivers, with vehicles and check records."""
    names = NamePicker(rng)
    eths = [e for e, _ in DRIVER_ETHNICITY]
    weights = [w for _, w in DRIVER_ETHNICITY]
    year = as_of.year - 1
    for n in range(count):
        eth = rng.choices(eths, weights)[0]
        sex = "male" if rng.random() < 0.95 else "female"
        person = add_person(
            chunk,
            kind="driver",
            given=names.given(eth, sex),
            family=names.family(eth),
            sex=sex,
            dob=dob_for_age(rng, rng.randint(23, 68), year),
            ethnicity=eth,
            address=grid.random_address(),
            previous_address=grid.random_address(),
            moved_in=as_of - timedelta(days=rng.randrange(100, 4000)),
        )
        badge_type = rng.choices(("hackney", "private_hire", "dual"), (0.3, 0.6, 0.1))[0]
        issued = as_of - timedelta(days=rng.randrange(0, 3 * 365))
        dbs = _expiring(rng, as_of, 0.03, 0.07)
        update_service = dbs is not None and rng.random() < 0.7
        last_check = None
        if update_service:
            stale = rng.random() < 0.15
            last_check = as_of - timedelta(
                days=rng.randrange(190, 500) if stale else rng.randrange(180)
            )
        training = _expiring(rng, as_of, 0.12, 0.08)
        badge = f"D{chunk.index:02d}{n + 1:05d}"
        record: dict[str, object] = {
            "pid": person.pid,
            "badge_number": badge,
            "badge_type": badge_type,
            "licence_issued": issued,
            "licence_expires": issued + timedelta(days=3 * 365),
            "dbs_certificate": f"{rng.randrange(10**11, 10**12)}" if dbs else "",
            "dbs_issued": dbs,
            "dbs_level": "enhanced_barred_lists" if dbs else "",
            "update_service_id": f"C{rng.randrange(10**6, 10**7)}" if update_service else "",
            "update_service_checked": last_check,
            "training_course": TRAINING_COURSE if training else "",
            "training_completed": training,
            "nr3_checked": issued if rng.random() < 0.8 else None,
            "status": "licensed",
        }
        chunk.licences.append(record)
        if rng.random() < 0.85:
            plate = ("HC" if badge_type == "hackney" else "PH") + f"{chunk.index:02d}{n + 1:04d}"
            chunk.vehicles.append(
                Vehicle(vrm(rng), rng.choice(CAR_MAKES), rng.choice(COLOURS), person.pid, plate)
            )


def build_council_workforce(
    chunk: Chunk, grid: Grid, rng: random.Random, staff: int, councillors: int, as_of: date
) -> None:
    """Council staff and councillors, each with DBS and CSE training dates (some lapsed)."""
    names = NamePicker(rng)
    year = as_of.year - 1
    jobs = [(title, team) for title, team, _ in STAFF_JOBS]
    job_w = [w for _, _, w in STAFF_JOBS]
    for n in range(staff + councillors):
        is_member = n >= staff
        eth = names.ethnicity()
        sex = "female" if rng.random() < (0.5 if is_member else 0.75) else "male"
        person = add_person(
            chunk,
            kind="councillor" if is_member else "staff",
            given=names.given(eth, sex),
            family=names.family(eth),
            sex=sex,
            dob=dob_for_age(
                rng, rng.randint(35 if is_member else 22, 75 if is_member else 64), year
            ),
            ethnicity=eth,
            address=grid.random_address(),
        )
        if is_member:
            ward = WARDS[(n - staff) % len(WARDS)]
            title, team = "Councillor", f"{ward} ward"
            dbs = _expiring(rng, as_of, 0.25, 0.10)
            training = _expiring(rng, as_of, 0.35, 0.10)
        else:
            title, team = rng.choices(jobs, job_w)[0]
            dbs = _expiring(rng, as_of, 0.02, 0.06)
            training = _expiring(rng, as_of, 0.10, 0.12)
        chunk.workforce.append(
            {
                "pid": person.pid,
                "staff_number": f"{'M' if is_member else 'S'}{n + 1:05d}",
                "kind": person.kind,
                "job_title": title,
                "team": team,
                "dbs_level": ("basic" if is_member else "enhanced") if dbs else "",
                "dbs_issued": dbs,
                "cse_training_completed": training,
            }
        )
