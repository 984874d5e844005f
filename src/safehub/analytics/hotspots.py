"""Hotspots: where events cluster on an H3 hexagon grid, tested with Getis-Ord Gi*.

Events (a child found after going missing, a sighting at a place) become points. Each point
falls in one H3 cell at the chosen resolution; Gi* then asks, for every cell, whether the cell
and its neighbours together hold more events than the study area's average would give them.
Thousands of cells are tested at once, so p-values are corrected for multiple testing
(Benjamini-Hochberg) before a cell is called significant. See
docs/profile-places-and-networks.md for the method and what a hotspot does not mean.

Everything here is deterministic: analytic z-scores and exact binomial p-values, no
permutations.
"""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import h3
import numpy as np
from scipy import sparse, special


@dataclass(frozen=True, slots=True)
class Point:
    """One event at a place. `when` without a time of day (a date-only record) should set
    `timed=False` so it counts by weekday but not by hour."""

    lat: float
    lng: float
    when: datetime | None = None
    place: str = ""
    weight: float = 1.0
    timed: bool = True


@dataclass(frozen=True, slots=True)
class HotspotCell:
    """One H3 cell of the study area with its Gi* result. `rank` is 1 for the hottest.

    Gi* judges a cell with its neighbours, so the empty or quiet cells around a busy one share
    its significance. `peak` marks a significant cell whose own count is also significantly
    more than one cell's share (binomial tail, corrected the same way): the places themselves,
    not the quiet cells beside them."""

    rank: int
    cell: str
    lat: float
    lng: float
    boundary: tuple[tuple[float, float], ...]
    count: float
    z: float
    p: float
    q: float
    significant: bool
    peak: bool
    top_places: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class HotspotResult:
    """Cells sorted by Gi* z descending; `hotspots` are the significant ones."""

    resolution: int
    ring: int
    alpha: float
    points: int
    cells: tuple[HotspotCell, ...]
    cell_edge_m: float

    @property
    def hotspots(self) -> tuple[HotspotCell, ...]:
        return tuple(c for c in self.cells if c.significant)

    @property
    def peaks(self) -> tuple[HotspotCell, ...]:
        return tuple(c for c in self.cells if c.peak)

    def rank_of(self, cell: str, *, peaks_only: bool = False) -> int | None:
        """The rank of a cell among the significant hotspots (or only their peaks), 1 being
        the hottest, or None when the cell is not among them."""
        for position, c in enumerate(self.peaks if peaks_only else self.hotspots, start=1):
            if c.cell == cell:
                return position
        return None


def cell_of(lat: float, lng: float, resolution: int) -> str:
    """The H3 cell (v4 string id) holding a point."""
    return str(h3.latlng_to_cell(lat, lng, resolution))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), same order as `p`."""
    p = np.asarray(p, dtype=float)
    n = p.size
    if n == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * n / np.arange(1, n + 1)
    # Monotone from the largest p down, capped at 1.
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1.0)
    q = np.empty(n)
    q[order] = q_sorted
    return q


def _study_area(occupied: Iterable[str], ring: int) -> list[str]:
    # Occupied cells plus every cell within 2 x ring of one. Every cell within `ring` of an
    # event then has its whole neighbourhood in the area (no edge effect where a hotspot can
    # be), and the outermost cells, whose neighbourhoods are cut, hold no events near them.
    area: set[str] = set()
    for cell in occupied:
        area.update(h3.grid_disk(cell, 2 * ring))
    return sorted(area)


def _neighbours(cells: Sequence[str], ring: int) -> dict[int, list[int]]:
    index = {c: i for i, c in enumerate(cells)}
    return {
        i: [index[n] for n in h3.grid_disk(c, ring) if n != c and n in index]
        for i, c in enumerate(cells)
    }


def _gi_star(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """Gi* z-scores with binary k-ring weights (self included).

    Uses esda.G_Local(star=True) over libpysal weights built from H3 k-ring adjacency
    (permutations=0: the z-scores are analytic and deterministic)."""
    from esda import G_Local
    from libpysal.weights import W

    with warnings.catch_warnings():
        # Separate clusters make the weights "not fully connected": expected, not a fault.
        warnings.simplefilter("ignore", UserWarning)
        w = W(neighbours, id_order=list(range(len(values))), silence_warnings=True)
        # Binary weights; star=True adds each cell to its own neighbourhood (weight 1).
        g = G_Local(values, w, transform="B", permutations=0, star=True)
    return np.asarray(g.Zs, dtype=float)


def _binomial_tail(k: np.ndarray, total: float, share: np.ndarray | float) -> np.ndarray:
    """P(X >= k) for X ~ Binomial(total, share); k may be non-integer (weighted counts)."""
    k = np.asarray(k, dtype=float)
    p = np.ones(k.shape)
    positive = k > 0
    kp = k[positive]
    shares = np.broadcast_to(np.asarray(share, dtype=float), k.shape)[positive]
    p[positive] = special.betainc(kp, np.maximum(total - kp + 1, 1e-12), shares)
    return p


def _own_p(values: np.ndarray) -> np.ndarray:
    """One-sided p-value that a cell alone holds at least its events, at random."""
    return _binomial_tail(values, float(values.sum()), 1.0 / values.size)


def _neighbourhood_p(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """One-sided p-value that a cell's neighbourhood (itself and its ring) holds at least its
    events if the study area's events fell in cells at random: the binomial tail
    P(X >= local sum), X ~ Binomial(total, cells in neighbourhood / cells in area).

    Gi*'s own normal p-value is far too small for sparse counts (three events near each other
    among thousands of empty cells get z near 5), and esda's permutation p-values cannot go
    below 1 / (permutations + 1), too coarse to survive a correction over thousands of cells.
    The binomial tail tests the same null hypothesis exactly and deterministically;
    betainc takes weighted (non-integer) counts too."""
    n = values.size
    local = np.array([values[i] + values[nb].sum() for i, nb in neighbours.items()])
    share = np.array([(1 + len(nb)) / n for nb in neighbours.values()])
    return _binomial_tail(local, float(values.sum()), share)


def gi_star_direct(values: np.ndarray, adjacency: sparse.csr_matrix) -> np.ndarray:
    """Gi* z-scores computed from the textbook formula (Getis and Ord 1995) for a binary
    adjacency that already includes each cell itself. Used to check the library."""
    x = np.asarray(values, dtype=float)
    n = x.size
    mean = x.mean()
    s = np.sqrt((x**2).mean() - mean**2)
    wsum = np.asarray(adjacency.sum(axis=1)).ravel()
    w2sum = np.asarray(adjacency.multiply(adjacency).sum(axis=1)).ravel()
    local = adjacency @ x
    denominator = s * np.sqrt((n * w2sum - wsum**2) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (local - mean * wsum) / denominator
    return np.nan_to_num(z)


def find_hotspots(
    points: Iterable[Point],
    *,
    resolution: int = 9,
    ring: int = 1,
    alpha: float = 0.05,
    area: Collection[str] | None = None,
) -> HotspotResult:
    """Count weighted points per H3 cell and test every cell of the study area with Gi*.

    The study area is the occupied cells and the empty cells within 2 x ring of them, or, when
    `area` is given (H3 cells at `resolution`, e.g. the partnership's area from
    `h3.polygon_to_cells`), those cells and any occupied cell outside them. z is
    Gi*; p is the exact one-sided binomial tail for the cell's neighbourhood (more events than
    its share of the area), corrected with Benjamini-Hochberg; a cell is
    significant when its q-value is at most `alpha` and its z is positive. Refuses a
    resolution outside 0-15, a negative ring or alpha outside (0, 1) (ValueError)."""
    if not 0 <= resolution <= 15:
        raise ValueError("H3 resolution must be 0 to 15")
    if ring < 1:
        raise ValueError("ring must be at least 1")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    counts: dict[str, float] = defaultdict(float)
    places: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for point in points:
        cell = cell_of(point.lat, point.lng, resolution)
        counts[cell] += point.weight
        if point.place:
            places[cell][point.place] += 1
        total += 1
    edge = float(h3.average_hexagon_edge_length(resolution, unit="m"))
    if not counts:
        return HotspotResult(resolution, ring, alpha, 0, (), edge)
    cells = sorted(set(area) | set(counts)) if area else _study_area(counts, ring)
    values = np.array([counts.get(c, 0.0) for c in cells])
    neighbours = _neighbours(cells, ring)
    if np.all(values == values[0]):
        z = np.zeros(len(cells))  # no variation: nothing can stand out
        p = np.ones(len(cells))
    else:
        z = _gi_star(values, neighbours)
        p = _neighbourhood_p(values, neighbours)
    q = benjamini_hochberg(p)
    # Hottest first; equal z (to 9 places) broken by the cell's own count, then the cell id,
    # so a cluster's own cell outranks the neighbours that share its events.
    order = sorted(
        range(len(cells)), key=lambda i: (-round(float(z[i]), 9), -float(values[i]), cells[i])
    )
    significant = (q <= alpha) & (z > 0)
    own_significant = benjamini_hochberg(_own_p(values)) <= alpha
    result = []
    for rank, i in enumerate(order, start=1):
        lat, lng = h3.cell_to_latlng(cells[i])
        result.append(
            HotspotCell(
                rank=rank,
                cell=cells[i],
                lat=float(lat),
                lng=float(lng),
                boundary=tuple((float(a), float(b)) for a, b in h3.cell_to_boundary(cells[i])),
                count=float(values[i]),
                z=float(z[i]),
                p=float(p[i]),
                q=float(q[i]),
                significant=bool(significant[i]),
                peak=bool(significant[i] and own_significant[i]),
                top_places=tuple(
                    sorted(places[cells[i]].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                ),
            )
        )
    return HotspotResult(resolution, ring, alpha, total, tuple(result), edge)


def by_hour(points: Iterable[Point]) -> list[int]:
    """Events per hour of the day (24 counts, 00:00-00:59 first); skips untimed points."""
    hours = [0] * 24
    for point in points:
        if point.when is not None and point.timed:
            hours[point.when.hour] += 1
    return hours


def by_weekday(points: Iterable[Point]) -> list[int]:
    """Events per day of the week (7 counts, Monday first); skips points without a date."""
    days = [0] * 7
    for point in points:
        if point.when is not None:
            days[point.when.weekday()] += 1
    return days


def repeat_locations(points: Iterable[Point], min_count: int = 2) -> list[tuple[str, int]]:
    """Named places with at least `min_count` events, most first (ties by name)."""
    tally = Counter(point.place for point in points if point.place)
    return sorted(
        ((place, n) for place, n in tally.items() if n >= min_count),
        key=lambda kv: (-kv[1], kv[0]),
    )
