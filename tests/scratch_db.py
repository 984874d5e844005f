"""A throw-away database of the same engine as the test run, for tests that need a real server
process or whole-database operations (browser tests, backup and restore)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@contextmanager
def scratch_database(tmp: Path) -> Iterator[str]:
    """Yield a DATABASE_URL for a new, empty database; drop it afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    name = f"safehub_scratch_{uuid.uuid4().hex[:12]}"
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def safehub(
    url: str, *args: str, settings: str = "safehub.config.settings.test", **kw: object
) -> str:
    """Run a `safehub` command against the scratch database and return its output."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [str(BIN / "safehub"), *args], env=env, capture_output=True, text=True, cwd=ROOT, **kw
    )
    if result.returncode != 0:
        raise AssertionError(f"safehub {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout
