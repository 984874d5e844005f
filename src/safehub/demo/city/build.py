"""Build a city: generate each chunk, write its part files, merge them, write the manifest.

Chunks are independent (each has its own seeds), so `region` is built two chunks at a time
in worker processes and never held in memory whole; the output is the same whatever the
number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

from safehub.demo.city.cases import build_health, build_screenings
from safehub.demo.city.events import (
    write_other_events,
    write_police_events,
    write_social_care_events,
)
from safehub.demo.city.extracts import write_extracts
from safehub.demo.city.files import PartWriter, merge_parts
from safehub.demo.city.geography import Grid
from safehub.demo.city.missing import add_background_missing
from safehub.demo.city.model import Chunk
from safehub.demo.city.networks import build_locations, match_controls, plant_networks
from safehub.demo.city.population import build_population
from safehub.demo.city.registers import plan_registers
from safehub.demo.city.schools import build_schools, enrol
from safehub.demo.city.spec import CitySpec
from safehub.demo.city.truth import chunk_summary, write_truth_rows
from safehub.demo.city.workforce import build_council_workforce, build_drivers


def generate_chunk(spec: CitySpec, index: int) -> Chunk:
    """Everything true about chunk `index` of the city, in memory (one borough at most)."""
    chunk = Chunk(index)
    grid = Grid(index, spec.rng(index, "grid"))
    year = spec.year
    build_population(chunk, grid, spec.rng(index, "population"), spec.children_per_chunk, year)
    primary, secondary = spec.schools_per_chunk
    schools_rng = spec.rng(index, "schools")
    build_schools(chunk, grid, schools_rng, primary, secondary)
    enrol(chunk, schools_rng, year)
    build_locations(chunk, grid, spec.rng(index, "locations"))
    build_drivers(chunk, grid, spec.rng(index, "drivers"), spec.drivers_per_chunk, spec.as_of)
    if index == 0:
        build_council_workforce(
            chunk, grid, spec.rng(0, "council"), spec.council_staff, spec.councillors, spec.as_of
        )
    story_rng = spec.rng(index, "networks")
    plant_networks(chunk, grid, story_rng, spec.networks_per_chunk, year)
    match_controls(chunk, story_rng, year)
    add_background_missing(chunk, spec.rng(index, "missing"), year)
    in_progress = 6 if spec.size == "small" else 10
    build_screenings(chunk, spec.rng(index, "screenings"), year, in_progress)
    build_health(chunk, spec.rng(index, "health"), year)
    plan_registers(chunk, spec.rng(index, "registers"), year)
    return chunk


def write_chunk(
    spec: CitySpec, index: int, parts_dir: Path
) -> tuple[dict[str, int], dict[str, Any]]:
    """Generate one chunk and write its part files; return row counts and the planted truth."""
    chunk = generate_chunk(spec, index)
    out = PartWriter(parts_dir, index)
    try:
        extracts = write_extracts(chunk, spec.rng(index, "extracts"), spec.error_rates, out)
        write_social_care_events(chunk, extracts["social_care"], out)
        write_police_events(chunk, extracts["police"], out)
        write_other_events(chunk, extracts, spec.rng(index, "attendance"), out, spec.year)
        write_truth_rows(chunk, spec.rng(index, "truth"), out)
    finally:
        counts = out.close()
    return counts, chunk_summary(chunk)


def _write_chunk_job(job: tuple[CitySpec, int, Path]) -> tuple[dict[str, int], dict[str, Any]]:
    return write_chunk(*job)


def build_city(spec: CitySpec, out: Path, *, workers: int = 2) -> dict[str, Any]:
    """Write the agency extracts and the truth files of the city under `out`.

    Returns the manifest (also written to `out/manifest.json`): the spec, row counts per file
    and the seconds taken. Refuses (FileExistsError) a directory that already holds a city.
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    if (out / "manifest.json").exists():
        raise FileExistsError(f"{out} already holds a city; choose an empty directory")
    parts_dir = out / ".parts"
    parts_dir.mkdir(exist_ok=True)
    jobs = [(spec, index, parts_dir) for index in range(spec.chunks)]
    if workers > 1 and spec.chunks > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, spec.chunks), maxtasksperchild=4) as pool:
            results = list(pool.imap(_write_chunk_job, jobs))
    else:
        results = [_write_chunk_job(job) for job in jobs]
    merge_parts(out, parts_dir, spec.chunks)
    counts: dict[str, int] = {}
    truth: dict[str, Any] = {"networks": [], "planted_locations": [], "planted_vehicles": []}
    people = households = 0
    for chunk_counts, summary in results:
        for table, n in chunk_counts.items():
            counts[table] = counts.get(table, 0) + n
        for key in ("networks", "planted_locations", "planted_vehicles"):
            truth[key].extend(summary[key])
        people += summary["people"]
        households += summary["households"]
    about = {
        "size": spec.size,
        "seed": spec.seed,
        "academic_year": f"{spec.year}/{spec.year + 1 - 2000:02d}",
        "as_of": spec.as_of.isoformat(),
        "children": spec.children,
        "people": people,
        "households": households,
        "error_rates": spec.error_rates,
    }
    (out / "truth" / "truth.json").write_text(
        json.dumps({**about, **truth}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    manifest = {**about, "rows": counts}
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return {**manifest, "seconds": round(time.perf_counter() - started, 2)}
