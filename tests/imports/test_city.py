"""Importing a generated city's extracts, in order, twice; and a database failure mid-import."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError

from safehub.attendance.importer import AttendanceWriter
from safehub.attendance.models import AttendanceWeek
from safehub.imports.city import CITY_FILES, import_city_extracts
from safehub.imports.models import ImportRun, SourceRecord
from safehub.missing.models import MissingEpisode
from safehub.policy.roles import AgencyType, Role
from tests.factories import make_agency, make_user
from tests.scratch_db import BIN

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "small"
    subprocess.run(
        [
            str(BIN / "safehub"),
            "build_city",
            "--size",
            "small",
            "--seed",
            "2015",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_the_city_imports_in_order_and_a_second_time_changes_nothing(city: Path) -> None:
    user = make_user(Role.SYSTEM_ADMIN, agency=make_agency(AgencyType.COUNCIL))
    runs = import_city_extracts(city, user)
    assert list(runs) == [name for name, _ in CITY_FILES]
    assert all(r.status == ImportRun.Status.IMPORTED for r in runs.values())
    attendance = runs["school_attendance"]
    assert attendance.new == AttendanceWeek.objects.count() > 50_000
    week = AttendanceWeek.objects.filter(person__isnull=False).first()
    assert week is not None and week.import_run == attendance and week.source_row >= 2
    episodes = runs["police_missing_reports"].new
    assert episodes == MissingEpisode.objects.count() > 0
    assert SourceRecord.objects.filter(source="police_missing_reports").count() == episodes

    again = import_city_extracts(city / "extracts", user)
    for run in again.values():
        assert (run.new, run.changed) == (0, 0), run.source
        assert run.unchanged == runs[run.source].new + runs[run.source].changed


def test_a_database_failure_part_way_leaves_nothing(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(Role.SYSTEM_ADMIN)
    calls = {"n": 0}
    write = AttendanceWriter.write

    def failing(self: Any, rows: Any, run: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise DatabaseError("connection lost")
        write(self, rows, run)

    monkeypatch.setattr(AttendanceWriter, "write", failing)
    with pytest.raises(Exception, match="school_attendance"):
        import_city_extracts(city, user)
    run = ImportRun.objects.get(source="school_attendance")
    assert run.status == ImportRun.Status.FAILED
    assert run.error == (
        "The import stopped (DatabaseError); nothing of it was saved. You can run it again."
    )
    assert not AttendanceWeek.objects.exists()
    assert ImportRun.objects.get(source="schools").status == ImportRun.Status.IMPORTED
