"""Import throughput: the attendance extract of a generated city into SQLite and PostgreSQL.

    .venv/bin/python bench/bench_imports.py [--size small|city] [--seed 2015]
        [--postgres postgres://postgres@127.0.0.1:5432] [--no-postgres]

Builds the city's extracts in a temporary directory, then for each engine makes an empty
database, imports the schools and times `school_attendance` twice through the import engine
(the same code the command and the web use): the first run writes every row (all new), the
second compares every row and writes none (all unchanged). Each engine runs in its own
process. Prints rows per second, then one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def worker(url: str, extracts: Path) -> dict[str, Any]:
    """In a fresh process: migrate `url`, import schools, time attendance twice."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from safehub.imports import services
    from safehub.imports.registry import get_source

    call_command("migrate", verbosity=0)

    def run(name: str, path: Path) -> tuple[float, Any]:
        started = time.perf_counter()
        job = services.start_run(
            user=None,
            source=get_source(name),
            path=path,
            file_name=path.name,
            channel="cli",
            skip_rejected=True,
        )
        job = services.apply_run(job, path=path)
        return time.perf_counter() - started, job

    _, schools = run("schools", extracts / "education" / "schools.csv")
    assert schools.status == "imported" and not schools.rejected, schools.error
    attendance = extracts / "education" / "attendance.csv"
    first_s, first = run("school_attendance", attendance)
    second_s, second = run("school_attendance", attendance)
    assert first.status == "imported" and second.status == "imported", (first.error, second.error)
    return {
        "rows": first.rows_done,
        "first_seconds": round(first_s, 2),
        "first_rows_per_s": round(first.rows_done / first_s),
        "first_new": first.new,
        "second_seconds": round(second_s, 2),
        "second_rows_per_s": round(second.rows_done / second_s),
        "second_unchanged": second.unchanged,
        "rejected": first.rejected,
        "first_rejections": first.rejections[:5],
    }


def in_process(url: str, extracts: Path) -> dict[str, Any]:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="safehub.config.settings.test")
    env["SAFEHUB_VAR_DIR"] = str(extracts.parent / "var")
    done = subprocess.run(
        [sys.executable, __file__, "--worker", url, str(extracts)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the {url.split(':')[0]} run failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "city"])
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]))))
        return

    results: dict[str, Any] = {"bench": "imports", "size": args.size, "seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="safehub-bench-imports-") as tmp:
        out = Path(tmp) / "city"
        started = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "safehub"),
                "build_city",
                "--size",
                args.size,
                "--seed",
                str(args.seed),
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
            env=dict(os.environ, DJANGO_SETTINGS_MODULE="safehub.config.settings.test"),
        )
        print(f"city {args.size} built in {time.perf_counter() - started:.1f} s")
        extracts = out / "extracts"
        engines = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if not args.no_postgres:
            engines["postgresql"] = args.postgres
        for engine, url in engines.items():
            if engine == "postgresql":
                import psycopg

                name = f"safehub_bench_imports_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                try:
                    figures = in_process(f"{url}/{name}", extracts)
                finally:
                    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                figures = in_process(url, extracts)
            results[engine] = figures
            print(
                f"{engine}: {figures['rows']:,} attendance rows; first import (all new) "
                f"{figures['first_seconds']} s = {figures['first_rows_per_s']:,} rows/s; "
                f"again (all unchanged) {figures['second_seconds']} s = "
                f"{figures['second_rows_per_s']:,} rows/s"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
