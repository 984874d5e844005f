"""Rates per 10,000 children and their uncertainty: pure functions over plain numbers.

Used by the scale comparison (`scale_selectors.py`); the method and its caveats are in
docs/comparators.md. Nothing here reads the database.

- A rate is count / children aged 0-17 x 10,000.
- Intervals: Wilson score (the count as a proportion of the children) and the exact Poisson
  (Garwood) interval from the chi-squared distribution. Both are given; for counts this small
  against populations this large they agree to a decimal place.
- Funnel limits: the exact Poisson limits around the count expected at the target rate for
  each population (the method of Spiegelhalter 2005 and the PHE funnel-plot tools), at 95%
  and 99.8%.
- A suppressed or missing count or population gives no rate, never an imputed one.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scipy.stats import chi2, norm

PER = 10_000
LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Interval:
    """A rate interval, per 10,000 children."""

    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def z_of(level: float) -> float:
    """The two-sided normal quantile: 1.96 for 95%, 3.09 for 99.8%."""
    return float(norm.ppf(1 - (1 - level) / 2))


def rate(count: int, population: int) -> float:
    """Count per 10,000 of the population. Refuses a population of zero or less."""
    if population <= 0:
        raise ValueError("a rate needs a population above zero")
    if count < 0:
        raise ValueError("a count cannot be negative")
    return count / population * PER


def wilson_interval(count: int, population: int, level: float = 0.95) -> Interval:
    """Wilson score interval for count/population, as a rate per 10,000."""
    rate(count, population)  # the same refusals
    z = z_of(level)
    n = population
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 (and at n) the bound is exactly 0 (1): keep rounding error from leaving the rate out.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return Interval(low * PER, high * PER)


def poisson_count_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count: chi2(a/2, 2k)/2 to chi2(1-a/2, 2k+2)/2."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    alpha = 1 - level
    low = float(chi2.ppf(alpha / 2, 2 * count)) / 2 if count > 0 else 0.0
    high = float(chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return low, high


def poisson_interval(count: int, population: int, level: float = 0.95) -> Interval:
    """Exact Poisson interval for the count, as a rate per 10,000 of the population."""
    rate(count, population)
    low, high = poisson_count_interval(count, level)
    return Interval(low / population * PER, high / population * PER)


def funnel_limits(target_rate: float, population: int, level: float) -> Interval:
    """Control limits (rates per 10,000) for an area of this population around the target
    rate: the exact Poisson limits of the count expected at the target."""
    if population <= 0:
        raise ValueError("a funnel limit needs a population above zero")
    expected = target_rate * population / PER
    low, high = poisson_count_interval(expected, level)
    return Interval(low / population * PER, high / population * PER)


@dataclass(frozen=True)
class FunnelPoint:
    population: int
    limits: dict[float, Interval]


def funnel_curve(
    target_rate: float, smallest: int, largest: int, steps: int = 60
) -> list[FunnelPoint]:
    """The control limits at `steps` populations spaced evenly on a log scale."""
    smallest = max(1, smallest)
    largest = max(largest, smallest + 1)
    ratio = (largest / smallest) ** (1 / (steps - 1))
    populations = sorted({round(smallest * ratio**i) for i in range(steps)} | {largest})
    return [
        FunnelPoint(p, {level: funnel_limits(target_rate, p, level) for level in LEVELS})
        for p in populations
    ]


def funnel_position(count: int, population: int, target_rate: float) -> str:
    """Where an area falls: "above 99.8%", "above 95%", "within", "below 95%", "below 99.8%"."""
    value = rate(count, population)
    outer = funnel_limits(target_rate, population, 0.998)
    inner = funnel_limits(target_rate, population, 0.95)
    if value > outer.high:
        return "above 99.8%"
    if value > inner.high:
        return "above 95%"
    if value < outer.low:
        return "below 99.8%"
    if value < inner.low:
        return "below 95%"
    return "within"


@dataclass(frozen=True)
class GroupSummary:
    """The median and range of the rates that could be computed, and how many could not."""

    median: float | None
    low: float | None
    high: float | None
    used: int
    left_out: int


def summarise(rates: Iterable[float | None]) -> GroupSummary:
    """Median and range of a group's rates; areas with no rate (suppressed) are left out."""
    values = list(rates)
    known = sorted(v for v in values if v is not None)
    if not known:
        return GroupSummary(None, None, None, 0, len(values))
    return GroupSummary(
        statistics.median(known), known[0], known[-1], len(known), len(values) - len(known)
    )


@dataclass(frozen=True)
class AreaRate:
    """One area's published count and population for a year, and what follows from them.

    `status` is the count's letter when it was not published ('c', 'x', 'u', 'z');
    `population_status` the same for the population.
    """

    code: str
    name: str
    level: str
    year: int
    count: int | None
    status: str
    population: int | None
    population_year: int | None
    vintage: str = ""
    population_status: str = ""
    role: str = ""  # home, neighbour, region, england, authority
    rank: int | None = None
    closeness: str = ""

    @property
    def has_rate(self) -> bool:
        return self.count is not None and bool(self.population)

    @property
    def rate(self) -> float | None:
        if self.count is None or not self.population:
            return None
        return rate(self.count, self.population)

    @property
    def wilson(self) -> Interval | None:
        if self.count is None or not self.population:
            return None
        return wilson_interval(self.count, self.population)

    @property
    def poisson(self) -> Interval | None:
        if self.count is None or not self.population:
            return None
        return poisson_interval(self.count, self.population)

    @property
    def shown_count(self) -> str:
        """The count as published: a number, or its letter."""
        return f"{self.count:,}" if self.count is not None else (self.status or "not held")

    @property
    def why_no_rate(self) -> str:
        if self.count is None:
            return {
                "c": "suppressed (small number)",
                "x": "not collected",
                "u": "low reliability",
                "z": "not applicable",
            }.get(self.status, "no published count")
        if not self.population:
            return f"no mid-{self.year} population estimate imported"
        return ""


def rounded(value: float | None, places: int = 1) -> str:
    """A rate for display: one decimal place, or a dash."""
    return "–" if value is None else f"{value:.{places}f}"


def funnel_points(areas: Sequence[AreaRate]) -> list[AreaRate]:
    """The areas that can be placed on a funnel plot (a count and a population)."""
    return [a for a in areas if a.has_rate]
