"""Names on the link chart: placed so that none overlaps another name or a shape, the most
central first, long ones shortened with the full name kept, the same way every time."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from safehub.analytics.chart_labels import (
    KEY_FIGURES,
    LABEL_CHARS,
    Box,
    LabelRequest,
    label_text,
    place_labels,
)
from safehub.analytics.linkchart import (
    HEIGHT,
    KIND_STYLE,
    WIDTH,
    ChartLayout,
    chart_layout,
    network_svg,
)
from safehub.analytics.networks import Edge, Node, analyse

SVG = "{http://www.w3.org/2000/svg}"
BOUNDS = Box(0, 0, WIDTH, HEIGHT - 32)


def dense_network() -> tuple[list[Node], list[Edge]]:
    """Twelve men each seen with fifteen children, the men linked in a ring, children linked
    across groups, twenty places: 212 nodes with long names, a busy chart."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for m in range(12):
        man = f"poi{m:02d}"
        nodes.append(Node(man, "person_of_interest", f"Alexander Montgomery-Fairweather {m}"))
        edges.append(Edge(man, f"poi{(m + 1) % 12:02d}", "associate"))
        for c in range(15):
            child = f"child{m:02d}{c:02d}"
            nodes.append(Node(child, "child", f"Maximiliana Featherstonehaugh {m}-{c}"))
            edges.append(Edge(man, child, "seen_with"))
            if c % 3 == 0:
                edges.append(Edge(child, f"child{(m + 1) % 12:02d}{c:02d}", "associate"))
    for n in range(20):
        place = f"loc{n:02d}"
        nodes.append(Node(place, "location", f"Seeded Hotel and Takeaway Number {n}"))
        edges.append(Edge(f"poi{n % 12:02d}", place, "seen_at_location"))
        edges.append(Edge(f"child{n % 12:02d}{n % 15:02d}", place, "seen_at_location"))
    return nodes, edges


def shape_boxes(layout: ChartLayout, ids: set[str] | None = None) -> list[Box]:
    """The box round each node's shape (diamonds and triangles reach 1.3 radii)."""
    boxes = []
    for node in layout.drawn:
        if ids is not None and node.id not in ids:
            continue
        (x, y), r = layout.pos[node.id], layout.radius[node.id]
        e = r if KIND_STYLE[node.kind][0] in ("circle", "square") else r * 1.3
        boxes.append(Box(x - e, y - e, x + e, y + e))
    return boxes


def test_no_two_names_overlap_on_a_dense_chart_nor_cover_a_shape() -> None:
    nodes, edges = dense_network()
    result = analyse(nodes, edges)
    layout = chart_layout(nodes, edges, result)
    assert len(layout.drawn) == 212
    boxes = [label.box for label in layout.labels.values()]
    assert len(boxes) >= 12, "a busy chart still names its central figures"
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert BOUNDS.x0 <= box.x0 and box.x1 <= BOUNDS.x1
        assert BOUNDS.y0 <= box.y0 and box.y1 <= BOUNDS.y1
    # The key figures (the most central) may cover a lesser shape, never one another's; any
    # other name covers no shape at all.
    central = sorted(
        layout.drawn,
        key=lambda n: (-result.metrics[n.id].betweenness, -result.metrics[n.id].degree, n.id),
    )
    key = {n.id for n in central[:KEY_FIGURES]}
    key_shapes, all_shapes = shape_boxes(layout, key), shape_boxes(layout)
    for node_id, label in layout.labels.items():
        shapes = key_shapes if node_id in key else all_shapes
        assert not any(label.box.overlaps(shape) for shape in shapes), node_id
    # Here the twelve men are the most central, and most of them are named.
    assert key <= {n.id for n in nodes if n.kind == "person_of_interest"}
    assert len(key & set(layout.labels)) >= 8
    assert central[0].id in layout.labels


def test_names_are_shortened_with_the_full_name_kept() -> None:
    nodes, edges = dense_network()
    layout = chart_layout(nodes, edges, analyse(nodes, edges))
    names = {n.id: n.label for n in nodes}
    for node_id, label in layout.labels.items():
        assert label.full_name == names[node_id]
        assert len(label.text) <= LABEL_CHARS
        if len(names[node_id]) > LABEL_CHARS:
            assert label.text.endswith("…") and names[node_id].startswith(label.text[:-1])
    assert label_text("Ann Lee") == "Ann Lee"
    assert label_text("Seeded Hotel and Takeaway Number 7") == "Seeded Hotel and Take…"


def test_the_drawn_chart_has_the_same_non_overlapping_name_boxes() -> None:
    nodes, edges = dense_network()
    result = analyse(nodes, edges)
    layout = chart_layout(nodes, edges, result)
    root = ET.fromstring(network_svg(nodes, edges, result))  # noqa: S314 -- our own output
    rects = root.findall(f".//{SVG}rect[@class='linkchart-label-box']")
    assert len(rects) == len(layout.labels)
    drawn = [
        Box(x, y, x + w, y + h)
        for x, y, w, h in (
            (float(r.get(k, "0")) for k in ("x", "y", "width", "height")) for r in rects
        )
    ]
    for a, b in itertools.combinations(drawn, 2):
        assert not a.overlaps(b)
    # A shortened name carries its full name as a tooltip; every node has one in its title.
    shortened = [t for t in root.iter(f"{SVG}text") if (t.find(f"{SVG}title") is not None)]
    assert shortened
    for text in shortened:
        full = text.find(f"{SVG}title")
        shown = "".join(text.itertext())
        assert full is not None and full.text and shown.endswith("…")
        assert shown == full.text + label_text(full.text)  # itertext holds the title too
    for node in root.findall(f".//{SVG}g[@data-node]"):
        title = node.find(f"{SVG}title")
        assert title is not None and title.text and node.get("data-label", "") in title.text


def test_the_layout_and_its_names_are_the_same_every_time() -> None:
    nodes, edges = dense_network()
    result = analyse(nodes, edges)
    first = chart_layout(nodes, edges, result)
    again = chart_layout(list(reversed(nodes)), list(reversed(edges)), result)
    assert again.labels == first.labels and again.pos == first.pos


def test_a_crowd_at_one_spot_gets_as_many_names_as_fit_and_no_more() -> None:
    crowd = [LabelRequest(f"n{i}", f"Person {i}", 400, 300, 10) for i in range(30)]
    placed = place_labels(crowd, BOUNDS)
    # Thirty shapes on one point share its eight spots: the first named takes the best.
    assert "n0" in placed
    assert 1 <= len(placed) <= 8
    for a, b in itertools.combinations([p.box for p in placed.values()], 2):
        assert not a.overlaps(b)


def test_names_go_to_the_first_free_spot_and_stop_at_the_limit() -> None:
    a = LabelRequest("a", "Ann", 100, 100, 10)
    alone = place_labels([a], BOUNDS)["a"]
    assert alone.anchor == "middle" and alone.y > 100  # below its node, the first choice
    b = LabelRequest("b", "Bea", 100, 130, 10)  # b's shape is where a's name would go
    placed = place_labels([a, b], BOUNDS)
    assert placed["a"].anchor == "middle" and placed["a"].y < 100  # so above instead
    assert placed["b"].y > 130
    assert not placed["a"].box.overlaps(placed["b"].box)
    # Off the edge of the chart: the name goes to the other side.
    edge = place_labels([LabelRequest("e", "Edwina", 5, 690, 8)], BOUNDS)
    assert edge["e"].anchor == "start" and edge["e"].y < 690
    many = [LabelRequest(f"n{i}", "N", 40 + 60 * i, 100, 5) for i in range(10)]
    assert list(place_labels(many, BOUNDS, max_labels=3)) == ["n0", "n1", "n2"]


def test_a_key_figures_name_may_cover_a_lesser_shape_but_not_a_key_figures() -> None:
    hub = LabelRequest("hub", "Hub", 300, 300, 10, key=True)
    # Lesser shapes on every side of the hub: its name goes below it all the same.
    ring = [
        LabelRequest(f"r{i}", "R", 300 + dx, 300 + dy, 8)
        for i, (dx, dy) in enumerate([(0, 24), (0, -24), (24, 0), (-24, 0)])
    ]
    placed = place_labels([hub, *ring], BOUNDS)
    assert placed["hub"].y > 300 and placed["hub"].anchor == "middle"
    assert placed["hub"].box.overlaps(Box(292, 316, 308, 332))  # over r0's shape
    assert not placed["r0"].box.overlaps(placed["hub"].box)
    # Another key figure below: the hub's name goes above instead.
    other = LabelRequest("other", "Other", 300, 326, 10, key=True)
    moved = place_labels([hub, other], BOUNDS)
    assert moved["hub"].y < 300
