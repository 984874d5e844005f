"""All or nothing: an import killed part-way leaves none of its rows, shows as failed, and
runs again cleanly. A real `safehub import` process against a scratch database, SIGKILLed
once its progress file shows rows done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from tests.imports.conftest import SCHOOLS, upn
from tests.scratch_db import BIN, ROOT, safehub, scratch_database

COUNT = """
from safehub.attendance.models import AttendanceWeek
from safehub.imports.models import ImportRun
from safehub.imports.selectors import history
from safehub.accounts.models import User
history(User.objects.get(username='admin'))
print(AttendanceWeek.objects.count(), ImportRun.objects.get(pk={pk}).status)
"""


def attendance_csv(path: Path, pupils: int, weeks: int) -> Path:
    lines = ["upn,school_urn,week_commencing,sessions"]
    for n in range(pupils):
        for week in range(weeks):
            monday = date(2025, 9, 1) + timedelta(weeks=week)
            lines.append(f"{upn(n)},900000,{monday.isoformat()},/\\/\\/\\/\\/\\")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_killed_import_leaves_nothing_and_can_be_run_again(tmp_path: Path) -> None:
    var = tmp_path / "var"
    schools = tmp_path / "schools.csv"
    schools.write_text(SCHOOLS)
    big = attendance_csv(tmp_path / "attendance.csv", pupils=6000, weeks=10)
    with scratch_database(tmp_path) as url:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="safehub.config.settings.test",
            PYTHONPATH=str(ROOT),
            SAFEHUB_VAR_DIR=str(var),
        )
        os.environ["SAFEHUB_VAR_DIR"] = str(var)
        try:
            safehub(url, "migrate", "-v0")
            safehub(
                url,
                "shell",
                "-c",
                "from safehub.accounts.services import create_agency, create_user;"
                "a = create_agency(name='Council', agency_type='council');"
                "create_user(username='admin', password=None, agency=a, roles=['system_admin'])",
            )
            safehub(url, "import", "schools", str(schools), "--no-progress")
            process = subprocess.Popen(
                [
                    str(BIN / "safehub"),
                    "import",
                    "school_attendance",
                    str(big),
                    "--user",
                    "admin",
                    "--no-progress",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            done = 0
            deadline = time.time() + 120
            while time.time() < deadline and process.poll() is None:
                for file in (var / "imports").glob("*.progress.json"):
                    try:
                        state = json.loads(file.read_text())
                    except ValueError:
                        continue
                    if state["phase"] == "importing" and state["rows_done"] > 0:
                        done = state["rows_done"]
                if done:
                    break
                time.sleep(0.02)
            assert done, "the import never showed progress"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            assert 0 < done < 60000

            run_id = (
                safehub(
                    url,
                    "shell",
                    "-c",
                    "from safehub.imports.models import ImportRun;"
                    "print(ImportRun.objects.get(source='school_attendance').pk)",
                )
                .strip()
                .splitlines()[-1]
            )
            # Nothing of the killed import is visible; viewing the history marks it failed.
            assert safehub(url, "shell", "-c", COUNT.format(pk=run_id)).splitlines()[
                -1
            ].split() == ["0", "failed"]

            out = safehub(url, "import", "school_attendance", str(big), "--no-progress")
            assert "60000 new, 0 changed, 0 unchanged, 0 rejected" in out.replace("\n", " ")
        finally:
            del os.environ["SAFEHUB_VAR_DIR"]
