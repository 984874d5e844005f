"""The snapshot reads each app's records through that app's selectors, never its models
(issue 16): what the profile counts is the apps' public face, so a change to a model is
answered in its own app. The missing episodes are the one read left on a model."""

from __future__ import annotations

import ast
from pathlib import Path

import safehub.analytics.snapshot as snapshot

STILL_ON_A_MODEL = {"safehub.missing.models"}


def imported_modules() -> set[str]:
    """Every safehub module the snapshot imports (`from safehub.people import selectors`
    counts as safehub.people.selectors)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(Path(snapshot.__file__).read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("safehub."):
            found.add(str(node.module))
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_snapshot_imports_selectors_not_models() -> None:
    models = {m for m in imported_modules() if m.endswith(".models")}
    assert models == STILL_ON_A_MODEL
    selectors = {m for m in imported_modules() if m.endswith(".selectors")}
    assert {"safehub.people.selectors", "safehub.intelligence.selectors"} <= selectors
