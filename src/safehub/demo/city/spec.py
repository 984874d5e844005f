"""What to build: city sizes, the academic year, and the error rates of the agency extracts.

A city is built in chunks (boroughs). Each chunk is generated from its own seed, derived from
the city seed and the chunk number, so a chunk's output never depends on how many processes
built the city or in what order: the files stay byte-identical for a given size and seed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from datetime import date

# Error kinds, in the order they are applied to a record. Each rate is the probability that a
# record *to which the error can apply* gets it (a nickname needs a name with a nickname; a
# day/month swap needs a day of 12 or less that differs from the month).
ERROR_KINDS = (
    "nickname",
    "surname_change",
    "typo",
    "name_order_swapped",
    "dob_missing",
    "dob_day_month_swapped",
    "old_address",
    "duplicate",
)

DEFAULT_ERROR_RATES: dict[str, float] = {
    "typo": 0.03,
    "nickname": 0.08,
    "name_order_swapped": 0.01,
    "surname_change": 0.02,
    "dob_day_month_swapped": 0.02,
    "dob_missing": 0.02,
    "old_address": 0.05,
    "duplicate": 0.03,
}


@dataclass(frozen=True)
class CitySpec:
    """The shape of one synthetic city."""

    size: str
    seed: int
    chunks: int
    children_per_chunk: int
    schools_per_chunk: tuple[int, int]  # (primary, secondary)
    networks_per_chunk: int
    drivers_per_chunk: int
    council_staff: int
    councillors: int
    # Academic year starting in September of this year; the city's "today" is its last day.
    year: int = 2025
    error_rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_ERROR_RATES))

    @property
    def children(self) -> int:
        return self.chunks * self.children_per_chunk

    @property
    def as_of(self) -> date:
        """The city's 'today': the end of the academic year generated."""
        return date(self.year + 1, 7, 31)

    def chunk_seed(self, chunk: int, purpose: str = "chunk") -> int:
        """A seed for one chunk (or one purpose), independent of every other chunk."""
        digest = hashlib.sha256(f"{self.size}:{self.seed}:{purpose}:{chunk}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def rng(self, chunk: int, purpose: str = "chunk") -> random.Random:
        """A random generator for one chunk and purpose."""
        return random.Random(self.chunk_seed(chunk, purpose))


SIZES: dict[str, dict[str, object]] = {
    # ~2,000 children, ~10 schools, 1 network, ~100 drivers: for tests, in seconds.
    "small": {
        "chunks": 1,
        "children_per_chunk": 2000,
        "schools_per_chunk": (7, 3),
        "networks_per_chunk": 1,
        "drivers_per_chunk": 100,
        "council_staff": 60,
        "councillors": 54,
    },
    # Coventry's size: ~80,000 children, ~120 schools, 4 networks, 1,500 drivers.
    "city": {
        "chunks": 2,
        "children_per_chunk": 40000,
        "schools_per_chunk": (50, 10),
        "networks_per_chunk": 2,
        "drivers_per_chunk": 750,
        "council_staff": 400,
        "councillors": 54,
    },
    # ~1,000,000 children, streamed to files chunk by chunk for the benchmarks.
    "region": {
        "chunks": 25,
        "children_per_chunk": 40000,
        "schools_per_chunk": (50, 10),
        "networks_per_chunk": 2,
        "drivers_per_chunk": 750,
        "council_staff": 400,
        "councillors": 54,
    },
}


def make_spec(
    size: str,
    seed: int,
    *,
    error_rates: dict[str, float] | None = None,
    year: int | None = None,
) -> CitySpec:
    """The spec for a named size. Refuses an unknown size, error kind, or a rate outside 0..1."""
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}: choose one of {', '.join(SIZES)}")
    rates = dict(DEFAULT_ERROR_RATES)
    for kind, rate in (error_rates or {}).items():
        if kind not in rates:
            raise ValueError(f"Unknown error kind {kind!r}: choose from {', '.join(ERROR_KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"Error rate for {kind} must be between 0 and 1, not {rate}")
        rates[kind] = rate
    spec = CitySpec(size=size, seed=seed, error_rates=rates, **SIZES[size])  # type: ignore[arg-type]
    return replace(spec, year=year) if year is not None else spec


def parse_error_rates(text: str) -> dict[str, float]:
    """Parse `typo=0.05,dob_missing=0.1` into a dict. Refuses anything else."""
    rates: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"Write error rates as kind=rate, not {part!r}")
        try:
            rates[kind.strip()] = float(value)
        except ValueError as exc:
            raise ValueError(f"Error rate for {kind.strip()} is not a number: {value!r}") from exc
    return rates
