"""Reading import runs: the history a user may see, one run, its progress."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from safehub.imports import progress
from safehub.imports.access import SourceTarget
from safehub.imports.models import ImportRun
from safehub.imports.registry import Source, sources
from safehub.imports.services import notice_dead_runner
from safehub.policy import Action, allows

HISTORY_LENGTH = 200


def importable_sources(user: Any) -> list[Source]:
    """The sources this user may import (the policy decides, source by source)."""
    return [s for s in sources() if allows(user, Action.IMPORT_RUN, SourceTarget.for_user(s, user))]


def history(user: Any) -> list[ImportRun]:
    """The newest runs the user may see (system administrators: all; others: their agency's).

    A run whose process has died is marked failed on the way (see notice_dead_runner).
    """
    runs = ImportRun.objects.select_related("started_by", "started_by__agency")
    if not allows(user, Action.IMPORT_HISTORY_ALL_AGENCIES):
        runs = runs.filter(started_by__agency_id=user.agency_id)
    found = []
    for run in runs.order_by("-started_at", "-id")[:HISTORY_LENGTH]:
        if run.is_running:
            run = notice_dead_runner(run)
        if allows(user, Action.IMPORT_RUN_VIEW, run):
            found.append(run)
    return found


def run_by_public_id(public_id: str | UUID) -> ImportRun | None:
    run = (
        ImportRun.objects.select_related("started_by", "started_by__agency")
        .filter(public_id=public_id)
        .first()
    )
    if run is not None and run.is_running:
        run = notice_dead_runner(run)
    return run


def run_progress(run: ImportRun) -> dict[str, Any]:
    """What the progress bar shows: status, rows done and the total (from the runner's file)."""
    state = progress.read_progress(run.public_id) if run.is_running else None
    if state:
        done, total = int(state["rows_done"]), int(state["rows_total"])
    elif run.is_running:  # its process has not started yet
        done, total = 0, run.rows_total
    else:
        done, total = run.rows_done, run.rows_total or run.rows_done
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "running": run.is_running,
        "rows_done": done,
        "rows_total": total,
        "percent": int(100 * done / total) if total else (0 if run.is_running else 100),
    }
