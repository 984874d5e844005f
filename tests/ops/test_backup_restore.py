"""`safehub backup` and `safehub restore` round-trip a whole database (pg_dump on PostgreSQL,
SQLite's backup API on SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
