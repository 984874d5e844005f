"""The link chart and hotspot SVGs: valid XML, labelled, linked, and safe under a strict CSP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from safehub.analytics.hotspots import Point, find_hotspots
from safehub.analytics.linkchart import hotspot_svg, network_svg
from safehub.analytics.networks import Edge, Node, analyse

SVG = "{http://www.w3.org/2000/svg}"

NODES = [
    Node("c1", "child", "Child <A>"),
    Node("c2", "child", "Child B"),
    Node("p1", "person_of_interest", "Adult & Co"),
    Node("l1", "location", "Kestrel Noodle Bar"),
    Node("v1", "vehicle", "XJ68 VSX"),
    Node("x1", "person", "Neighbour"),
    Node("x2", "person", "Stranger"),
]
EDGES = [
    Edge("c1", "p1", "associate"),
    Edge("c2", "p1", "seen_with"),
    Edge("p1", "l1", "seen_at_location"),
    Edge("p1", "v1", "seen_entering_vehicle"),
    Edge("x1", "x2", "associate"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, not untrusted input


def link(node: Node) -> str | None:
    return None if node.kind == "location" else f"/people/{node.id}/"


def assert_csp_safe(svg: str) -> None:
    assert "<script" not in svg and "style=" not in svg
    assert not re.search(r"\son\w+=", svg), "no event handler attributes"
    assert "javascript:" not in svg


def test_the_link_chart_is_valid_svg_with_a_title_and_link_per_node() -> None:
    result = analyse(NODES, EDGES)
    svg = network_svg(NODES, EDGES, result, href=link)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-label", "").startswith("Link chart of 7 of 7")
    nodes = root.findall(f".//{SVG}g[@data-node]")
    assert sorted(n.get("data-node") for n in nodes) == sorted(n.id for n in NODES)
    for element in nodes:
        title = element.find(f"{SVG}title")
        assert title is not None and title.text
    # A chart this small has room to name every node, in the layer of names above the shapes.
    names = {
        g.get("data-label-for"): "".join(g.itertext())
        for g in root.findall(f".//{SVG}g[@data-label-for]")
    }
    assert names == {n.id: n.label for n in NODES}
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("href") for a in links) == sorted(
        f"/people/{n.id}/" for n in NODES if n.kind != "location"
    )
    location = root.find(f".//{SVG}g[@data-node='l1']")
    assert location is not None and location.get("tabindex") == "0"
    edges = root.findall(f".//{SVG}line[@data-edge-a]")
    assert {(e.get("data-edge-a"), e.get("data-edge-b")) for e in edges} == {
        ("c1", "p1"),
        ("c2", "p1"),
        ("l1", "p1"),
        ("p1", "v1"),
        ("x1", "x2"),
    }
    communities = {n.get("data-community") for n in nodes}
    assert communities == {"1", "2"}
    assert "Child &lt;A&gt;" in svg and "Adult &amp; Co" in svg
    assert_csp_safe(svg)


def test_the_link_chart_is_an_image_without_links_and_is_deterministic() -> None:
    result = analyse(NODES, EDGES)
    first = network_svg(NODES, EDGES, result)
    assert parse(first).get("role") == "img"
    assert "<a " not in first
    assert network_svg(list(reversed(NODES)), EDGES, result) == first


def test_the_link_chart_keeps_the_top_communities_when_capped() -> None:
    result = analyse(NODES, EDGES)
    root = parse(network_svg(NODES, EDGES, result, max_nodes=5))
    drawn = {n.get("data-node") for n in root.findall(f".//{SVG}g[@data-node]")}
    assert drawn == {"c1", "c2", "p1", "l1", "v1"}
    assert root.get("aria-label", "").startswith("Link chart of 5 of 7")


def test_the_hotspot_map_outlines_and_numbers_significant_cells() -> None:
    cluster = [Point(52.408, -1.51, place="Park") for _ in range(20)]
    background = [Point(52.30 + i * 0.013, -1.70 + (i * 7 % 23) * 0.017) for i in range(25)]
    result = find_hotspots(cluster + background)
    svg = hotspot_svg(result, max_cells=50)
    root = parse(svg)
    assert root.get("role") == "img"
    cells = root.findall(f".//{SVG}polygon[@data-cell]")
    assert len(cells) == 50
    assert all(c.find(f"{SVG}title") is not None for c in cells)
    top = root.find(f".//{SVG}polygon[@data-rank='1']")
    assert top is not None and top.get("data-peak") == "true"
    outline = root.find(f".//{SVG}polygon[@data-outline='1']")
    assert outline is not None and outline.get("stroke-width") == "5"
    title = top.find(f"{SVG}title")
    assert title is not None and "significant hotspot" in (title.text or "")
    assert "Park (20)" in (title.text or "")
    labels = [t.text for t in root.findall(f".//{SVG}text")]
    assert "1" in labels
    assert_csp_safe(svg)


def test_an_empty_hotspot_map_is_still_valid_svg() -> None:
    root = parse(hotspot_svg(find_hotspots([])))
    assert root.findall(f".//{SVG}polygon") == []
    assert "0 events" in root.get("aria-label", "")
