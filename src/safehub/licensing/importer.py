"""Import sources for the licensing system's extracts: drivers (with their licence, DBS check,
Update Service check, training and NR3S check) and vehicles. See docs/data/licensing.md.

Registered with the import framework (`safehub.imports.registry`) in `LicensingConfig.ready()`;
run with `safehub import licensing_drivers drivers.csv` or from the imports pages.

What the extract cannot say is stated here, not guessed silently:
- DBS results are not in the extract: an imported certificate is recorded as "clear" (the
  licensing system lists the certificates it accepted); a disclosure is entered by hand.
- An Update Service date means a status check that found no change.
- An NR3S date means a check with no match; who checked is not known (left empty).
- A badge number ending in R is the licensing system's duplicate record: rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter
from safehub.licensing.choices import BadgeType, RegisterResult
from safehub.licensing.models import (
    Driver,
    DriverDbsCheck,
    DriverStatusCheck,
    DriverTraining,
    Licence,
    NationalRegisterCheck,
    Vehicle,
)
from safehub.workforce.choices import CourseKind, DbsLevel, DbsResult, StatusCheckResult
from safehub.workforce.models import TrainingCourse
from safehub.workforce.services import training_expiry

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

ISO = "%Y-%m-%d"
BADGE = r"D\d{7}R?"


def _problems(row: ParsedRow) -> RowProblem | None:
    v = row.values
    if v["badge_number"].endswith("R"):
        return RowProblem("badge_number", "is a duplicate record (the number ends in R)")
    if v["licence_expires"] and v["licence_issued"] and v["licence_expires"] < v["licence_issued"]:
        return RowProblem("licence_expires", "is before the licence was issued")
    dbs = (v["dbs_certificate"], v["dbs_issued"], v["dbs_level"])
    if any(dbs) and not all(dbs):
        return RowProblem("dbs_certificate", "needs a certificate number, issue date and level")
    if v["update_service_checked"] and not v["update_service_id"]:
        return RowProblem("update_service_id", "is needed for an Update Service check")
    if v["update_service_id"] and not v["dbs_certificate"]:
        return RowProblem("update_service_id", "is given without a DBS certificate")
    if v["training_completed"] and not v["training_course"]:
        return RowProblem("training_course", "is needed with a training date")
    return None


def _course(name: str, cache: dict[str, TrainingCourse]) -> TrainingCourse:
    if name not in cache:
        cache[name], _ = TrainingCourse.objects.get_or_create(
            name=name, defaults={"kind": CourseKind.CSE_AWARENESS}
        )
    return cache[name]


class DriverWriter(SourceRecordWriter):
    """Creates or updates the driver and adds each dated record not already held."""

    source_name = "licensing_drivers"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        found = {row.number: _problems(row) for row in rows}
        return {n: p for n, p in found.items() if p is not None}

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        courses: dict[str, TrainingCourse] = {}
        objects: dict[str, int | None] = {}
        for row in rows:
            v = row.values
            driver, _ = Driver.objects.update_or_create(
                badge_number=v["badge_number"],
                defaults={
                    "given_name": v["given_name"],
                    "family_name": v["family_name"],
                    "date_of_birth": v["date_of_birth"],
                    "address_line1": v["address_line1"],
                    "postcode": v["postcode"],
                    "badge_type": v["badge_type"],
                },
            )
            objects[row.key] = driver.pk
            if v["licence_issued"] and v["licence_expires"]:
                Licence.objects.get_or_create(
                    driver=driver,
                    starts_on=v["licence_issued"],
                    defaults={"badge_type": v["badge_type"], "expires_on": v["licence_expires"]},
                )
            if v["dbs_certificate"]:
                self._dbs(driver, v, run)
            if v["training_completed"]:
                course = _course(v["training_course"], courses)
                completed: date = v["training_completed"]
                DriverTraining.objects.get_or_create(
                    driver=driver,
                    course=course,
                    completed_on=completed,
                    defaults={
                        "expires_on": training_expiry(course, completed),
                        "recorded_by": run.started_by,
                    },
                )
            if v["nr3_checked"]:
                NationalRegisterCheck.objects.get_or_create(
                    driver=driver,
                    checked_on=v["nr3_checked"],
                    defaults={"result": RegisterResult.NO_MATCH},
                )
        self.remember(rows, run, objects=objects)

    def _dbs(self, driver: Driver, v: dict, run: ImportRun) -> None:
        check, _ = DriverDbsCheck.objects.get_or_create(
            driver=driver,
            certificate_number=v["dbs_certificate"],
            defaults={
                "level": v["dbs_level"],
                "issued_on": v["dbs_issued"],
                "result": DbsResult.CLEAR,
                "update_service": bool(v["update_service_id"]),
                "update_service_id": v["update_service_id"],
                "recorded_by": run.started_by,
            },
        )
        if v["update_service_id"] and not check.update_service:
            check.update_service, check.update_service_id = True, v["update_service_id"]
            check.save(update_fields=["update_service", "update_service_id"])
        if v["update_service_checked"]:
            DriverStatusCheck.objects.get_or_create(
                certificate=check,
                checked_on=v["update_service_checked"],
                defaults={"result": StatusCheckResult.NO_CHANGE, "checked_by": run.started_by},
            )


class VehicleWriter(SourceRecordWriter):
    """Creates or updates licensed vehicles, linked to a driver already imported."""

    source_name = "licensing_vehicles"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        badges = {r.values["badge_number"] for r in rows if r.values["badge_number"]}
        known = set(
            Driver.objects.filter(badge_number__in=badges).values_list("badge_number", flat=True)
        )
        return {
            row.number: RowProblem("badge_number", "is not a driver Safehub knows")
            for row in rows
            if row.values["badge_number"] and row.values["badge_number"] not in known
        }

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        badges = {r.values["badge_number"] for r in rows}
        drivers = dict(
            Driver.objects.filter(badge_number__in=badges).values_list("badge_number", "pk")
        )
        objects: dict[str, int | None] = {}
        for row in rows:
            v = row.values
            vehicle, _ = Vehicle.objects.update_or_create(
                plate_number=v["plate_number"],
                defaults={
                    "vrm": v["vrm"],
                    "make_model": v["make_model"],
                    "colour": v["colour"],
                    "driver_id": drivers.get(v["badge_number"]),
                },
            )
            objects[row.key] = vehicle.pk
        self.remember(rows, run, objects=objects)


DRIVERS = Source(
    name="licensing_drivers",
    version=1,
    title="Licensed drivers",
    file_name="drivers.csv",
    description="Hackney carriage and private hire drivers from the licensing system.",
    columns=(
        Column.text(
            "badge_number",
            required=True,
            max_length=12,
            pattern=BADGE,
            pattern_words="is not a badge number like D0000051",
        ),
        Column.text("given_name", required=True, max_length=100),
        Column.text("family_name", required=True, max_length=100),
        Column.date("date_of_birth", fmt=ISO),
        Column.code("sex", codes=("F", "M", "U")),
        Column.text("address_line1", max_length=200),
        Column.text("town", max_length=100),
        Column.postcode("postcode"),
        Column.code("badge_type", codes=BadgeType.values, required=True),
        Column.date("licence_issued", fmt=ISO),
        Column.date("licence_expires", fmt=ISO),
        Column.text(
            "dbs_certificate",
            max_length=12,
            pattern=r"\d{12}",
            pattern_words="is not a 12-digit DBS certificate number",
        ),
        Column.date("dbs_issued", fmt=ISO),
        Column.code("dbs_level", codes=DbsLevel.values),
        Column.text("update_service_id", max_length=20),
        Column.date("update_service_checked", fmt=ISO),
        Column.text("training_course", max_length=200),
        Column.date("training_completed", fmt=ISO),
        Column.date("nr3_checked", fmt=ISO),
        Column.code("status", codes=("licensed", "applicant")),
    ),
    key=("badge_number",),
    writer=DriverWriter,
    agency_types=("licensing",),
)

VEHICLES = Source(
    name="licensing_vehicles",
    version=1,
    title="Licensed vehicles",
    file_name="vehicles.csv",
    description="Licensed hackney carriages and private hire vehicles, with their driver.",
    columns=(
        Column.text(
            "plate_number",
            required=True,
            max_length=12,
            pattern=r"(HC|PH)\d{6}",
            pattern_words="is not a plate number like HC000001 or PH000002",
        ),
        Column.text("vrm", required=True, max_length=10),
        Column.text("make_model", max_length=100),
        Column.text("colour", max_length=30),
        Column.text(
            "badge_number", max_length=12, pattern=BADGE, pattern_words="is not a badge number"
        ),
    ),
    key=("plate_number",),
    writer=VehicleWriter,
    agency_types=("licensing",),
    after=("licensing_drivers",),
)


def register_sources() -> None:
    register(DRIVERS)
    register(VEHICLES)
