"""Importing the licensing system's drivers and vehicles through the import framework."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safehub.imports.models import ImportRun
from safehub.licensing import selectors
from safehub.licensing.models import Driver, Vehicle

pytestmark = pytest.mark.django_db

HEADER = (
    "badge_number,given_name,family_name,date_of_birth,sex,address_line1,town,postcode,"
    "badge_type,licence_issued,licence_expires,dbs_certificate,dbs_issued,dbs_level,"
    "update_service_id,update_service_checked,training_course,training_completed,nr3_checked,"
    "status"
)
COURSE = "Safeguarding and child sexual exploitation awareness"
GOOD = [
    f"D0000051,Arham,Testshah,1987-06-01,M,38 Windsor Grove,Safehub,SH6 1SF,private_hire,"
    f"2025-05-01,2028-04-30,155064808927,2026-06-21,enhanced_barred_lists,,,{COURSE},"
    f"2025-12-25,2025-05-01,licensed",
    f"D0000080,Wojciech,Testmazur,1995-03-27,M,6 Lark Place,Safehub,SH5 3XA,private_hire,"
    f"2026-04-01,2029-03-31,656641162866,2020-03-01,enhanced_barred_lists,C3902623,2026-05-01,"
    f"{COURSE},2023-07-28,2026-04-01,licensed",
    "D0000034,Zakariya,Testmalik,1990-07-22,M,17 Furlong Drive,Safehub,SH5 1WR,dual,"
    "2026-07-26,2029-07-25,,,,,,,,,licensed",
]
BAD = [
    # the licensing system's duplicate record
    f"D0000054R,Asif,Testkarim,2000-04-06,M,27 Poplar Rise,Safehub,SH3 5SQ,private_hire,"
    f"2025-08-16,2028-08-15,175993537523,2021-01-01,enhanced_barred_lists,C1838299,2026-02-20,"
    f"{COURSE},2026-01-12,,licensed",
    # DBS certificate without its date and level
    "D0000060,Bad,Testdbs,1980-01-01,M,1 A Road,Safehub,SH1 1AA,hackney,"
    "2025-01-01,2027-12-31,123456789012,,,,,,,,licensed",
    # a date that is not a date
    "D0000061,Bad,Testdate,1980-13-45,M,1 A Road,Safehub,SH1 1AA,hackney,,,,,,,,,,,licensed",
    # an unknown badge type
    "D0000062,Bad,Testtype,1980-01-01,M,1 A Road,Safehub,SH1 1AA,minicab,,,,,,,,,,,licensed",
    # expiry before issue
    "D0000063,Bad,Testorder,1980-01-01,M,1 A Road,Safehub,SH1 1AA,hackney,"
    "2025-01-01,2024-12-31,,,,,,,,,licensed",
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


def write(tmp_path: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def test_drivers_and_their_records_are_imported(tmp_path: Path) -> None:
    out = run("licensing_drivers", str(write(tmp_path, "drivers.csv", GOOD)))
    assert "3 new, 0 changed, 0 unchanged, 0 rejected" in out
    arham = selectors.driver_by_public_id(Driver.objects.get(badge_number="D0000051").public_id)
    assert arham is not None
    licence = arham.licences.get()
    assert (licence.starts_on, licence.expires_on) == (date(2025, 5, 1), date(2028, 4, 30))
    check = arham.dbs_checks.get()
    assert (check.certificate_number, check.level, check.result) == (
        "155064808927",
        "enhanced_barred_lists",
        "clear",
    )
    assert arham.training.get().expires_on == date(2028, 12, 24)
    register = arham.national_register_checks.get()
    assert register.checked_on == date(2025, 5, 1) and register.checked_by is None
    woj = Driver.objects.get(badge_number="D0000080")
    service = woj.dbs_checks.get()
    assert service.update_service and service.status_checks.get().checked_on == date(2026, 5, 1)
    # An old certificate kept valid by the Update Service; training completed 2023-07-28.
    outcome = selectors.outcome_for(selectors.with_records().get(pk=woj.pk), date(2026, 7, 31))
    assert outcome.codes == ["training_expired", "register_stale"]
    # Importing again changes nothing.
    assert "0 new, 0 changed, 3 unchanged" in run(
        "licensing_drivers", str(tmp_path / "drivers.csv")
    )
    assert Driver.objects.get(badge_number="D0000051").dbs_checks.count() == 1


def test_a_changed_row_updates_the_driver_and_adds_the_new_check(tmp_path: Path) -> None:
    run("licensing_drivers", str(write(tmp_path, "drivers.csv", GOOD[:1])))
    renewed = GOOD[0].replace("2025-12-25,2025-05-01", "2026-07-01,2026-07-20")
    out = run("licensing_drivers", str(write(tmp_path, "drivers2.csv", [renewed])))
    assert "0 new, 1 changed" in out
    driver = Driver.objects.get(badge_number="D0000051")
    assert driver.training.count() == 2 and driver.national_register_checks.count() == 2


def test_bad_rows_are_rejected_with_reasons_and_nothing_is_imported(tmp_path: Path) -> None:
    path = write(tmp_path, "drivers.csv", GOOD + BAD)
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError):
        run("licensing_drivers", str(path), "--rejected-file", str(rejected))
    assert not Driver.objects.exists()
    text = rejected.read_text()
    for reason in (
        "is a duplicate record (the number ends in R)",
        "needs a certificate number, issue date and level",
        "is before the licence was issued",
        "minicab",  # the rejected row itself is kept in the file for correction
    ):
        assert reason in text
    run_ = ImportRun.objects.filter(source="licensing_drivers").latest("started_at")
    assert run_.rejected == 5
    reasons = " ".join(r["reason"] for r in run_.rejections)
    assert "Testdbs" not in reasons  # reasons never repeat values


def test_skip_rejected_imports_the_good_rows(tmp_path: Path) -> None:
    out = run(
        "licensing_drivers", str(write(tmp_path, "drivers.csv", GOOD + BAD)), "--skip-rejected"
    )
    assert "3 new" in out and "5 rejected" in out
    assert set(Driver.objects.values_list("badge_number", flat=True)) == {
        "D0000051",
        "D0000080",
        "D0000034",
    }


def test_vehicles_need_a_known_driver(tmp_path: Path) -> None:
    run("licensing_drivers", str(write(tmp_path, "drivers.csv", GOOD)))
    header = "plate_number,vrm,make_model,colour,badge_number"
    lines = [
        "HC000001,ZL19 HJA,Vauxhall Astra,black,D0000051",
        "PH000002,EJ69 MKO,Mercedes E-Class,black,D0999999",
        "XX000003,EY65 AMA,Audi A4,red,D0000080",
    ]
    path = write(tmp_path, "vehicles.csv", lines, header)
    out = run("licensing_vehicles", str(path), "--skip-rejected")
    assert "1 new" in out and "2 rejected" in out
    assert Vehicle.objects.get().driver == Driver.objects.get(badge_number="D0000051")


def test_the_synthetic_citys_extract_imports(tmp_path: Path) -> None:
    call_command(
        "build_city",
        "--size",
        "small",
        "--seed",
        "2015",
        "--out",
        str(tmp_path / "city"),
        stdout=StringIO(),
    )
    extracts = tmp_path / "city" / "extracts" / "licensing"
    out = run("licensing_drivers", str(extracts / "drivers.csv"), "--skip-rejected")
    assert Driver.objects.count() > 50
    assert "rejected" in out
    run("licensing_vehicles", str(extracts / "vehicles.csv"), "--skip-rejected")
    assert Vehicle.objects.filter(driver__isnull=False).exists()
