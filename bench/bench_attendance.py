"""Benchmark the attendance scan on the synthetic city, and check it against the planted truth.

    .venv/bin/python bench/bench_attendance.py --size city [--seed 1] [--naive-pupils N]

Generates the city's attendance in memory (the rows `extracts/education/attendance.csv` holds),
scans the whole year with DuckDB, then runs the same rules naively (a pandas group-by, one
pupil at a time in Python) in the same run, and prints the ratio. Against the truth: precision
and recall of alerts for exploited children (overall and per rule), how many weeks before the
child's first missing report each true alert came, and alert rates by sex and ethnicity.
Prints figures, then one JSON line. Goal (issue 5): scan <= 30 s on 2 cores. No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.test")


def generate(size: str, seed: int) -> tuple[Any, Any, dict[str, dict[str, Any]], date]:
    """The city's attendance as an Arrow table, its missing episodes by UPN, and per pupil the
    truth (sex, ethnicity, role, first missing report)."""
    import pyarrow as pa

    from safehub.attendance.scan import ATTENDANCE_SCHEMA, EPISODE_SCHEMA
    from safehub.demo.attendance import chunk_attendance
    from safehub.demo.city.build import generate_chunk
    from safehub.demo.city.spec import make_spec

    spec = make_spec(size, seed)
    tables, truth = [], {}
    ep_upn, ep_start, ep_end = [], [], []
    for index in range(spec.chunks):
        chunk = generate_chunk(spec, index)
        upn_of = {}
        for p in chunk.people:
            if p.kind == "child" and p.upn:
                upn_of[p.pid] = p.upn
                story = chunk.stories.get(p.pid, {})
                first = story.get("first_missing")
                truth[p.upn] = {
                    "sex": p.sex,
                    "ethnicity": p.ethnicity,
                    "role": p.role,
                    "began": story.get("began"),
                    "first_missing": first.date() if first else None,
                }
        for e in chunk.episodes:
            if e.pid in upn_of:
                ep_upn.append(upn_of[e.pid])
                ep_start.append(e.reported_at.date())
                ep_end.append(e.found_at.date())
        cols: list[list[Any]] = [[], [], [], []]
        for row in chunk_attendance(spec, chunk):
            for column, value in zip(cols, row, strict=True):
                column.append(value)
        tables.append(
            pa.table(
                [
                    pa.array(cols[0], pa.string()),
                    pa.array(cols[1], pa.string()).cast(pa.int64()),
                    pa.array(cols[2], pa.string()).cast(pa.date32()),
                    pa.array(cols[3], pa.string()),
                ],
                schema=ATTENDANCE_SCHEMA,
            )
        )
        del chunk, cols
    episodes = pa.table(
        [
            pa.array(ep_upn, pa.string()),
            pa.array(ep_start, pa.date32()),
            pa.array(ep_end, pa.date32()),
        ],
        schema=EPISODE_SCHEMA,
    )
    return pa.concat_tables(tables), episodes, truth, spec.as_of


def naive(
    table: Any, episodes: Any, thresholds: Any, pupils: int | None
) -> tuple[float, float, int, int]:
    """The same rules, pandas group-by and a Python loop per pupil. Returns (seconds, CPU
    seconds, pupils scanned, findings); off-roll is included when every pupil is scanned."""
    from safehub.attendance.rules import Episode, Week, detect, detect_off_roll

    started, cpu = time.perf_counter(), time.process_time()
    frame = table.to_pandas()
    eps: dict[str, list[Episode]] = defaultdict(list)
    for row in episodes.to_pandas().itertuples(index=False):
        eps[row.upn].append(Episode(row.start, row.end))
    findings = scanned = 0
    for (upn, _school), group in frame.groupby(["upn", "school"], sort=False):
        weeks = [Week(r.week, r.sessions) for r in group.itertuples(index=False)]
        findings += len(detect(weeks, eps.get(upn, ()), thresholds))
        scanned += 1
        if pupils and scanned >= pupils:
            break
    if not pupils:
        keys = zip(frame["upn"], frame["school"], frame["week"], strict=True)
        findings += len(detect_off_roll(keys, thresholds))
    return time.perf_counter() - started, time.process_time() - cpu, scanned, findings


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "city"), default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--naive-pupils", type=int, default=0, help="naive run on this many pupils (0: all)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from safehub.attendance.config import thresholds
    from safehub.attendance.scan import run_scan

    t = thresholds()
    started = time.perf_counter()
    table, episodes, truth, as_of = generate(args.size, args.seed)
    generate_s = time.perf_counter() - started
    pupils = table.group_by(["upn", "school"]).aggregate([]).num_rows
    print(f"Generated {table.num_rows:,} pupil-weeks for {pupils:,} pupils in {generate_s:.1f} s")

    started, cpu = time.perf_counter(), time.process_time()
    found = run_scan(table, episodes, t)
    scan_s, scan_cpu = time.perf_counter() - started, time.process_time() - cpu
    load = os.getloadavg()[0]
    print(
        f"DuckDB scan of the year: {scan_s:.2f} s ({scan_cpu:.1f} s of CPU on {os.cpu_count()} "
        f"cores, load average {load:.1f}), {len(found):,} findings (goal <= 30 s)"
    )

    naive_s, naive_cpu, naive_pupils, naive_findings = naive(table, episodes, t, args.naive_pupils)
    naive_full_s = naive_s * pupils / max(naive_pupils, 1)
    naive_full_cpu = naive_cpu * pupils / max(naive_pupils, 1)
    label = "" if naive_pupils == pupils else f" (extrapolated from {naive_pupils:,} pupils)"
    ratio = naive_full_s / scan_s
    print(
        f"Naive pandas group-by loop: {naive_full_s:.1f} s ({naive_full_cpu:.1f} s of CPU){label}; "
        f"ratio {ratio:.1f}x (CPU {naive_full_cpu / scan_cpu:.1f}x)"
    )
    if naive_pupils == pupils:
        print(f"  same findings count: {naive_findings == len(found)} ({naive_findings:,})")

    # --- against the truth ---
    by_pupil: dict[str, list[Any]] = defaultdict(list)
    for pf in found:
        by_pupil[pf.upn].append(pf.finding)
    exploited = {u for u, x in truth.items() if x["role"] == "exploited"}
    controls = {u for u, x in truth.items() if x["role"] == "control"}
    alerted = set(by_pupil)
    tp = len(alerted & exploited)
    print(
        f"\nAlerts: {len(alerted):,} pupils ({rate(len(alerted), len(truth)):.1%} of pupils); "
        f"exploited children: {len(exploited)}, alerted {tp}"
    )
    print(f"  precision {rate(tp, len(alerted)):.4f}, recall {rate(tp, len(exploited)):.2f}")
    print(f"  matched controls alerted: {len(alerted & controls)} of {len(controls)}")
    per_rule: dict[str, dict[str, Any]] = {}
    print("\nPer rule: pupils alerted, exploited among them, precision, recall")
    for rule in sorted({f.rule for fs in by_pupil.values() for f in fs}):
        who = {u for u, fs in by_pupil.items() if any(f.rule == rule for f in fs)}
        hit = len(who & exploited)
        per_rule[rule] = {
            "alerted": len(who),
            "exploited": hit,
            "precision": rate(hit, len(who)),
            "recall": rate(hit, len(exploited)),
        }
        row = per_rule[rule]
        print(
            f"  {rule:<28} {len(who):>7,} {hit:>4} {row['precision']:>8.4f} {row['recall']:>6.2f}"
        )
    by_count: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for u, fs in by_pupil.items():
        n = len({f.rule for f in fs})
        by_count[n][0] += 1
        by_count[n][1] += u in exploited
    print("\nBy how many rules fired (not a score: for reading the figures)")
    for n in sorted(by_count):
        total, hit = by_count[n]
        share = rate(hit, total)
        print(f"  {n} rule(s): {total:>7,} pupils, {hit:>3} exploited, precision {share:.4f}")

    # Lead time: a weekly scan raises an alert the Friday of the first week a rule fires.
    leads = []
    for u in alerted & exploited:
        first_missing = truth[u]["first_missing"]
        if first_missing is None:
            continue
        raised = min(f.first_week for f in by_pupil[u]) + timedelta(days=4)
        leads.append((first_missing - raised).days / 7)
    before = [w for w in leads if w > 0]
    if leads:
        print(
            f"\nWeeks from alert to first missing report (positive: the alert came first): "
            f"median {statistics.median(leads):.1f}, min {min(leads):.1f}, max {max(leads):.1f}; "
            f"{len(before)} of {len(leads)} before the first report"
        )
        print("  each:", ", ".join(f"{w:.1f}" for w in sorted(leads)))

    # The same findings if persistent absence and the same-weekday rule only supported alerts
    # (the `supporting_only` setting): fewer alerts, each opened by a change in pattern.
    supporting = ("persistent_absence", "same_weekday")
    opening = {u: [f for f in fs if f.rule not in supporting] for u, fs in by_pupil.items()}
    opening = {u: fs for u, fs in opening.items() if fs}
    v_tp = len(set(opening) & exploited)
    v_leads = [
        (truth[u]["first_missing"] - min(f.first_week for f in opening[u]) - timedelta(days=4)).days
        / 7
        for u in set(opening) & exploited
        if truth[u]["first_missing"] is not None
    ]
    variant = {
        "supporting_only": list(supporting),
        "alerted_pupils": len(opening),
        "true_alerts": v_tp,
        "precision": rate(v_tp, len(opening)),
        "recall": rate(v_tp, len(exploited)),
        "controls_alerted": len(set(opening) & controls),
        "lead_weeks_median": round(statistics.median(v_leads), 1) if v_leads else None,
        "before_first_report": sum(1 for w in v_leads if w > 0),
    }
    print(
        f"\nWith supporting_only = {list(supporting)}: {len(opening):,} pupils alerted "
        f"({rate(len(opening), len(truth)):.1%}), precision {variant['precision']:.4f}, "
        f"recall {variant['recall']:.2f}, matched controls {variant['controls_alerted']}, "
        f"median lead {variant['lead_weeks_median']} weeks, "
        f"{variant['before_first_report']} before the first report"
    )

    def rates_by(key: str) -> dict[str, dict[str, Any]]:
        pupils_in: Counter[str] = Counter(x[key] for x in truth.values())
        alerted_in: Counter[str] = Counter(truth[u][key] for u in alerted if u in truth)
        return {
            g: {"pupils": pupils_in[g], "alert_rate": rate(alerted_in[g], pupils_in[g])}
            for g in sorted(pupils_in)
        }

    disparity = {"sex": rates_by("sex"), "ethnicity": rates_by("ethnicity")}
    for key, groups in disparity.items():
        print(f"\nAlert rate by {key}:")
        for g, v in groups.items():
            print(f"  {g:<28} {v['pupils']:>7,} pupils  {v['alert_rate']:.1%}")

    print(
        json.dumps(
            {
                "bench": "attendance",
                "size": args.size,
                "seed": args.seed,
                "as_of": as_of.isoformat(),
                "pupil_weeks": table.num_rows,
                "pupils": pupils,
                "generate_s": round(generate_s, 1),
                "scan_s": round(scan_s, 2),
                "scan_cpu_s": round(scan_cpu, 1),
                "load_average": round(load, 1),
                "naive_s": round(naive_full_s, 1),
                "naive_cpu_s": round(naive_full_cpu, 1),
                "naive_extrapolated": naive_pupils != pupils,
                "ratio": round(naive_full_s / scan_s, 1),
                "findings": len(found),
                "alerted_pupils": len(alerted),
                "exploited": len(exploited),
                "true_alerts": tp,
                "precision": rate(tp, len(alerted)),
                "recall": rate(tp, len(exploited)),
                "per_rule": per_rule,
                "lead_weeks": sorted(round(w, 1) for w in leads),
                "lead_weeks_median": round(statistics.median(leads), 1) if leads else None,
                "rates": disparity,
                "supporting_only_variant": variant,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
