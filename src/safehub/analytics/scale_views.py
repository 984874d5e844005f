"""The scale comparison page (/profile/scale/) and its CSV downloads.

Published aggregates and Safehub's own counts only, for police roles, board members and the
CSE manager (Action.COMPARATORS_VIEW). The choice of factor, year and neighbour model comes
in the query string; a choice that is not on offer is reported and the default used.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.analytics import scale_selectors as selectors
from safehub.analytics.comparators import AreaRate, Interval, rounded
from safehub.analytics.funnel import funnel_svg, series_svg
from safehub.analytics.models import Factor
from safehub.policy import Action, require
from safehub.spreadsheets import safe_cell

TABLES = ("comparison", "authorities", "series", "factors", "own")


@dataclass
class Choice:
    factor: str
    year: int | None
    model_year: int | None
    years: list[int]
    models: list[int]
    errors: list[tuple[str, str]] = field(default_factory=list)


def _choice(request: HttpRequest) -> Choice:
    """The factor, year and model asked for, or the defaults with a reason for each refusal."""
    errors: list[tuple[str, str]] = []
    factor = request.GET.get("factor") or Factor.CSE
    if factor not in selectors.CHOOSABLE_FACTORS:
        errors.append(("factor", "Choose a factor from the list"))
        factor = Factor.CSE
    years = selectors.factor_years(factor)
    models = selectors.model_years()
    year = _pick(request.GET.get("year"), years, "year", "Choose a year from the list", errors)
    model_year = _pick(
        request.GET.get("model"), models, "model", "Choose a neighbour model from the list", errors
    )
    return Choice(factor, year, model_year, years, models, errors)


def _pick(
    raw: str | None, offered: list[int], name: str, message: str, errors: list[tuple[str, str]]
) -> int | None:
    if raw in (None, ""):
        return offered[0] if offered else None
    if raw.isdecimal() and len(raw) < 19 and int(raw) in offered:
        return int(raw)
    errors.append((name, message))
    return offered[0] if offered else None


@login_required
@require_GET
def scale(request: HttpRequest) -> HttpResponse:
    """The home authority's rate beside its statistical neighbours, region and England, with
    intervals, a funnel plot, the rates over time, CSE beside CCE and going missing, and
    Safehub's own figure. `?format=csv&table=NAME` downloads one table."""
    require(request.user, Action.COMPARATORS_VIEW)
    choice = _choice(request)
    if request.GET.get("format") == "csv":
        return _csv(choice, request.GET.get("table", "comparison"))
    context: dict[str, Any] = {
        "choice": choice,
        "errors": choice.errors,
        "factors": [(f.value, f.label) for f in selectors.CHOOSABLE_FACTORS],
        "tables": TABLES,
    }
    if choice.year is None:
        return render(request, "analytics/scale.html", context)
    comparison = selectors.comparison(choice.factor, choice.year, choice.model_year)
    rows = selectors.series(choice.factor, choice.model_year)
    context.update(
        comparison=comparison,
        comparison_rows=[_row(a, comparison.position(a)) for a in _compared(comparison)],
        summary=comparison.summary,
        funnel=funnel_svg(comparison),
        authority_rows=[_row(a, comparison.position(a)) for a in comparison.authorities],
        series=rows,
        series_chart=series_svg(rows, comparison.factor_label, comparison.home.name),
        side_by_side=selectors.factors_side_by_side(),
        side_factors=[(f.value, f.label) for f in selectors.SIDE_BY_SIDE],
        own=selectors.own_figures(choice.year),
        vintage=comparison.home.vintage or comparison.england.vintage,
    )
    return render(request, "analytics/scale.html", context)


def _compared(comparison: selectors.Comparison) -> list[AreaRate]:
    areas = [comparison.home, *comparison.neighbours]
    if comparison.region is not None:
        areas.append(comparison.region)
    return [*areas, comparison.england]


def _interval(interval: Interval | None) -> str:
    return "–" if interval is None else f"{interval.low:.1f} to {interval.high:.1f}"


def _row(area: AreaRate, position: str) -> dict[str, Any]:
    return {
        "area": area,
        "count": area.shown_count,
        "population": f"{area.population:,}" if area.population else "–",
        "rate": rounded(area.rate),
        "wilson": _interval(area.wilson),
        "poisson": _interval(area.poisson),
        "position": position,
        "note": area.why_no_rate,
    }


def _csv(choice: Choice, table: str) -> HttpResponse:
    if table not in TABLES or choice.year is None:
        return HttpResponse(
            "Ask for one of the tables: " + ", ".join(TABLES),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"scale-{table}-{choice.factor}-{choice.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    if table in ("comparison", "authorities"):
        comparison = selectors.comparison(choice.factor, choice.year, choice.model_year)
        areas = _compared(comparison) if table == "comparison" else comparison.authorities
        writer.writerow(AREA_HEADER)
        for area in areas:
            writer.writerow(_area_cells(area, choice, comparison.position(area)))
    elif table == "series":
        writer.writerow(
            ["year_ending_march", "factor", "home_rate", "neighbour_model", "neighbour_median",
             "neighbour_low", "neighbour_high", "neighbours_without_rate", "region_rate",
             "england_rate"]
        )  # fmt: skip
        for row in selectors.series(choice.factor, choice.model_year):
            writer.writerow(
                [row.year, choice.factor, _num(row.home.rate), choice.model_year or "",
                 _num(row.summary.median), _num(row.summary.low), _num(row.summary.high),
                 row.summary.left_out, _num(row.region.rate if row.region else None),
                 _num(row.england.rate)]
            )  # fmt: skip
    elif table == "factors":
        writer.writerow(["year_ending_march", "area", "factor", "count", "population", "rate"])
        for year_row in selectors.factors_side_by_side():
            for group in (year_row.home, year_row.england):
                for factor, area in group.items():
                    writer.writerow(
                        [year_row.year, safe_cell(area.name), factor, area.shown_count,
                         area.population or "", _num(area.rate)]
                    )  # fmt: skip
    else:
        own = selectors.own_figures(choice.year)
        writer.writerow(
            ["year_ending_march", "children", "population", "population_source", "rate",
             "wilson_low", "wilson_high", "counted"]
        )  # fmt: skip
        wilson = own.wilson
        writer.writerow(
            [own.year, own.children, own.population or "", own.population_source,
             _num(own.rate), _num(wilson.low if wilson else None),
             _num(wilson.high if wilson else None), own.counted]
        )  # fmt: skip
    return response


AREA_HEADER = [
    "year_ending_march", "factor", "role", "rank", "closeness", "area_code", "area", "count",
    "population", "population_mid_year", "population_vintage", "rate_per_10000",
    "wilson_95_low", "wilson_95_high", "poisson_95_low", "poisson_95_high", "funnel_position",
    "neighbour_model",
]  # fmt: skip


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _area_cells(area: AreaRate, choice: Choice, position: str) -> list[Any]:
    wilson, poisson = area.wilson, area.poisson
    return [
        area.year, choice.factor, area.role, area.rank or "", area.closeness,
        safe_cell(area.code), safe_cell(area.name), area.shown_count, area.population or "",
        area.population_year or "", safe_cell(area.vintage), _num(area.rate),
        _num(wilson.low if wilson else None),
        _num(wilson.high if wilson else None), _num(poisson.low if poisson else None),
        _num(poisson.high if poisson else None), position, choice.model_year or "",
    ]  # fmt: skip
