"""The shapes a problem profile is made of: its audience, sections, tables and scale figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    FULL = "full"
    AGGREGATE = "aggregate"


@dataclass
class Table:
    """One table of figures, with the sources it came from and a note on its quality."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    sources: list[str] = field(default_factory=list)
    note: str = ""
    chart: str = ""  # an SVG of the same figures, shown beside the table
    # Rows may link to a record (analysts only): the URL per row, or "".
    links: list[str] = field(default_factory=list)
    link_column: int = 0  # which cell of a row carries the link

    def rows_with_links(self) -> list[tuple[str, list[Any]]]:
        """Each row with the URL its first cell links to ("" for none)."""
        links = self.links + [""] * (len(self.rows) - len(self.links))
        return list(zip(links, self.rows, strict=False))


@dataclass
class Section:
    id: str
    title: str
    findings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figure: str = ""  # a larger SVG (hotspot map, link chart)
    figure_caption: str = ""


@dataclass
class Profile:
    as_of: date
    start_on: date
    end_on: date
    audience: Audience
    engine: str
    origin: str
    sections: list[Section]
    seconds: float = 0.0
    # For exports and drill-down (analysts only): the network and hotspot results.
    network: Any = None
    network_nodes: list[Any] = field(default_factory=list)
    network_edges: list[Any] = field(default_factory=list)
    hotspots: Any = None

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables() if t.id == table_id), None)


# Where a key leads, for analysts: (kind, key) -> URL or None. Supplied by the view.
Linker = Callable[[str, str], str | None]


def _no_links(_kind: str, _key: str) -> str | None:
    return None


@dataclass
class ScaleFigures:
    """What the scale section shows, worked out by `analytics.comparators` from the
    published figures (the view passes it in, so the profile itself needs no database)."""

    findings: list[str]
    tables: list[Table]
