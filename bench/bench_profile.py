"""Benchmark building the CSE problem profile on the synthetic city's extracts.

    .venv/bin/python bench/bench_profile.py --size city [--seed 2015] [--out DIR] [--engine spark]

Builds the city's extracts (or reuses `--out` when it already holds them), reads them into a
snapshot with DuckDB, then builds the full profile (every query, the hotspot analysis and the
network analysis) and the board's aggregate version. Prints the time of each step, the
profile's headline figures and the peak memory, then one JSON line. Goals (issue 7): city
<= 10 s, region <= 2 minutes on 2 cores. No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "city", "region"), default="city")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()

    import django

    django.setup()
    from safehub.analytics.profile import Audience, build_profile
    from safehub.analytics.snapshot import from_extracts
    from safehub.demo.city.build import build_city
    from safehub.demo.city.spec import make_spec

    out = args.out or Path(tempfile.gettempdir()) / f"safehub-city-{args.size}-{args.seed}"
    figures: dict[str, object] = {"size": args.size, "seed": args.seed, "engine": args.engine}
    if not (out / "manifest.json").exists():
        started = time.perf_counter()
        build_city(make_spec(args.size, args.seed), out)
        figures["build_city_s"] = round(time.perf_counter() - started, 1)
        print(f"built the {args.size} city's extracts in {figures['build_city_s']} s")

    started = time.perf_counter()
    snapshot = from_extracts(out)
    figures["snapshot_s"] = round(time.perf_counter() - started, 2)
    figures["rows"] = {name: table.num_rows for name, table in snapshot.tables.items()}
    print(f"snapshot read in {figures['snapshot_s']} s: {figures['rows']}")

    end = snapshot.as_of
    start = date(end.year - 1, end.month, min(end.day, 28)) if args.months == 12 else None
    if start is None:
        month = end.month - args.months
        year = end.year
        while month < 1:
            month += 12
            year -= 1
        start = date(year, month, min(end.day, 28))

    spark_context = None
    spark = None
    if args.engine == "spark":
        from safehub.linkage.engine import spark_session

        spark_context = spark_session(partitions=2)
        spark = spark_context.__enter__()
    try:
        for audience in (Audience.FULL, Audience.AGGREGATE):
            started = time.perf_counter()
            profile = build_profile(
                snapshot, start_on=start, audience=audience, engine=args.engine, spark=spark
            )
            seconds = round(time.perf_counter() - started, 2)
            figures[f"profile_{audience}_s"] = seconds
            print(f"{audience} profile built in {seconds} s ({args.engine})")
    finally:
        if spark_context is not None:
            spark_context.__exit__(None, None, None)
    figures["total_s"] = round(
        float(figures["snapshot_s"]) + float(figures["profile_full_s"]),  # type: ignore[arg-type]
        2,
    )
    for section in profile.sections:
        for finding in section.findings[:2]:
            print(f"  [{section.id}] {finding}")
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["load"] = round(os.getloadavg()[0], 1)
    print(
        f"snapshot + full profile: {figures['total_s']} s; peak memory "
        f"{figures['peak_rss_mb']} MB; load average {figures['load']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
