"""Placing names on a chart so that no two overlap: a pure function over plain boxes.

The link chart (linkchart.py) asks for a name beside each node, the most important first;
`place_labels` puts each at the first free spot around its node, or leaves it off.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Names on the chart: 12px, cut to LABEL_CHARS with an ellipsis (the full name is in the
# <title>), at most MAX_LABELS of them, the most central first, and only where a name overlaps
# no other name and no shape; the KEY_FIGURES most central may cover lesser shapes.
LABEL_FONT = 12.0
LABEL_CHARS = 22
MAX_LABELS = 80
KEY_FIGURES = 10
# Arial's advance widths as a fraction of the font size, by character class: enough to size a
# label's box. The text is then fitted to that box exactly (textLength), whatever the font.
_NARROW, _SEMI, _WIDE = set("il.,:;'|!Ijft()[] "), set('r-"*'), set("mwMW@%")


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle on the chart (SVG units, y downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True)
class LabelRequest:
    """A node that would like its name on the chart: where its shape is and how big."""

    node_id: str
    name: str
    x: float
    y: float
    extent: float  # half the width of the node's shape
    # A key figure's name may lie over lesser nodes' shapes (it is drawn above them), never
    # over another name or another key figure's shape.
    key: bool = False


@dataclass(frozen=True)
class PlacedLabel:
    """A name placed on the chart: the text drawn (perhaps shortened), the full name, the text's
    anchor point and alignment, and the box it fills."""

    node_id: str
    text: str
    full_name: str
    x: float
    y: float
    anchor: str  # SVG text-anchor: "start", "middle" or "end"
    box: Box


def label_text(name: str, limit: int = LABEL_CHARS) -> str:
    """The name as drawn: cut to `limit` characters with an ellipsis when longer."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def text_width(text: str, size: float = LABEL_FONT) -> float:
    """An estimate of the text's width in Arial at `size`, from character classes."""
    units = 0.0
    for ch in text:
        if ch in _NARROW:
            units += 0.28
        elif ch in _SEMI:
            units += 0.36
        elif ch in _WIDE:
            units += 0.86
        elif ch.isupper():
            units += 0.70
        else:
            units += 0.56
    return units * size


def _label_box(x: float, y: float, width: float, anchor: str) -> Box:
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    # From the baseline: ascenders 0.8 of the font size above, descenders 0.25 below, and a
    # pixel of clear space all round.
    return Box(left - 1, y - 0.8 * LABEL_FONT - 1, left + width + 1, y + 0.25 * LABEL_FONT + 1)


def _spots(r: LabelRequest) -> list[tuple[float, float, str]]:
    """Where a node's name may go, best first: below, above, right, left, then the corners."""
    e, below, above = r.extent, r.y + r.extent + LABEL_FONT + 1, r.y - r.extent - 4
    return [
        (r.x, below, "middle"),
        (r.x, above, "middle"),
        (r.x + e + 4, r.y + 4, "start"),
        (r.x - e - 4, r.y + 4, "end"),
        (r.x + e, below, "start"),
        (r.x - e, below, "end"),
        (r.x + e, above, "start"),
        (r.x - e, above, "end"),
    ]


class _BoxIndex:
    """Boxes bucketed by a coarse grid, so a new box is checked against its neighbours only."""

    CELL = 64.0

    def __init__(self) -> None:
        self.cells: defaultdict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        for cx in range(math.floor(box.x0 / self.CELL), math.floor(box.x1 / self.CELL) + 1):
            for cy in range(math.floor(box.y0 / self.CELL), math.floor(box.y1 / self.CELL) + 1):
                yield cx, cy

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def hits(self, box: Box) -> bool:
        return any(box.overlaps(other) for key in self._keys(box) for other in self.cells[key])


def place_labels(
    requests: Sequence[LabelRequest],
    bounds: Box,
    *,
    max_labels: int = MAX_LABELS,
    limit: int = LABEL_CHARS,
) -> dict[str, PlacedLabel]:
    """Place names on the chart in the order asked (the most important first): each at the
    first of its spots whose box lies inside `bounds` and overlaps no placed name and no
    node's shape (a key figure's name: no key figure's shape). A name with no such spot, or
    past `max_labels`, is left off (its node keeps its tooltip). Pure and deterministic: the
    same requests give the same labels."""
    names, shapes, key_shapes = _BoxIndex(), _BoxIndex(), _BoxIndex()
    for r in requests:
        shape = Box(r.x - r.extent, r.y - r.extent, r.x + r.extent, r.y + r.extent)
        shapes.add(shape)
        if r.key:
            key_shapes.add(shape)
    placed: dict[str, PlacedLabel] = {}
    for r in requests:
        if len(placed) >= max_labels:
            break
        text = label_text(r.name, limit)
        width = text_width(text)
        in_the_way = key_shapes if r.key else shapes
        for x, y, anchor in _spots(r):
            box = _label_box(x, y, width, anchor)
            inside = (
                bounds.x0 <= box.x0
                and box.x1 <= bounds.x1
                and bounds.y0 <= box.y0
                and box.y1 <= bounds.y1
            )
            if inside and not names.hits(box) and not in_the_way.hits(box):
                names.add(box)
                placed[r.node_id] = PlacedLabel(r.node_id, text, r.name, x, y, anchor, box)
                break
    return placed
