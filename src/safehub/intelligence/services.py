"""Recording police intelligence: persons of interest, locations, vehicles and associations
(disruption is in `disruptions.py`). Each action checks everything first and refuses with
every problem at once (`Refused`, nothing written); each writes its audit row in
the same transaction.

Callers check the policy first (`INTEL_RECORD`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.intelligence import selectors
from safehub.intelligence.choices import (
    AssociationKind,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    PoiStatus,
    SourceEvaluation,
)
from safehub.intelligence.importer import (
    EASTING_RANGE,
    NORTHING_RANGE,
    licensed_vehicles,
    normalise_vrm,
)
from safehub.intelligence.models import (
    Association,
    Location,
    PersonOfInterest,
    Vehicle,
)
from safehub.people.choices import Sex
from safehub.people.models import Address, Person
from safehub.people.validators import normalise_postcode, postcode_problem
from safehub.refusals import Refused

ADULT_AGE = 18
OLDEST = 120


# --- persons of interest ---


@dataclass(frozen=True)
class NewPersonDetails:
    """An adult not yet in the index."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    known_as: str = ""
    address_line1: str = ""
    postcode: str = ""


def validate_new_person(details: NewPersonDetails, *, today: date) -> dict[str, str]:
    """Names, an adult's date of birth, sex and an optional postcode."""
    errors: dict[str, str] = {}
    if not details.given_name:
        errors["given_name"] = "Enter their first name"
    if not details.family_name:
        errors["family_name"] = "Enter their last name"
    for name in ("given_name", "family_name"):
        if len(getattr(details, name)) > 100:
            errors[name] = "Names must be 100 characters or fewer"
    born = details.date_of_birth
    if born is None:
        errors["date_of_birth"] = "Enter their date of birth"
    elif born > today:
        errors["date_of_birth"] = "Date of birth must be in the past"
    elif (age := selectors.age_on(born, today)) is not None and age < ADULT_AGE:
        errors["date_of_birth"] = "A person of interest must be 18 or over"
    elif today.year - born.year > OLDEST:
        errors["date_of_birth"] = "Date of birth must be within the last 120 years"
    if details.sex not in Sex.values:
        errors["sex"] = "Select their sex"
    if details.postcode and postcode_problem(details.postcode):
        errors["postcode"] = "Enter a full UK postcode, like SH1 5RR"
    return errors


def _poi_errors(police_reference: str, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not police_reference:
        errors["police_reference"] = "Enter their police reference (nominal number)"
    elif len(police_reference) > 30:
        errors["police_reference"] = "Police reference must be 30 characters or fewer"
    elif PersonOfInterest.objects.filter(police_reference=police_reference).exists():
        errors["police_reference"] = "A person of interest already has this police reference"
    if not reason:
        errors["reason"] = "Say why they are of interest"
    elif len(reason) > 500:
        errors["reason"] = "Reason must be 500 characters or fewer"
    return errors


def person_of_interest_problems(
    *,
    police_reference: str,
    reason: str,
    person: Person | None = None,
    new_person: NewPersonDetails | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """What `add_person_of_interest` would refuse, by field (empty when it would not)."""
    today = today or timezone.localdate()
    errors = _poi_errors(police_reference.strip().upper(), reason.strip())
    if (person is None) == (new_person is None):
        errors["person"] = "Choose a person from the index or add a new person"
    elif person is not None:
        if PersonOfInterest.objects.filter(person=person).exists():
            errors["person"] = "This person is already a person of interest"
        else:
            age = selectors.age_on(person.date_of_birth, today)
            if age is not None and age < ADULT_AGE:
                errors["person"] = "A person of interest must be 18 or over"
    elif new_person is not None:
        errors.update(validate_new_person(new_person, today=today))
    return errors


@transaction.atomic
def add_person_of_interest(
    *,
    actor: Any,
    police_reference: str,
    reason: str,
    person: Person | None = None,
    new_person: NewPersonDetails | None = None,
    today: date | None = None,
) -> PersonOfInterest:
    """Make a person in the index (or a new adult) a person of interest.

    Refuses: neither or both of `person` and `new_person`; a missing or duplicate police
    reference; no reason; a person already of interest; a child; a new person's bad details.
    """
    police_reference = police_reference.strip().upper()
    errors = person_of_interest_problems(
        police_reference=police_reference,
        reason=reason,
        person=person,
        new_person=new_person,
        today=today,
    )
    if errors:
        raise Refused(errors)
    if person is None:
        assert new_person is not None
        person = Person.objects.create(
            given_name=new_person.given_name,
            family_name=new_person.family_name,
            known_as=new_person.known_as,
            date_of_birth=new_person.date_of_birth,
            sex=new_person.sex,
            created_by=actor,
        )
        if new_person.address_line1 or new_person.postcode:
            Address.objects.create(
                person=person,
                line1=new_person.address_line1 or "(not given)",
                postcode=normalise_postcode(new_person.postcode) if new_person.postcode else "",
            )
        record_access(
            user=actor,
            action=AuditAction.CREATE,
            object_type=AuditObjectType.PERSON,
            object_id=person.public_id,
            person_id=person.pk,
            reason="added as a person of interest",
        )
    poi = PersonOfInterest.objects.create(
        person=person,
        police_reference=police_reference,
        reason=reason.strip(),
        status=PoiStatus.ACTIVE,
        created_by=actor,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.PERSON_OF_INTEREST,
        object_id=poi.public_id,
        person_id=person.pk,
    )
    return poi


# --- locations and vehicles ---


@dataclass(frozen=True)
class LocationDetails:
    kind: str
    name: str = ""
    address_line1: str = ""
    postcode: str = ""
    reference: str = ""
    easting: int | None = None
    northing: int | None = None


def validate_location(details: LocationDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.kind not in LocationKind.values:
        errors["kind"] = "Select the kind of place"
    if not details.name and not details.address_line1:
        errors["name"] = "Enter the name of the place or its address"
    if len(details.name) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    if len(details.address_line1) > 200:
        errors["address_line1"] = "Address must be 200 characters or fewer"
    if details.postcode and postcode_problem(details.postcode):
        errors["postcode"] = "Enter a full UK postcode, like SH1 5RR"
    if details.reference:
        if len(details.reference) > 30:
            errors["reference"] = "Reference must be 30 characters or fewer"
        elif Location.objects.filter(reference__iexact=details.reference).exists():
            errors["reference"] = "Another location has this reference"
    if (details.easting is None) != (details.northing is None):
        errors["easting"] = "Enter both the easting and the northing, or neither"
    elif details.easting is not None and details.easting not in EASTING_RANGE:
        errors["easting"] = "Easting must be between 0 and 700000"
    elif details.northing is not None and details.northing not in NORTHING_RANGE:
        errors["northing"] = "Northing must be between 0 and 1300000"
    return errors


@transaction.atomic
def add_location(*, actor: Any, details: LocationDetails) -> Location:
    """Add a place. Refuses an unknown kind, no name or address, a bad postcode, a reference
    another location has, or a grid reference half given or off the National Grid. A place
    added without a reference gets one (SH and its number) so intelligence can name it."""
    errors = validate_location(details)
    if errors:
        raise Refused(errors)
    place = Location.objects.create(
        reference=details.reference or None,
        kind=details.kind,
        name=details.name,
        address_line1=details.address_line1,
        postcode=normalise_postcode(details.postcode) if details.postcode else "",
        easting=details.easting,
        northing=details.northing,
        created_by=actor,
    )
    if not place.reference:
        place.reference = f"SH{place.pk:06d}"
        place.save(update_fields=["reference"])
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.INTEL_LOCATION,
        object_id=place.public_id,
    )
    return place


@dataclass(frozen=True)
class VehicleDetails:
    vrm: str
    make_model: str = ""
    colour: str = ""
    keeper_reference: str = ""


def _vehicle(details: VehicleDetails) -> tuple[dict[str, str], Person | None]:
    errors: dict[str, str] = {}
    vrm = normalise_vrm(details.vrm)
    keeper = None
    if not vrm:
        errors["vrm"] = "Enter the registration mark"
    elif len(vrm) > 10 or not vrm.isalnum():
        errors["vrm"] = "Enter a registration mark of up to 10 letters and numbers"
    elif Vehicle.objects.filter(vrm=vrm).exists():
        errors["vrm"] = "This vehicle is already recorded"
    if len(details.make_model) > 100:
        errors["make_model"] = "Make and model must be 100 characters or fewer"
    if len(details.colour) > 30:
        errors["colour"] = "Colour must be 30 characters or fewer"
    if details.keeper_reference:
        keeper = selectors.person_by_police_reference(details.keeper_reference)
        if keeper is None:
            errors["keeper_reference"] = "No person has this police reference"
    return errors, keeper


def vehicle_problems(details: VehicleDetails) -> dict[str, str]:
    """What `add_vehicle` would refuse, by field (empty when it would not)."""
    return _vehicle(details)[0]


@transaction.atomic
def add_vehicle(*, actor: Any, details: VehicleDetails) -> Vehicle:
    """Add a vehicle, linked to the licensing register when it holds the same VRM.

    Refuses: no or a malformed registration mark, one already recorded, an unknown keeper."""
    errors, keeper = _vehicle(details)
    if errors:
        raise Refused(errors)
    vrm = normalise_vrm(details.vrm)
    car = Vehicle.objects.create(
        vrm=vrm,
        make_model=details.make_model,
        colour=details.colour,
        keeper=keeper,
        licensed_vehicle_id=licensed_vehicles({vrm}).get(vrm),
        created_by=actor,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.INTEL_VEHICLE,
        object_id=car.public_id,
        person_id=keeper.pk if keeper else None,
    )
    return car


# --- associations ---


@dataclass(frozen=True)
class AssociationDetails:
    kind: str
    recorded_on: date | None
    person_reference: str = ""
    other_reference: str = ""
    location_reference: str = ""
    vrm: str = ""
    source: str = ""
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""


def _association(details: AssociationDetails, today: date) -> tuple[dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    if details.kind not in AssociationKind.values:
        errors["kind"] = "Select what the intelligence says"
    if details.recorded_on is None:
        errors.setdefault("recorded_on", "Enter the date of the intelligence")
    elif details.recorded_on > today:
        errors["recorded_on"] = "The date must be today or in the past"
    if not details.source:
        errors["source"] = "Enter the source of the intelligence"
    elif len(details.source) > 200:
        errors["source"] = "Source must be 200 characters or fewer"
    if details.source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = "Select the source evaluation (1, 2 or 3)"
    if details.intelligence_assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = "Select the intelligence assessment (A to E)"
    if details.handling_code not in HandlingCode.values:
        errors["handling_code"] = "Select the handling code (P or C)"
    ends = {
        "person_reference": details.person_reference,
        "other_reference": details.other_reference,
        "location_reference": details.location_reference,
        "vrm": details.vrm,
    }
    given = [name for name, value in ends.items() if value]
    person = other = None
    place = None
    car = None
    if len(given) != 2:
        errors["person_reference"] = (
            "Give exactly two of: a person, another person, a location and a vehicle"
        )
    elif details.other_reference and not details.person_reference:
        errors["other_reference"] = "Give the first person before another person"
    else:
        if details.person_reference:
            person = selectors.person_by_police_reference(details.person_reference)
            if person is None:
                errors["person_reference"] = "No person has this police reference"
        if details.other_reference:
            other = selectors.person_by_police_reference(details.other_reference)
            if other is None:
                errors["other_reference"] = "No person has this police reference"
            elif person is not None and other.pk == person.pk:
                errors["other_reference"] = "A person cannot be linked to themselves"
        if details.location_reference:
            place = selectors.location_by_reference(details.location_reference)
            if place is None:
                errors["location_reference"] = "No location has this reference"
        if details.vrm:
            car = selectors.vehicle_by_vrm(details.vrm)
            if car is None:
                errors["vrm"] = "No vehicle with this registration mark is recorded"
    return errors, {"person": person, "other_person": other, "location": place, "vehicle": car}


def association_problems(
    details: AssociationDetails, *, today: date | None = None
) -> dict[str, str]:
    """What `record_association` would refuse, by field (empty when it would not)."""
    return _association(details, today or timezone.localdate())[0]


@transaction.atomic
def record_association(
    *, actor: Any, details: AssociationDetails, today: date | None = None
) -> Association:
    """Record a graded link between exactly two of: a person, another person, a location and a
    vehicle (another person only beside a person).

    Refuses: an unknown kind or grading code; no date or one in the future; no source; other
    than two ends; an end that names nobody or nothing Safehub knows; a person linked to
    themselves."""
    errors, ends = _association(details, today or timezone.localdate())
    if errors:
        raise Refused(errors)
    person = ends["person"]
    assert details.recorded_on is not None  # checked above
    association = Association.objects.create(
        kind=details.kind,
        recorded_on=details.recorded_on,
        **ends,
        source=details.source,
        source_evaluation=details.source_evaluation,
        intelligence_assessment=details.intelligence_assessment,
        handling_code=details.handling_code,
        created_by=actor,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.ASSOCIATION,
        object_id=association.public_id,
        person_id=person.pk if person else None,
    )
    return association
