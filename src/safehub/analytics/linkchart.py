"""SVG drawings of a network (a link chart) and of hotspot hexagons, for inline use in a page.

Both are deterministic and safe under a strict Content-Security-Policy: no scripts, no event
handler attributes, no `style=` attributes (presentation attributes and classes only); every
text is escaped. Kind is shown by shape AND colour AND a text label, never colour alone.
Names are placed so that none overlaps another or a shape (chart_labels.py): the most central
first, long ones shortened, every node's full name in its <title>.
static/analytics/linkchart.js adds highlighting, a community filter and pan/zoom, reading the
data-* attributes written here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from safehub.analytics.chart_labels import (
    KEY_FIGURES,
    LABEL_FONT,
    MAX_LABELS,
    Box,
    LabelRequest,
    PlacedLabel,
    place_labels,
)
from safehub.analytics.hotspots import HotspotResult
from safehub.analytics.networks import Edge, NetworkResult, Node, merge_edges

WIDTH, HEIGHT, MARGIN = 960, 720, 40
KIND_STYLE = {
    # kind: (shape, fill, legend text)
    "child": ("circle", "#1d70b8", "Child"),
    "person_of_interest": ("diamond", "#d4351c", "Person of interest"),
    "person": ("circle", "#b1b4b6", "Other adult"),
    "location": ("square", "#00703c", "Location"),
    "vehicle": ("triangle", "#f47738", "Vehicle"),
}
# Community outline colours (GOV.UK palette); communities beyond these share grey.
COMMUNITY_COLOURS = (
    "#4c2c92",
    "#28a197",
    "#912b88",
    "#85994b",
    "#5694ca",
    "#f499be",
    "#b58840",
    "#6f72af",
)
Z_BANDS = (  # (lower z, fill, legend text): white to dark red
    (3.29, "#942514", "z ≥ 3.29 (p < 0.001)"),
    (2.58, "#d4351c", "z 2.58 to 3.29"),
    (1.96, "#f47738", "z 1.96 to 2.58"),
    (1.0, "#ffdd00", "z 1 to 1.96"),
    (-math.inf, "#f3f2f1", "z below 1"),
)
# Under the legend: which nodes are named on the chart (chart_labels.place_labels decides).
LABEL_NOTE = (
    "Names are shown for the most central people, places and vehicles where they fit; point at "
    "or focus any shape for its full name."
)


def _no_link(_node: Node) -> str | None:
    return None


def _community_colour(community: int) -> str:
    return COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)] if community else "#505a5f"


def _shape(kind: str, x: float, y: float, r: float, fill: str, stroke: str) -> str:
    shape = KIND_STYLE[kind][0]
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="3"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    if shape == "square":
        side = f"{2 * r:.1f}"
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{side}" height="{side}" {paint}/>'
    if shape == "diamond":
        pts = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    else:  # triangle
        pts = [(x, y - r * 1.3), (x + r * 1.2, y + r), (x - r * 1.2, y + r)]
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
    return f'<polygon points="{points}" {paint}/>'


def _select_nodes(nodes: list[Node], result: NetworkResult, max_nodes: int) -> list[Node]:
    # Keep the highest-ranked communities whole until the budget runs out.
    if len(nodes) <= max_nodes:
        return nodes
    rank = {n.id: result.metrics[n.id].community for n in nodes}
    ordered = sorted(nodes, key=lambda n: (rank[n.id], n.id))
    return ordered[:max_nodes]


def _layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own (spring layout, fixed seed: the same graph
    always draws the same way), then the components packed in rows, largest first, each in a
    square whose side grows with the square root of its size."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    sides = [math.sqrt(len(c)) for c in parts]
    row_width = max(sum(sides) / math.sqrt(len(parts)) * 1.2, sides[0])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        sub = graph.subgraph(part)
        if len(part) == 1:
            local = {next(iter(part)): (0.5, 0.5)}
        else:
            raw = nx.spring_layout(sub, seed=7, k=1.5 / math.sqrt(len(part)), iterations=100)
            xs = [float(p[0]) for p in raw.values()]
            ys = [float(p[1]) for p in raw.values()]
            span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
            local = {
                n: ((float(p[0]) - min(xs)) / span, (float(p[1]) - min(ys)) / span)
                for n, p in raw.items()
            }
        inner = side * 0.8  # a gap between components
        for n, (lx, ly) in local.items():
            pos[n] = (x + side * 0.1 + lx * inner, y + side * 0.1 + ly * inner)
        x += side
        row_height = max(row_height, side)
    return pos


def _fit(
    pos: dict[str, tuple[float, float]], width: float, height: float
) -> dict[str, tuple[float, float]]:
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    scale = min(width / ((max(xs) - min(xs)) or 1.0), height / ((max(ys) - min(ys)) or 1.0))
    return {
        n: (MARGIN + (x - min(xs)) * scale, MARGIN + (y - min(ys)) * scale)
        for n, (x, y) in pos.items()
    }


def _legend_items(y0: float, kinds: Iterable[str]) -> list[str]:
    out = ['<g class="linkchart-legend" aria-hidden="true">']
    for i, kind in enumerate(kinds):
        x = MARGIN + i * 170
        out.append(_shape(kind, x, y0, 7, KIND_STYLE[kind][1], "#0b0c0c"))
        out.append(
            f'<text x="{x + 14}" y="{y0 + 5}" font-size="14" fill="#0b0c0c">'
            f"{escape(KIND_STYLE[kind][2])}</text>"
        )
    out.append("</g>")
    return out


@dataclass(frozen=True)
class ChartLayout:
    """Everything the link chart draws, decided before any drawing: the nodes and merged links
    drawn, each node's place and size, and the names placed on the chart."""

    drawn: list[Node]
    links: list[Edge]
    pos: dict[str, tuple[float, float]]
    radius: dict[str, float]
    labels: dict[str, PlacedLabel]


def _extent(kind: str, r: float) -> float:
    # Diamonds and triangles reach further than the radius (see _shape).
    return r if KIND_STYLE[kind][0] in ("circle", "square") else r * 1.3


def chart_layout(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    result: NetworkResult,
    *,
    max_nodes: int = 400,
    max_labels: int = MAX_LABELS,
) -> ChartLayout:
    """Lay out the link chart: at most `max_nodes` nodes (the highest-ranked communities whole
    first), placed by `_layout`, sized by degree, and names for the most central (betweenness,
    then degree) placed by `place_labels` where they overlap no other name and no shape (the
    KEY_FIGURES most central: no key figure's shape). Deterministic."""
    by_id = {n.id: n for n in nodes}
    drawn = _select_nodes(sorted(by_id.values(), key=lambda n: n.id), result, max_nodes)
    drawn_ids = {n.id for n in drawn}
    links = merge_edges(edges, drawn_ids)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(drawn_ids))
    graph.add_edges_from((e.a, e.b) for e in links)
    pos = _fit(_layout(graph), WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - 40)
    radius = {n.id: 8.0 + min(result.metrics[n.id].degree, 12) * 0.6 for n in drawn}
    central = sorted(
        drawn,
        key=lambda n: (-result.metrics[n.id].betweenness, -result.metrics[n.id].degree, n.id),
    )
    requests = [
        LabelRequest(n.id, n.label, *pos[n.id], _extent(n.kind, radius[n.id]), i < KEY_FIGURES)
        for i, n in enumerate(central)
    ]
    # Names stay above the legend.
    labels = place_labels(requests, Box(0, 0, WIDTH, HEIGHT - 32), max_labels=max_labels)
    return ChartLayout(drawn, links, pos, radius, labels)


def _label_svg(label: PlacedLabel) -> str:
    """A placed name on a pale backing, fitted to its box; the full name as its tooltip."""
    box = label.box
    full = f"<title>{escape(label.full_name)}</title>" if label.text != label.full_name else ""
    return (
        f"<g data-label-for={quoteattr(label.node_id)}>"
        f'<rect x="{box.x0:.1f}" y="{box.y0:.1f}" width="{box.x1 - box.x0:.1f}" '
        f'height="{box.y1 - box.y0:.1f}" fill="#ffffff" fill-opacity="0.85" '
        'class="linkchart-label-box"/>'
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{LABEL_FONT:g}" '
        f'font-family="Arial, sans-serif" text-anchor="{label.anchor}" '
        f'textLength="{box.x1 - box.x0 - 2:.1f}" lengthAdjust="spacingAndGlyphs" '
        f'fill="#0b0c0c">{full}{escape(label.text)}</text></g>'
    )


def network_svg(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    result: NetworkResult,
    *,
    href: Callable[[Node], str | None] = _no_link,
    max_nodes: int = 400,
) -> str:
    """The link chart as an SVG string: nodes shaped, coloured and labelled by kind, outlined
    in their community's colour, linked where `href` gives a URL, with a <title> each.

    Draws at most `max_nodes` nodes, keeping the highest-ranked communities whole first; names
    the most central on the chart where they fit without overlapping (`chart_layout`)."""
    nodes = list(nodes)
    layout = chart_layout(nodes, edges, result, max_nodes=max_nodes)
    drawn, links, pos = layout.drawn, layout.links, layout.pos
    by_id = {n.id: n for n in nodes}
    drawn_ids = {n.id for n in drawn}
    height = HEIGHT + 20  # a line under the legend says how names are shown
    counts = {k: sum(1 for n in drawn if n.kind == k) for k in KIND_STYLE}
    summary = (
        f"Link chart of {len(drawn)} of {len(by_id)} people, places and vehicles and "
        f"{len(links)} links in {len({result.metrics[n].community for n in drawn_ids})} "
        "communities: "
        + ", ".join(f"{counts[k]} {KIND_STYLE[k][2].lower()}" for k in KIND_STYLE if counts[k])
    )
    linked = any(href(n) for n in drawn)
    # A chart holding links is a group of interactive things, not a single image.
    role = "group" if linked else "img"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="safehub-linkchart" data-linkchart="true" role="{role}" '
        f'aria-label={quoteattr(summary)} focusable="false">',
        f"<title>{escape(summary)}</title>",
        '<g class="linkchart-viewport">',
        '<g class="linkchart-edges">',
    ]
    for e in links:
        (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
        width = min(1.0 + math.log1p(e.weight), 5.0)
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#505a5f" '
            f'stroke-width="{width:.1f}" class="linkchart-edge" data-edge-a={quoteattr(e.a)} '
            f"data-edge-b={quoteattr(e.b)} data-edge-kind={quoteattr(e.kind)}>"
            f"<title>{escape(by_id[e.a].label)} – {escape(by_id[e.b].label)}: "
            f"{escape(e.kind.replace('_', ' '))} ({e.weight:g})</title></line>"
        )
    out.append("</g>")
    out.append('<g class="linkchart-nodes">')
    for n in drawn:
        m = result.metrics[n.id]
        x, y = pos[n.id]
        r = layout.radius[n.id]
        url = href(n)
        tip = (
            f"{n.label} ({KIND_STYLE[n.kind][2].lower()}), community {m.community}, "
            f"{m.degree} links"
        )
        attrs = (
            f'class="linkchart-node" data-node={quoteattr(n.id)} data-kind="{n.kind}" '
            f'data-community="{m.community}" data-label={quoteattr(n.label)}'
        )
        body = (
            f"<title>{escape(tip)}</title>"
            # A halo in the community's colour groups the community's members at a glance.
            + f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 8:.1f}" '
            f'fill="{_community_colour(m.community)}" fill-opacity="0.3"/>'
            + _shape(n.kind, x, y, r, KIND_STYLE[n.kind][1], _community_colour(m.community))
        )
        if url:
            out.append(f"<a href={quoteattr(url)}><g {attrs}>{body}</g></a>")
        else:
            out.append(f'<g {attrs} tabindex="0">{body}</g>')
    out.append("</g>")
    # Names above every shape (a key figure's may cover a lesser shape); each node's own
    # <title> already names it to assistive technology, so the names are hidden from it.
    out.append('<g class="linkchart-labels" aria-hidden="true">')
    out.extend(_label_svg(layout.labels[n.id]) for n in drawn if n.id in layout.labels)
    out.append("</g></g>")
    out.extend(_legend_items(HEIGHT - 20, [k for k in KIND_STYLE if counts[k]]))
    out.append(
        f'<text x="{MARGIN}" y="{height - 8}" font-size="13" fill="#0b0c0c" '
        f'aria-hidden="true">{escape(LABEL_NOTE)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _band(z: float) -> tuple[str, str]:
    for lower, fill, text in Z_BANDS:
        if z >= lower:
            return fill, text
    return Z_BANDS[-1][1], Z_BANDS[-1][2]


def hotspot_svg(result: HotspotResult, *, max_cells: int = 200) -> str:
    """The hottest `max_cells` H3 cells as hexagons shaded by Gi* z, significant cells
    outlined and labelled with their rank; a <title> on each cell gives its figures."""
    cells = result.cells[:max_cells]
    significant = sum(1 for c in result.cells if c.significant)
    summary = (
        f"Map of the {len(cells)} hottest of {len(result.cells)} hexagons "
        f"(H3 resolution {result.resolution}, about {result.cell_edge_m:.0f} m a side) for "
        f"{result.points} events; {significant} significant hotspots after correction"
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" class="safehub-hotspots" role="img" aria-label={quoteattr(summary)}>',
        f"<title>{escape(summary)}</title>",
    ]
    if cells:
        lat0 = sum(c.lat for c in cells) / len(cells)
        shrink = math.cos(math.radians(lat0))
        corners = [(lng * shrink, -lat) for c in cells for lat, lng in c.boundary]
        min_x = min(p[0] for p in corners)
        min_y = min(p[1] for p in corners)
        span = max(max(p[0] for p in corners) - min_x, max(p[1] for p in corners) - min_y, 1e-9)
        scale = min(WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - 60) / span

        def project(lat: float, lng: float) -> tuple[float, float]:
            return MARGIN + (lng * shrink - min_x) * scale, MARGIN + (-lat - min_y) * scale

        out.append('<g class="hotspot-cells">')
        outlines: list[str] = []
        labels: list[str] = []
        for c in reversed(cells):  # hottest drawn last, on top
            fill, band = _band(c.z)
            points = " ".join("{:.1f},{:.1f}".format(*project(lat, lng)) for lat, lng in c.boundary)
            places = "; ".join(f"{p} ({n})" for p, n in c.top_places)
            tip = (
                f"Rank {c.rank}: {c.count:g} events, z {c.z:.2f}, p {c.p:.3g}, q {c.q:.3g}"
                + (", significant hotspot" if c.significant else ", not significant")
                + (", a peak: the cell itself holds significantly many" if c.peak else "")
                + (f". Places: {places}" if places else "")
            )
            out.append(
                f'<polygon points="{points}" fill="{fill}" stroke="#b1b4b6" stroke-width="0.5" '
                f'class="hotspot-cell" data-cell="{c.cell}" data-rank="{c.rank}" '
                f'data-band={quoteattr(band)} data-significant="{str(c.significant).lower()}" '
                f'data-peak="{str(c.peak).lower()}"><title>{escape(tip)}</title></polygon>'
            )
            if c.significant:
                # Outlines after every fill, so a neighbour never paints over them; peaks
                # thickest and last.
                width = 5 if c.peak else 2
                outline = (
                    f'<polygon points="{points}" fill="none" stroke="#0b0c0c" '
                    f'stroke-width="{width}" stroke-linejoin="round" data-outline="{c.rank}"/>'
                )
                outlines.append(outline)
                x, y = project(c.lat, c.lng)
                ink = "#ffffff" if c.z >= Z_BANDS[1][0] else "#0b0c0c"
                labels.append(
                    f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="12" font-weight="bold" '
                    f'text-anchor="middle" fill="{ink}">{c.rank}</text>'
                )
        out.append("</g>")
        peaks_last = sorted(outlines, key=lambda o: 'stroke-width="5"' in o)
        out.append('<g class="hotspot-outlines" aria-hidden="true">' + "".join(peaks_last) + "</g>")
        out.append('<g class="hotspot-ranks" aria-hidden="true">' + "".join(labels) + "</g>")
    out.append('<g class="hotspot-legend" aria-hidden="true">')
    for i, (_lower, fill, text) in enumerate(Z_BANDS):
        x = MARGIN + i * 180
        out.append(
            f'<rect x="{x}" y="{HEIGHT - 40}" width="16" height="16" fill="{fill}" '
            'stroke="#0b0c0c" stroke-width="0.5"/>'
            f'<text x="{x + 22}" y="{HEIGHT - 27}" font-size="13" fill="#0b0c0c">'
            f"{escape(text)}</text>"
        )
    out.append(
        f'<text x="{MARGIN}" y="{HEIGHT - 8}" font-size="13" fill="#0b0c0c">'
        "Black outline and number: significant hotspot and its rank; thickest outline: a peak "
        "(the cell itself holds significantly many events). Cells about "
        f"{result.cell_edge_m:.0f} m a side.</text>"
    )
    out.append("</g></svg>")
    return "\n".join(out)
