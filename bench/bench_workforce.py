"""Coverage report, gap list and driver expiry alerts on a large register (SQLite file).

    .venv/bin/python bench/bench_workforce.py [--staff 5000] [--drivers 2000] [--seed 1]

Makes an empty SQLite database in a temporary directory, bulk-creates synthetic staff and
councillors (with DBS checks and training) and licensed drivers (with licences, DBS checks,
Update Service checks, training and NR3S checks), then times the pages' selectors: the
coverage report with its trend (today and four quarter ends), who is missing what, the
staff running out soon, and the licensing expiry alerts. Prints figures, then one JSON line.
No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def populate(staff: int, drivers: int, rng: random.Random, today: date) -> None:
    from safehub.accounts.models import User
    from safehub.licensing.models import (
        Driver,
        DriverDbsCheck,
        DriverStatusCheck,
        DriverTraining,
        Licence,
        NationalRegisterCheck,
    )
    from safehub.workforce.models import DbsCheck, StaffMember, TrainingCourse, TrainingRecord
    from safehub.workforce.rules import last_valid_day

    officer = User.objects.create(username="bench.officer")
    course = TrainingCourse.objects.create(name="CSE awareness", kind="cse_awareness")

    def ago(most: int) -> date:
        return today - timedelta(days=rng.randint(0, most))

    members = StaffMember.objects.bulk_create(
        StaffMember(
            staff_number=f"S{n:06d}" if n % 10 else f"M{n:06d}",
            given_name="Bench",
            family_name=f"Person{n}",
            kind="staff" if n % 10 else "councillor",
            job_title="Social worker",
            directorate=rng.choice(["Children's social care", "Early help", "Education"]),
            works_with_children=n % 7 != 0,
            regulated_activity=n % 3 == 0,
        )
        for n in range(staff)
    )
    DbsCheck.objects.bulk_create(
        DbsCheck(
            staff=m,
            level="basic" if m.kind == "councillor" else "enhanced_barred_lists",
            certificate_number=f"{i:012d}",
            issued_on=ago(1500),
            result="clear",
        )
        for i, m in enumerate(members)
        if rng.random() > 0.05
    )
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            staff=m, course=course, completed_on=(d := ago(1500)), expires_on=last_valid_day(d, 36)
        )
        for m in members
        if rng.random() > 0.1
    )
    made = Driver.objects.bulk_create(
        Driver(
            badge_number=f"D{n:07d}",
            given_name="Bench",
            family_name=f"Driver{n}",
            badge_type="private_hire",
        )
        for n in range(drivers)
    )
    Licence.objects.bulk_create(
        Licence(
            driver=d,
            badge_type="private_hire",
            starts_on=(s := ago(1000)),
            expires_on=last_valid_day(s, 36),
        )
        for d in made
    )
    checks = DriverDbsCheck.objects.bulk_create(
        DriverDbsCheck(
            driver=d,
            level="enhanced_barred_lists",
            certificate_number=f"{i:012d}",
            issued_on=ago(1500),
            result="clear",
            update_service=i % 2 == 0,
        )
        for i, d in enumerate(made)
    )
    DriverStatusCheck.objects.bulk_create(
        DriverStatusCheck(certificate=c, checked_on=max(c.issued_on, ago(250)), result="no_change")
        for c in checks
        if c.update_service
    )
    DriverTraining.objects.bulk_create(
        DriverTraining(
            driver=d, course=course, completed_on=(c := ago(1300)), expires_on=last_valid_day(c, 36)
        )
        for d in made
    )
    NationalRegisterCheck.objects.bulk_create(
        NationalRegisterCheck(driver=d, checked_on=ago(200), result="no_match", checked_by=officer)
        for d in made
    )


def timed(label: str, fn: Any, figures: dict[str, Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    figures[label] = round(time.perf_counter() - started, 3)
    print(f"{label:<28} {figures[label]:>8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--drivers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="safehub-bench-workforce-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safehub.licensing import selectors as licensing
    from safehub.workforce import reports
    from safehub.workforce import selectors as workforce

    today = date(2026, 7, 31)
    figures: dict[str, Any] = {"staff": args.staff, "drivers": args.drivers}
    rng = random.Random(args.seed)  # noqa: S311 - synthetic data, not security
    timed("populate", lambda: populate(args.staff, args.drivers, rng, today), figures)
    report = timed("coverage_with_trend", lambda: reports.build(today), figures)
    timed("coverage_today", lambda: reports.build(today, trend=False), figures)
    timed("coverage_csv", lambda: reports.as_csv(report), figures)
    gaps = timed("missing_lists", lambda: workforce.missing_lists(today), figures)
    timed("staff_expiring_soon", lambda: workforce.expiring_soon(today), figures)
    alerts = timed("driver_expiry_alerts", lambda: licensing.expiry_alerts(today), figures)
    figures["people_missing_something"] = len(gaps)
    figures["drivers_with_alerts"] = len(alerts)
    for row in report.rows:
        shares = f"DBS {row.dbs_share}%, training {row.training_share}%"
        print(f"  {row.label}: {row.people} people, {shares}")
    print(json.dumps({"bench": "workforce", **figures}))


if __name__ == "__main__":
    main()
