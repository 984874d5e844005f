"""The police extract: persons (nominals) and missing-person reports.

Persons are linked to people Safehub knows by an exact match of normalised given name,
family name and date of birth, else created. Record linkage proper (fuzzy names, swapped
dates) comes later. Missing reports become missing episodes of the linked person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from safehub.imports.models import SourceRecord
from safehub.imports.people_rows import PersonRowWriter, name_key
from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter
from safehub.missing.choices import MissingFrom, PoliceCategory, RiskGrading
from safehub.missing.models import MissingEpisode
from safehub.missing.services import check_imported_episodes
from safehub.people.choices import Ethnicity
from safehub.policy.roles import AgencyType

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

UK_DATE = "%d/%m/%Y"
UK_DATETIME = "%d/%m/%Y %H:%M"
RISK = {
    "absent": RiskGrading.NO_APPARENT_RISK,
    "low": RiskGrading.LOW,
    "medium": RiskGrading.MEDIUM,
    "high": RiskGrading.HIGH,
}

EPISODE_FIELDS = [
    "person",
    "missing_from",
    "category",
    "went_missing_at",
    "reported_at",
    "reported_by",
    "reported_by_agency",
    "police_reference",
    "risk",
    "found_at",
    "found_place",
]


class PoliceNominalWriter(PersonRowWriter):
    """Police persons become people keyed on police_id, linked by exact name and birth date."""

    source_name = "police_persons"

    def person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        # Officer-observed IC codes are not self-defined ethnicity: not stated in the index.
        return {**super().person_fields(values), "ethnicity": Ethnicity.NOT_STATED}

    def identifiers(self, values: dict[str, Any]) -> list[str]:
        key = name_key(values["given_name"], values["family_name"], values["date_of_birth"])
        return [key] if key else []


class MissingReportWriter(SourceRecordWriter):
    """Missing reports become missing episodes of the person the police_id was linked to."""

    source_name = "police_missing_reports"
    persons: dict[str, int]

    def _persons(self, rows: Sequence[ParsedRow]) -> dict[str, int]:
        records = SourceRecord.objects.filter(
            source="police_persons",
            source_key__in={r.values["police_id"] for r in rows},
            person__isnull=False,
        )
        return dict(records.values_list("source_key", "person_id"))

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        self.persons = self._persons(rows)
        found: dict[int, RowProblem] = {}
        for row in rows:
            values = row.values
            if values["police_id"] not in self.persons:
                found[row.number] = RowProblem(
                    "police_id", "is not a police person Safehub knows: import persons first"
                )
            elif values["found_at"] and values["found_at"] < values["reported_at"]:
                found[row.number] = RowProblem("found_at", "is before reported_at")
        return found

    def _fields(self, values: dict[str, Any], run: ImportRun) -> dict[str, Any]:
        risk = values["risk_level"]
        place = values["found_description"]
        if not place and values["found_location_id"]:
            place = f"Police location {values['found_location_id']}"
        return {
            "person_id": self.persons[values["police_id"]],
            "missing_from": values["missing_from"],
            "category": PoliceCategory.ABSENT if risk == "absent" else PoliceCategory.MISSING,
            # The extract has no "last seen" time: the report time stands in for it.
            "went_missing_at": values["reported_at"],
            "reported_at": values["reported_at"],
            "reported_by": "Police missing-persons extract",
            "reported_by_agency": "Police",
            "police_reference": values["report_ref"],
            "risk": RISK[risk],
            "found_at": values["found_at"],
            "found_place": place[:200],
        }

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        if not hasattr(self, "persons") or any(
            r.values["police_id"] not in self.persons for r in rows
        ):
            self.persons = self._persons(rows)
        records = self.records([r.key for r in rows])
        episodes = MissingEpisode.objects.in_bulk(
            [r.object_id for r in records.values() if r.object_id]
        )
        objects: dict[str, int | None] = {}
        persons: dict[str, int | None] = {}
        new: list[tuple[str, MissingEpisode]] = []
        changed: list[MissingEpisode] = []
        assert run.started_by is not None  # the source needs a user (Source.needs_user)
        for row in rows:
            fields = self._fields(row.values, run)
            persons[row.key] = fields["person_id"]
            record = records.get(row.key)
            episode = episodes.get(record.object_id) if record and record.object_id else None
            if episode is None:
                episode = MissingEpisode(
                    **fields,
                    recorded_by=run.started_by,
                    recorded_by_agency_id=run.started_by.agency_id,
                )
                new.append((row.key, episode))
            else:
                for name, value in fields.items():
                    setattr(episode, name, value)
                changed.append(episode)
                objects[row.key] = episode.pk
        MissingEpisode.objects.bulk_create([e for _, e in new], batch_size=500)
        objects.update({key: e.pk for key, e in new})
        MissingEpisode.objects.bulk_update(changed, EPISODE_FIELDS, batch_size=500)
        self.remember(rows, run, persons=persons, objects=objects)
        # As recording them by hand would: recent episodes run the missing-alert triggers.
        check_imported_episodes(
            actor=run.started_by,
            episode_ids=[e.pk for _, e in new] + [e.pk for e in changed],
        )


POLICE_PERSONS = register(
    Source(
        name="police_persons",
        version=1,
        title="Police persons",
        file_name="persons.csv",
        description="People in the police extract; each is a person keyed on police_id, "
        "linked to a person already known by exact name and date of birth.",
        columns=(
            Column.text(
                "police_id",
                required=True,
                max_length=20,
                pattern=r"PN\d{9}",
                pattern_words="is not a police id (PN and 9 digits)",
            ),
            Column.text("given_name", required=True, max_length=100),
            Column.text("family_name", required=True, max_length=100),
            Column.date("date_of_birth", fmt=UK_DATE),
            Column.code("sex", codes=("F", "M", "U"), required=True),
            Column.text("address_line1", max_length=200),
            Column.text("town", max_length=100),
            Column.postcode("postcode"),
            Column.code("ethnic_appearance", codes=tuple(f"IC{n}" for n in range(7))),
        ),
        key=("police_id",),
        writer=PoliceNominalWriter,
        agency_types=(AgencyType.POLICE,),
        after=("school_census", "social_care_children"),
    )
)

POLICE_MISSING_REPORTS = register(
    Source(
        name="police_missing_reports",
        version=1,
        title="Police missing-person reports",
        file_name="missing_reports.csv",
        description="Missing-person reports; each becomes a missing episode of the person "
        "its police_id was linked to, keyed on report_ref.",
        columns=(
            Column.text(
                "report_ref",
                required=True,
                max_length=40,
                pattern=r"MISS/\d{2}/\d{6}",
                pattern_words="is not a report reference (MISS/cc/nnnnnn)",
            ),
            Column.text(
                "police_id",
                required=True,
                max_length=20,
                pattern=r"PN\d{9}",
                pattern_words="is not a police id (PN and 9 digits)",
            ),
            Column.code("missing_from", codes=MissingFrom.values, required=True),
            Column.datetime("reported_at", fmt=UK_DATETIME, required=True),
            Column.datetime("found_at", fmt=UK_DATETIME),
            Column.decimal("duration_hours"),
            Column.text("found_location_id", max_length=20),
            Column.text("found_description", max_length=200),
            Column.code("risk_level", codes=tuple(RISK), required=True),
        ),
        key=("report_ref",),
        writer=MissingReportWriter,
        agency_types=(AgencyType.POLICE,),
        after=("police_persons",),
        needs_user=True,
    )
)
