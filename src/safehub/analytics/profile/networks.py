"""The networks section: the intelligence link network, its communities (Leiden) and,
for analysts, its central figures and the link chart."""

from __future__ import annotations

from typing import Any

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.labels import _label, _plural
from safehub.analytics.profile.model import Section, Table
from safehub.suppression import suppress_column


class NetworksBuilder(BuilderBase):
    def networks(self) -> Section:
        from safehub.analytics.networks import Edge, Node, analyse

        sources = self.snapshot.sources.get("associations", [])
        child_cluster = {r["child_key"]: r["cluster_key"] for r in self.q("child_keys")}
        poi_rows = self.q("poi_keys")
        poi_of = {r["person_key"]: r["poi_key"] for r in poi_rows}
        poi_label = {r["person_key"]: r["label"] or r["poi_key"][-4:] for r in poi_rows}
        places = getattr(self, "_places", {}) or {r["location_key"]: r for r in self.q("locations")}
        vehicles = {r["vehicle_key"]: r for r in self.q("keepers")}
        nodes: dict[str, Any] = {}
        edges: list[Any] = []

        def person_node(key: str) -> str:
            if key in child_cluster:
                node_id = f"child:{child_cluster[key]}"
                nodes.setdefault(node_id, Node(node_id, "child", f"Child {key[-4:]}"))
                self._record_of.setdefault(node_id, ("person", key))
            elif key in poi_of:
                node_id = f"poi:{key}"
                self._record_of[node_id] = ("person_of_interest", poi_of[key])
                nodes.setdefault(
                    node_id,
                    Node(node_id, "person_of_interest", f"Person of interest {poi_label[key]}"),
                )
            else:
                node_id = f"person:{key}"
                nodes.setdefault(node_id, Node(node_id, "person", f"Person {key[-4:]}"))
            return node_id

        def place_node(key: str) -> str:
            node_id = f"location:{key}"
            label = places.get(key, {}).get("label") or "Place"
            nodes.setdefault(node_id, Node(node_id, "location", str(label)))
            return node_id

        def vehicle_node(key: str) -> str:
            node_id = f"vehicle:{key}"
            label = vehicles.get(key, {}).get("label") or "Vehicle"
            nodes.setdefault(node_id, Node(node_id, "vehicle", str(label)))
            return node_id

        for row in self.q("edges"):
            ends = []
            if row["person_key"]:
                ends.append(person_node(row["person_key"]))
            if row["other_person_key"]:
                ends.append(person_node(row["other_person_key"]))
            if row["location_key"]:
                ends.append(place_node(row["location_key"]))
            if row["vehicle_key"]:
                ends.append(vehicle_node(row["vehicle_key"]))
            for index in range(len(ends) - 1):
                edges.append(Edge(ends[index], ends[index + 1], row["kind"]))
        for key, vehicle in vehicles.items():
            node_id = f"vehicle:{key}"
            if node_id in nodes and vehicle["keeper_key"]:
                edges.append(Edge(person_node(vehicle["keeper_key"]), node_id, "keeper"))
        self.nodes = list(nodes.values())
        self.edges = edges
        if not self.nodes:
            return Section(
                "networks",
                "Networks",
                findings=["No intelligence links people, places or vehicles yet."],
            )
        result = analyse(self.nodes, edges)
        self.network = result
        top = result.communities[0] if result.communities else None
        self.facts["components"] = len(result.components)
        self.facts["communities"] = len(result.communities)
        self.facts["top_community_children"] = top.children if top else 0
        self.facts["top_community_pois"] = top.persons_of_interest if top else 0
        shown = [c for c in result.communities[:10] if c.size > 1]
        columns: list[list[int | str]] = [
            [c.children for c in shown],
            [c.persons_of_interest for c in shown],
            [c.locations for c in shown],
            [c.vehicles for c in shown],
        ]
        if not self.full:
            # Each column with primary and secondary suppression, as in any breakdown.
            columns = [suppress_column([int(v) for v in column]) for column in columns]
        community_rows: list[list[Any]] = [
            [c.id, *(column[i] for column in columns), c.score] for i, c in enumerate(shown)
        ]
        tables = [
            Table(
                "communities",
                "Communities (Leiden), strongest first",
                ["Community", "Children", "Persons of interest", "Places", "Vehicles", "Score"],
                community_rows if self.full else [row[:5] for row in community_rows],
                sources,
                note=(
                    "Score: the number of children linked to persons of interest in the "
                    f"community. Modularity {result.modularity:.2f}."
                ),
            )
        ]
        section = Section("networks", "Networks", tables=tables)
        section.findings = [
            f"{len(self.nodes)} people, places and vehicles in "
            f"{_plural(len(result.components), 'connected group', 'connected groups')} and "
            f"{_plural(len(result.communities), 'community', 'communities')}."
        ]
        if not self.full:
            tables[0].columns = tables[0].columns[:5]
            return section
        labels = {node.id: node for node in self.nodes}
        central = []
        central_links = []
        for node_id, value in result.central_by_betweenness[:10]:
            node = labels[node_id]
            metrics = result.metrics[node_id]
            central.append(
                [
                    node.label,
                    _label(node.kind),
                    metrics.degree,
                    round(value, 3),
                    metrics.children_linked,
                    metrics.community,
                ]
            )
            central_links.append(self._node_link(node) or "")
        tables.append(
            Table(
                "central-figures",
                "Central figures (betweenness)",
                ["Who or what", "Kind", "Links", "Betweenness", "Children linked", "Community"],
                central,
                sources,
                note="Exact betweenness."
                if result.exact_betweenness
                else "Betweenness estimated from a sample of paths (large network).",
                links=central_links,
            )
        )
        from safehub.analytics.linkchart import network_svg

        section.figure = network_svg(self.nodes, edges, result, href=self._node_link)
        section.figure_caption = (
            "Link chart: children (blue circles), persons of interest (red diamonds), other "
            "adults (grey circles), places (green squares) and vehicles (orange triangles), "
            "haloed by community. Select a node to see its links."
        )
        return section

    def _node_link(self, node: Any) -> str | None:
        kind, _, key = node.id.partition(":")
        if kind in {"location", "vehicle"}:
            return self.link(kind, key)
        if node.id in self._record_of:
            return self.link(*self._record_of[node.id])
        return None
