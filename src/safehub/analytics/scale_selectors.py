"""The scale comparison: the published figures read from the database, shaped for the page.

Reads only `analytics` tables, plus counts (never names) from screening and cases for
Safehub's own figure. The arithmetic is in `comparators.py`; the method in
docs/comparators.md.

The population beside a reporting year's count is the ONS mid-year estimate for the year the
reporting year ends in: 2017-18 (time_period 2018) uses mid-2018. That is what reproduces the
published-rate checks (Coventry CSE 142 / 76,037 = 18.7 per 10,000; mid-2017's 75,168 would
give 18.9). A year whose mid-year estimate is not imported has no rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from safehub.analytics import comparators
from safehub.analytics.comparators import AreaRate, GroupSummary
from safehub.analytics.models import (
    AssessmentFactorCount,
    ChildPopulation,
    Factor,
    Level,
    PublishedAuthority,
    StatisticalNeighbour,
)

DEFAULT_HOME_LA = "331"  # Coventry
ENGLAND = "E92000001"
SIDE_BY_SIDE = (Factor.CSE, Factor.CCE, Factor.MISSING)
CHOOSABLE_FACTORS = (Factor.CSE, Factor.CCE, Factor.MISSING, Factor.TRAFFICKING, Factor.GANGS)
LONDON = ZoneInfo("Europe/London")


def home_code() -> str:
    """The partnership's own authority (old three-digit code): SAFEHUB_HOME_LA, default 331."""
    return str(getattr(settings, "SAFEHUB_HOME_LA", DEFAULT_HOME_LA))


def named_home(area: AreaRate) -> AreaRate:
    """The home area under the partnership's own name when SAFEHUB_HOME_LA_NAME sets one (the
    demo's synthetic city uses a real authority's published figures); else as published."""
    configured = str(getattr(settings, "SAFEHUB_HOME_LA_NAME", "") or "")
    return replace(area, name=configured) if configured else area


def factor_years(factor: str = Factor.CSE) -> list[int]:
    """Reporting years (year ending 31 March) with published counts of the factor, newest first."""
    found = AssessmentFactorCount.objects.filter(factor=factor).values_list("year", flat=True)
    return sorted(set(found), reverse=True)


def model_years() -> list[int]:
    """The statistical-neighbour models imported, newest first."""
    found = StatisticalNeighbour.objects.values_list("model_year", flat=True)
    return sorted(set(found), reverse=True)


def _populations(years: set[int]) -> dict[tuple[str, int], ChildPopulation]:
    return {(p.area_code, p.year): p for p in ChildPopulation.objects.filter(year__in=years)}


def _area(
    figure: AssessmentFactorCount | None,
    code: str,
    name: str,
    level: str,
    year: int,
    populations: dict[tuple[str, int], ChildPopulation],
    **extra: Any,
) -> AreaRate:
    population = populations.get((code, year))
    return AreaRate(
        code=code,
        name=figure.area_name if figure is not None else name,
        level=level,
        year=year,
        count=figure.value if figure is not None else None,
        status=figure.status if figure is not None else "",
        population=population.value if population is not None else None,
        population_year=year if population is not None else None,
        vintage=population.vintage if population is not None else "",
        population_status=population.status if population is not None else "",
        **extra,
    )


@dataclass(frozen=True)
class Neighbour:
    code: str
    name: str
    rank: int
    closeness: str


def neighbours_of(code: str, model_year: int) -> list[Neighbour]:
    """An authority's statistical neighbours in one model, closest first."""
    rows = list(StatisticalNeighbour.objects.filter(model_year=model_year, authority_code=code))
    names = dict(
        PublishedAuthority.objects.filter(
            old_la_code__in=[r.neighbour_code for r in rows]
        ).values_list("old_la_code", "name")
    )
    return [
        Neighbour(
            r.neighbour_code, names.get(r.neighbour_code, r.neighbour_code), r.rank, r.closeness
        )
        for r in rows
    ]


@dataclass
class Comparison:
    """One factor in one reporting year: home, neighbours, region, England, every authority."""

    factor: str
    year: int
    model_year: int | None
    home: AreaRate
    neighbours: list[AreaRate]
    summary: GroupSummary
    region: AreaRate | None
    england: AreaRate
    authorities: list[AreaRate] = field(default_factory=list)

    @property
    def factor_label(self) -> str:
        return Factor(self.factor).label

    @property
    def target(self) -> float | None:
        """The funnel plot's centre: England's rate."""
        return self.england.rate

    def position(self, area: AreaRate) -> str:
        if self.target is None or area.count is None or not area.population:
            return ""
        return comparators.funnel_position(area.count, area.population, self.target)


def comparison(
    factor: str, year: int, model_year: int | None, home: str | None = None
) -> Comparison:
    """The comparison of the home authority with its neighbours (in `model_year`'s model),
    its region and England, and every authority for the funnel plot."""
    home = home or home_code()
    counts = {
        f.area_code: f for f in AssessmentFactorCount.objects.filter(factor=factor, year=year)
    }
    populations = _populations({year})
    authority = PublishedAuthority.objects.filter(old_la_code=home).first()
    home_name = authority.name if authority else home
    neighbours = neighbours_of(home, model_year) if model_year else []
    neighbour_rates = [
        _area(
            counts.get(n.code),
            n.code,
            n.name,
            Level.AUTHORITY,
            year,
            populations,
            role="neighbour",
            rank=n.rank,
            closeness=n.closeness,
        )
        for n in neighbours
    ]
    region = None
    if authority is not None and authority.region_code:
        region = _area(
            counts.get(authority.region_code),
            authority.region_code,
            authority.region_name,
            Level.REGIONAL,
            year,
            populations,
            role="region",
        )
    others = [
        _area(f, code, f.area_name, Level.AUTHORITY, year, populations, role="authority")
        for code, f in counts.items()
        if f.level == Level.AUTHORITY
    ]
    return Comparison(
        factor=factor,
        year=year,
        model_year=model_year,
        home=named_home(
            _area(
                counts.get(home), home, home_name, Level.AUTHORITY, year, populations, role="home"
            )
        ),
        neighbours=neighbour_rates,
        summary=comparators.summarise(a.rate for a in neighbour_rates),
        region=region,
        england=_area(
            counts.get(ENGLAND),
            ENGLAND,
            "England",
            Level.NATIONAL,
            year,
            populations,
            role="england",
        ),
        authorities=sorted(others, key=lambda a: a.name),
    )


@dataclass(frozen=True)
class SeriesYear:
    year: int
    home: AreaRate
    summary: GroupSummary
    region: AreaRate | None
    england: AreaRate


def series(factor: str, model_year: int | None, home: str | None = None) -> list[SeriesYear]:
    """The factor over every published year: home, neighbour median and range, region, England
    (oldest first)."""
    home = home or home_code()
    years = sorted(factor_years(factor))
    counts = {
        (f.area_code, f.year): f
        for f in AssessmentFactorCount.objects.filter(factor=factor, year__in=years)
    }
    populations = _populations(set(years))
    authority = PublishedAuthority.objects.filter(old_la_code=home).first()
    neighbours = neighbours_of(home, model_year) if model_year else []
    out = []
    for year in years:
        rates = [
            _area(
                counts.get((n.code, year)), n.code, n.name, Level.AUTHORITY, year, populations
            ).rate
            for n in neighbours
        ]
        region = None
        if authority is not None and authority.region_code:
            code = authority.region_code
            region = _area(
                counts.get((code, year)),
                code,
                authority.region_name,
                Level.REGIONAL,
                year,
                populations,
            )
        out.append(
            SeriesYear(
                year=year,
                home=named_home(
                    _area(
                        counts.get((home, year)),
                        home,
                        authority.name if authority else home,
                        Level.AUTHORITY,
                        year,
                        populations,
                    )
                ),
                summary=comparators.summarise(rates),
                region=region,
                england=_area(
                    counts.get((ENGLAND, year)),
                    ENGLAND,
                    "England",
                    Level.NATIONAL,
                    year,
                    populations,
                ),
            )
        )
    return out


@dataclass(frozen=True)
class FactorsYear:
    """CSE beside CCE and going missing in one year, for home and England."""

    year: int
    home: dict[str, AreaRate]
    england: dict[str, AreaRate]


def factors_side_by_side(home: str | None = None) -> list[FactorsYear]:
    """CSE, CCE and going missing for every year, oldest first: CSE counts fell from 2021-22
    when CCE became its own factor, so they are read together."""
    home = home or home_code()
    figures = AssessmentFactorCount.objects.filter(
        factor__in=SIDE_BY_SIDE, area_code__in=(home, ENGLAND)
    )
    by_key = {(f.area_code, f.year, f.factor): f for f in figures}
    years = sorted({year for _, year, _ in by_key})
    populations = _populations(set(years))
    authority = PublishedAuthority.objects.filter(old_la_code=home).first()
    name = authority.name if authority else home

    def row(code: str, label: str, level: str, year: int) -> dict[str, AreaRate]:
        return {
            factor: _area(by_key.get((code, year, factor)), code, label, level, year, populations)
            for factor in SIDE_BY_SIDE
        }

    return [
        FactorsYear(
            year,
            {f: named_home(a) for f, a in row(home, name, Level.AUTHORITY, year).items()},
            row(ENGLAND, "England", Level.NATIONAL, year),
        )
        for year in years
    ]


# Screening results that say a child is at risk of CSE (the lowest result of each tool,
# "no current risk" and "low", is not counted).
OWN_RISK_CATEGORIES = ("significant_risk", "at_risk", "high", "medium")


@dataclass(frozen=True)
class OwnFigure:
    """Safehub's own count for a reporting year and its rate, with what the rate rests on."""

    year: int
    children: int
    population: int | None
    population_source: str
    counted: str

    @property
    def rate(self) -> float | None:
        if not self.population:
            return None
        return comparators.rate(self.children, self.population)

    @property
    def wilson(self) -> comparators.Interval | None:
        if not self.population:
            return None
        return comparators.wilson_interval(self.children, self.population)

    @property
    def poisson(self) -> comparators.Interval | None:
        if not self.population:
            return None
        return comparators.poisson_interval(self.children, self.population)


def reporting_year(year: int) -> tuple[date, date]:
    """The reporting year ending 31 March `year`: 1 April year-1 to 31 March year."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def own_figures(year: int) -> OwnFigure:
    """Children Safehub knew to be at risk of CSE in the reporting year to 31 March `year`:
    distinct children with a screening in the year whose final result was a risk (see
    OWN_RISK_CATEGORIES), or with a CSE case open at any time in the year. Counts only.

    The rate uses SAFEHUB_CHILD_POPULATION if set; otherwise the children in Safehub's people
    table aged under 18 on 31 March `year` (a floor: it holds only children known to Safehub
    or loaded from partner extracts)."""
    from safehub.cases.models import Case
    from safehub.people.models import Person
    from safehub.screening.models import Screening

    start, end = reporting_year(year)
    screened = Screening.objects.filter(
        screening_date__range=(start, end), final_category__in=OWN_RISK_CATEGORIES
    ).values_list("person_id", flat=True)
    opened_by = datetime.combine(end, time.max, tzinfo=LONDON)
    open_from = datetime.combine(start, time.min, tzinfo=LONDON)
    with_case = Case.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=open_from), opened_at__lte=opened_by
    ).values_list("person_id", flat=True)
    children = len(set(screened) | set(with_case))
    configured = getattr(settings, "SAFEHUB_CHILD_POPULATION", None)
    if configured:
        population, source = int(configured), "the configured child population"
    else:
        eighteen_years_before = date(end.year - 18, end.month, end.day)
        population = Person.objects.filter(date_of_birth__gt=eighteen_years_before).count()
        source = (
            f"children under 18 on 31 March {year} in Safehub's people table (no child "
            "population has been configured for the area)"
        )
    return OwnFigure(
        year=year,
        children=children,
        population=population or None,
        population_source=source,
        counted=(
            "distinct children with a CSE screening result of significant risk, at risk, high "
            "or medium in the year, or a CSE case open at any time in the year"
        ),
    )
