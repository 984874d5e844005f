"""Importing the published DfE/ONS files through the import framework."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from safehub.analytics import scale_selectors as selectors
from safehub.analytics.models import (
    AssessmentFactorCount,
    ChildPopulation,
    ChildrenInNeedCount,
    Factor,
    FigureStatus,
    PublishedAuthority,
    StatisticalNeighbour,
)
from safehub.analytics.published import C3, import_published_files
from safehub.imports.access import SourceTarget
from safehub.imports.models import ImportRun
from safehub.imports.registry import get_source
from safehub.policy import Action, allows
from safehub.policy.roles import AgencyType, Role
from tests.analytics.helpers import DFE_DIR, import_file, import_real_files
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

GEO = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
GEO += "region_name,old_la_code,new_la_code,la_name"
C3_HEADER = (
    f"{GEO},category,Episodes_with_assessment_factor,Going_missing,Child_sexual_exploitation,"
    "Trafficking,Gangs,Child_criminal_exploitation,Other"
)
REGION_ROW = "Reporting year,Regional,E92000001,England,,Midlands,,,,F,1,2,3,4,5,6,7"
LA = "Reporting year,Local authority,E92000001,England,E12000005,West Midlands"


def c3_row(year: int, cse: str, code: str = "331", ecode: str = "E08000026") -> str:
    return f"{year},{LA},{code},{ecode},Testford,Factors,900,40,{cse},5,9,12,1"


def write(tmp_path: Path, name: str, header: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "imports"
    settings.SAFEHUB_IMPORTS_DIR = str(path)
    settings.SAFEHUB_IMPORTS_INLINE = True
    return path


@pytest.fixture
def real() -> dict[str, ImportRun]:
    return import_real_files()


def test_the_real_files_import_and_reproduce_coventrys_cse_counts(
    real: dict[str, ImportRun],
) -> None:
    assert {name: run.status for name, run in real.items()} == dict.fromkeys(
        real, ImportRun.Status.IMPORTED
    )
    assert all(run.rejected == 0 for run in real.values())
    counts = AssessmentFactorCount.objects.filter(area_code="331", factor=Factor.CSE)
    assert list(counts.order_by("year").values_list("value", flat=True)) == [
        142, 159, 137, 169, 75, 72, 80, 50
    ]  # fmt: skip
    coventry = PublishedAuthority.objects.get(old_la_code="331")
    assert (coventry.name, coventry.new_la_code, coventry.region_code) == (
        "Coventry",
        "E08000026",
        "E12000005",
    )
    # Every figure keeps the import run (and so the file) it came from.
    assert counts.first().import_run == real["dfe_c3_factors"]  # type: ignore[union-attr]


def test_the_real_files_reproduce_the_rates_in_domain_section_6(
    real: dict[str, ImportRun],
) -> None:
    # DOMAIN.md 6.3: Coventry's CSE rate per 10,000 and the SN-2021 median, West Midlands and
    # England, for the years ending March 2018 to 2024.
    expected = {
        2018: (18.7, 16.9, 16.4, 17.0),
        2019: (20.8, 15.9, 16.6, 15.9),
        2020: (17.9, 17.4, 15.8, 15.9),
        2021: (22.1, 15.8, 14.8, 14.3),
        2022: (9.6, 11.5, 12.5, 13.7),
        2023: (8.9, 11.5, 12.3, 12.5),
        2024: (9.6, 11.3, 9.9, 11.4),
    }
    rows = {row.year: row for row in selectors.series(Factor.CSE, 2021)}
    for year, (home, median, region, england) in expected.items():
        row = rows[year]
        assert row.home.population_year == year  # the mid-year the reporting year ends in
        assert round(row.home.rate, 1) == home, year  # type: ignore[arg-type]
        assert round(row.summary.median, 1) == median, year  # type: ignore[arg-type]
        assert round(row.region.rate, 1) == region, year  # type: ignore[union-attr,arg-type]
        assert round(row.england.rate, 1) == england, year  # type: ignore[arg-type]
    # Going missing and trafficking, 2017-18: Coventry / SN-2021 median / England.
    for factor, figures in (
        (Factor.MISSING, (24.6, 13.8, 13.7)),
        (Factor.TRAFFICKING, (3.9, 2.5, 1.8)),
    ):
        first_year = selectors.series(factor, 2021)[0]
        assert first_year.year == 2018
        shown = (first_year.home.rate, first_year.summary.median, first_year.england.rate)
        assert tuple(round(v, 1) for v in shown) == figures  # type: ignore[arg-type]
    # 2024-25 has a count but no mid-2025 estimate yet: no rate, and no imputed one.
    assert rows[2025].home.count == 50 and rows[2025].home.rate is None
    # The range of the 2021 neighbours in 2017-18 is 10.6 (Medway) to 42.7 (Tameside).
    first = rows[2018].summary
    assert (round(first.low, 1), round(first.high, 1)) == (10.6, 42.7)  # type: ignore[arg-type]
    # The 2025 model's median differs (19.8 in 2017-18): the lists are kept by model year.
    assert round(selectors.series(Factor.CSE, 2025)[0].summary.median, 1) == 19.8  # type: ignore[arg-type]


def test_population_is_the_year_ending_and_its_vintage_is_kept(
    real: dict[str, ImportRun],
) -> None:
    population = ChildPopulation.objects.get(area_code="331", year=2018)
    assert population.value == 76_037
    assert "ons_mid-year_population_estimates_2012_to_2024.csv" in population.vintage
    comparison = selectors.comparison(Factor.CSE, 2018, 2021)
    assert comparison.home.population == 76_037 and comparison.home.vintage == population.vintage
    # 142 / 76,037 (mid-2018) = 18.7; mid-2017 (75,168) would have given 18.9.
    assert round(comparison.home.rate, 1) == 18.7  # type: ignore[arg-type]


def test_neighbour_lists_are_kept_by_model_year(real: dict[str, ImportRun]) -> None:
    names = {year: [n.name for n in selectors.neighbours_of("331", year)] for year in (2021, 2025)}
    assert names[2021] == [
        "Derby", "Bolton", "Peterborough", "Leeds", "Sheffield", "Portsmouth", "Medway",
        "Walsall", "Tameside", "Southampton",
    ]  # fmt: skip
    assert names[2025][:4] == ["Derby", "Southampton", "Peterborough", "Bolton"]
    closeness = [n.closeness for n in selectors.neighbours_of("331", 2025)]
    assert closeness[:3] == ["very close"] * 3 and closeness[3:] == ["close"] * 7
    # The 2021 file repeats its "SNP" header after each neighbour: every one is kept.
    closeness_2021 = [n.closeness for n in selectors.neighbours_of("331", 2021)]
    assert closeness_2021 == ["very close"] * 3 + ["close"] * 7
    assert selectors.model_years() == [2025, 2021]


def test_suppressed_and_not_collected_stay_distinct_from_zero(real: dict[str, ImportRun]) -> None:
    cce_2018 = AssessmentFactorCount.objects.get(area_code="331", year=2018, factor=Factor.CCE)
    assert (cce_2018.value, cce_2018.status, cce_2018.shown) == (None, "x", "x")
    suppressed = AssessmentFactorCount.objects.filter(status=FigureStatus.SUPPRESSED)
    assert suppressed.exists() and not suppressed.filter(value__isnull=False).exists()
    assert AssessmentFactorCount.objects.filter(value=0, status="").exists()
    coventry_cce = [
        AssessmentFactorCount.objects.get(area_code="331", year=y, factor=Factor.CCE).value
        for y in (2022, 2023, 2024)
    ]
    assert coventry_cce == [84, 113, 120]  # DOMAIN.md 6.3 caveat (1)
    assert ChildrenInNeedCount.objects.filter(area_code="331").exists()


def test_importing_the_same_files_again_changes_nothing(real: dict[str, ImportRun]) -> None:
    before = AssessmentFactorCount.objects.count(), StatisticalNeighbour.objects.count()
    again = import_real_files()
    assert all(run.new == 0 and run.changed == 0 for run in again.values())
    assert all(run.unchanged == real[name].new for name, run in again.items())
    assert (AssessmentFactorCount.objects.count(), StatisticalNeighbour.objects.count()) == before


def test_a_newer_year_in_the_same_layout_adds_that_year(tmp_path: Path) -> None:
    first = import_file("dfe_c3_factors", write(tmp_path, "a.csv", C3_HEADER, [c3_row(2025, "50")]))
    assert first.new == 1
    newer = write(tmp_path, "b.csv", C3_HEADER, [c3_row(2025, "50"), c3_row(2026, "c")])
    run = import_file("dfe_c3_factors", newer)
    assert (run.new, run.unchanged, run.changed) == (1, 1, 0)
    added = AssessmentFactorCount.objects.get(area_code="331", year=2026, factor=Factor.CSE)
    assert (added.value, added.status, added.import_run) == (None, "c", run)
    # A revised figure updates the stored one and records the run that revised it.
    revised = import_file(
        "dfe_c3_factors", write(tmp_path, "c.csv", C3_HEADER, [c3_row(2025, "51")])
    )
    assert revised.changed == 1
    figure = AssessmentFactorCount.objects.get(area_code="331", year=2025, factor=Factor.CSE)
    assert (figure.value, figure.import_run) == (51, revised)
    assert selectors.factor_years() == [2026, 2025]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (c3_row(2025, "fifty"), "Child_sexual_exploitation"),
        (c3_row(2025, "-3"), "Child_sexual_exploitation"),
        (c3_row(2025, "12", code="33"), "old_la_code"),
        (c3_row(2025, "12", ecode="X08000026"), "new_la_code"),
        (c3_row(25, "12"), "time_period"),
        (c3_row(2025, "12", code=""), "old_la_code"),
        (f"2025,{REGION_ROW}", "region_code"),
        ("2025,Reporting year,County,E92000001,England,,,,,,F,1,2,3,4,5,6,7", "geographic_level"),
    ],
)  # fmt: skip
def test_bad_rows_are_rejected_with_a_reason_and_nothing_is_stored(
    tmp_path: Path, row: str, column: str
) -> None:
    path = write(tmp_path, "bad.csv", C3_HEADER, [c3_row(2024, "7"), row])
    run = import_file("dfe_c3_factors", path)
    assert run.status == ImportRun.Status.CHECKED and run.rejected == 1
    assert run.rejections[0]["row"] == 3 and run.rejections[0]["column"] == column
    assert not AssessmentFactorCount.objects.exists()


def test_a_file_of_another_layout_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.csv", "time_period,la_name", ["2025,Testford"])
    run = import_file("dfe_c3_factors", path)
    assert run.status == ImportRun.Status.FAILED and "has no column" in run.error


def test_neighbour_rows_must_name_ten_other_authorities(tmp_path: Path) -> None:
    header = "old_la_code,la_name,region_ind,region_name," + ",".join(
        f"SN_{r},SN_{r}P" for r in range(1, 11)
    )
    good = "331,Coventry,5,West Midlands," + ",".join(f"{800 + r},Close " for r in range(1, 11))
    itself = "332,Dudley,5,West Midlands," + ",".join(f"{331 + r},Close" for r in range(1, 11))
    twice = "333,Sandwell,5,West Midlands," + ",".join(f"{801},Close" for r in range(1, 11))
    vague = "334,Solihull,5,West Midlands," + ",".join(f"{800 + r},Near" for r in range(1, 11))
    run = import_file(
        "dfe_neighbours_2025", write(tmp_path, "sn.csv", header, [good, itself, twice, vague])
    )
    assert run.rejected == 3
    reasons = {r["row"]: r["reason"] for r in run.rejections}
    assert reasons[3] == "is its own neighbour" and reasons[4] == "names a neighbour twice"
    assert reasons[5].startswith("is not a closeness")


def test_the_command_line_imports_a_published_file(tmp_path: Path) -> None:
    out = StringIO()
    path = write(tmp_path, "c3.csv", C3_HEADER, [c3_row(2024, "80")])
    call_command("import", "dfe_c3_factors", str(path), stdout=out)
    assert AssessmentFactorCount.objects.filter(area_code="331", year=2024).count() == 6


def test_the_demo_loader_imports_the_shipped_files_idempotently() -> None:
    user = make_user(Role.SYSTEM_ADMIN)
    first = import_published_files(user)
    second = import_published_files(user)
    assert sum(r.new for r in first.values()) > 0
    assert sum(r.new + r.changed for r in second.values()) == 0
    assert {r.started_by for r in first.values()} == {user}
    assert (DFE_DIR / "README.md").exists()


def test_council_data_officers_and_administrators_may_run_the_sources() -> None:
    council = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))
    police = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.POLICE))
    admin = make_user(Role.SYSTEM_ADMIN)
    analyst = make_user(Role.POLICE_ANALYST, agency=make_agency(AgencyType.POLICE))
    source = get_source("dfe_c3_factors")
    assert source is C3 or source.name == C3.name

    def may(user: Any) -> bool:
        return allows(user, Action.IMPORT_RUN, SourceTarget.for_user(source, user))

    assert may(council) and may(admin)
    assert not may(police) and not may(analyst)


def test_a_council_data_officer_imports_a_newer_year_from_the_import_pages() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import sign_in

    officer = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))
    client = sign_in(Client(), officer)
    text = "\n".join([C3_HEADER, c3_row(2026, "61")]) + "\n"
    file = SimpleUploadedFile("c3_2026.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("imports:new"), {"source": "dfe_c3_factors", "file": file})
    run = ImportRun.objects.get(public_id=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert run.status == ImportRun.Status.CHECKED and run.new == 1
    client.post(reverse("imports:act", kwargs={"public_id": run.public_id}), {"action": "import"})
    figure = AssessmentFactorCount.objects.get(area_code="331", year=2026, factor=Factor.CSE)
    assert figure.value == 61 and figure.import_run.started_by == officer
