"""Network analysis on hand-made graphs whose answer is known."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator

import igraph as ig
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from safehub.analytics.networks import Edge, Node, analyse, merge_edges, to_graphml


@pytest.fixture(autouse=True)
def _seed_igraph() -> Iterator[None]:
    # igraph's random graphs draw from its global generator: seed it, then give it back.
    ig.set_random_number_generator(random.Random(7))
    yield
    ig.set_random_number_generator(random)


def triangle(prefix: str, kinds: tuple[str, str, str]) -> tuple[list[Node], list[Edge]]:
    nodes = [Node(f"{prefix}{i}", kind, f"{prefix} {i}") for i, kind in enumerate(kinds)]
    edges = [Edge(nodes[i].id, nodes[j].id, "associate") for i, j in ((0, 1), (1, 2), (0, 2))]
    return nodes, edges


def test_two_disconnected_triangles_are_two_components_and_two_communities() -> None:
    a_nodes, a_edges = triangle("a", ("child", "person_of_interest", "location"))
    b_nodes, b_edges = triangle("b", ("person", "person", "vehicle"))
    result = analyse(a_nodes + b_nodes, a_edges + b_edges)
    assert sorted(result.components) == [("a0", "a1", "a2"), ("b0", "b1", "b2")]
    assert [set(c.members) for c in result.communities] == [{"a0", "a1", "a2"}, {"b0", "b1", "b2"}]
    # The community with a child linked to a person of interest ranks first.
    top = result.communities[0]
    assert (top.id, top.score, top.children, top.persons_of_interest, top.locations) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert result.communities[1].score == 0 and result.communities[1].vehicles == 1
    assert result.modularity == pytest.approx(0.5)
    assert result.metrics["a0"].degree == 2
    assert all(m.betweenness == 0 for m in result.metrics.values())


def test_a_bridge_has_the_highest_betweenness_and_is_the_central_figure() -> None:
    left, left_edges = triangle("l", ("child", "child", "child"))
    right, right_edges = triangle("r", ("child", "location", "vehicle"))
    bridge = Node("poi", "person_of_interest", "Bridge")
    other = Node("poi2", "person_of_interest", "Other")
    edges = left_edges + right_edges
    # The bridge joins the triangles through two members of each, so only it lies on every
    # path from one side to the other.
    edges += [Edge("poi", n, "associate") for n in ("l0", "l1", "r0", "r1")]
    edges += [Edge("poi2", "l1", "associate")]
    result = analyse([*left, *right, bridge, other], edges)
    best = max(result.metrics.values(), key=lambda m: m.betweenness)
    assert best.id == "poi"
    assert result.central_by_betweenness[0][0] == "poi"
    assert result.central_by_children == (("poi", 3), ("poi2", 1))
    assert len(result.components) == 1 and result.exact_betweenness


def test_sampled_betweenness_agrees_with_exact_ranking_on_a_medium_graph() -> None:
    graph = ig.Graph.Barabasi(n=1500, m=2)
    nodes = [Node(f"n{i:04d}", "person", f"n{i}") for i in range(1500)]
    edges = [Edge(f"n{a:04d}", f"n{b:04d}", "associate") for a, b in graph.get_edgelist()]
    exact = analyse(nodes, edges)
    approx = analyse(nodes, edges, max_exact_betweenness=100, betweenness_samples=300)
    assert exact.exact_betweenness and not approx.exact_betweenness
    a = [exact.metrics[n.id].betweenness for n in nodes]
    b = [approx.metrics[n.id].betweenness for n in nodes]
    assert spearmanr(a, b).statistic > 0.85
    top_exact = set(sorted(range(1500), key=lambda i: -a[i])[:10])
    top_approx = set(sorted(range(1500), key=lambda i: -b[i])[:10])
    assert len(top_exact & top_approx) >= 8
    assert sum(b) == pytest.approx(sum(a), rel=0.15)


def test_graphml_round_trips_through_networkx() -> None:
    a_nodes, a_edges = triangle("a", ("child", "person_of_interest", "location"))
    extra = [Edge("a0", "a1", "seen_with", 2.0)]
    result = analyse(a_nodes, a_edges + extra)
    graph = nx.read_graphml(io.BytesIO(to_graphml(a_nodes, a_edges + extra, result)))
    assert set(graph.nodes) == {"a0", "a1", "a2"}
    assert graph.nodes["a1"]["kind"] == "person_of_interest"
    assert graph.nodes["a1"]["label"] == "a 1"
    assert graph.nodes["a1"]["community"] == 1 and graph.nodes["a1"]["component"] == 1
    assert "betweenness" in graph.nodes["a1"]
    assert graph.edges["a0", "a1"]["weight"] == 3.0
    assert graph.edges["a0", "a1"]["kind"] == "associate,seen_with"


def test_parallel_edges_merge_and_self_links_and_strangers_drop() -> None:
    edges = [
        Edge("x", "y", "a"),
        Edge("y", "x", "b", 2.0),
        Edge("x", "x", "a"),
        Edge("x", "z", "a"),
    ]
    assert merge_edges(edges, {"x", "y"}) == [Edge("x", "y", "a,b", 3.0)]


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError):
        analyse([Node("x", "dog", "Rex")], [])


def test_an_empty_graph_has_no_components() -> None:
    result = analyse([], [])
    assert result.components == () and result.communities == ()


kinds = st.sampled_from(["child", "person_of_interest", "person", "location", "vehicle"])


@settings(max_examples=30, deadline=None)
@given(
    st.lists(kinds, min_size=1, max_size=25),
    st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=60),
    st.randoms(use_true_random=False),
)
def test_every_node_is_in_exactly_one_component_and_community_whatever_the_order(
    node_kinds: list[str], pairs: list[tuple[int, int]], rnd: random.Random
) -> None:
    nodes = [Node(f"n{i:02d}", k, f"n{i}") for i, k in enumerate(node_kinds)]
    edges = [Edge(f"n{a:02d}", f"n{b:02d}", "associate") for a, b in pairs if b < len(nodes)]
    result = analyse(nodes, edges)
    ids = sorted(n.id for n in nodes)
    assert sorted(m for comp in result.components for m in comp) == ids
    assert sorted(m for c in result.communities for m in c.members) == ids
    assert sum(c.children for c in result.communities) == node_kinds.count("child")
    shuffled_nodes, shuffled_edges = nodes[:], edges[:]
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_edges)
    again = analyse(shuffled_nodes, shuffled_edges)
    assert again.components == result.components
    assert again.communities == result.communities
