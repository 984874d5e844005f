"""Import sources for the published comparator files (DfE and ONS), one per file layout.

The files are the DfE's own (see `analytics/data/dfe/README.md`), imported unchanged: each
source declares the file's own column names. A newer release in the same layout (another
`time_period`) adds that year; a re-import of the same file changes nothing; a revised figure
updates the stored one and records the run that brought it. Registered from
`AnalyticsConfig.ready()`; run with `safehub import dfe_c3_factors FILE` or from the imports
pages (system administrators, and data officers of a council).

What is kept as published, never guessed:
- 'c' (suppressed), 'x' (not collected), 'u' (low reliability) and 'z' (not applicable) are
  stored as the figure's status with no value, distinct from a published zero.
- The 2021 neighbours file repeats its closeness header ("SNP") ten times; the import reader
  names the repeats "SNP_2" to "SNP_10", so each neighbour's closeness is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safehub.analytics.models import (
    AssessmentFactorCount,
    ChildPopulation,
    ChildrenInNeedCount,
    Factor,
    FigureStatus,
    Level,
    NeedMeasure,
    PublishedAuthority,
    PublishedFigure,
    StatisticalNeighbour,
)
from safehub.imports.registry import Column, ParsedRow, RowProblem, Source, register
from safehub.imports.writers import SourceRecordWriter

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

LEVELS = {
    "National": Level.NATIONAL,
    "Regional": Level.REGIONAL,
    "Local authority": Level.AUTHORITY,
}
CELL = r"\d+|[cxuz]"
CELL_WORDS = "is not a whole number or one of the letters c, x, u, z"
LA_CODE = r"\d{3}"
CLOSENESS = r"(?i)(extremely close|very close|close|somewhat close|not close)"
AGE_GROUP = "Children aged 0 to 17 years"

# File column -> what Safehub calls it.
C3_FACTORS = {
    "Child_sexual_exploitation": Factor.CSE,
    "Child_criminal_exploitation": Factor.CCE,
    "Going_missing": Factor.MISSING,
    "Trafficking": Factor.TRAFFICKING,
    "Gangs": Factor.GANGS,
    "Episodes_with_assessment_factor": Factor.ANY,
}
B1_MEASURES = {
    "Anypoint_episodes": NeedMeasure.ANYPOINT_EPISODES,
    "Anypoint_child": NeedMeasure.ANYPOINT_CHILDREN,
    "Started_episodes": NeedMeasure.STARTED_EPISODES,
    "Started_child": NeedMeasure.STARTED_CHILDREN,
    "Ended_episodes": NeedMeasure.ENDED_EPISODES,
    "Ended_child": NeedMeasure.ENDED_CHILDREN,
    "At31_episodes": NeedMeasure.AT_31_MARCH,
    "awaiting_assessment": NeedMeasure.AWAITING_ASSESSMENT,
}


@dataclass(frozen=True)
class PublishedSource(Source):
    """A DfE file: its rows are told apart by geography columns that are empty at the
    national and regional levels, so key columns may be empty (the key is still unique)."""

    def __post_init__(self) -> None:
        names = tuple(c.name for c in self.columns)
        object.__setattr__(self, "column_names", names)
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is declared twice")
        if not self.key or set(self.key) - set(names):
            raise ValueError(f"{self.name}: key columns must be declared columns")


def cell(text: str) -> tuple[int | None, str]:
    """A published cell as (value, status): "142" -> (142, ""), "c" -> (None, "c")."""
    if text.isdigit():
        return int(text), FigureStatus.PUBLISHED
    return None, text


GEOGRAPHY = (
    Column.text("time_period", required=True, pattern=r"\d{4}", pattern_words="is not a year"),
    Column.code("geographic_level", codes=tuple(LEVELS), required=True),
    Column.text(
        "country_code", required=True, pattern=r"E92000001", pattern_words="is not England"
    ),
    Column.text(
        "region_code", max_length=9, pattern=r"E1[23]\d{6}", pattern_words="is not a region code"
    ),
    Column.text("region_name", max_length=60),
    Column.text("old_la_code", max_length=3, pattern=LA_CODE, pattern_words="is not a LA number"),
    Column.text(
        "new_la_code",
        max_length=9,
        pattern=r"E(06|07|08|09|10)\d{6}",
        pattern_words="is not a local authority E-code",
    ),
    Column.text("la_name", max_length=120),
)
GEOGRAPHY_KEY = ("time_period", "geographic_level", "region_code", "old_la_code")


def geography_problem(v: dict[str, Any]) -> RowProblem | None:
    """The codes a row's level needs: an authority both its codes, a region its code."""
    level = LEVELS[v["geographic_level"]]
    if level == Level.AUTHORITY:
        for name in ("old_la_code", "new_la_code", "la_name"):
            if not v[name]:
                return RowProblem(name, "is needed on a local authority row")
    elif level == Level.REGIONAL:
        if not v["region_code"] or v["old_la_code"]:
            return RowProblem("region_code", "is needed (and no LA code) on a regional row")
    elif v["region_code"] or v["old_la_code"]:
        return RowProblem("geographic_level", "is National but the row names an area")
    return None


def area_of(v: dict[str, Any]) -> tuple[str, str, str]:
    """(level, area code, area name) of a row."""
    level = LEVELS[v["geographic_level"]]
    if level == Level.AUTHORITY:
        return level, v["old_la_code"], v["la_name"]
    if level == Level.REGIONAL:
        return level, v["region_code"], v["region_name"]
    return level, v["country_code"], "England"


def note_authorities(rows: Sequence[ParsedRow]) -> None:
    """Create or update the authorities named on these rows (the newest year's names win)."""
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        v = row.values
        if LEVELS[v["geographic_level"]] != Level.AUTHORITY:
            continue
        code = v["old_la_code"]
        if code not in latest or v["time_period"] >= latest[code]["time_period"]:
            latest[code] = v
    known = {a.old_la_code: a for a in PublishedAuthority.objects.filter(old_la_code__in=latest)}
    for code, v in latest.items():
        fields = {
            "new_la_code": v["new_la_code"],
            "name": v["la_name"],
            "region_code": v["region_code"],
            "region_name": v["region_name"],
            "named_in": int(v["time_period"]),
        }
        authority = known.get(code)
        if authority is None:
            PublishedAuthority.objects.create(old_la_code=code, **fields)
        elif fields["named_in"] >= authority.named_in and any(
            getattr(authority, k) != value for k, value in fields.items()
        ):
            PublishedAuthority.objects.filter(pk=authority.pk).update(**fields)


class FigureWriter(SourceRecordWriter):
    """Stores each row's cells as figures of `model`, one per (area, year, `measure_field`)."""

    model: type[PublishedFigure] = AssessmentFactorCount
    measure_field = "factor"
    measures: Mapping[str, str] = C3_FACTORS

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        found = {row.number: geography_problem(row.values) for row in rows}
        return {n: p for n, p in found.items() if p is not None}

    def more_fields(self, run: ImportRun) -> dict[str, Any]:
        return {}

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        note_authorities(rows)
        wanted: dict[tuple[str, int, str], dict[str, Any]] = {}
        for row in rows:
            v = row.values
            level, code, name = area_of(v)
            for column, measure in self.measures.items():
                value, status = cell(v[column])
                wanted[(code, int(v["time_period"]), measure)] = {
                    "level": level,
                    "area_name": name,
                    "value": value,
                    "status": status,
                    "import_run": run,
                    **self.more_fields(run),
                }
        self._store(wanted)
        self.remember(rows, run)

    def _store(self, wanted: dict[tuple[str, int, str], dict[str, Any]]) -> None:
        codes = {code for code, _, _ in wanted}
        years = {year for _, year, _ in wanted}
        stored = {
            (f.area_code, f.year, getattr(f, self.measure_field)): f
            for f in self.model._default_manager.filter(area_code__in=codes, year__in=years)
        }
        new, changed = [], []
        fields = ["level", "area_name", "value", "status", "import_run"]
        for (code, year, measure), values in wanted.items():
            figure = stored.get((code, year, measure))
            if figure is None:
                keys = {"area_code": code, "year": year, self.measure_field: measure}
                new.append(self.model(**keys, **values))
                continue
            for name, value in values.items():
                setattr(figure, name, value)
            changed.append(figure)
        self.model._default_manager.bulk_create(new, batch_size=500)
        self.model._default_manager.bulk_update(changed, fields, batch_size=500)


class FactorWriter(FigureWriter):
    source_name = "dfe_c3_factors"


class NeedWriter(FigureWriter):
    source_name = "dfe_b1_children_in_need"
    model = ChildrenInNeedCount
    measure_field = "measure"
    measures = B1_MEASURES


class PopulationWriter(FigureWriter):
    source_name = "ons_child_population"
    model = ChildPopulation
    measure_field = "age_group"
    measures = {"population_estimate": AGE_GROUP}

    def more_fields(self, run: ImportRun) -> dict[str, Any]:
        return {"vintage": population_vintage(run.file_name)}

    def _store(self, wanted: dict[tuple[str, int, str], dict[str, Any]]) -> None:
        # One population per area and year: the age group is the source's only one.
        codes = {code for code, _, _ in wanted}
        years = {year for _, year, _ in wanted}
        stored = {
            (p.area_code, p.year): p
            for p in ChildPopulation.objects.filter(area_code__in=codes, year__in=years)
        }
        new, changed = [], []
        for (code, year, _), values in wanted.items():
            figure = stored.get((code, year))
            if figure is None:
                new.append(ChildPopulation(area_code=code, year=year, **values))
                continue
            for name, value in values.items():
                setattr(figure, name, value)
            changed.append(figure)
        ChildPopulation.objects.bulk_create(new, batch_size=500)
        fields = ["level", "area_name", "value", "status", "import_run", "vintage"]
        ChildPopulation.objects.bulk_update(changed, fields, batch_size=500)


def population_vintage(file_name: str) -> str:
    """The label kept beside every population: the series and the file it came from."""
    return f"ONS mid-year estimates, children 0-17, as packaged by DfE ({file_name})"


def _cells(names: Sequence[str]) -> tuple[Column, ...]:
    return tuple(
        Column.text(name, required=True, max_length=12, pattern=CELL, pattern_words=CELL_WORDS)
        for name in names
    )


C3 = PublishedSource(
    name="dfe_c3_factors",
    version=1,
    title="DfE Children in Need: factors identified at the end of assessment (C3)",
    file_name="c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
    description=(
        "Assessment episodes in which each factor was recorded, by authority, region and "
        "England, for each reporting year (to 31 March). Safehub keeps CSE, CCE, going "
        "missing, trafficking, gangs and the total; other columns are ignored."
    ),
    columns=(*GEOGRAPHY, *_cells(tuple(C3_FACTORS))),
    key=GEOGRAPHY_KEY,
    writer=FactorWriter,
    agency_types=("council",),
)

B1 = PublishedSource(
    name="dfe_b1_children_in_need",
    version=1,
    title="DfE Children in Need: children in need counts (B1)",
    file_name="b1_children_in_need_2013_to_2025.csv",
    description="Children in need episodes and children, by area and reporting year.",
    columns=(*GEOGRAPHY, *_cells(tuple(B1_MEASURES))),
    key=GEOGRAPHY_KEY,
    writer=NeedWriter,
    agency_types=("council",),
)

POPULATION = PublishedSource(
    name="ons_child_population",
    version=1,
    title="ONS mid-year population estimates: children aged 0 to 17",
    file_name="ons_mid-year_population_estimates_2012_to_2024.csv",
    description=(
        "Children aged 0 to 17 by area and mid-year (time_period = the mid-year). The file's "
        "name is kept beside every population as its vintage."
    ),
    columns=(
        *GEOGRAPHY,
        Column.code("age_group", codes=(AGE_GROUP,), required=True),
        *_cells(("population_estimate",)),
    ),
    key=GEOGRAPHY_KEY,
    writer=PopulationWriter,
    agency_types=("council",),
)


class NeighbourWriter(SourceRecordWriter):
    """Stores an authority's ten neighbours, by rank, for the source's model year."""

    source_name = ""
    model_year = 0
    code_column = ""
    neighbour_column = "SN_{rank}"
    closeness_column = "SN_{rank}P"

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        found: dict[int, RowProblem] = {}
        for row in rows:
            codes = [row.values[self.neighbour_column.format(rank=r)] for r in range(1, 11)]
            if not row.values[self.code_column]:
                if any(codes):
                    found[row.number] = RowProblem(self.code_column, "is needed with neighbours")
            elif not all(codes):
                found[row.number] = RowProblem("", "needs all ten neighbours")
            elif row.values[self.code_column] in codes:
                found[row.number] = RowProblem(self.code_column, "is its own neighbour")
            elif len(set(codes)) != len(codes):
                found[row.number] = RowProblem("", "names a neighbour twice")
        return found

    def closeness(self, row: ParsedRow, rank: int) -> str:
        return str(row.values[self.closeness_column.format(rank=rank)]).strip().lower()

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        # A row with no authority is a heading inside the file ("Old SNs:"): nothing to store,
        # but remembered, so importing the file again finds it unchanged.
        stored = [row for row in rows if row.values[self.code_column]]
        codes = [row.values[self.code_column] for row in stored]
        StatisticalNeighbour.objects.filter(
            model_year=self.model_year, authority_code__in=codes
        ).delete()
        StatisticalNeighbour.objects.bulk_create(
            [
                StatisticalNeighbour(
                    model_year=self.model_year,
                    authority_code=row.values[self.code_column],
                    rank=rank,
                    neighbour_code=row.values[self.neighbour_column.format(rank=rank)],
                    closeness=self.closeness(row, rank),
                    import_run=run,
                )
                for row in stored
                for rank in range(1, 11)
            ]
        )
        self.remember(rows, run)


class Neighbours2021Writer(NeighbourWriter):
    source_name = "dfe_neighbours_2021"
    model_year = 2021
    code_column = "LA number"
    neighbour_column = "SN{rank}"

    def closeness(self, row: ParsedRow, rank: int) -> str:
        # The file repeats "SNP" after each neighbour; the reader numbers the repeats.
        return str(row.values["SNP" if rank == 1 else f"SNP_{rank}"]).strip().lower()


class Neighbours2025Writer(NeighbourWriter):
    source_name = "dfe_neighbours_2025"
    model_year = 2025
    code_column = "old_la_code"


def _neighbour_codes(template: str, *, required: bool = True) -> tuple[Column, ...]:
    return tuple(
        Column.text(
            template.format(rank=rank),
            required=required,
            pattern=LA_CODE,
            pattern_words="is not a LA number",
        )
        for rank in range(1, 11)
    )


# The 2021 file has a heading row ("Old SNs:") before the pre-reorganisation authorities, so
# its columns may be empty; the writer checks that a row with an authority is complete.
NEIGHBOURS_2021 = PublishedSource(
    name="dfe_neighbours_2021",
    version=1,
    title="DfE statistical neighbours, 2021 model",
    file_name="New_Statistical_Neighbour_Groupings_April_2021.csv",
    description="Ten statistical neighbours per authority, closest first (April 2021 model).",
    columns=(
        Column.text("LA number", pattern=LA_CODE, pattern_words="is not a LA number"),
        Column.text("LA Name", max_length=120),
        Column.text("GOReg", max_length=60),
        *_neighbour_codes("SN{rank}", required=False),
        *(
            Column.text(
                "SNP" if rank == 1 else f"SNP_{rank}",
                max_length=20,
                pattern=CLOSENESS,
                pattern_words="is not a closeness",
                required=False,
            )
            for rank in range(1, 11)
        ),
    ),
    key=("LA number",),
    writer=Neighbours2021Writer,
    agency_types=("council",),
)

NEIGHBOURS_2025 = Source(
    name="dfe_neighbours_2025",
    version=1,
    title="DfE statistical neighbours, 2025 model",
    file_name="sn_model_2025_wide.csv",
    description="Ten statistical neighbours per authority, closest first, with closeness.",
    columns=(
        Column.text(
            "old_la_code", required=True, pattern=LA_CODE, pattern_words="is not a LA number"
        ),
        Column.text("la_name", required=True, max_length=120),
        Column.text("region_name", max_length=60),
        *_neighbour_codes("SN_{rank}"),
        *(
            Column.text(
                f"SN_{rank}P",
                required=True,
                max_length=20,
                pattern=CLOSENESS,
                pattern_words="is not a closeness (extremely, very, somewhat or not close)",
            )
            for rank in range(1, 11)
        ),
    ),
    key=("old_la_code",),
    writer=Neighbours2025Writer,
    agency_types=("council",),
)

# In the order they are best imported (populations first, so rates appear with the counts).
PUBLISHED_SOURCES = (POPULATION, C3, B1, NEIGHBOURS_2021, NEIGHBOURS_2025)


def register_sources() -> None:
    for source in PUBLISHED_SOURCES:
        register(source)


DATA_DIR = Path(__file__).resolve().parent / "data" / "dfe"


def import_published_files(user: Any, folder: Path = DATA_DIR) -> dict[str, ImportRun]:
    """Import the five published files in `folder` (default: the copies shipped with Safehub)
    through the import framework, as `user`. Unchanged rows are recognised, so running it
    again changes nothing. Returns the run of each source."""
    from safehub.imports import services

    runs: dict[str, ImportRun] = {}
    for source in PUBLISHED_SOURCES:
        path = folder / source.file_name
        run = services.start_run(
            user=user, source=source, path=path, file_name=path.name, channel="cli"
        )
        runs[source.name] = services.apply_run(run, path=path)
    return runs
