"""Reading the intelligence forms from a POST. Parsing problems (a date that is not a date) go
into `errors`; the services check everything else, and views merge the two so every problem
shows at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safehub.intelligence.disruptions import DisruptionDetails
from safehub.intelligence.services import (
    AssociationDetails,
    LocationDetails,
    NewPersonDetails,
    VehicleDetails,
)
from safehub.workforce.forms import date_field, error_list, text, whole_number

__all__ = [
    "association_from_post",
    "date_field",
    "disruption_from_post",
    "error_list",
    "location_from_post",
    "new_person_from_post",
    "text",
    "vehicle_from_post",
]

Parsed = tuple[Any, dict[str, str], dict[str, Any]]


def new_person_from_post(post: Mapping[str, Any]) -> Parsed:
    errors: dict[str, str] = {}
    names = ("given_name", "family_name", "known_as", "sex", "address_line1", "postcode")
    values: dict[str, Any] = {n: text(post, n) for n in names}
    born = date_field(post, "date_of_birth", "Date of birth", errors, values)
    details = NewPersonDetails(
        given_name=values["given_name"],
        family_name=values["family_name"],
        known_as=values["known_as"],
        date_of_birth=born,
        sex=values["sex"],
        address_line1=values["address_line1"],
        postcode=values["postcode"],
    )
    return details, errors, values


def location_from_post(post: Mapping[str, Any]) -> Parsed:
    errors: dict[str, str] = {}
    names = ("kind", "name", "address_line1", "postcode", "reference")
    values: dict[str, Any] = {n: text(post, n) for n in names}
    easting = whole_number(post, "easting", errors, values)
    northing = whole_number(post, "northing", errors, values)
    details = LocationDetails(
        kind=values["kind"],
        name=values["name"],
        address_line1=values["address_line1"],
        postcode=values["postcode"],
        reference=values["reference"].upper(),
        easting=easting,
        northing=northing,
    )
    return details, errors, values


def vehicle_from_post(post: Mapping[str, Any]) -> Parsed:
    values: dict[str, Any] = {
        n: text(post, n) for n in ("vrm", "make_model", "colour", "keeper_reference")
    }
    details = VehicleDetails(
        vrm=values["vrm"],
        make_model=values["make_model"],
        colour=values["colour"],
        keeper_reference=values["keeper_reference"],
    )
    return details, {}, values


ASSOCIATION_TEXT = (
    "kind",
    "person_reference",
    "other_reference",
    "location_reference",
    "vrm",
    "source",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
)


def association_from_post(post: Mapping[str, Any]) -> Parsed:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {n: text(post, n) for n in ASSOCIATION_TEXT}
    recorded = date_field(post, "recorded_on", "Date of the intelligence", errors, values)
    details = AssociationDetails(
        kind=values["kind"],
        recorded_on=recorded,
        person_reference=values["person_reference"],
        other_reference=values["other_reference"],
        location_reference=values["location_reference"],
        vrm=values["vrm"],
        source=values["source"],
        source_evaluation=values["source_evaluation"],
        intelligence_assessment=values["intelligence_assessment"],
        handling_code=values["handling_code"],
    )
    return details, errors, values


DISRUPTION_TEXT = (
    "kind",
    "subject_reference",
    "location_reference",
    "child_reference",
    "outcome",
    "notes",
)


def disruption_from_post(post: Mapping[str, Any]) -> Parsed:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {n: text(post, n) for n in DISRUPTION_TEXT}
    occurred = date_field(post, "occurred_on", "Date served, made or done", errors, values)
    ends = date_field(post, "ends_on", "End date", errors, values)
    details = DisruptionDetails(
        kind=values["kind"],
        occurred_on=occurred,
        subject_reference=values["subject_reference"],
        location_reference=values["location_reference"],
        child_reference=values["child_reference"],
        ends_on=ends,
        outcome=values["outcome"],
        notes=values["notes"],
    )
    return details, errors, values
