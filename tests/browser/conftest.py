"""Browser tests: a real server (gunicorn) on its own database, driven by Debian's Chromium.

The server runs in a subprocess with the test settings, so the browser sees exactly what a user
would: static files, CSP, sessions, two-factor sign-in.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.seed import PASSWORD, TOTP_KEY
from tests.scratch_db import scratch_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            # One xdist worker runs all browser tests against one server.
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_site() -> Iterator[str]:
    """Start gunicorn on a fresh, migrated, seeded database; yield its base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="safehub-browser-"))
    with scratch_database(tmp) as url:
        yield from _serve(tmp, url)


def _serve(tmp: Path, url: str) -> Iterator[str]:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="safehub.config.settings.test",
        SAFEHUB_VAR_DIR=str(tmp),
        PYTHONPATH=str(ROOT),
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "safehub", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "tests.browser.seed"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "safehub.config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--access-logfile",
            "-",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/sign-in/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError((tmp / "server.log").read_text())
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    yield pg
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


AXE = Axe.from_file(ROOT / "node_modules" / "axe-core" / "axe.min.js")


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG 2.2 AA rules on the page; any violation fails the test."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in with password and a TOTP code, checking each page's accessibility."""
    page.goto(base + "/accounts/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/")
    assert_accessible(page)
    page.get_by_label("Security code").fill(next_code(username))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile(r"/two-factor/"))


_LAST_STEP: dict[str, int] = {}


def next_code(username: str) -> str:
    """A TOTP code the server will accept for `username`: a code already used is refused as a
    replay, so a second sign-in in the same 30-second step uses the next step's code (the test
    devices accept two steps of drift)."""
    now = int(time.time()) // 30
    step = max(now, _LAST_STEP.get(username, now - 1) + 1)
    assert step - now <= 2, f"{username} signed in more than three times in 30 seconds"
    _LAST_STEP[username] = step
    return f"{totp(bytes.fromhex(TOTP_KEY), drift=step - now):06d}"


@pytest.fixture
def browser_page_pair(
    browser: Browser, request: pytest.FixtureRequest
) -> Iterator[tuple[Page, Page]]:
    """Two separate browser sessions (two people at two desks)."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    pages = (contexts[0].new_page(), contexts[1].new_page())
    yield pages
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        for n, pg in enumerate(pages):
            pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
    for c in contexts:
        c.close()
