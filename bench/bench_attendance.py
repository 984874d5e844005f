"""Benchmark the attendance scan on the synthetic city, and check it against the planted truth.

    .venv/bin/python bench/bench_attendance.py --size city [--seed 1] [--naive-pupils N]

Generates the city's attendance in memory (the rows `extracts/education/attendance.csv` holds),
scans the whole year with DuckDB, then runs the same rules naively (a pandas group-by, one
pupil at a time in Python) in the same run, and prints the ratio. Goal (issue 5): scan <= 30 s
on 2 cores.

Against the truth (`truth/pupils.csv`: each pupil's register category, the first of their
labels by the precedence in docs/data/truth.md), with the rules and thresholds as configured
(`supporting_only` rules never open an alert): the alert rate among ordinary pupils and among
each look-alike category, recall on exploited children, how many weeks before the child's first
missing report the alert came, alert rates by sex and ethnic group, and how often an exploited
child's alert names a rule that FITS the pattern planted for them. Issue 18's goals: at most
5% of ordinary pupils and 15% of look-alikes alerted, at least 85% of exploited children, and
a fitting rule for at least 75% of those alerted.
Prints figures, then one JSON line. No assertions.
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


# Which rules fit each planted pattern (patterns.py): an exploited child's alert "names a
# fitting rule" when one of these fired on or after the week the pattern began. Persistent
# absence fits none: it names no pattern. A new rule that names a pattern is added here.
FITS: dict[str, frozenset[str]] = {
    "mixed": frozenset({"sharp_fall", "part_day", "late_after_registers", "around_missing"}),
    "part_day": frozenset({"part_day"}),
    "masked_part_day": frozenset({"part_day", "late_after_registers"}),
    "missing_days": frozenset({"around_missing", "children_missing_education"}),
    "gradual_decline": frozenset({"sharp_fall"}),
    "same_weekday": frozenset({"same_weekday"}),
    "part_time_timetable": frozenset({"part_time_timetable"}),
}
GOALS = {"ordinary": 0.05, "look_alike": 0.15, "recall": 0.85, "fits": 0.75}


def generate(size: str, seed: int) -> tuple[Any, Any, dict[str, dict[str, Any]], date]:
    """The city's attendance as an Arrow table, its missing episodes by UPN, and per pupil the
    truth (sex, ethnicity, role, register labels and category, planted pattern, first missing
    report)."""
    import pyarrow as pa

    from safehub.attendance.scan import ATTENDANCE_SCHEMA, EPISODE_SCHEMA
    from safehub.demo.attendance import chunk_attendance
    from safehub.demo.city.build import generate_chunk
    from safehub.demo.city.registers import category_of
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
                plan = chunk.registers[p.pid]
                truth[p.upn] = {
                    "sex": p.sex,
                    "ethnicity": p.ethnicity,
                    "role": p.role,
                    "labels": tuple(plan.labels),
                    "category": category_of(plan.labels),
                    "pattern": plan.pattern,
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
    print(
        f"Generated {table.num_rows:,} pupil-weeks for {len(truth):,} pupils "
        f"({pupils:,} pupil-school pairs) in {generate_s:.1f} s"
    )

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
    measured = against_truth(found, truth, t.supporting_only)
    everyone = against_truth(found, truth, ())
    print_truth(measured, everyone, t.supporting_only)

    print(
        json.dumps(
            {
                "bench": "attendance",
                "size": args.size,
                "seed": args.seed,
                "as_of": as_of.isoformat(),
                "pupil_weeks": table.num_rows,
                "pupils": len(truth),
                "generate_s": round(generate_s, 1),
                "scan_s": round(scan_s, 2),
                "scan_cpu_s": round(scan_cpu, 1),
                "load_average": round(load, 1),
                "naive_s": round(naive_full_s, 1),
                "naive_cpu_s": round(naive_full_cpu, 1),
                "naive_extrapolated": naive_pupils != pupils,
                "ratio": round(naive_full_s / scan_s, 1),
                "findings": len(found),
                "goals": GOALS,
                **measured,
                "every_rule_opening": {
                    k: everyone[k]
                    for k in ("alerted_pupils", "groups", "recall", "fits_share", "precision")
                },
            },
            sort_keys=True,
            default=str,
        )
    )


def against_truth(
    found: list[Any], truth: dict[str, dict[str, Any]], supporting_only: tuple[str, ...]
) -> dict[str, Any]:
    """The alerts a scan opens (an alert per pupil and school, opened by a rule not in
    `supporting_only`, holding every finding at that school), measured against the truth."""
    from safehub.attendance.rules import RULE_NAMES
    from safehub.demo.city.registers import LOOK_ALIKES

    at_school: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for pf in found:
        at_school[(pf.upn, pf.school)].append(pf.finding)
    alerts: dict[str, list[Any]] = defaultdict(list)  # pupil -> findings on opened alerts
    opened: dict[str, date] = {}  # pupil -> the Monday of the week the first alert opened
    for (upn, _school), findings in at_school.items():
        opening = [f.first_week for f in findings if f.rule not in supporting_only]
        if opening:
            alerts[upn].extend(findings)
            opened[upn] = min(opened.get(upn, date.max), min(opening))
    with_finding: dict[str, set[str]] = defaultdict(set)
    for pf in found:
        with_finding[pf.finding.rule].add(pf.upn)

    # Each pupil counts in one category, the first of their labels by the documented
    # precedence (a Year 11 pupil who also took a holiday is a study-leave leaver).
    members: dict[str, list[str]] = defaultdict(list)
    for upn, x in truth.items():
        members[x["category"]].append(upn)
        if x["category"] in LOOK_ALIKES:
            members["look_alike"].append(upn)
    order = ["ordinary", "look_alike", *LOOK_ALIKES, "exploited", "control"]
    groups = {
        g: {
            "pupils": len(members[g]),
            "alerted": sum(1 for u in members[g] if u in alerts),
            "alert_rate": rate(sum(1 for u in members[g] if u in alerts), len(members[g])),
        }
        for g in order
    }
    per_rule = {
        rule: {g: rate(len(with_finding[rule] & set(members[g])), len(members[g])) for g in order}
        for rule in RULE_NAMES
    }
    exploited = members["exploited"]
    hit = [u for u in exploited if u in alerts]
    patterns: dict[str, dict[str, int]] = {}
    fitting = 0
    for u in exploited:
        x = truth[u]
        row = patterns.setdefault(x["pattern"], {"children": 0, "alerted": 0, "fits": 0})
        row["children"] += 1
        if u not in alerts:
            continue
        row["alerted"] += 1
        began = x["began"] - timedelta(days=x["began"].weekday())
        fits = any(f.rule in FITS[x["pattern"]] and f.last_week >= began for f in alerts[u])
        row["fits"] += fits
        fitting += fits
    # A weekly scan raises the alert on the Friday of the week it opens.
    leads = sorted(
        round((truth[u]["first_missing"] - opened[u] - timedelta(days=4)).days / 7, 1)
        for u in hit
        if truth[u]["first_missing"] is not None
    )
    return {
        "alerted_pupils": len(alerts),
        "precision": rate(len(hit), len(alerts)),
        "groups": groups,
        "recall": rate(len(hit), len(exploited)),
        "fits_share": rate(fitting, len(hit)),
        "patterns": patterns,
        "lead_weeks": leads,
        "lead_weeks_median": statistics.median(leads) if leads else None,
        "before_first_report": sum(1 for w in leads if w > 0),
        "findings_by_rule": per_rule,
        "rates": {key: rates_by(truth, set(alerts), key) for key in ("sex", "ethnicity")},
    }


def rates_by(truth: dict[str, dict[str, Any]], alerted: set[str], key: str) -> dict[str, Any]:
    pupils_in: Counter[str] = Counter(x[key] for x in truth.values())
    alerted_in: Counter[str] = Counter(truth[u][key] for u in alerted if u in truth)
    return {
        g: {"pupils": pupils_in[g], "alert_rate": rate(alerted_in[g], pupils_in[g])}
        for g in sorted(pupils_in)
    }


def print_truth(m: dict[str, Any], everyone: dict[str, Any], supporting: tuple[str, ...]) -> None:
    def goal(ok: bool) -> str:
        return "meets the goal" if ok else "misses the goal"

    g = m["groups"]
    print(f"\nAlerts as shipped (supporting only: {', '.join(supporting) or 'none'})")
    print(f"  {m['alerted_pupils']:,} pupils alerted, precision {m['precision']:.4f}")
    print(f"  {'group':<22} {'pupils':>8} {'alerted':>8} {'rate':>7}")
    for name, row in g.items():
        target = GOALS["ordinary"] if name == "ordinary" else GOALS["look_alike"]
        mark = ""
        if name not in ("exploited", "control"):
            mark = f"  goal <= {target:.0%}: {goal(row['alert_rate'] <= target)}"
        print(
            f"  {name:<22} {row['pupils']:>8,} {row['alerted']:>8,} {row['alert_rate']:>7.1%}{mark}"
        )
    print(
        f"  recall on exploited children {m['recall']:.0%} "
        f"(goal >= {GOALS['recall']:.0%}: {goal(m['recall'] >= GOALS['recall'])})"
    )
    print(
        f"  alert names a rule that fits the planted pattern: {m['fits_share']:.0%} of alerted "
        f"exploited children (goal >= {GOALS['fits']:.0%}: "
        f"{goal(m['fits_share'] >= GOALS['fits'])})"
    )
    print("\nPlanted patterns: children, alerted, alert names a fitting rule")
    for pattern, row in sorted(m["patterns"].items()):
        fits = ", ".join(sorted(FITS[pattern]))
        print(
            f"  {pattern:<22} {row['children']:>3} {row['alerted']:>3} {row['fits']:>3}  ({fits})"
        )
    leads = m["lead_weeks"]
    if leads:
        print(
            f"\nWeeks from alert to first missing report (positive: the alert came first): "
            f"median {m['lead_weeks_median']:.1f}, min {min(leads):.1f}, max {max(leads):.1f}; "
            f"{m['before_first_report']} of {len(leads)} before the first report"
        )
        print("  each:", ", ".join(f"{w:.1f}" for w in leads))
    rules = m["findings_by_rule"]
    names = list(g)
    print("\nPupils with a finding of each rule, % of each group (findings, alert or not)")
    print("  " + " " * 27 + " ".join(f"{n[:9]:>9}" for n in names))
    for rule, row in rules.items():
        print(f"  {rule:<27}" + " ".join(f"{row[n]:>9.1%}" for n in names))
    e = everyone["groups"]
    print(
        f"\nIf every rule opened alerts: {everyone['alerted_pupils']:,} pupils, ordinary "
        f"{e['ordinary']['alert_rate']:.1%}, look-alikes {e['look_alike']['alert_rate']:.1%}, "
        f"recall {everyone['recall']:.0%}, fitting rule {everyone['fits_share']:.0%}"
    )
    for key in ("sex", "ethnicity"):
        print(f"\nAlert rate by {key}:")
        for name, v in m["rates"][key].items():
            print(f"  {name:<28} {v['pupils']:>7,} pupils  {v['alert_rate']:.1%}")


if __name__ == "__main__":
    main()
