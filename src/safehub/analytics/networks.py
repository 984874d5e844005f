"""Networks: who is linked to whom, and which groups hold children and persons of interest.

The graph's nodes are children, persons of interest, other adults, locations and vehicles;
its edges are recorded links (intelligence associations, sightings together, at a place, in
a vehicle). We report connected components, Leiden communities, degree and betweenness, the
central figures among persons of interest, and rank communities by how many children in them
are linked to a person of interest in them. igraph and leidenalg do the work (they are C and
stay fast on city-sized graphs); networkx only writes GraphML. Deterministic: nodes are
sorted before the graph is built and Leiden and the betweenness sample use fixed seeds.
See docs/profile-places-and-networks.md.
"""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import igraph as ig
import leidenalg
import networkx as nx

KINDS = ("child", "person_of_interest", "person", "location", "vehicle")
SEED = 2015


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Edge:
    a: str
    b: str
    kind: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class NodeMetrics:
    id: str
    kind: str
    component: int
    community: int
    degree: int
    betweenness: float
    children_linked: int


@dataclass(frozen=True, slots=True)
class Community:
    """A Leiden community; id 1 is the highest-ranked (see `score`)."""

    id: int
    size: int
    children: int
    persons_of_interest: int
    persons: int
    locations: int
    vehicles: int
    score: int
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NetworkResult:
    components: tuple[tuple[str, ...], ...]
    communities: tuple[Community, ...]
    modularity: float
    metrics: dict[str, NodeMetrics]
    central_by_betweenness: tuple[tuple[str, float], ...]
    central_by_children: tuple[tuple[str, int], ...]
    exact_betweenness: bool

    def top_communities(self, k: int) -> tuple[Community, ...]:
        return self.communities[:k]


def merge_edges(edges: Iterable[Edge], node_ids: set[str]) -> list[Edge]:
    """One undirected edge per pair of known, distinct nodes: weights summed, kinds joined.

    Drops self-links and links to nodes not in `node_ids`."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in edges:
        if e.a == e.b or e.a not in node_ids or e.b not in node_ids:
            continue
        key = (e.a, e.b) if e.a < e.b else (e.b, e.a)
        weight[key] += e.weight
        kinds[key].add(e.kind)
    return [Edge(a, b, ",".join(sorted(kinds[(a, b)])), weight[(a, b)]) for a, b in sorted(weight)]


def _unique_nodes(nodes: Iterable[Node]) -> list[Node]:
    by_id: dict[str, Node] = {}
    for n in nodes:
        if n.kind not in KINDS:
            raise ValueError(f"unknown node kind {n.kind!r}")
        by_id.setdefault(n.id, n)
    return [by_id[k] for k in sorted(by_id)]


def _betweenness(
    g: ig.Graph, members: Sequence[int], limit: int, samples: int
) -> tuple[list[float], bool]:
    """Betweenness of one component's vertices (pair counts, undirected, unweighted).

    Exact (Brandes) up to `limit` vertices; above it, estimated from shortest paths out of
    `samples` sources drawn with a fixed seed, scaled by n / samples (Brandes and Pich 2007)."""
    sub = g.induced_subgraph(members)
    n = sub.vcount()
    if n <= limit or samples >= n:
        return list(sub.betweenness(directed=False)), True
    rng = random.Random(SEED)  # noqa: S311 -- a reproducible sample, not a secret
    sources = sorted(rng.sample(range(n), samples))
    # igraph's subset betweenness over all sources equals the exact value, so a sample of
    # sources scales up by n / samples.
    partial = sub.betweenness(directed=False, sources=sources, targets=None)
    scale = n / samples
    return [b * scale for b in partial], False


def analyse(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    max_exact_betweenness: int = 5000,
    betweenness_samples: int = 500,
    resolution: float = 1.0,
    top: int = 10,
) -> NetworkResult:
    """Components, Leiden communities, degree, betweenness and central figures of a graph.

    Communities are ranked by score (children linked to a person of interest in the same
    community), then persons of interest, size and smallest member id; they are numbered from
    1 in that order. Components are largest first. Refuses unknown node kinds (ValueError)."""
    node_list = _unique_nodes(nodes)
    ids = [n.id for n in node_list]
    index = {node_id: i for i, node_id in enumerate(ids)}
    kind = {n.id: n.kind for n in node_list}
    merged = merge_edges(edges, set(ids))
    g = ig.Graph(n=len(ids), edges=[(index[e.a], index[e.b]) for e in merged])
    g.es["weight"] = [e.weight for e in merged]

    components = sorted(
        (tuple(ids[v] for v in comp) for comp in g.connected_components()),
        key=lambda c: (-len(c), c[0]),
    )
    component_of = {m: i + 1 for i, comp in enumerate(components) for m in comp}

    betweenness = [0.0] * len(ids)
    exact = True
    for comp in components:
        if len(comp) < 3:
            continue
        members = [index[m] for m in comp]
        values, was_exact = _betweenness(g, members, max_exact_betweenness, betweenness_samples)
        exact = exact and was_exact
        for v, b in zip(members, values, strict=True):
            betweenness[v] = b

    if len(ids):
        partition = leidenalg.find_partition(
            g,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=resolution,
            seed=SEED,
            # Until no change on small graphs; on big ones that took 35 s for 20,000 nodes
            # against 2 s for the library's default of two iterations, for little gain.
            n_iterations=-1 if len(ids) <= max_exact_betweenness else 2,
        )
        membership = list(partition.membership)
        modularity = float(g.modularity(membership, weights="weight")) if g.ecount() else 0.0
    else:
        membership, modularity = [], 0.0

    neighbours = [set(g.neighbors(v)) for v in range(len(ids))]
    children_linked = [
        sum(1 for u in neighbours[v] if kind[ids[u]] == "child") for v in range(len(ids))
    ]

    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    raw: list[tuple[tuple[int, int, int, str], list[int]]] = []
    for members in groups.values():
        member_set = set(members)
        score = sum(
            1
            for v in members
            if kind[ids[v]] == "child"
            and any(u in member_set and kind[ids[u]] == "person_of_interest" for u in neighbours[v])
        )
        pois = sum(1 for v in members if kind[ids[v]] == "person_of_interest")
        raw.append(((-score, -pois, -len(members), min(ids[v] for v in members)), members))
    raw.sort(key=lambda item: item[0])

    communities = []
    community_of: dict[str, int] = {}
    for number, (key, members) in enumerate(raw, start=1):
        tally = Counter(kind[ids[v]] for v in members)
        member_ids = tuple(sorted(ids[v] for v in members))
        for m in member_ids:
            community_of[m] = number
        communities.append(
            Community(
                id=number,
                size=len(members),
                children=tally["child"],
                persons_of_interest=tally["person_of_interest"],
                persons=tally["person"],
                locations=tally["location"],
                vehicles=tally["vehicle"],
                score=-key[0],
                members=member_ids,
            )
        )

    metrics = {
        node_id: NodeMetrics(
            id=node_id,
            kind=kind[node_id],
            component=component_of[node_id],
            community=community_of[node_id],
            degree=len(neighbours[v]),
            betweenness=betweenness[v],
            children_linked=children_linked[v],
        )
        for v, node_id in enumerate(ids)
    }
    poi_metrics = [m for m in metrics.values() if m.kind == "person_of_interest"]
    by_betweenness = sorted(poi_metrics, key=lambda m: (-m.betweenness, m.id))[:top]
    by_children = sorted(poi_metrics, key=lambda m: (-m.children_linked, -m.betweenness, m.id))[
        :top
    ]
    return NetworkResult(
        components=tuple(components),
        communities=tuple(communities),
        modularity=modularity,
        metrics=metrics,
        central_by_betweenness=tuple((m.id, m.betweenness) for m in by_betweenness),
        central_by_children=tuple(
            (m.id, m.children_linked) for m in by_children if m.children_linked
        ),
        exact_betweenness=exact,
    )


def to_networkx(nodes: Iterable[Node], edges: Iterable[Edge], result: NetworkResult) -> nx.Graph:
    """The graph with each node's kind, label, community, component, degree and betweenness."""
    node_list = _unique_nodes(nodes)
    graph = nx.Graph()
    for n in node_list:
        m = result.metrics[n.id]
        graph.add_node(
            n.id,
            kind=n.kind,
            label=n.label,
            community=m.community,
            component=m.component,
            degree=m.degree,
            betweenness=float(m.betweenness),
        )
    for e in merge_edges(edges, {n.id for n in node_list}):
        graph.add_edge(e.a, e.b, kind=e.kind, weight=float(e.weight))
    return graph


def to_graphml(nodes: Iterable[Node], edges: Iterable[Edge], result: NetworkResult) -> bytes:
    """GraphML (UTF-8) for Gephi, yEd or i2: node attributes kind, label, community,
    component, degree, betweenness; edge attributes kind and weight."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(nodes, edges, result), buffer, encoding="utf-8")
    return buffer.getvalue()
