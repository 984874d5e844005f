"""Concurrency: two people save the same case at the same moment; no update is lost.

Two separate processes (two application servers, in effect) read the case, wait for the same
instant, and both save a new risk level from the version they read. Exactly one save wins;
the other is refused as stale and told who changed what; the history holds one change. Runs
on the engine of the test run (PostgreSQL in CI's second pass).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from tests.scratch_db import BIN, ROOT, safehub, scratch_database

SETUP = """
from safehub.accounts.services import create_agency, create_user
from safehub.cases.services import allocate_case, open_case
from safehub.people.services import PersonDetails, create_person
from datetime import date
council = create_agency(name='Race Council', agency_type='council')
manager = create_user(username='manager', password=None, agency=council, roles=['cse_manager'])
for name in ('worker.a', 'worker.b'):
    create_user(username=name, password=None, agency=council, roles=['cse_manager'])
child = create_person(actor=manager, details=PersonDetails(given_name='Isolde',
    family_name='Racewood', date_of_birth=date(2011, 4, 4), sex='female'))
case = open_case(actor=manager, person=child, referral=None, reason='Strategy discussion')
print(case.public_id)
"""

SAVE = """
import json, sys, time
from safehub.accounts.models import User
from safehub.cases.errors import StaleEdit
from safehub.cases.models import Case
from safehub.cases.services import change_risk_level
case = Case.objects.get(public_id='{case}')
read_version = case.version
time.sleep(max(0.0, {start} - time.time()))
try:
    change_risk_level(actor=User.objects.get(username='{user}'), case=case,
                      read_version=read_version, level='{level}', reason='seen today')
    print(json.dumps({{"saved": True}}))
except StaleEdit as exc:
    print(json.dumps({{"saved": False, "message": str(exc), "changes": len(exc.changes)}}))
"""


def test_two_simultaneous_saves_never_lose_an_update(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        safehub(url, "migrate", "-v0")
        case_id = safehub(url, "shell", "-c", SETUP).strip().splitlines()[-1]
        env = dict(
            os.environ,
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="safehub.config.settings.test",
            PYTHONPATH=str(ROOT),
        )
        start = time.time() + 6  # both processes are up and have read the case by then
        processes = [
            subprocess.Popen(
                [
                    str(BIN / "safehub"),
                    "shell",
                    "-c",
                    SAVE.format(case=case_id, start=start, user=user, level=level),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for user, level in (("worker.a", "high"), ("worker.b", "exploited"))
        ]
        results = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        assert sorted(r["saved"] for r in results) == [False, True], results
        loser = next(r for r in results if not r["saved"])
        assert "changed by someone else" in loser["message"] and loser["changes"] >= 1
        winner_level = "high" if results[0]["saved"] else "exploited"
        final = (
            safehub(
                url,
                "shell",
                "-c",
                "from safehub.cases.models import Case;"
                f"c = Case.objects.get(public_id='{case_id}');"
                "print(c.risk_level, c.version, c.risk_changes.count())",
            )
            .strip()
            .splitlines()[-1]
            .split()
        )
        assert final[0] == winner_level, final
        assert final[2] == "2"  # the opening level and the one winning change
