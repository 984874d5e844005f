"""What every section builder shares: the snapshot and engine, the facts gathered so far,
and counts, shares and breakdown tables suppressed for the board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from safehub.analytics import charts
from safehub.analytics.engines import Engine
from safehub.analytics.profile.labels import _label
from safehub.analytics.profile.model import Audience, Linker, Table, _no_links
from safehub.analytics.queries import Q
from safehub.analytics.snapshot import Snapshot
from safehub.suppression import (
    WITHHELD,
    is_small,
    share,
    suppress,
    suppress_column,
)


class BuilderBase:
    def __init__(
        self,
        snapshot: Snapshot,
        engine: Engine,
        audience: Audience,
        link: Linker,
        start_on: date,
        end_on: date,
    ) -> None:
        self.snapshot = snapshot
        self.engine = engine
        self.audience = audience
        self.link = link if audience == Audience.FULL else _no_links
        self.start_on = start_on
        self.end_on = end_on
        self.full = audience == Audience.FULL
        self.network: Any = None
        self.nodes: list[Any] = []
        self.edges: list[Any] = []
        self.hotspot_result: Any = None
        self.facts: dict[str, Any] = {}
        self._places: dict[str, dict[str, Any]] = {}
        # A network node's record, for drill-down: node id -> (kind, key).
        self._record_of: dict[str, tuple[str, str]] = {}

    def q(self, name: str) -> list[dict[str, Any]]:
        return self.engine.query(Q[name])

    def one(self, name: str) -> dict[str, Any]:
        rows = self.q(name)
        return {k: (v or 0) for k, v in rows[0].items()} if rows else {}

    def count(self, value: int) -> int | str:
        return value if self.full else suppress(int(value))

    def num(self, value: int) -> str:
        """A count for a sentence: with thousands separators, or suppressed for the board."""
        shown = self.count(value)
        return f"{shown:,}" if isinstance(shown, int) else shown

    def share(self, part: int, whole: int) -> str:
        """A percentage; for the board, not when the part, the whole or the rest is small
        (with the whole published, any of them would reveal a small number)."""
        if not self.full and self._reveals(int(part), int(whole)):
            return "not shown (small numbers)"
        return share(int(part), int(whole))

    @staticmethod
    def _reveals(part: int, whole: int) -> bool:
        return is_small(part) or is_small(whole) or is_small(whole - part)

    def count_of(self, part: int, whole: int) -> int | str:
        """A count out of a published whole: for the board, withheld when the rest is small."""
        if not self.full and whole and not is_small(part) and is_small(whole - part):
            return WITHHELD
        return self.count(part)

    def breakdown(
        self,
        table_id: str,
        title: str,
        rows: list[dict[str, Any]],
        label_key: str,
        count_key: str,
        heading: str,
        count_heading: str,
        sources: list[str],
        note: str = "",
        labeller: Callable[[Any], str] = _label,
    ) -> Table:
        labels = [labeller(row[label_key]) for row in rows]
        counts = [int(row[count_key] or 0) for row in rows]
        shown: list[int | str] = list(counts) if self.full else suppress_column(counts)
        return Table(
            id=table_id,
            title=title,
            columns=[heading, count_heading],
            rows=[[label, value] for label, value in zip(labels, shown, strict=True)],
            sources=sources,
            note=note,
            chart=charts.bar_chart(title, labels, shown) if rows else "",
        )
