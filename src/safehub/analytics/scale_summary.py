"""The problem profile's "scale" section, from the imported published comparators.

The latest reporting year with CSE assessment-factor counts, the home authority beside its
statistical neighbours (latest model year), its region and England, with 95% intervals; and
CSE beside child criminal exploitation and going missing. Published aggregates only, so the
same section serves analysts and the board. The full comparison, funnel plot and history are
on the scale page (`scale_views`).
"""

from __future__ import annotations

from datetime import date

from safehub.analytics import comparators
from safehub.analytics.models import Factor
from safehub.analytics.profile import ScaleFigures, Table
from safehub.analytics.scale_selectors import comparison, factor_years, model_years, own_figures

SOURCES = [
    "DfE Children in Need census, table C3 (factors at the end of assessment)",
    "ONS mid-year population estimates, children aged 0 to 17",
    "DfE statistical neighbours",
]
CAVEAT = (
    "Counts are assessment episodes, not children. Differences between areas partly reflect "
    "how well each identifies and records exploitation, not only how much there is. CSE "
    "counts fell in many areas from 2021-22, when child criminal exploitation became its own "
    "factor."
)


def _interval(area: comparators.AreaRate) -> str:
    interval = area.wilson
    if interval is None:
        return area.why_no_rate
    return f"{interval.low:.1f} to {interval.high:.1f}"


def own_line(on: date) -> str:
    """Safehub's own count for the reporting year (to 31 March) that `on` falls in."""
    year = on.year + 1 if on.month >= 4 else on.year
    own = own_figures(year)
    rate = comparators.rounded(own.rate)
    return (
        f"Safehub's own count for the year ending March {year} so far: {own.children:,} "
        f"children at risk of CSE ({rate} per 10,000, on {own.population_source}). It counts "
        f"{own.counted}: not the same measure as the published assessment episodes."
    )


def profile_scale(on: date | None = None) -> ScaleFigures | None:
    years = factor_years(Factor.CSE)
    if not years:
        return None
    models = model_years()
    model_year = max(models) if models else None
    # The latest year the home rate can be worked out (its population estimate imported).
    year = next(
        (y for y in sorted(years, reverse=True) if comparison(Factor.CSE, y, None).home.has_rate),
        max(years),
    )
    rows = []
    findings = []
    for factor in (Factor.CSE, Factor.CCE, Factor.MISSING):
        compared = comparison(factor, year, model_year)
        home = compared.home
        summary = compared.summary
        rows.append(
            [
                compared.factor_label,
                home.shown_count,
                comparators.rounded(home.rate),
                _interval(home),
                comparators.rounded(summary.median),
                comparators.rounded(compared.region.rate) if compared.region else "–",
                comparators.rounded(compared.england.rate),
                compared.position(home) or "–",
            ]
        )
        if factor == Factor.CSE:
            findings.append(
                f"In the year ending March {year}, {home.name} recorded {home.shown_count} "
                f"assessments with CSE as a factor: {comparators.rounded(home.rate)} per "
                f"10,000 children (95% interval {_interval(home)}), against a median of "
                f"{comparators.rounded(summary.median)} among its statistical neighbours "
                f"({model_year} model) and {comparators.rounded(compared.england.rate)} for "
                "England."
            )
    findings.append(own_line(on or date.today()))
    findings.append(CAVEAT)
    table = Table(
        "scale",
        f"Rates per 10,000 children, year ending March {year}",
        [
            "Factor",
            "Count",
            "Rate",
            "95% interval (Wilson)",
            f"Neighbours' median ({model_year} model)",
            "Region",
            "England",
            "Against England (funnel)",
        ],
        rows,
        SOURCES,
        note="The scale page has the neighbours one by one, the funnel plot and earlier years.",
    )
    return ScaleFigures(findings=findings, tables=[table])
