"""The event tables of the extracts: screenings, referrals, cases, missing, intelligence,
health encounters, places, vehicles, schools and attendance. Each refers to a person only by
that agency's own record id."""

from __future__ import annotations

import random

from safehub.demo.city.cases import TOOL_ID
from safehub.demo.city.extracts import AgencyExtract, answers_json
from safehub.demo.city.files import PartWriter
from safehub.demo.city.geography import BNG_ORIGIN
from safehub.demo.city.model import Chunk
from safehub.demo.city.schools import chunk_attendance_rows


def write_social_care_events(chunk: Chunk, sc: AgencyExtract, out: PartWriter) -> None:
    """Screenings, referrals, cases, care missing episodes (SSDA903 style) and RHIs."""
    c = chunk.index
    screenings, referrals, cases = [], [], []
    for n, s in enumerate(chunk.screenings, start=1):
        sc_id = sc.ref(s.pid)
        screenings.append(
            (
                s.sid,
                sc_id,
                sc.date(s.screening_date),
                TOOL_ID,
                1,
                answers_json(s.answers),
                s.category,
                s.rule,
                ";".join(s.indicators),
                s.by_role,
            )
        )
        if s.referral_status and s.referral_received:
            rid = f"R{c:02d}{n:05d}"
            received = s.referral_received.strftime("%d/%m/%Y %H:%M")
            referrals.append((rid, sc_id, s.sid, received, s.referral_status))
            if s.case_type:
                opened = sc.date(s.referral_received.date())
                cases.append((f"C{c:02d}{n:05d}", sc_id, rid, s.case_type, opened, s.case_status))
    out.rows("extracts/social_care/screenings.csv", screenings)
    out.rows("extracts/social_care/referrals.csv", referrals)
    out.rows("extracts/social_care/cases.csv", cases)
    episodes, interviews = [], []
    for e in chunk.episodes:
        ref = police_ref(e.eid)
        if e.setting == "care":
            kind = "A" if e.where_found in ("relative's address", "friend's address") else "M"
            episodes.append(
                (
                    e.eid,
                    sc.ref(e.pid),
                    sc.date(e.reported_at.date()),
                    sc.date(e.found_at.date()),
                    kind,
                    ref,
                )
            )
        if e.rhi_offered:
            interviews.append(
                (
                    f"RHI{e.eid[1:]}",
                    sc.ref(e.pid),
                    ref,
                    sc.date(e.rhi_offered),
                    "Y" if e.rhi_accepted else "N",
                    sc.date(e.rhi_completed),
                )
            )
    out.rows("extracts/social_care/missing_episodes.csv", episodes)
    out.rows("extracts/social_care/return_interviews.csv", interviews)


def police_ref(eid: str) -> str:
    """The police reference of a missing episode (its own numbering scheme)."""
    return f"MISS/{eid[1:3]}/{eid[3:]}"


def write_police_events(chunk: Chunk, police: AgencyExtract, out: PartWriter) -> None:
    """Missing reports, intelligence, locations and vehicles."""
    reports = []
    for e in chunk.episodes:
        is_place = e.where_found.startswith("L")
        reports.append(
            (
                police_ref(e.eid),
                police.ref(e.pid),
                e.setting,
                e.reported_at.strftime("%d/%m/%Y %H:%M"),
                e.found_at.strftime("%d/%m/%Y %H:%M"),
                f"{(e.found_at - e.reported_at).total_seconds() / 3600:.1f}",
                e.where_found if is_place else "",
                "" if is_place else e.where_found,
                e.risk,
            )
        )
    out.rows("extracts/police/missing_reports.csv", reports)
    out.rows(
        "extracts/police/intelligence.csv",
        [
            (
                i.iid,
                police.date(i.on),
                police.ref(i.subject_pid),
                police.ref(i.other_pid) if i.other_pid else "",
                i.location_id,
                i.vrm,
                i.kind,
            )
            for i in chunk.intelligence
        ],
    )
    out.rows(
        "extracts/police/locations.csv",
        [
            (
                loc.lid,
                loc.kind,
                loc.name,
                loc.address.line1,
                loc.address.postcode,
                BNG_ORIGIN[0] + loc.address.x,
                BNG_ORIGIN[1] + loc.address.y,
            )
            for loc in chunk.locations
        ],
    )
    out.rows(
        "extracts/police/vehicles.csv",
        [
            (
                v.vrm,
                v.make,
                v.colour,
                police.ref(v.keeper_pid) if v.keeper_pid in police.ids else "",
            )
            for v in chunk.vehicles
        ],
    )


def write_other_events(
    chunk: Chunk, extracts: dict[str, AgencyExtract], rng: random.Random, out: PartWriter, year: int
) -> None:
    """Health encounters, licensed vehicles, schools and the year's attendance."""
    health, licensing = extracts["health"], extracts["licensing"]
    out.rows(
        "extracts/health/encounters.csv",
        [(health.ref(e.pid), health.date(e.on), e.setting, e.reason) for e in chunk.encounters],
    )
    out.rows(
        "extracts/licensing/vehicles.csv",
        [
            (v.plate, v.vrm, v.make, v.colour, licensing.ids[v.keeper_pid][0])
            for v in chunk.vehicles
            if v.plate
        ],
    )
    out.rows(
        "extracts/education/schools.csv",
        [(s.urn, s.name, s.phase, s.address.line1, s.address.postcode) for s in chunk.schools],
    )
    writer = out.writer("extracts/education/attendance.csv")
    count = 0
    batch: list[tuple[str, str, str, str]] = []
    for row in chunk_attendance_rows(chunk, year, rng):
        batch.append(row)
        if len(batch) >= 5000:
            writer.writerows(batch)
            count += len(batch)
            batch = []
    writer.writerows(batch)
    out.counts["extracts/education/attendance.csv"] += count + len(batch)
