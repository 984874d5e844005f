"""Fault: PostgreSQL restarts while the application serves requests.

A private PostgreSQL cluster (started as the postgres user, on its own port) backs a real
gunicorn server. While the database is down, requests fail cleanly (a 500 with the service's
own error page, no traceback); once it is back, the next requests succeed without restarting
the application.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scratch_db import BIN, ROOT, safehub

PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.directory / "data"),
                "-l",
                str(self.directory / "pg.log"),
                "-w",
                *args,
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.ctl("-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    directory = Path(tempfile.mkdtemp(prefix="safehub-pg-"))
    shutil.chown(directory, "postgres", "postgres")
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "initdb"),
            "-D",
            str(directory / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    c = Cluster(directory, free_port())
    c.start()
    try:
        yield c
    finally:
        c.stop()
        shutil.rmtree(directory, ignore_errors=True)


def get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_requests_fail_cleanly_while_postgres_is_down_and_recover(cluster: Cluster) -> None:
    url = f"postgres://postgres@127.0.0.1:{cluster.port}/postgres"
    safehub(url, "migrate", "-v0")
    safehub(url, "shell", "-c", SEED)
    token = safehub(url, "create_api_token", "api.user", "fault test").strip()
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="safehub.config.settings.test",
        PYTHONPATH=str(ROOT),
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "safehub.config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1/screening-tools"
    try:
        for _ in range(100):
            try:
                if get(base, token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert get(base, token)[0] == 200

        cluster.stop()
        for _ in range(4):
            status, body = get(base, token)
            assert status == 500
            assert "Traceback" not in body and "OperationalError" not in body
            assert "Sorry, there is a problem with the service" in body

        cluster.start()
        results = [get(base, token)[0] for _ in range(6)]
        assert results == [200] * 6, results
    finally:
        server.terminate()
        server.wait(timeout=10)


SEED = """
from safehub.accounts.services import create_agency, create_user
agency = create_agency(name='Fault School', agency_type='school')
create_user(username='api.user', password=None, agency=agency, roles=['referrer'])
"""
