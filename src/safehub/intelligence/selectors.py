"""Reading police intelligence: search, the lists, and what a record's page shows.

Callers check `Action.INTEL_FIND` / `INTEL_VIEW` first and write the audit row (views do);
these functions only read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from safehub.imports.models import SourceRecord
from safehub.intelligence.importer import normalise_vrm
from safehub.intelligence.models import (
    Association,
    Disruption,
    Location,
    PersonOfInterest,
    PersonOfInterestStatusChange,
    Vehicle,
)
from safehub.missing.models import MissingEpisode
from safehub.people.matching import normalise_reference
from safehub.people.models import Person
from safehub.people.search import plain_key
from safehub.screening.rules import age_on as screening_age_on

LIST_LIMIT = 200
SEARCH_LIMIT = 50
ADULT_AGE = 18


def _uuid_lookup(queryset: QuerySet[Any], public_id: Any) -> Any:
    try:
        return queryset.filter(public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def person_of_interest(public_id: Any) -> PersonOfInterest | None:
    return _uuid_lookup(PersonOfInterest.objects.select_related("person"), public_id)  # type: ignore[no-any-return]


def location(public_id: Any) -> Location | None:
    return _uuid_lookup(Location.objects.all(), public_id)  # type: ignore[no-any-return]


def vehicle(public_id: Any) -> Vehicle | None:
    return _uuid_lookup(Vehicle.objects.all(), public_id)  # type: ignore[no-any-return]


def disruption(public_id: Any) -> Disruption | None:
    return _uuid_lookup(Disruption.objects.all(), public_id)  # type: ignore[no-any-return]


def association(public_id: Any) -> Association | None:
    return _uuid_lookup(_associations(), public_id)  # type: ignore[no-any-return]


def person_by_public_id(public_id: Any) -> Person | None:
    return _uuid_lookup(Person.objects.all(), public_id)  # type: ignore[no-any-return]


def person_by_police_reference(reference: str) -> Person | None:
    """The person a police reference names: a person of interest's reference, else a person
    the police extract linked (`police_persons` source records). None if neither."""
    reference = reference.strip().upper()
    if not reference:
        return None
    poi = PersonOfInterest.objects.filter(police_reference=reference).select_related("person")
    if (found := poi.first()) is not None:
        return found.person
    record = SourceRecord.objects.filter(
        source="police_persons", source_key=reference, person__isnull=False
    ).select_related("person")
    first = record.first()
    return first.person if first is not None else None


def police_references(person_ids: set[int]) -> dict[int, str]:
    """A police reference for each of these people, where one is known."""
    found: dict[int, str] = {}
    records = SourceRecord.objects.filter(
        source="police_persons", person_id__in=person_ids
    ).order_by("source_key")
    for person_id, key in records.values_list("person_id", "source_key"):
        found.setdefault(person_id, key)
    pois = PersonOfInterest.objects.filter(person_id__in=person_ids).exclude(police_reference="")
    found.update(dict(pois.values_list("person_id", "police_reference")))
    return found


def location_by_reference(reference: str) -> Location | None:
    reference = reference.strip()
    return Location.objects.filter(reference__iexact=reference).first() if reference else None


def vehicle_by_vrm(vrm: str) -> Vehicle | None:
    normal = normalise_vrm(vrm)
    return Vehicle.objects.filter(vrm=normal).first() if normal else None


def persons_of_interest(status: str = "") -> QuerySet[PersonOfInterest]:
    """Persons of interest by name; only those with `status` when it is given."""
    found = PersonOfInterest.objects.select_related("person").order_by(
        "person__family_name", "person__given_name", "id"
    )
    return found.filter(status=status) if status else found


def status_changes(poi: PersonOfInterest) -> QuerySet[PersonOfInterestStatusChange]:
    """A person of interest's closings and reopenings, newest first, with who made them."""
    return poi.status_changes.select_related("changed_by").order_by("-changed_at", "-id")


def locations() -> QuerySet[Location]:
    return Location.objects.order_by("kind", "name", "id")


def vehicles() -> QuerySet[Vehicle]:
    return Vehicle.objects.select_related("keeper", "licensed_vehicle").order_by("vrm")


@dataclass
class SearchResults:
    persons: list[PersonOfInterest] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.persons) + len(self.locations) + len(self.vehicles)


def search(query: str) -> SearchResults:
    """Persons of interest by name or police reference, locations by name, reference or
    postcode, vehicles by registration mark (spaces and case ignored)."""
    query = " ".join(query.split())
    if not query:
        return SearchResults()
    words = query.split(" ")
    by_name = Q()
    for word in words:
        by_name &= (
            Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(person__known_as__icontains=word)
        )
    persons = persons_of_interest().filter(by_name | Q(police_reference__iexact=query))
    compact = query.replace(" ", "")
    places = locations().filter(
        Q(name__icontains=query)
        | Q(address_line1__icontains=query)
        | Q(reference__iexact=query)
        | Q(postcode__iexact=query)
        | Q(postcode__istartswith=query.upper())
    )
    cars = vehicles().filter(vrm__icontains=compact.upper()) if len(compact) >= 2 else None
    return SearchResults(
        persons=list(persons[:SEARCH_LIMIT]),
        locations=list(places[:SEARCH_LIMIT]),
        vehicles=list(cars[:SEARCH_LIMIT]) if cars is not None else [],
    )


def find_people(query: str) -> list[Person]:
    """People in the index by name (every word matching a name), for choosing the person a
    person of interest is. At most SEARCH_LIMIT."""
    words = query.split()
    if not words:
        return []
    match = Q()
    for word in words:
        match &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(known_as__icontains=word)
        )
    people = Person.objects.filter(match).order_by("family_name", "given_name", "id")
    return list(people[:SEARCH_LIMIT])


def age_on(born: date | None, on: date) -> int | None:
    """The age on `on` (screening's rule), or None when the birth date is unknown or later."""
    if born is None or on < born:
        return None
    return screening_age_on(born, on)


def _associations() -> QuerySet[Association]:
    return Association.objects.select_related("person", "other_person", "location", "vehicle")


def associations_of_person(person: Person) -> list[Association]:
    return list(_associations().filter(Q(person=person) | Q(other_person=person)))


def associations_of_location(place: Location) -> list[Association]:
    return list(_associations().filter(location=place))


def associations_of_vehicle(car: Vehicle) -> list[Association]:
    return list(_associations().filter(vehicle=car))


@dataclass(frozen=True)
class LinkedPerson:
    person: Person
    age: int | None
    police_reference: str
    poi: PersonOfInterest | None
    times: int


def linked_people(
    associations: list[Association], today: date, *, leave_out: Person | None = None
) -> list[LinkedPerson]:
    """Everyone the associations name (but `leave_out`), most often named first."""
    counts: dict[int, int] = {}
    people: dict[int, Person] = {}
    for a in associations:
        for p in (a.person, a.other_person):
            if p is not None and (leave_out is None or p.pk != leave_out.pk):
                counts[p.pk] = counts.get(p.pk, 0) + 1
                people[p.pk] = p
    refs = police_references(set(people))
    pois = {
        poi.person_id: poi for poi in PersonOfInterest.objects.filter(person_id__in=set(people))
    }
    found = [
        LinkedPerson(
            person=people[pk],
            age=age_on(people[pk].date_of_birth, today),
            police_reference=refs.get(pk, ""),
            poi=pois.get(pk),
            times=n,
        )
        for pk, n in counts.items()
    ]
    return sorted(found, key=lambda lp: (-lp.times, lp.person.family_name, lp.person.pk))


def children(linked: list[LinkedPerson]) -> list[LinkedPerson]:
    return [lp for lp in linked if lp.age is not None and lp.age < ADULT_AGE]


def locations_of(associations: list[Association]) -> list[Location]:
    seen: dict[int, Location] = {}
    for a in associations:
        if a.location is not None:
            seen.setdefault(a.location.pk, a.location)
    return list(seen.values())


def vehicles_of_person(person: Person, associations: list[Association]) -> list[Vehicle]:
    seen: dict[int, Vehicle] = {v.pk: v for v in Vehicle.objects.filter(keeper=person)}
    for a in associations:
        if a.vehicle is not None:
            seen.setdefault(a.vehicle.pk, a.vehicle)
    return list(seen.values())


def disruptions_of_person(person: Person) -> list[Disruption]:
    return list(
        Disruption.objects.filter(subject=person).select_related("location", "child", "subject")
    )


def disruptions_at(place: Location) -> list[Disruption]:
    return list(
        Disruption.objects.filter(location=place).select_related("subject", "child", "location")
    )


@dataclass(frozen=True)
class FoundThere:
    person: Person
    found_at: datetime | None
    police_reference: str


def missing_found_at(place: Location) -> list[FoundThere]:
    """Missing episodes whose child was found at this place (police missing reports name the
    police location as "Police location <id>")."""
    if not place.reference:
        return []
    episodes = (
        MissingEpisode.objects.filter(found_place=f"Police location {place.reference}")
        .select_related("person")
        .order_by("-found_at", "-id")
    )
    rows = list(episodes[:LIST_LIMIT])
    refs = police_references({e.person_id for e in rows})
    return [FoundThere(e.person, e.found_at, refs.get(e.person_id, "")) for e in rows]


@dataclass(frozen=True)
class End:
    """One end of an association as a page shows it: words, and a link when there is a page."""

    text: str
    url: str


@dataclass(frozen=True)
class AssociationRow:
    association: Association
    ends: list[End]


def association_rows(associations: list[Association]) -> list[AssociationRow]:
    """Associations with their ends named and linked (persons of interest, places, vehicles)."""
    from django.urls import reverse

    from safehub.intelligence.templatetags.intelligence_tags import vrm as display_vrm

    people = {p.pk for a in associations for p in (a.person, a.other_person) if p is not None}
    refs = police_references(people)
    pois = dict(
        PersonOfInterest.objects.filter(person_id__in=people).values_list("person_id", "public_id")
    )
    rows = []
    for a in associations:
        ends: list[End] = []
        for p in (a.person, a.other_person):
            if p is not None:
                ref = f" ({refs[p.pk]})" if p.pk in refs else ""
                url = reverse("intelligence:person", args=[pois[p.pk]]) if p.pk in pois else ""
                ends.append(End(f"{p.given_name} {p.family_name}{ref}", url))
        if a.location is not None:
            place = a.location
            ends.append(
                End(
                    place.name or place.address_line1 or str(place.reference),
                    reverse("intelligence:location", args=[place.public_id]),
                )
            )
        if a.vehicle is not None:
            ends.append(
                End(
                    display_vrm(a.vehicle.vrm),
                    reverse("intelligence:vehicle", args=[a.vehicle.public_id]),
                )
            )
        rows.append(AssociationRow(a, ends))
    return rows


def persons_with_police_reference(reference: str) -> dict[int, str]:
    """Persons of interest whose police nominal reference is `reference`, compared without
    case, spaces or punctuation: {person id: the reference}. The police's alone: the caller
    asks the policy first."""
    plain = normalise_reference(reference)
    if not plain:
        return {}
    rows = (
        PersonOfInterest.objects.exclude(police_reference="")
        .annotate(plain_key=plain_key("police_reference"))
        .filter(plain_key=plain)
        .values_list("person_id", "police_reference")[:20]
    )
    return dict(rows)


# --- what the problem profile's snapshot counts (plain values, no names) ---


def location_references() -> dict[str, str]:
    """{police reference: public id} of the locations that carry a reference (imported police
    reports name a found location by it)."""
    return {
        str(reference): str(public_id)
        for reference, public_id in Location.objects.exclude(reference=None).values_list(
            "reference", "public_id"
        )
    }


def locations_for_profile() -> Iterable[tuple[Any, str, str, str, Any, Any]]:
    """(public id, kind, name, postcode, easting, northing) of every location."""
    return Location.objects.values_list(
        "public_id", "kind", "name", "postcode", "easting", "northing"
    )


def vehicles_for_profile() -> Iterable[tuple[Any, str, int | None, int | None]]:
    """(public id, VRM, licensed vehicle id or None, keeper's person id or None)."""
    return Vehicle.objects.values_list("public_id", "vrm", "licensed_vehicle_id", "keeper_id")


def associations_up_to(as_of: date) -> Iterable[tuple[Any, ...]]:
    """Associations recorded on or before `as_of`: (public id, kind, recorded on, occurred at,
    person id, other person id, location public id, vehicle public id, source evaluation,
    intelligence assessment)."""
    return Association.objects.filter(recorded_on__lte=as_of).values_list(
        "public_id",
        "kind",
        "recorded_on",
        "occurred_at",
        "person_id",
        "other_person_id",
        "location__public_id",
        "vehicle__public_id",
        "source_evaluation",
        "intelligence_assessment",
    )


def persons_of_interest_for_profile() -> Iterable[tuple[Any, int, str, str | None]]:
    """(public id, person id, status, police reference) of every person of interest."""
    return PersonOfInterest.objects.values_list(
        "public_id", "person_id", "status", "police_reference"
    )


def disruptions_up_to(as_of: date) -> Iterable[tuple[Any, ...]]:
    """Disruptions on or before `as_of`: (kind, subject's person id, location public id,
    child's person id, occurred on, outcome)."""
    return Disruption.objects.filter(occurred_on__lte=as_of).values_list(
        "kind", "subject_id", "location__public_id", "child_id", "occurred_on", "outcome"
    )
