"""`safehub import`: dry run counts, idempotence, changed rows, rejected rows, XLSX."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from safehub.accounts.models import Agency
from safehub.audit.models import AccessEvent
from safehub.imports.models import ImportRun, SourceRecord
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.imports.conftest import SCHOOLS, pupils_csv, upn, write

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def schools(tmp_path: Path) -> Path:
    path = write(tmp_path / "schools.csv", SCHOOLS)
    run_command("schools", str(path))
    return path


def test_a_dry_run_counts_and_writes_nothing(tmp_path: Path, schools: Path) -> None:
    path = write(tmp_path / "pupils.csv", pupils_csv(3))
    out = run_command("school_census", str(path), "--dry-run")
    assert "3 new, 0 changed, 0 unchanged, 0 rejected" in out
    assert not Person.objects.exists()
    run = ImportRun.objects.get(source="school_census")
    assert run.status == ImportRun.Status.CHECKED and run.new == 3


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tmp_path: Path, schools: Path
) -> None:
    path = write(tmp_path / "pupils.csv", pupils_csv(3))
    run_command("school_census", str(path))
    first = {p.pk: (p.given_name, p.upn, p.school_id) for p in Person.objects.all()}
    records = list(SourceRecord.objects.values_list("source_key", "import_run_id", "source_row"))
    assert len(first) == 3 and all(school for _, _, school in first.values())
    out = run_command("school_census", str(path))
    assert "0 new, 0 changed, 3 unchanged, 0 rejected" in out
    assert {p.pk: (p.given_name, p.upn, p.school_id) for p in Person.objects.all()} == first
    # Unchanged rows still point at the run and file row that wrote them.
    assert list(SourceRecord.objects.values_list("source_key", "import_run_id", "source_row")) == (
        records
    )


def test_a_changed_row_is_updated_and_records_its_run_and_row(
    tmp_path: Path, schools: Path
) -> None:
    run_command("school_census", str(write(tmp_path / "a.csv", pupils_csv(3))))
    changed = pupils_csv(3).replace("Testa2,", "Tessa2,")
    out = run_command("school_census", str(write(tmp_path / "b.csv", changed)))
    assert "0 new, 1 changed, 2 unchanged" in out
    record = SourceRecord.objects.get(source="school_census", source_key="ED000000002")
    assert record.person.given_name == "Tessa2"
    assert record.import_run.file_name == "b.csv" and record.source_row == 3


def test_an_existing_person_with_the_upn_is_linked_not_duplicated(
    tmp_path: Path, schools: Path
) -> None:
    known = Person.objects.create(given_name="Known", family_name="Before", upn=upn(1))
    run_command("school_census", str(write(tmp_path / "p.csv", pupils_csv(2))))
    assert Person.objects.count() == 2
    assert SourceRecord.objects.get(source_key="ED000000001").person == known


def test_rejected_rows_stop_the_import_unless_told_to_skip_them(
    tmp_path: Path, schools: Path
) -> None:
    path = write(tmp_path / "pupils.csv", pupils_csv(4, bad={2: "31/02/2014", 4: ""}))
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError, match="1 rows were rejected, so nothing was imported"):
        run_command("school_census", str(path), "--rejected-file", str(rejected))
    assert not Person.objects.exists()
    # Row numbers count the header as row 1; the reason names the column, not the value.
    with rejected.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["reason"]) for r in rows] == [
        ("3", "date_of_birth is not a date in the form yyyy-mm-dd")
    ]
    assert rows[0]["pupil_id"] == "ED000000002"
    assert oct(rejected.stat().st_mode & 0o777) == "0o600"

    out = run_command("school_census", str(path), "--skip-rejected")
    assert "3 new, 0 changed, 0 unchanged, 1 rejected" in out
    assert "row 3: date_of_birth is not a date in the form yyyy-mm-dd" in out
    assert Person.objects.count() == 3


def test_references_to_unknown_schools_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "pupils.csv", pupils_csv(1))
    with pytest.raises(CommandError):
        run_command("school_census", str(path))
    run = ImportRun.objects.get()
    assert run.rejections == [
        {
            "row": 2,
            "column": "school_urn",
            "reason": "is not a school Safehub knows: import the schools file first",
        }
    ]


def test_a_file_without_the_declared_columns_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "schools.csv", "urn,title\n900000,School\n")
    with pytest.raises(CommandError, match="The file has no column name, phase"):
        run_command("schools", str(path))
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert not Agency.objects.filter(urn="900000").exists()


def test_an_xlsx_file_imports_like_its_csv(tmp_path: Path, schools: Path) -> None:
    book = Workbook()
    sheet = book.active
    for line in csv.reader(StringIO(pupils_csv(2))):
        sheet.append(line)
    path = tmp_path / "pupils.xlsx"
    book.save(path)
    out = run_command("school_census", str(path))
    assert "2 new, 0 changed, 0 unchanged, 0 rejected" in out
    # The same rows as CSV are unchanged: the spreadsheet's values parse the same way.
    out = run_command("school_census", str(write(tmp_path / "p.csv", pupils_csv(2))))
    assert "0 new, 0 changed, 2 unchanged" in out


def test_each_import_is_one_audit_event_with_counts_only(tmp_path: Path, schools: Path) -> None:
    admin = make_user(Role.SYSTEM_ADMIN)
    run_command(
        "school_census", str(write(tmp_path / "p.csv", pupils_csv(2))), "--user", admin.username
    )
    events = AccessEvent.objects.filter(object_type="import_run", user_id=admin.pk)
    assert events.count() == 1
    assert "2 new" in events.get().reason and "Testa" not in events.get().reason


def test_unknown_sources_and_the_missing_user_of_missing_reports(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No source called nope"):
        run_command("nope", str(write(tmp_path / "x.csv", "a\n")))
    with pytest.raises(CommandError, match="--user"):
        run_command("police_missing_reports", str(write(tmp_path / "m.csv", "a\n")))
