"""Rates, intervals and funnel limits, checked against figures worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

from safehub.analytics.comparators import (
    AreaRate,
    funnel_curve,
    funnel_limits,
    funnel_position,
    poisson_count_interval,
    poisson_interval,
    rate,
    summarise,
    wilson_interval,
    z_of,
)

# Coventry, CSE as a factor at the end of assessment, year ending March 2018: 142 episodes,
# 76,037 children aged 0-17 at mid-2018.
COUNT, CHILDREN = 142, 76_037


def test_the_rate_is_per_10000_children() -> None:
    # 142 / 76,037 = 0.0018675..., x 10,000 = 18.675 -> 18.7 (DOMAIN.md 6.3)
    assert rate(COUNT, CHILDREN) == pytest.approx(18.6751, abs=1e-4)
    assert round(rate(COUNT, CHILDREN), 1) == 18.7


def test_the_wilson_interval_by_hand() -> None:
    # p = 142/76037 = 0.00186751; z = 1.959964, z^2 = 3.841459; z^2/n = 5.05209e-5
    # centre = (p + z^2/2n) / (1 + z^2/n) = (0.00186751 + 0.00002526) / 1.0000505 = 0.00189268
    # half = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
    #      = 1.959964 * sqrt(2.45285e-8 + 1.6612e-14) / 1.0000505 = 0.00030790
    # low = 0.00158478 -> 15.85 per 10,000; high = 0.00220057 -> 22.01 per 10,000
    interval = wilson_interval(COUNT, CHILDREN)
    assert interval.low == pytest.approx(15.848, abs=1e-3)
    assert interval.high == pytest.approx(22.006, abs=1e-3)


def test_the_exact_poisson_interval_by_hand() -> None:
    # Garwood: lower = chi2(0.025; 284)/2 = 119.605, upper = chi2(0.975; 286)/2 = 167.370
    # -> 119.605 / 76037 x 10,000 = 15.73 and 167.370 / 76037 x 10,000 = 22.01
    low, high = poisson_count_interval(COUNT)
    assert low == pytest.approx(119.605, abs=1e-3)
    assert high == pytest.approx(167.370, abs=1e-3)
    # The definition, checked directly: at the lower bound seeing 142 or more has chance
    # 2.5%, at the upper bound seeing 142 or fewer has chance 2.5%.
    assert poisson.sf(COUNT - 1, low) == pytest.approx(0.025, abs=1e-6)
    assert poisson.cdf(COUNT, high) == pytest.approx(0.025, abs=1e-6)
    interval = poisson_interval(COUNT, CHILDREN)
    assert (round(interval.low, 2), round(interval.high, 2)) == (15.73, 22.01)


def test_small_counts_by_hand() -> None:
    # 0 events: [0, -ln(0.025)] = [0, 3.689]; 1 event: [0.0253, 5.572]; 5: [1.623, 11.668]
    assert poisson_count_interval(0) == (0.0, pytest.approx(-math.log(0.025)))
    assert poisson_count_interval(1) == (
        pytest.approx(0.02532, abs=1e-5),
        pytest.approx(5.5716, abs=1e-4),
    )
    assert poisson_count_interval(5) == (
        pytest.approx(1.6235, abs=1e-4),
        pytest.approx(11.6683, abs=1e-4),
    )
    # Wilson at zero: low exactly 0; high = z^2/(n + z^2) = 3.8415/1003.8415 -> 38.27 per 10,000
    zero = wilson_interval(0, 1000)
    assert zero.low == 0.0
    assert zero.high == pytest.approx(3.841459 / 1003.841459 * 10_000, abs=1e-3)


def test_funnel_limits_by_hand() -> None:
    # England 17.0 per 10,000; an area of 76,037 children expects 17.0 x 7.6037 = 129.26.
    # 95% limits: chi2(0.025; 258.52)/2 and chi2(0.975; 260.52)/2 = 107.94 and 153.56 events
    # -> 14.20 and 20.20 per 10,000. 99.8%: z = 3.090 -> 12.75 and 22.15.
    inner = funnel_limits(17.0, CHILDREN, 0.95)
    outer = funnel_limits(17.0, CHILDREN, 0.998)
    assert (round(inner.low, 2), round(inner.high, 2)) == (14.20, 20.20)
    assert (round(outer.low, 2), round(outer.high, 2)) == (12.75, 22.15)
    assert z_of(0.998) == pytest.approx(3.0902, abs=1e-4)
    assert funnel_position(COUNT, CHILDREN, 17.0) == "within"
    assert funnel_position(169, CHILDREN, 14.3) == "above 99.8%"  # 22.2 vs limit ~18.7
    assert funnel_position(20, CHILDREN, 14.3) == "below 99.8%"


def test_refusals() -> None:
    with pytest.raises(ValueError, match="population"):
        rate(1, 0)
    with pytest.raises(ValueError, match="negative"):
        rate(-1, 100)
    with pytest.raises(ValueError, match="population"):
        funnel_limits(10.0, 0, 0.95)


def test_neighbour_median_and_range_leave_out_suppressed_areas() -> None:
    # Coventry's 2021 neighbours in 2017-18 (DOMAIN.md 6.3): median 16.9, range 10.6 to 42.7
    rates = [33.4, 17.2, 28.9, 16.9, 15.0, 14.1, 10.6, 12.1, 42.7, 16.8]
    summary = summarise(rates)
    assert (summary.median, summary.low, summary.high) == (pytest.approx(16.85), 10.6, 42.7)
    with_gap = summarise([10.0, None, 30.0])
    assert (with_gap.median, with_gap.used, with_gap.left_out) == (20.0, 2, 1)
    assert summarise([None]).median is None


def test_a_suppressed_count_has_no_rate_and_says_why() -> None:
    area = AreaRate("999", "Smallshire", "authority", 2020, None, "c", 10_000, 2020)
    assert area.rate is None and area.wilson is None and area.poisson is None
    assert area.shown_count == "c"
    assert area.why_no_rate == "suppressed (small number)"
    no_population = AreaRate("331", "Coventry", "authority", 2025, 50, "", None, None)
    assert no_population.rate is None
    assert no_population.why_no_rate == "no mid-2025 population estimate imported"
    zero = AreaRate("998", "Tinyshire", "authority", 2020, 0, "", 10_000, 2020)
    assert zero.rate == 0.0 and zero.shown_count == "0"


counts = st.integers(min_value=0, max_value=5_000)
populations = st.integers(min_value=5_000, max_value=400_000)


@given(count=counts, population=populations)
def test_both_intervals_contain_the_rate(count: int, population: int) -> None:
    value = rate(count, population)
    assert wilson_interval(count, population).contains(value)
    assert poisson_interval(count, population).contains(value)


@given(count=st.integers(min_value=1, max_value=2_000), population=populations)
def test_the_interval_widens_relative_to_the_rate_as_the_count_shrinks(
    count: int, population: int
) -> None:
    # The same rate from a tenth of the children (a tenth of the count) is less certain.
    def relative_width(k: int, n: int) -> float:
        interval = poisson_interval(k, n)
        return (interval.high - interval.low) / rate(k, n)

    big = relative_width(count * 10, population * 10)
    small = relative_width(count, population)
    assert small > big
    w_big = wilson_interval(count * 10, population * 10)
    w_small = wilson_interval(count, population)
    assert w_small.high - w_small.low > w_big.high - w_big.low


@given(
    target=st.floats(min_value=0.5, max_value=60),
    population=st.integers(min_value=1_000, max_value=300_000),
    factor=st.floats(min_value=1.05, max_value=10),
)
def test_funnel_limits_narrow_as_the_population_grows(
    target: float, population: int, factor: float
) -> None:
    larger = int(population * factor)
    for level in (0.95, 0.998):
        small, big = funnel_limits(target, population, level), funnel_limits(target, larger, level)
        assert big.high - big.low < small.high - small.low
        assert small.contains(target) and big.contains(target)
    inner, outer = funnel_limits(target, population, 0.95), funnel_limits(target, population, 0.998)
    assert outer.low <= inner.low and inner.high <= outer.high


def test_the_funnel_curve_spans_the_populations() -> None:
    curve = funnel_curve(15.0, 2_000, 300_000, steps=20)
    assert curve[0].population == 2_000 and curve[-1].population == 300_000
    widths = [p.limits[0.95].high - p.limits[0.95].low for p in curve]
    assert widths == sorted(widths, reverse=True)
