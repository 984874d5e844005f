"""Import sources for the police intelligence extract: locations, vehicles and intelligence
(associations). See docs/data/imports.md, "Police intelligence".

Registered with the import framework (`safehub.imports.registry`) in
`IntelligenceConfig.ready()`; run with `safehub import police_locations locations.csv` or from
the imports pages. Persons come first (`police_persons`): vehicles and intelligence name
people by their police id, looked up through the SourceRecords that source keeps.

What the extract cannot say is stated here, not guessed silently:
- An intelligence row may name three or four ends (a child seen with a man at a hotel). An
  association links exactly two, so the row becomes one association for its category
  (reference = intel_ref) and one more for each further end (intel_ref/2, intel_ref/3), each
  linked to the subject (a vehicle beside a location is linked to the location).
- The city's extract carries no grading: its rows are graded 2/C/P (untested source, known
  indirectly, lawful sharing) with the source "Police intelligence extract". A graded file
  (`police_intelligence_graded`) carries the four grading columns.
- An adult (18 or over on the day recorded) who is the subject of intelligence becomes a person
  of interest, if they are not one already; a child never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from safehub.imports.models import SourceRecord
from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter
from safehub.intelligence.choices import (
    AssociationKind,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    SourceEvaluation,
)
from safehub.intelligence.models import Association, Location, PersonOfInterest, Vehicle
from safehub.licensing.models import Vehicle as LicensedVehicle
from safehub.people.models import Person
from safehub.policy.roles import AgencyType
from safehub.screening.rules import age_on

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

UK_DATE = "%d/%m/%Y"
POLICE_ID = r"PN\d{9}"
VRM = r"[A-Za-z0-9 ]{2,10}"
POLICE_ID_RULE: dict[str, Any] = {
    "pattern": POLICE_ID,
    "pattern_words": "is not a police id (PN and 9 digits)",
}
VRM_RULE: dict[str, Any] = {"pattern": VRM, "pattern_words": "is not a registration mark"}
EXTRACT_SOURCE = "Police intelligence extract"
ADULT_AGE = 18
# The police system's location types, as Safehub's kinds ("address" is a house or flat).
LOCATION_TYPES: dict[str, str] = {
    **{kind.value: kind.value for kind in LocationKind},
    "address": LocationKind.HOUSE,
    "restaurant": LocationKind.TAKEAWAY,
    "taxi_office": LocationKind.TAXI_FIRM,
}
# British National Grid extent, metres.
EASTING_RANGE = range(0, 700_001)
NORTHING_RANGE = range(0, 1_300_001)


def normalise_vrm(raw: str) -> str:
    """A registration mark as stored: capitals, no spaces ("xj68 vsx" -> "XJ68VSX")."""
    return "".join(raw.split()).upper()


def police_persons(police_ids: set[str]) -> dict[str, int]:
    """Person ids of the police ids the `police_persons` source linked, by police id."""
    records = SourceRecord.objects.filter(
        source="police_persons", source_key__in=police_ids, person__isnull=False
    )
    return dict(records.values_list("source_key", "person_id"))


def licensed_vehicles(vrms: set[str]) -> dict[str, int]:
    """Licensing-register vehicle ids by normalised VRM, for those of these VRMs it holds."""
    found = (
        LicensedVehicle.objects.annotate(normal=Upper(Replace("vrm", Value(" "), Value(""))))
        .filter(normal__in=vrms)
        .values_list("normal", "pk")
    )
    return dict(found)


class LocationWriter(SourceRecordWriter):
    """Creates or updates locations keyed on the police location id (`Location.reference`)."""

    source_name = "police_locations"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        found: dict[int, RowProblem] = {}
        for row in rows:
            v = row.values
            if (v["easting"] is None) != (v["northing"] is None):
                found[row.number] = RowProblem("northing", "needs both easting and northing")
            elif v["easting"] is not None and v["easting"] not in EASTING_RANGE:
                found[row.number] = RowProblem("easting", "is outside the National Grid")
            elif v["northing"] is not None and v["northing"] not in NORTHING_RANGE:
                found[row.number] = RowProblem("northing", "is outside the National Grid")
        return found

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        objects: dict[str, int | None] = {}
        for row in rows:
            v = row.values
            location, _ = Location.objects.update_or_create(
                reference=v["location_id"],
                defaults={
                    "kind": LOCATION_TYPES[v["location_type"]],
                    "name": v["name"],
                    "address_line1": v["address_line1"],
                    "postcode": v["postcode"],
                    "easting": v["easting"],
                    "northing": v["northing"],
                },
            )
            objects[row.key] = location.pk
        self.remember(rows, run, objects=objects)


class VehicleWriter(SourceRecordWriter):
    """Creates or updates vehicles by normalised VRM, with their keeper (a police person) and
    the licensing register's vehicle of the same VRM, when it holds one."""

    source_name = "police_vehicles"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        known = police_persons({r.values["keeper_police_id"] for r in rows} - {""})
        found: dict[int, RowProblem] = {}
        for row in rows:
            keeper = row.values["keeper_police_id"]
            if keeper and keeper not in known:
                found[row.number] = RowProblem(
                    "keeper_police_id",
                    "is not a police person Safehub knows: import persons first",
                )
            elif not normalise_vrm(row.values["vrm"]):
                found[row.number] = RowProblem("vrm", "is empty")
        return found

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        keepers = police_persons({r.values["keeper_police_id"] for r in rows} - {""})
        licensed = licensed_vehicles({normalise_vrm(r.values["vrm"]) for r in rows})
        objects: dict[str, int | None] = {}
        persons: dict[str, int | None] = {}
        for row in rows:
            v = row.values
            vrm = normalise_vrm(v["vrm"])
            keeper = keepers.get(v["keeper_police_id"])
            vehicle, _ = Vehicle.objects.update_or_create(
                vrm=vrm,
                defaults={
                    "make_model": v["make_model"],
                    "colour": v["colour"],
                    "keeper_id": keeper,
                    "licensed_vehicle_id": licensed.get(vrm),
                },
            )
            objects[row.key] = vehicle.pk
            persons[row.key] = keeper
        self.remember(rows, run, objects=objects, persons=persons)


@dataclass(frozen=True)
class Ends:
    """The records an intelligence row names, looked up."""

    subject: int | None
    other: int | None
    location: int | None
    vehicle: int | None


def pairs(kind: str, ends: Ends) -> list[dict[str, Any]]:
    """The associations (each exactly two ends) an intelligence row becomes, first the one its
    category names. Pure: ends are ids; returns field dicts (kind, person, other_person,
    location, vehicle). Fewer than two ends give none."""
    found: list[dict[str, Any]] = []

    def add(kind_: str, **fields: int | None) -> None:
        base = {"person": None, "other_person": None, "location": None, "vehicle": None}
        found.append({"kind": kind_, **base, **fields})

    s, o, loc, veh = ends.subject, ends.other, ends.location, ends.vehicle
    if s is None:
        if o is not None:
            return []  # another person without a subject: refused by the checks
        if loc is not None and veh is not None:
            add(kind, location=loc, vehicle=veh)
        return found
    # The category's own pair first.
    if kind in (
        AssociationKind.SEEN_AT_LOCATION,
        AssociationKind.LIVES_AT,
        AssociationKind.WORKS_AT,
    ):
        first = "location" if loc is not None else None
    elif kind in (AssociationKind.SEEN_ENTERING_VEHICLE, AssociationKind.USES_VEHICLE):
        first = "vehicle" if veh is not None else None
    else:
        first = "other" if o is not None else None
    if first is None:
        first = next(
            (n for n, val in (("other", o), ("location", loc), ("vehicle", veh)) if val), None
        )
    if first is None:
        return []
    order = [first] + [n for n in ("other", "location", "vehicle") if n != first]
    for name in order:
        if name == "other" and o is not None:
            add(kind if name == first else AssociationKind.SEEN_WITH, person=s, other_person=o)
        elif name == "location" and loc is not None:
            add(kind if name == first else AssociationKind.SEEN_AT_LOCATION, person=s, location=loc)
        elif name == "vehicle" and veh is not None:
            if name == first:
                add(kind, person=s, vehicle=veh)
            elif loc is not None:
                add(AssociationKind.SEEN_AT_LOCATION, location=loc, vehicle=veh)
            else:
                add(AssociationKind.SEEN_ENTERING_VEHICLE, person=s, vehicle=veh)
    return found


def is_adult_on(born: date | None, on: date) -> bool:
    """18 or over on the day; an unknown date of birth is not taken as an adult."""
    if born is None or on < born:
        return False
    return age_on(born, on) >= ADULT_AGE


class IntelligenceWriter(SourceRecordWriter):
    """Intelligence rows become graded associations keyed on intel_ref (see the module
    docstring), and adult subjects persons of interest."""

    source_name = "police_intelligence"

    def _lookups(self, rows: Sequence[ParsedRow]) -> None:
        ids = {r.values[c] for r in rows for c in ("subject_police_id", "other_police_id")}
        self.persons = police_persons(ids - {""})
        refs = {r.values["location_id"] for r in rows} - {""}
        self.locations = dict(
            Location.objects.filter(reference__in=refs).values_list("reference", "pk")
        )
        vrms = {normalise_vrm(r.values["vrm"]) for r in rows} - {""}
        self.vehicles = dict(Vehicle.objects.filter(vrm__in=vrms).values_list("vrm", "pk"))

    def _ends(self, v: dict[str, Any]) -> Ends:
        return Ends(
            subject=self.persons.get(v["subject_police_id"]),
            other=self.persons.get(v["other_police_id"]),
            location=self.locations.get(v["location_id"]),
            vehicle=self.vehicles.get(normalise_vrm(v["vrm"])),
        )

    def _problem(self, v: dict[str, Any], today: date) -> RowProblem | None:
        unknown = (
            ("subject_police_id", self.persons, v["subject_police_id"], "a police person"),
            ("other_police_id", self.persons, v["other_police_id"], "a police person"),
            ("location_id", self.locations, v["location_id"], "a police location"),
            ("vrm", self.vehicles, normalise_vrm(v["vrm"]), "a police vehicle"),
        )
        for column, known, value, what in unknown:
            if value and value not in known:
                return RowProblem(column, f"is not {what} Safehub knows: import it first")
        if v["other_police_id"] and not v["subject_police_id"]:
            return RowProblem("other_police_id", "is given without subject_police_id")
        if v["other_police_id"] and v["other_police_id"] == v["subject_police_id"]:
            return RowProblem("other_police_id", "is the same person as the subject")
        if v["recorded_on"] > today:
            return RowProblem("recorded_on", "is in the future")
        if not pairs(v["category"], self._ends(v)):
            return RowProblem(
                "", "names fewer than two of person, location and vehicle: nothing to link"
            )
        return None

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        self._lookups(rows)
        today = timezone.localdate()
        found = {row.number: self._problem(row.values, today) for row in rows}
        return {n: p for n, p in found.items() if p is not None}

    def _grading(self, v: dict[str, Any]) -> dict[str, str]:
        return {
            "source": v.get("source") or EXTRACT_SOURCE,
            "source_evaluation": v.get("source_evaluation") or SourceEvaluation.UNTESTED,
            "intelligence_assessment": v.get("intelligence_assessment")
            or IntelligenceAssessment.KNOWN_INDIRECTLY,
            "handling_code": v.get("handling_code") or HandlingCode.LAWFUL_SHARING,
        }

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        self._lookups(rows)
        objects: dict[str, int | None] = {}
        persons: dict[str, int | None] = {}
        subjects: dict[int, date] = {}
        for row in rows:
            v = row.values
            ref = v["intel_ref"]
            made = pairs(v["category"], self._ends(v))
            references = [ref] + [f"{ref}/{n}" for n in range(2, len(made) + 1)]
            for reference, fields in zip(references, made, strict=True):
                association, _ = Association.objects.update_or_create(
                    reference=reference,
                    defaults={
                        "kind": fields["kind"],
                        "recorded_on": v["recorded_on"],
                        "person_id": fields["person"],
                        "other_person_id": fields["other_person"],
                        "location_id": fields["location"],
                        "vehicle_id": fields["vehicle"],
                        **self._grading(v),
                    },
                )
                if reference == ref:
                    objects[row.key] = association.pk
            # A corrected row may name fewer ends than before.
            Association.objects.filter(reference__startswith=f"{ref}/").exclude(
                reference__in=references
            ).delete()
            subject = made[0]["person"]
            persons[row.key] = subject
            if subject is not None:
                earliest = subjects.get(subject)
                subjects[subject] = v["recorded_on"] if earliest is None else earliest
        self._persons_of_interest(subjects, rows)
        self.remember(rows, run, objects=objects, persons=persons)

    def _persons_of_interest(self, subjects: dict[int, date], rows: Sequence[ParsedRow]) -> None:
        references = {self.persons.get(r.values["subject_police_id"]): r.values for r in rows}
        already = set(
            PersonOfInterest.objects.filter(person_id__in=subjects).values_list(
                "person_id", flat=True
            )
        )
        born = dict(Person.objects.filter(pk__in=subjects).values_list("pk", "date_of_birth"))
        new = [
            PersonOfInterest(
                person_id=pid,
                police_reference=references[pid]["subject_police_id"],
                reason="Subject of police intelligence (imported)",
            )
            for pid, on in subjects.items()
            if pid not in already and is_adult_on(born.get(pid), on)
        ]
        PersonOfInterest.objects.bulk_create(new)


def link_licensed_vehicle(licensed: LicensedVehicle) -> int:
    """Link intelligence vehicles of this licensed vehicle's VRM that are not linked yet (a
    licensing record that arrives after the intelligence). Returns how many were linked."""
    return Vehicle.objects.filter(
        Q(licensed_vehicle__isnull=True), vrm=normalise_vrm(licensed.vrm)
    ).update(licensed_vehicle=licensed)


POLICE_SOURCE = Column.text("source", max_length=200)
GRADING = (
    Column.code("source_evaluation", codes=SourceEvaluation.values),
    Column.code("intelligence_assessment", codes=IntelligenceAssessment.values),
    Column.code("handling_code", codes=HandlingCode.values),
    POLICE_SOURCE,
)
INTELLIGENCE_COLUMNS = (
    Column.text("intel_ref", required=True, max_length=25),
    Column.date("recorded_on", fmt=UK_DATE, required=True),
    Column.text(
        "subject_police_id",
        max_length=20,
        pattern=POLICE_ID,
        pattern_words="is not a police id (PN and 9 digits)",
    ),
    Column.text(
        "other_police_id",
        max_length=20,
        pattern=POLICE_ID,
        pattern_words="is not a police id (PN and 9 digits)",
    ),
    Column.text("location_id", max_length=30),
    Column.text("vrm", max_length=10, **VRM_RULE),
    Column.code("category", codes=AssociationKind.values, required=True),
)

LOCATIONS = Source(
    name="police_locations",
    version=1,
    title="Police locations",
    file_name="locations.csv",
    description="Addresses and premises in the police extract, keyed on location_id.",
    columns=(
        Column.text("location_id", required=True, max_length=30),
        Column.code("location_type", codes=tuple(LOCATION_TYPES), required=True),
        Column.text("name", max_length=200),
        Column.text("address_line1", max_length=200),
        Column.postcode("postcode"),
        Column.integer("easting"),
        Column.integer("northing"),
    ),
    key=("location_id",),
    writer=LocationWriter,
    agency_types=(AgencyType.POLICE,),
)

VEHICLES = Source(
    name="police_vehicles",
    version=1,
    title="Police vehicles",
    file_name="vehicles.csv",
    description="Vehicles in the police extract with their keeper; a licensed taxi is linked "
    "to the licensing register by its registration mark.",
    columns=(
        Column.text(
            "vrm",
            required=True,
            max_length=10,
            pattern=VRM,
            pattern_words="is not a registration mark",
        ),
        Column.text("make_model", max_length=100),
        Column.text("colour", max_length=30),
        Column.text(
            "keeper_police_id",
            max_length=20,
            pattern=POLICE_ID,
            pattern_words="is not a police id (PN and 9 digits)",
        ),
    ),
    key=("vrm",),
    writer=VehicleWriter,
    agency_types=(AgencyType.POLICE,),
    after=("police_persons", "licensing_vehicles"),
)

INTELLIGENCE = Source(
    name="police_intelligence",
    version=1,
    title="Police intelligence",
    file_name="intelligence.csv",
    description="Intelligence linking people, locations and vehicles, graded 2/C/P; each row "
    "becomes one or more associations keyed on intel_ref.",
    columns=INTELLIGENCE_COLUMNS,
    key=("intel_ref",),
    writer=IntelligenceWriter,
    agency_types=(AgencyType.POLICE,),
    after=("police_persons", "police_locations", "police_vehicles"),
)


class GradedIntelligenceWriter(IntelligenceWriter):
    source_name = "police_intelligence_graded"


GRADED_INTELLIGENCE = Source(
    name="police_intelligence_graded",
    version=1,
    title="Police intelligence (graded)",
    file_name="intelligence.csv",
    description="As the police intelligence extract, with the 3x5x2 grading and the source of "
    "each row (empty cells take the defaults 2/C/P).",
    columns=INTELLIGENCE_COLUMNS + GRADING,
    key=("intel_ref",),
    writer=GradedIntelligenceWriter,
    agency_types=(AgencyType.POLICE,),
    after=("police_persons", "police_locations", "police_vehicles"),
)


def register_sources() -> None:
    for source in (LOCATIONS, VEHICLES, INTELLIGENCE, GRADED_INTELLIGENCE):
        register(source)
