"""Progress of a running import, readable while its transaction is still open.

An import writes all its rows in one transaction, so nothing it does is visible in the
database until the end (and SQLite is locked for writing meanwhile). The runner therefore
writes its progress and a heartbeat to a small JSON file beside the uploads; the web page
and the history read that file. A run whose process has gone (or whose heartbeat is older
than `SAFEHUB_IMPORT_STALE_SECONDS`) is dead: its transaction was rolled back.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

from django.conf import settings


def imports_dir() -> Path:
    """Where uploads, rejected-rows files and progress files live (created 0700)."""
    path = Path(getattr(settings, "SAFEHUB_IMPORTS_DIR", "") or settings.VAR_DIR / "imports")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def stale_after() -> float:
    return float(getattr(settings, "SAFEHUB_IMPORT_STALE_SECONDS", 120))


def progress_path(public_id: object) -> Path:
    return imports_dir() / f"{public_id}.progress.json"


def write_progress(public_id: object, *, phase: str, rows_done: int, rows_total: int) -> None:
    """Replace the progress file in one step, so a reader never sees half of it."""
    path = progress_path(public_id)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    payload = {
        "phase": phase,
        "rows_done": rows_done,
        "rows_total": rows_total,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "heartbeat": time.time(),
    }
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle)
    os.replace(tmp, path)


def read_progress(public_id: object) -> dict[str, Any] | None:
    try:
        return dict(json.loads(progress_path(public_id).read_text()))
    except (OSError, ValueError):
        return None


def remove_progress(public_id: object) -> None:
    progress_path(public_id).unlink(missing_ok=True)


def process_alive(pid: int | None, host: str) -> bool | None:
    """Whether the process runs (a zombie counts as dead); None when it is on another host."""
    if not pid:
        return False
    if host and host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def runner_dead(*, pid: int | None, host: str, since: float) -> bool:
    """Whether the runner of a run is gone: its process ended, or its heartbeat is stale.

    `since` is when the run last showed a sign of life (the newest heartbeat known).
    """
    # No process yet: a web run waiting for its runner to start; only the clock tells.
    if pid and process_alive(pid, host) is False:
        return True
    return time.time() - since > stale_after()
