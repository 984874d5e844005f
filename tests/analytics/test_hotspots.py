"""Hotspots on hand-made points whose answer is known; properties of the counts and Gi*."""

from __future__ import annotations

import random
from datetime import datetime

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from safehub.analytics.hotspots import (
    Point,
    benjamini_hochberg,
    by_hour,
    by_weekday,
    cell_of,
    find_hotspots,
    gi_star_direct,
    repeat_locations,
)

CENTRE = (52.4080, -1.5106)


def background(n: int, seed: int, spread: float = 0.15) -> list[Point]:
    rng = random.Random(seed)
    return [
        Point(CENTRE[0] + rng.uniform(-spread, spread), CENTRE[1] + rng.uniform(-spread, spread))
        for _ in range(n)
    ]


def test_a_cluster_in_one_hexagon_is_the_top_significant_hotspot() -> None:
    cluster = [Point(*CENTRE, place="Kestrel Noodle Bar") for _ in range(25)]
    result = find_hotspots(cluster + background(200, seed=1), resolution=9)
    top = result.cells[0]
    assert top.cell == cell_of(*CENTRE, 9)
    assert top.rank == 1 and top.significant and top.peak
    assert top.count == 25
    assert top.top_places == (("Kestrel Noodle Bar", 25),)
    assert result.rank_of(top.cell) == 1
    assert result.rank_of(top.cell, peaks_only=True) == 1
    # Background cells are not peaks of any cluster.
    assert result.peaks == (top,)


def test_uniform_points_give_no_significant_hotspot() -> None:
    result = find_hotspots(background(300, seed=2), resolution=9)
    assert result.cells, "the study area has cells"
    assert result.hotspots == ()
    assert result.rank_of(result.cells[0].cell) is None


def test_two_clusters_rank_by_size() -> None:
    big = [Point(*CENTRE) for _ in range(30)]
    other = (CENTRE[0] + 0.05, CENTRE[1] + 0.05)
    small = [Point(*other) for _ in range(15)]
    result = find_hotspots(big + small + background(150, seed=3))
    peaks = [c.cell for c in result.peaks]
    assert peaks[:2] == [cell_of(*CENTRE, 9), cell_of(*other, 9)]


def test_the_study_area_includes_empty_neighbours_with_their_boundaries() -> None:
    result = find_hotspots([Point(*CENTRE)], resolution=8)
    assert len(result.cells) == len(h3.grid_disk(cell_of(*CENTRE, 8), 2))
    assert sum(c.count for c in result.cells) == 1
    assert all(len(c.boundary) == 6 for c in result.cells)
    # One point cannot vary against anything else: no hotspot.
    assert result.hotspots == ()


def test_no_points_give_an_empty_result() -> None:
    result = find_hotspots([])
    assert result.cells == () and result.points == 0


@pytest.mark.parametrize(
    "kwargs", [{"resolution": 16}, {"resolution": -1}, {"ring": 0}, {"alpha": 0.0}]
)
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        find_hotspots([Point(*CENTRE)], **kwargs)  # type: ignore[arg-type]


def test_esda_gi_star_agrees_with_the_textbook_formula() -> None:
    points = [Point(*CENTRE) for _ in range(10)] + background(120, seed=4, spread=0.02)
    result = find_hotspots(points, resolution=9)
    cells = [c.cell for c in result.cells]
    index = {c: i for i, c in enumerate(cells)}
    rows, cols = [], []
    for i, c in enumerate(cells):
        for n in h3.grid_disk(c, 1):
            if n in index:
                rows.append(i)
                cols.append(index[n])
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cells),) * 2)
    direct = gi_star_direct(np.array([c.count for c in result.cells]), adjacency)
    assert [c.z for c in result.cells] == pytest.approx(list(direct), abs=1e-9)


def test_benjamini_hochberg_matches_hand_worked_values() -> None:
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.20]))
    # Sorted p 0.01, 0.03, 0.04, 0.20 scale to 0.04, 0.06, 0.0533, 0.20; monotone from the top.
    assert list(q) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_by_hour_and_by_weekday_count_events() -> None:
    points = [
        Point(*CENTRE, when=datetime(2025, 11, 24, 23, 15)),  # Monday
        Point(*CENTRE, when=datetime(2025, 11, 24, 23, 59)),  # Monday
        Point(*CENTRE, when=datetime(2025, 11, 30, 0, 5)),  # Sunday
        Point(*CENTRE, when=datetime(2025, 11, 28), timed=False),  # Friday, no time
        Point(*CENTRE),
    ]
    hours = by_hour(points)
    assert len(hours) == 24 and hours[23] == 2 and hours[0] == 1 and sum(hours) == 3
    assert by_weekday(points) == [2, 0, 0, 0, 1, 0, 1]


def test_repeat_locations_lists_places_seen_at_least_twice() -> None:
    names = ["Park", "Hotel", "Park", "Car park", "Hotel", "Park", ""]
    points = [Point(*CENTRE, place=name) for name in names]
    assert repeat_locations(points) == [("Park", 3), ("Hotel", 2)]
    assert repeat_locations(points, min_count=3) == [("Park", 3)]


coordinates = st.tuples(
    st.floats(min_value=52.35, max_value=52.45), st.floats(min_value=-1.6, max_value=-1.4)
)


@settings(max_examples=25, deadline=None)
@given(st.lists(coordinates, min_size=1, max_size=60), st.randoms(use_true_random=False))
def test_counts_sum_to_the_points_and_order_does_not_matter(
    coords: list[tuple[float, float]], rnd: random.Random
) -> None:
    points = [Point(lat, lng) for lat, lng in coords]
    result = find_hotspots(points, resolution=8)
    assert sum(c.count for c in result.cells) == pytest.approx(len(points))
    assert [c.rank for c in result.cells] == list(range(1, len(result.cells) + 1))
    shuffled = points[:]
    rnd.shuffle(shuffled)
    again = find_hotspots(shuffled, resolution=8)
    assert {c.cell: c.z for c in again.cells} == pytest.approx({c.cell: c.z for c in result.cells})
    assert {c.cell for c in again.hotspots} == {c.cell for c in result.hotspots}


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=50))
def test_benjamini_hochberg_q_values_are_at_least_p_and_at_most_one(p: list[float]) -> None:
    q = benjamini_hochberg(np.array(p))
    assert np.all(q >= np.array(p) - 1e-12) and np.all(q <= 1.0)


def test_a_given_study_area_replaces_the_default_one() -> None:
    home = cell_of(*CENTRE, 9)
    area = set(h3.grid_disk(home, 6))
    result = find_hotspots([Point(*CENTRE) for _ in range(8)], area=area)
    assert {c.cell for c in result.cells} == area
    assert result.cells[0].cell == home and result.cells[0].significant
