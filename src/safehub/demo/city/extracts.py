"""One CSV extract per agency, each with its own identifiers, formats and recording errors.

Who each agency knows: education every pupil on a school roll; health every child registered
with a GP; social care the children it has worked with; police the children reported missing
or named in intelligence plus the adults of interest; licensing its drivers; the council's HR
system its staff and councillors. Records are shuffled before numbering so that neither row
order nor record numbers line up across agencies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date

from safehub.demo.city.errors import NO_ERRORS, record_person
from safehub.demo.city.files import PartWriter
from safehub.demo.city.model import Chunk, Person

DATE_FORMATS = {
    "social_care": "%d/%m/%Y",
    "police": "%d/%m/%Y",
    "education": "%Y-%m-%d",
    "health": "%Y-%m-%d",
    "licensing": "%Y-%m-%d",
    "workforce": "%Y-%m-%d",
}
ID_PREFIX = {
    "social_care": "SC",
    "police": "PN",
    "education": "ED",
    "health": "HP",
    "licensing": "",
    "workforce": "",
}
IC_CODES = {"white": "IC1", "black": "IC3", "asian": "IC4", "mixed": "IC1", "other": "IC6"}
SEX_CODE = {"female": "F", "male": "M", "not_known": "U"}

Extra = Callable[[Person, random.Random], list[object]]


def _iso(d: object) -> str:
    """A date as ISO text; anything else (text, or None for 'not recorded') as it is."""
    if isinstance(d, date):
        return d.isoformat()
    return "" if d is None else str(d)


class AgencyExtract:
    """The people records of one agency in one chunk: ids, errors and the truth mapping."""

    def __init__(self, agency: str, chunk: Chunk, rng: random.Random, rates: dict[str, float]):
        self.agency = agency
        self.chunk = chunk
        self.rng = rng
        self.rates = rates
        self.fmt = DATE_FORMATS[agency]
        self.ids: dict[str, list[str]] = {}  # person id -> record ids (original first)

    def build(
        self,
        people: list[Person],
        extra: Extra,
        *,
        lead: Callable[[Person, bool, random.Random], list[object]] | None = None,
        record_id: Callable[[Person, bool], str] | None = None,
    ) -> tuple[list[list[object]], list[tuple[str, str, str, str, str]]]:
        """Rows for `people` (with duplicates), and the truth rows mapping them back.

        `lead` gives identifier columns placed after the record id; `record_id` replaces the
        agency's numbering (a badge or staff number).
        """
        rng, rates, fmt = self.rng, self.rates, self.fmt
        drafts: list[tuple[Person, list[object], list[str], bool]] = []
        for person in people:
            copies = 2 if rng.random() < rates["duplicate"] else 1
            for copy in range(copies):
                seen = record_person(person, rng, rates)
                address = seen.address
                row: list[object] = lead(person, copy == 1, rng) if lead else []
                row += [
                    seen.given,
                    seen.family,
                    seen.dob.strftime(fmt) if seen.dob else "",
                    SEX_CODE[person.sex],
                    address.line1 if address else "",
                    address.town if address else "",
                    address.postcode if address else "",
                ]
                row += extra(person, rng)
                errors = seen.errors + (["duplicate"] if copy else [])
                drafts.append((person, row, errors, copy == 1))
        order = list(range(len(drafts)))
        rng.shuffle(order)
        prefix = f"{ID_PREFIX[self.agency]}{self.chunk.index:02d}"
        record_ids = [""] * len(drafts)
        for position, i in enumerate(order):
            person, _, _, is_copy = drafts[i]
            record_ids[i] = (
                record_id(person, is_copy) if record_id else f"{prefix}{position + 1:07d}"
            )
        truth: list[tuple[str, str, str, str, str]] = []
        for i, (person, _, errors, is_copy) in enumerate(drafts):
            self.ids.setdefault(person.pid, []).append(record_ids[i])
            original = self.ids[person.pid][0] if is_copy else ""
            truth.append((self.agency, record_ids[i], person.pid, ";".join(errors), original))
        rows = [[record_ids[i], *drafts[i][1]] for i in order]
        return rows, [truth[i] for i in order]

    def ref(self, pid: str) -> str:
        """A record id for the person, now and then a duplicate (as happens in real systems)."""
        ids = self.ids[pid]
        return ids[-1] if len(ids) > 1 and self.rng.random() < 0.3 else ids[0]

    def date(self, d: date | None) -> str:
        return d.strftime(self.fmt) if d else ""


def write_extracts(
    chunk: Chunk, rng: random.Random, rates: dict[str, float], out: PartWriter
) -> dict[str, AgencyExtract]:
    """Write every agency's people and events for the chunk, and the truth mapping."""
    children = [p for p in chunk.people if p.kind == "child"]
    extracts: dict[str, AgencyExtract] = {}
    screened = {s.pid for s in chunk.screenings}
    missing = {e.pid for e in chunk.episodes}
    in_intel = {i.subject_pid for i in chunk.intelligence} | {
        i.other_pid for i in chunk.intelligence
    }
    in_intel |= {v.keeper_pid for v in chunk.vehicles if v.planted_by}
    drivers = {r["pid"]: r for r in chunk.licences}

    social = AgencyExtract("social_care", chunk, rng, rates)
    known = [
        c
        for c in children
        if c.looked_after
        or c.role != "background"
        or c.pid in screened
        or c.pid in missing
        or rng.random() < 0.04
    ]

    def social_extra(p: Person, r: random.Random) -> list[object]:
        status = (
            "looked_after"
            if p.looked_after
            else r.choice(("child_in_need", "early_help", "contact_only"))
        )
        return [
            p.ethnicity,
            p.nhs if r.random() < 0.7 else "",
            p.upn if r.random() < 0.4 else "",
            status,
        ]

    rows, truth = social.build(known, social_extra)
    out.rows("extracts/social_care/children.csv", rows)
    out.rows("truth/records.csv", truth)
    extracts["social_care"] = social

    police = AgencyExtract("police", chunk, rng, rates)
    nominals = [
        p
        for p in chunk.people
        if p.pid in missing
        or p.pid in in_intel
        or (p.kind == "child" and rng.random() < 0.015)
        or (p.kind == "parent" and rng.random() < 0.005)
    ]

    def police_extra(p: Person, r: random.Random) -> list[object]:
        group = p.ethnicity.split("_")[0]
        return ["IC0" if r.random() < 0.1 else IC_CODES.get(group, "IC0")]

    rows, truth = police.build(nominals, police_extra)
    out.rows("extracts/police/persons.csv", rows)
    out.rows("truth/records.csv", truth)
    extracts["police"] = police

    education = AgencyExtract("education", chunk, rng, rates)
    pupils = [c for c in children if c.upn]

    def education_extra(p: Person, r: random.Random) -> list[object]:
        return [
            p.ethnicity,
            p.school_urn,
            "R" if p.year_group == 0 else p.year_group,
            p.sen,
            "Y" if p.fsm else "N",
            "Y" if p.looked_after else "N",
        ]

    rows, truth = education.build(pupils, education_extra, lead=lambda p, copy, r: [p.upn])
    out.rows("extracts/education/pupils.csv", rows)
    out.rows("truth/records.csv", truth)
    extracts["education"] = education

    health = AgencyExtract("health", chunk, rng, rates)

    def health_extra(p: Person, r: random.Random) -> list[object]:
        return ["not_stated" if r.random() < 0.15 else p.ethnicity]

    rows, truth = health.build(
        children,
        health_extra,
        lead=lambda p, copy, r: ["" if copy and r.random() < 0.5 else p.nhs],
    )
    out.rows("extracts/health/patients.csv", rows)
    out.rows("truth/records.csv", truth)
    extracts["health"] = health

    licensing = AgencyExtract("licensing", chunk, rng, rates)
    driver_people = [p for p in chunk.people if p.pid in drivers]

    def licensing_extra(p: Person, r: random.Random) -> list[object]:
        d = drivers[p.pid]
        return [d["badge_type"], *(_iso(d[k]) for k in LICENCE_FIELDS)]

    rows, truth = licensing.build(
        driver_people,
        licensing_extra,
        record_id=lambda p, copy: str(drivers[p.pid]["badge_number"]) + ("R" if copy else ""),
    )
    out.rows("extracts/licensing/drivers.csv", rows)
    out.rows("truth/records.csv", truth)
    extracts["licensing"] = licensing

    workforce = AgencyExtract("workforce", chunk, rng, NO_ERRORS)
    staff = {r["pid"]: r for r in chunk.workforce}

    def workforce_extra(p: Person, r: random.Random) -> list[object]:
        w = staff[p.pid]
        return [
            w["kind"],
            w["job_title"],
            w["team"],
            w["dbs_level"],
            _iso(w["dbs_issued"]),
            _iso(w["cse_training_completed"]),
        ]  # type: ignore[arg-type]

    staff_people = [p for p in chunk.people if p.pid in staff]
    rows, truth = workforce.build(
        staff_people, workforce_extra, record_id=lambda p, copy: str(staff[p.pid]["staff_number"])
    )
    out.rows("extracts/workforce/staff.csv", [r[:4] + r[8:] for r in rows])
    out.rows("truth/records.csv", truth)
    extracts["workforce"] = workforce
    return extracts


LICENCE_FIELDS = (
    "licence_issued",
    "licence_expires",
    "dbs_certificate",
    "dbs_issued",
    "dbs_level",
    "update_service_id",
    "update_service_checked",
    "training_course",
    "training_completed",
    "nr3_checked",
    "status",
)


def answers_json(answers: dict[str, str]) -> str:
    """Screening answers as compact, key-ordered JSON (stable across runs)."""
    return json.dumps(answers, sort_keys=True, separators=(",", ":"))
