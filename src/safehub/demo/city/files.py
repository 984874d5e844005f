"""The output files: every table's path and header, per-chunk part files and their merge.

Each chunk writes its rows to part files (no header); the merge writes each table once, header
first, then the parts in chunk order, so the result does not depend on which process built
which chunk.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import IO, Any

PERSON = ("given_name", "family_name", "date_of_birth", "sex", "address_line1", "town", "postcode")

TABLES: dict[str, tuple[str, ...]] = {
    "extracts/social_care/children.csv": (
        ("sc_id",) + PERSON + ("ethnicity", "nhs_number", "upn", "legal_status")
    ),
    "extracts/social_care/screenings.csv": (
        "screening_id",
        "sc_id",
        "screening_date",
        "tool_id",
        "tool_version",
        "answers",
        "computed_category",
        "computed_rule",
        "computed_indicators",
        "screened_by",
    ),
    "extracts/social_care/referrals.csv": (
        "referral_id",
        "sc_id",
        "screening_id",
        "received_at",
        "status",
    ),
    "extracts/social_care/cases.csv": (
        "case_id",
        "sc_id",
        "referral_id",
        "case_type",
        "opened_on",
        "status",
    ),
    "extracts/social_care/missing_episodes.csv": (
        "episode_id",
        "sc_id",
        "start_date",
        "end_date",
        "episode_type",
        "police_reference",
    ),
    "extracts/social_care/return_interviews.csv": (
        "rhi_id",
        "sc_id",
        "police_reference",
        "offered_on",
        "accepted",
        "completed_on",
    ),
    "extracts/police/persons.csv": ("police_id",) + PERSON + ("ethnic_appearance",),
    "extracts/police/missing_reports.csv": (
        "report_ref",
        "police_id",
        "missing_from",
        "reported_at",
        "found_at",
        "duration_hours",
        "found_location_id",
        "found_description",
        "risk_level",
    ),
    "extracts/police/intelligence.csv": (
        "intel_ref",
        "recorded_on",
        "subject_police_id",
        "other_police_id",
        "location_id",
        "vrm",
        "category",
    ),
    "extracts/police/locations.csv": (
        "location_id",
        "location_type",
        "name",
        "address_line1",
        "postcode",
        "easting",
        "northing",
    ),
    "extracts/police/vehicles.csv": ("vrm", "make_model", "colour", "keeper_police_id"),
    "extracts/education/schools.csv": ("urn", "name", "phase", "address_line1", "postcode"),
    "extracts/education/pupils.csv": (
        ("pupil_id", "upn")
        + PERSON
        + ("ethnicity", "school_urn", "year_group", "sen", "fsm")
        + ("looked_after",)
    ),
    "extracts/education/attendance.csv": ("upn", "school_urn", "week_commencing", "sessions"),
    "extracts/health/patients.csv": ("patient_id", "nhs_number") + PERSON + ("ethnicity",),
    "extracts/health/encounters.csv": ("patient_id", "encounter_date", "setting", "reason"),
    "extracts/licensing/drivers.csv": (
        ("badge_number",)
        + PERSON
        + ("badge_type", "licence_issued", "licence_expires")
        + ("dbs_certificate", "dbs_issued", "dbs_level", "update_service_id")
        + ("update_service_checked", "training_course", "training_completed", "nr3_checked")
        + ("status",)
    ),
    "extracts/licensing/vehicles.csv": (
        "plate_number",
        "vrm",
        "make_model",
        "colour",
        "badge_number",
    ),
    "extracts/workforce/staff.csv": (
        "staff_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "kind",
        "job_title",
        "team",
        "dbs_level",
        "dbs_issued",
        "cse_training_completed",
    ),
    "truth/people.csv": (
        "person_id",
        "kind",
        "given_name",
        "family_name",
        "alt_family_name",
        "sex",
        "date_of_birth",
        "ethnicity",
        "household_id",
        "address_line1",
        "postcode",
        "previous_address_line1",
        "previous_postcode",
        "moved_in",
        "nhs_number",
        "upn",
        "school_urn",
        "year_group",
        "looked_after",
        "sen",
        "fsm",
        "role",
    ),
    "truth/households.csv": ("household_id", "postcode", "previous_postcode", "adults", "children"),
    "truth/records.csv": ("agency", "record_id", "person_id", "errors", "duplicate_of"),
    "truth/children.csv": (
        "person_id",
        "role",
        "network_id",
        "offender_ids",
        "exploitation_began",
        "first_missing_reported_at",
        "matched_to",
        "innocent_reasons",
    ),
    "truth/pupils.csv": (
        "person_id",
        "upn",
        "school_urn",
        "year_group",
        "category",
        "labels",
        "attendance_pattern",
        "pattern_began",
        "joined_on",
        "last_day",
        "moved_from_urn",
        "left_previous_on",
        "study_leave_from",
    ),
    "truth/school_closures.csv": ("school_urn", "date", "reason"),
}


def part_name(table: str, chunk: int) -> str:
    return f"{table.replace('/', '__')}.{chunk:04d}.part"


class PartWriter:
    """Writes one chunk's rows into part files under `parts_dir`, counting rows per table."""

    def __init__(self, parts_dir: Path, chunk: int) -> None:
        self.parts_dir = parts_dir
        self.chunk = chunk
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._files: dict[str, tuple[IO[str], Any]] = {}

    def writer(self, table: str) -> Any:
        """The csv writer of a table's part file (opened on first use)."""
        entry = self._files.get(table)
        if entry is None:
            handle = (self.parts_dir / part_name(table, self.chunk)).open(
                "w", newline="", encoding="utf-8"
            )
            entry = (handle, csv.writer(handle, lineterminator="\n"))
            self._files[table] = entry
        return entry[1]

    def rows(self, table: str, rows: list[tuple[Any, ...]] | list[list[Any]]) -> None:
        """Write rows to a table."""
        self.writer(table).writerows(rows)
        self.counts[table] += len(rows)

    def close(self) -> dict[str, int]:
        for handle, _ in self._files.values():
            handle.close()
        return self.counts


def merge_parts(out: Path, parts_dir: Path, chunks: int) -> None:
    """Write every table under `out`: its header, then its parts in chunk order."""
    for table, header in TABLES.items():
        target = out / table
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow(header)
            for chunk in range(chunks):
                part = parts_dir / part_name(table, chunk)
                if part.exists():
                    with part.open(encoding="utf-8", newline="") as source:
                        shutil.copyfileobj(source, handle, 1 << 20)
                    part.unlink()
    shutil.rmtree(parts_dir, ignore_errors=True)
