"""Backup and restore of the whole database: pg_dump/pg_restore on PostgreSQL, SQLite's own
online backup on SQLite. One file either way; restore replaces everything in one go."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections


class BackupError(Exception):
    """A backup or restore could not be made; nothing was changed."""


def _pg_env(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", str(settings.get("HOST") or "localhost"), "-p", str(settings.get("PORT") or 5432)]
    if settings.get("USER"):
        args += ["-U", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _create_private(target: Path) -> int:
    """Create `target` readable and writable by its owner only (0600) and open it for writing.

    The mode is set as the file is made, so no other user can open it in between; O_EXCL makes
    refusing an existing file (or a symlink planted in its place) part of the same step.
    """
    try:
        return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise BackupError(f"{target} exists already; choose a new file name") from None
    except OSError as exc:
        raise BackupError(f"cannot create {target}: {exc.strerror}") from None


def backup_database(target: Path, *, alias: str = "default") -> Path:
    """Write a complete copy of the database to `target`, a new file that only its owner may
    read (mode 0600). Refuses to overwrite a file; leaves no partial file when it fails."""
    connection = connections[alias]
    settings = connection.settings_dict
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"no backup method for {connection.vendor}")
    fd = _create_private(target)
    try:
        if connection.vendor == "postgresql":
            args, env = _pg_env(settings)
            # pg_dump writes to our file (stdout), so it never creates one with its own mode.
            with os.fdopen(fd, "wb") as out:
                fd = -1
                result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [_tool("pg_dump"), *args, "-Fc", "--no-owner", settings["NAME"]],
                    env=env,
                    stdout=out,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            # SQLite writes into the empty file made above, and gives any journal its mode.
            os.close(fd)
            fd = -1
            source = sqlite3.connect(str(settings["NAME"]))
            try:
                with sqlite3.connect(str(target)) as copy:
                    source.backup(copy)
                copy.close()
            finally:
                source.close()
    except BaseException:
        if fd >= 0:
            os.close(fd)
        target.unlink(missing_ok=True)
        raise
    return target


def restore_database(source: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup in `source`, all or nothing."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    connection = connections[alias]
    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings)
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                settings["NAME"],
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing changed): {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not an SQLite backup: {exc}") from None
        try:
            with sqlite3.connect(str(settings["NAME"])) as live:
                backup.backup(live)
        finally:
            backup.close()
    else:
        raise BackupError(f"no restore method for {connection.vendor}")
