"""Importing the HR extract of staff and councillors through the import framework."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from safehub.workforce import selectors
from safehub.workforce.models import StaffMember

pytestmark = pytest.mark.django_db

HEADER = (
    "staff_number,given_name,family_name,date_of_birth,kind,job_title,team,dbs_level,dbs_issued,"
    "cse_training_completed"
)
GOOD = [
    "S00018,Mia,Testgriffiths,1995-01-22,staff,Social worker,Children's social care,enhanced,"
    "2023-10-03,2024-02-27",
    "S00050,Elsie,Testreynolds,1986-12-01,staff,Business support officer,Business support,"
    "enhanced,2024-08-21,",
    "M00069,Tunde,Testadeyemi,1980-05-15,councillor,Councillor,Holbrook ward,basic,2025-07-31,"
    "2026-07-04",
    "M00096,Dwayne,Testrogers,1969-03-17,councillor,Councillor,Radford ward,,,2026-03-15",
]
BAD = [
    "S00099,Wrong,Testkind,1990-01-01,councillor,Councillor,Radford ward,basic,2025-01-01,",
    "S00100,Half,Testdbs,1990-01-01,staff,Social worker,Early help,enhanced,,",
    "S00101,Bad,Testlevel,1990-01-01,staff,Social worker,Early help,gold,2025-01-01,",
    "X00102,Bad,Testnumber,1990-01-01,staff,Social worker,Early help,,,",
    "S00103,,Testnoname,1990-01-01,staff,Social worker,Early help,,,",
]


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "imports"
    settings.SAFEHUB_IMPORTS_DIR = str(path)
    settings.SAFEHUB_IMPORTS_INLINE = True
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, "--no-progress", stdout=out)
    return out.getvalue()


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "staff.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def test_staff_and_councillors_are_imported(tmp_path: Path) -> None:
    out = run("workforce_staff", str(write(tmp_path, GOOD)))
    assert "4 new, 0 changed, 0 unchanged, 0 rejected" in out
    mia = StaffMember.objects.get(staff_number="S00018")
    assert (mia.kind, mia.directorate, mia.works_with_children) == (
        "staff",
        "Children's social care",
        True,
    )
    assert not StaffMember.objects.get(staff_number="S00050").works_with_children
    check = mia.dbs_checks.get()
    assert (check.level, check.issued_on, check.certificate_number, check.result) == (
        "enhanced",
        date(2023, 10, 3),
        "",
        "clear",
    )
    assert mia.training.get().expires_on == date(2027, 2, 26)
    rows = {r.label: r for r in selectors.coverage_on(date(2026, 7, 31))}
    councillors = rows["Councillors"]
    assert (councillors.people, councillors.dbs, councillors.training) == (2, 1, 2)
    assert "0 new, 0 changed, 4 unchanged" in run("workforce_staff", str(tmp_path / "staff.csv"))


def test_an_import_never_clears_regulated_activity(tmp_path: Path) -> None:
    run("workforce_staff", str(write(tmp_path, GOOD[:1])))
    StaffMember.objects.filter(staff_number="S00018").update(regulated_activity=True)
    changed = GOOD[0].replace("Social worker", "Senior practitioner")
    assert "1 changed" in run("workforce_staff", str(write(tmp_path, [changed])))
    member = StaffMember.objects.get(staff_number="S00018")
    assert member.regulated_activity and member.job_title == "Senior practitioner"


@override_settings(SAFEHUB_WORKFORCE={"not_child_facing_titles": []})
def test_child_facing_titles_are_configurable(tmp_path: Path) -> None:
    run("workforce_staff", str(write(tmp_path, GOOD[1:2])))
    assert StaffMember.objects.get(staff_number="S00050").works_with_children


def test_bad_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError):
        run("workforce_staff", str(write(tmp_path, GOOD + BAD)), "--rejected-file", str(rejected))
    assert not StaffMember.objects.exists()
    text = rejected.read_text()
    assert "does not match the number" in text
    assert "must be given together" in text
    assert "is not one of" in text
    assert "is not a staff number" in text
    out = run("workforce_staff", str(tmp_path / "staff.csv"), "--skip-rejected")
    assert "4 new" in out and "5 rejected" in out
    assert StaffMember.objects.count() == 4
