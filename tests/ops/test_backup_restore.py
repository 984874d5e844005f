"""`safehub backup` and `safehub restore` round-trip a whole database (pg_dump on PostgreSQL,
SQLite's backup API on SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safehub.ops import backup as backup_module
from safehub.ops.backup import BackupError, backup_database
from tests.scratch_db import safehub, scratch_database

LOCAL = "safehub.config.settings.local"  # load_demo needs the demo settings


def snapshot(url: str) -> dict[str, int]:
    data = json.loads(
        safehub(
            url,
            "dumpdata",
            "people",
            "screening",
            "referrals",
            "audit",
            "accounts.user",
            settings=LOCAL,
        )
    )
    counts: dict[str, int] = {}
    for row in data:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return counts


def test_backup_then_restore_gives_back_the_same_data(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        safehub(url, "migrate", "-v0")
        safehub(url, "load_demo", settings=LOCAL)
        before = snapshot(url)
        assert before["people.person"] >= 5 and before["audit.accessevent"] >= 5
        backup = tmp_path / "safehub.backup"
        safehub(url, "backup", str(backup))
        # Change things after the backup: a new user and more screenings.
        safehub(url, "shell", "-c", CHANGE, settings=LOCAL)
        assert snapshot(url) != before
        with pytest.raises(AssertionError, match="--yes"):
            safehub(url, "restore", str(backup))
        safehub(url, "restore", str(backup), "--yes")
        assert snapshot(url) == before
        # The append-only trigger survives a restore.
        with pytest.raises(AssertionError, match="append-only"):
            safehub(url, "shell", "-c", TAMPER, settings=LOCAL)


def test_backup_refuses_to_overwrite_and_restore_refuses_junk(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        safehub(url, "migrate", "-v0")
        existing = tmp_path / "exists.backup"
        existing.write_text("precious")
        with pytest.raises(AssertionError, match="exists already"):
            safehub(url, "backup", str(existing))
        assert existing.read_text() == "precious"
        with pytest.raises(AssertionError, match="failed|not an SQLite backup"):
            safehub(url, "restore", str(existing), "--yes")
        assert "accounts.user" not in snapshot(url)  # still the empty, migrated database


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask (022), under which a file made without a mode is world-readable."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_backup_file_only_its_owner_can_read(tmp_path: Path, usual_umask: None) -> None:
    with scratch_database(tmp_path) as url:
        backup = tmp_path / "safehub.backup"
        safehub(url, "backup", str(backup))
        assert backup.stat().st_mode & 0o777 == 0o600


class FakePostgres:
    vendor = "postgresql"
    settings_dict = {"NAME": "safehub", "HOST": "127.0.0.1", "PORT": 5432, "USER": "app"}


def test_the_backup_file_is_private_before_pg_dump_writes_a_byte(
    tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not chmod afterwards: the file is 0600 from the moment it exists, and pg_dump writes
    into it rather than making its own. A failed dump leaves no file behind."""
    target = tmp_path / "safehub.dump"
    seen: list[int] = []

    def pg_dump(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert str(target) not in command  # pg_dump gets no file name to create
        seen.append(os.fstat(kwargs["stdout"].fileno()).st_mode & 0o777)
        kwargs["stdout"].write(b"PGDMP")
        return subprocess.CompletedProcess(command, 0, stderr="")

    monkeypatch.setattr(backup_module, "connections", {"default": FakePostgres()})
    monkeypatch.setattr(backup_module, "_tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup_module.subprocess, "run", pg_dump)
    backup_database(target)
    assert seen == [0o600]
    assert target.read_bytes() == b"PGDMP" and target.stat().st_mode & 0o777 == 0o600

    def failing(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        kwargs["stdout"].write(b"PGD")
        return subprocess.CompletedProcess(command, 1, stderr="connection refused")

    monkeypatch.setattr(backup_module.subprocess, "run", failing)
    broken = tmp_path / "broken.dump"
    with pytest.raises(BackupError, match="connection refused"):
        backup_database(broken)
    assert not broken.exists()


CHANGE = """
from safehub.accounts.models import Agency
from safehub.accounts.services import create_user
create_user(username='after.backup', password=None, agency=Agency.objects.first(),
            roles=['referrer'])
"""
TAMPER = """
from django.db import connection
connection.cursor().execute("DELETE FROM audit_accessevent")
"""
