"""The apps import each other in one direction only: no app, through any chain of imports,
imports itself (pyproject.toml's import-linter contracts say which layer may import which;
`make lint` runs them)."""

from __future__ import annotations

import grimp
import networkx as nx


def app_import_graph() -> nx.DiGraph:
    """Apps (the top-level modules of safehub) as nodes, an edge where one imports another at
    run time (imports under TYPE_CHECKING are for the type checker only)."""
    graph = grimp.build_graph("safehub", exclude_type_checking_imports=True)
    apps = sorted(m for m in graph.modules if m.count(".") == 1)
    found = nx.DiGraph()
    found.add_nodes_from(apps)
    for importer in apps:
        for imported in apps:
            if importer != imported and graph.find_shortest_chain(
                importer=importer, imported=imported, as_packages=True
            ):
                found.add_edge(importer, imported)
    return found


def test_no_app_imports_itself_through_other_apps() -> None:
    graph = app_import_graph()
    assert len(graph) > 20  # the graph really holds the apps
    assert graph.number_of_edges() > 30
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_the_policy_and_the_shared_modules_import_no_app() -> None:
    graph = app_import_graph()
    for core in ("safehub.policy", "safehub.refusals", "safehub.audit", "safehub.tasks"):
        assert list(graph.successors(core)) == [], core
