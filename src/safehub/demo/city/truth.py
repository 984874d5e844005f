"""The truth: who every record really is, who is exploited and by whom, what was planted.

Written beside the extracts but never inside them: `truth/people.csv`, `truth/records.csv`,
`truth/households.csv`, `truth/children.csv`, `truth/pupils.csv`, `truth/school_closures.csv`
and `truth/truth.json` (see docs/data/truth.md).
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from safehub.demo.city.files import PartWriter
from safehub.demo.city.geography import BNG_ORIGIN
from safehub.demo.city.model import Chunk
from safehub.demo.city.registers import category_of


def _d(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def write_truth_rows(chunk: Chunk, rng: random.Random, out: PartWriter) -> None:
    """People, households (with and without children) and the children of interest."""
    rows = []
    for p in chunk.people:
        a, b = p.address, p.previous_address
        rows.append(
            (
                p.pid,
                p.kind,
                p.given,
                p.family,
                p.alt_family,
                p.sex,
                p.dob.isoformat(),
                p.ethnicity,
                p.household,
                a.line1 if a else "",
                a.postcode if a else "",
                b.line1 if b else "",
                b.postcode if b else "",
                _d(p.moved_in),
                p.nhs,
                p.upn,
                p.school_urn,
                "" if p.year_group is None else p.year_group,
                "Y" if p.looked_after else "N",
                p.sen,
                "Y" if p.fsm else "N",
                p.role,
            )
        )
    out.rows("truth/people.csv", rows)
    households: list[tuple[Any, ...]] = [
        (h.hid, h.address.postcode, h.previous_address.postcode, h.adults, h.children)
        for h in chunk.households
    ]
    postcodes = [h.address.postcode for h in chunk.households] or [""]
    for n in range(chunk.extra_households):
        size = rng.choice((1, 1, 2, 2, 2, 3))
        households.append((f"H{chunk.index:02d}X{n + 1:06d}", rng.choice(postcodes), "", size, 0))
    out.rows("truth/households.csv", households)
    children = []
    for pid, story in chunk.stories.items():
        children.append(
            (
                pid,
                story["role"],
                story.get("network", ""),
                ";".join(story.get("offenders", [])),  # type: ignore[arg-type]
                _d(story.get("began")),
                _d(story.get("first_missing")),
                story.get("matched_to", ""),
                ";".join(story.get("reasons", [])),  # type: ignore[arg-type]
            )
        )
    out.rows("truth/children.csv", children)
    write_register_truth(chunk, out)


def write_register_truth(chunk: Chunk, out: PartWriter) -> None:
    """Each pupil's register category and labels (with the dates of what was planned), and
    each school's non-teaching days."""
    rows = []
    for p in chunk.people:
        plan = chunk.registers.get(p.pid)
        if plan is None:
            continue
        _, joined, last = plan.spans[-1]
        previous = plan.spans[0] if len(plan.spans) > 1 else None
        rows.append(
            (
                p.pid,
                p.upn,
                p.school_urn,
                "" if p.year_group is None else p.year_group,
                category_of(plan.labels),
                ";".join(plan.labels),
                plan.pattern,
                _d(plan.pattern_began),
                joined.isoformat(),
                last.isoformat(),
                previous[0] if previous else "",
                previous[2].isoformat() if previous else "",
                _d(plan.study_leave_from),
            )
        )
    out.rows("truth/pupils.csv", rows)
    out.rows(
        "truth/school_closures.csv",
        [
            (urn, day.isoformat(), reason)
            for urn, days in chunk.closures.items()
            for day, reason in days.items()
        ],
    )


def chunk_summary(chunk: Chunk) -> dict[str, Any]:
    """The planted networks, locations and vehicles of a chunk, for `truth/truth.json`."""
    people = {p.pid: p for p in chunk.people if p.role == "offender"}
    return {
        "networks": [
            {
                "network_id": n.nid,
                "offenders": [
                    {"person_id": pid, "licensed_driver": people[pid].kind == "driver"}
                    for pid in n.offenders
                ],
                "victims": [
                    {"person_id": pid, "exploitation_began": n.began[pid].isoformat()}
                    for pid in n.victims
                ],
                "locations": n.locations,
                "vehicles": n.vehicles,
                "innocent_contacts": n.contacts,
            }
            for n in chunk.networks
        ],
        "planted_locations": [
            {
                "location_id": loc.lid,
                "type": loc.kind,
                "name": loc.name,
                "postcode": loc.address.postcode,
                "easting": BNG_ORIGIN[0] + loc.address.x,
                "northing": BNG_ORIGIN[1] + loc.address.y,
                "network_id": loc.planted_by,
            }
            for loc in chunk.locations
            if loc.planted_by
        ],
        "planted_vehicles": [
            {
                "vrm": v.vrm,
                "licensed_taxi_plate": v.plate,
                "keeper_person_id": v.keeper_pid,
                "network_id": v.planted_by,
            }
            for v in chunk.vehicles
            if v.planted_by
        ],
        "people": len(chunk.people) + chunk.extra_adults,
        "households": len(chunk.households) + chunk.extra_households,
    }
