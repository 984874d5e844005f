"""Benchmark the synthetic city: write `city` or `region` to files, or load a size into the DB.

    .venv/bin/python bench/bench_city.py write --size city --seed 1 [--out DIR] [--keep]
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_city.py load --size city --seed 1

Prints the figures, then one JSON line. Budgets (issue): city written in <= 60 s on 2 cores,
loaded into PostgreSQL in <= 3 min; region written in <= 10 min with <= 4 GB peak memory
(measure peak memory with /usr/bin/time -v). No assertions: this reports, it does not judge.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def bench_write(size: str, seed: int, out: Path | None, keep: bool, workers: int) -> dict:
    """Write the city to files; report seconds, rows per table and bytes written."""
    from safehub.demo.city.build import build_city
    from safehub.demo.city.spec import make_spec

    target = out or Path(tempfile.mkdtemp(prefix=f"city-{size}-")) / "city"
    started = time.perf_counter()
    manifest = build_city(make_spec(size, seed), target, workers=workers)
    seconds = round(time.perf_counter() - started, 2)
    size_bytes = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"{size}, seed {seed}: written to {target} in {seconds} s with {workers} workers")
    print(f"  children {manifest['children']:,}, people {manifest['people']:,}")
    for table, rows in manifest["rows"].items():
        print(f"  {table:<45} {rows:>12,}")
    print(f"  {size_bytes / 1e6:,.0f} MB on disk; peak RSS of one process {_peak_mb()} MB")
    if not keep and out is None:
        shutil.rmtree(target.parent)
    return {
        "bench": "city_write",
        "size": size,
        "seed": seed,
        "workers": workers,
        "seconds": seconds,
        "megabytes": round(size_bytes / 1e6, 1),
        "peak_rss_mb": _peak_mb(),
        "rows": manifest["rows"],
    }


def bench_load(size: str, seed: int) -> dict:
    """Load the city into the database named by DATABASE_URL (migrated, and holding no city)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    import django

    django.setup()
    from django.db import connection

    from safehub.demo.city.load import load_city

    started = time.perf_counter()
    counts = load_city(size, seed, replace=True)
    seconds = round(time.perf_counter() - started, 2)
    print(f"{size}, seed {seed}: loaded into {connection.vendor} in {seconds} s")
    for table, rows in counts.items():
        print(f"  {table:<20} {rows:>10,}")
    return {
        "bench": "city_load",
        "size": size,
        "seed": seed,
        "database": connection.vendor,
        "seconds": seconds,
        "rows": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("write", "load"))
    parser.add_argument("--size", choices=("small", "city", "region"), default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the files written")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.mode == "write":
        result = bench_write(args.size, args.seed, args.out, args.keep, args.workers)
    else:
        result = bench_load(args.size, args.seed)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
