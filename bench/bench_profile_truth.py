"""Hotspots and networks of the problem profile on the synthetic city, against the planted truth.

    .venv/bin/python -m safehub build_city --size city --seed 2015 --out /tmp/city-city
    .venv/bin/python bench/bench_profile_truth.py --city /tmp/city-city [--resolution 9]

Reads the police extracts of a built city (locations with BNG eastings and northings, missing
reports with where and when each child was found, intelligence entries) and its truth (the
planted networks, their locations and vehicles; which police record is which person). Forms the
points (children found at a recorded place; intelligence sightings at a place) and the graph
(intelligence associations between people, people and places, people and vehicles; children
found at places; the registered keepers of vehicles in the intelligence), runs find_hotspots
and analyse, and prints: the rank of each planted location's cell among the significant
hotspots (and among their peaks), the share of each planted network's members found in the
top-k communities (k = number of planted networks), and the time of each step. Ends with one
JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from safehub.analytics.geo import bng_to_latlng
from safehub.analytics.hotspots import (
    Point,
    by_hour,
    by_weekday,
    cell_of,
    find_hotspots,
    repeat_locations,
)
from safehub.analytics.networks import Edge, Node, analyse


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def day(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


def moment(text: str) -> datetime | None:
    return datetime.strptime(text, "%d/%m/%Y %H:%M") if text else None


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def scale_run(n: int) -> dict[str, float]:
    """Time the engines at scale: analyse on a seeded scale-free graph of n nodes (a few hubs,
    as intelligence graphs have) and find_hotspots on 4n points spread over a city."""
    import random

    import h3
    import igraph as ig

    ig.set_random_number_generator(random.Random(1))  # noqa: S311 -- reproducible, not secret
    graph = ig.Graph.Barabasi(n=n, m=2)
    kinds = ("child", "person_of_interest", "person", "location", "vehicle")
    nodes = [Node(f"n{i}", kinds[i % 5], f"n{i}") for i in range(n)]
    edges = [Edge(f"n{a}", f"n{b}", "associate") for a, b in graph.get_edgelist()]
    started = time.perf_counter()
    result = analyse(nodes, edges)
    network_s = time.perf_counter() - started
    rng = random.Random(2)  # noqa: S311 -- reproducible, not secret
    points = [Point(52.35 + rng.random() * 0.12, -1.6 + rng.random() * 0.2) for _ in range(4 * n)]
    points += [Point(52.40, -1.50)] * 100
    box = [(52.35, -1.6), (52.47, -1.6), (52.47, -1.4), (52.35, -1.4)]
    started = time.perf_counter()
    hot = find_hotspots(points)
    hotspot_s = time.perf_counter() - started
    in_area = find_hotspots(points, area=h3.polygon_to_cells(h3.LatLngPoly(box), 9))
    print(
        f"\nAt scale: analyse on {n:,} nodes and {len(edges):,} links in {network_s:.1f} s "
        f"(betweenness {'exact' if result.exact_betweenness else 'sampled'}, "
        f"{len(result.communities):,} communities); find_hotspots on {len(points):,} points, "
        f"{len(hot.cells):,} cells, in {hotspot_s:.2f} s (planted cluster: rank "
        f"{hot.rank_of(cell_of(52.40, -1.50, 9))} among hotspots, "
        f"{hot.rank_of(cell_of(52.40, -1.50, 9), peaks_only=True)} among peaks, "
        f"{len(hot.peaks)} peaks); with the box as the study area {len(in_area.peaks)} peaks, "
        f"the cluster rank {in_area.rank_of(cell_of(52.40, -1.50, 9), peaks_only=True)}"
    )
    return {"scale_networks_s": network_s, "scale_hotspots_s": hotspot_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", type=Path, required=True, help="a directory build_city wrote")
    parser.add_argument("--resolution", type=int, default=9)
    parser.add_argument("--ring", type=int, default=1)
    parser.add_argument("--leiden-resolution", type=float, default=1.0)
    parser.add_argument(
        "--scale-nodes",
        type=int,
        default=50_000,
        help="also time analyse on a random graph this big and find_hotspots on 4x the points "
        "(0: skip)",
    )
    args = parser.parse_args()
    police = args.city / "extracts" / "police"
    steps: dict[str, float] = {}

    started = time.perf_counter()
    locations = rows(police / "locations.csv")
    reports = rows(police / "missing_reports.csv")
    intelligence = rows(police / "intelligence.csv")
    persons = rows(police / "persons.csv")
    vehicles = rows(police / "vehicles.csv")
    truth = json.loads((args.city / "truth" / "truth.json").read_text(encoding="utf-8"))
    police_ids_of: dict[str, list[str]] = defaultdict(list)
    for r in rows(args.city / "truth" / "records.csv"):
        if r["agency"] == "police":
            police_ids_of[r["person_id"]].append(r["record_id"])
    steps["read_s"] = time.perf_counter() - started

    # --- points ---
    started = time.perf_counter()
    lats, lngs = bng_to_latlng(
        [float(x["easting"]) for x in locations], [float(x["northing"]) for x in locations]
    )
    place = {
        x["location_id"]: (float(lat), float(lng), x["name"])
        for x, lat, lng in zip(locations, lats, lngs, strict=True)
    }
    points = []
    for r in reports:
        if r["found_location_id"] in place:
            lat, lng, name = place[r["found_location_id"]]
            points.append(Point(lat, lng, when=moment(r["found_at"]), place=name))
    for r in intelligence:
        if r["location_id"] in place:
            lat, lng, name = place[r["location_id"]]
            when = datetime.combine(day(r["recorded_on"]) or date.min, datetime.min.time())
            points.append(Point(lat, lng, when=when, place=name, timed=False))
    steps["points_s"] = time.perf_counter() - started

    started = time.perf_counter()
    result = find_hotspots(points, resolution=args.resolution, ring=args.ring)
    steps["hotspots_s"] = time.perf_counter() - started
    print(
        f"{len(points):,} points ({len(reports):,} missing reports, {len(intelligence):,} "
        f"intelligence entries, {len(locations)} locations) -> {len(result.cells):,} cells at "
        f"H3 resolution {args.resolution} (~{result.cell_edge_m:.0f} m edge), "
        f"{len(result.hotspots)} significant hotspots, {len(result.peaks)} peaks, "
        f"in {steps['hotspots_s']:.3f} s"
    )
    planted_ranks = []
    for loc in truth["planted_locations"]:
        lat, lng, _name = place[loc["location_id"]]
        cell = cell_of(lat, lng, args.resolution)
        count = next((c.count for c in result.cells if c.cell == cell), 0.0)
        planted_ranks.append(
            {
                "location_id": loc["location_id"],
                "network_id": loc["network_id"],
                "type": loc["type"],
                "events": count,
                "rank_significant": result.rank_of(cell),
                "rank_peak": result.rank_of(cell, peaks_only=True),
            }
        )
    print("\nPlanted locations: rank among significant hotspots / among peaks (events in cell)")
    for p in planted_ranks:
        print(
            f"  {p['network_id']} {p['location_id']:<8} {p['type']:<15} "
            f"{p['rank_significant'] or '-':>4} / {p['rank_peak'] or '-':>4}  ({p['events']:g})"
        )
    found = [p for p in planted_ranks if p["rank_significant"]]
    print(
        f"  {len(found)} of {len(planted_ranks)} planted locations significant; "
        f"{sum(1 for p in found if p['rank_peak'] and p['rank_peak'] <= len(planted_ranks))} "
        f"in the top {len(planted_ranks)} peaks"
    )
    print(f"  busiest hours (found times): {by_hour(points)}")
    print(f"  by weekday, Monday first: {by_weekday(points)}")
    print(f"  repeat locations (top 5): {repeat_locations(points)[:5]}")

    # --- graph ---
    started = time.perf_counter()
    born = {p["police_id"]: day(p["date_of_birth"]) for p in persons}
    last_seen: dict[str, date] = {}
    edges: list[Edge] = []

    def seen(pid: str, on: date | None) -> None:
        if pid and on and (pid not in last_seen or on > last_seen[pid]):
            last_seen[pid] = on

    for r in intelligence:
        on = day(r["recorded_on"])
        a, b, loc, vrm = r["subject_police_id"], r["other_police_id"], r["location_id"], r["vrm"]
        seen(a, on)
        seen(b, on)
        if b:
            edges.append(Edge(a, b, r["category"]))
        for pid in (a, b):
            if pid and loc:
                edges.append(Edge(pid, loc, r["category"]))
            if pid and vrm:
                edges.append(Edge(pid, vrm, r["category"]))
    missing_children = set()
    for r in reports:
        found_at = moment(r["found_at"])
        seen(r["police_id"], found_at.date() if found_at else None)
        missing_children.add(r["police_id"])
        if r["found_location_id"] in place:
            edges.append(Edge(r["police_id"], r["found_location_id"], "found_at"))
    in_graph = {e.a for e in edges} | {e.b for e in edges}
    for v in vehicles:
        if v["vrm"] in in_graph and v["keeper_police_id"]:
            edges.append(Edge(v["keeper_police_id"], v["vrm"], "registered_keeper"))
            in_graph.add(v["keeper_police_id"])

    def is_child(pid: str) -> bool:
        dob, on = born.get(pid), last_seen.get(pid)
        if dob and on:
            return age_on(dob, on) < 18
        return pid in missing_children

    vrms = {v["vrm"] for v in vehicles}
    people = {pid for pid in in_graph if pid not in place and pid not in vrms}
    children = {pid for pid in people if is_child(pid)}
    adults_with_children = {
        x for e in edges for x, y in ((e.a, e.b), (e.b, e.a)) if x in people and y in children
    } - children
    nodes = []
    for node_id in sorted(in_graph):
        if node_id in place:
            nodes.append(Node(node_id, "location", place[node_id][2]))
        elif node_id in vrms:
            nodes.append(Node(node_id, "vehicle", node_id))
        elif node_id in children:
            nodes.append(Node(node_id, "child", node_id))
        elif node_id in adults_with_children:
            nodes.append(Node(node_id, "person_of_interest", node_id))
        else:
            nodes.append(Node(node_id, "person", node_id))
    steps["graph_s"] = time.perf_counter() - started

    started = time.perf_counter()
    network = analyse(nodes, edges, resolution=args.leiden_resolution)
    steps["networks_s"] = time.perf_counter() - started
    k = len(truth["networks"])
    top = network.top_communities(k)
    top_members = {m for c in top for m in c.members}
    print(
        f"\nGraph: {len(nodes):,} nodes, {len(edges):,} links, {len(network.components):,} "
        f"components (largest {len(network.components[0]) if network.components else 0}), "
        f"{len(network.communities):,} communities, modularity {network.modularity:.3f}, "
        f"in {steps['networks_s']:.3f} s"
    )
    print(f"Top {k} communities (score, children, persons of interest, locations, vehicles):")
    for c in top:
        print(
            f"  #{c.id}: {c.score}, {c.children}, {c.persons_of_interest}, {c.locations}, "
            f"{c.vehicles} ({c.size} nodes)"
        )
    shares: list[dict[str, Any]] = []
    for n in truth["networks"]:
        groups = {
            "offenders": [i for o in n["offenders"] for i in police_ids_of[o["person_id"]]],
            "victims": [i for v in n["victims"] for i in police_ids_of[v["person_id"]]],
            "locations": list(n["locations"]),
            "vehicles": list(n["vehicles"]),
        }
        row: dict[str, Any] = {"network_id": n["network_id"]}
        members_all = [m for ms in groups.values() for m in ms]
        for name, ms in groups.items():
            row[name] = f"{sum(1 for m in ms if m in top_members)}/{len(ms)}"
        row["share"] = round(sum(1 for m in members_all if m in top_members) / len(members_all), 3)
        row["in_graph"] = round(sum(1 for m in members_all if m in in_graph) / len(members_all), 3)
        best = max(top, key=lambda c: sum(1 for m in members_all if m in c.members), default=None)
        row["best_community"] = best.id if best else None
        row["best_share"] = (
            round(sum(1 for m in members_all if m in best.members) / len(members_all), 3)
            if best
            else 0.0
        )
        # How much of that community is the network (the rest: innocent contacts, others).
        row["best_purity"] = (
            round(sum(1 for m in best.members if m in set(members_all)) / best.size, 3)
            if best
            else 0.0
        )
        shares.append(row)
    print(f"\nPlanted networks: members in the top {k} communities")
    for r in shares:
        print(
            f"  {r['network_id']}: offenders {r['offenders']}, victims {r['victims']}, "
            f"locations {r['locations']}, vehicles {r['vehicles']} -> share {r['share']:.0%} "
            f"(in the graph {r['in_graph']:.0%}; community #{r['best_community']} holds "
            f"{r['best_share']:.0%}, and is {r['best_purity']:.0%} network members)"
        )
    offenders = {
        i for n in truth["networks"] for o in n["offenders"] for i in police_ids_of[o["person_id"]]
    }
    central = [pid for pid, _ in network.central_by_betweenness]
    print(
        f"Central figures by betweenness that are planted offenders: "
        f"{sum(1 for pid in central if pid in offenders)} of {len(central)}"
    )
    scale = scale_run(args.scale_nodes) if args.scale_nodes else {}
    steps.update(scale)
    load = os.getloadavg()[0]
    print("\nSteps: " + ", ".join(f"{k} {v:.3f}" for k, v in steps.items()) + f" (load {load:.1f})")
    print(
        json.dumps(
            {
                "city": str(args.city),
                "size": truth.get("size"),
                "points": len(points),
                "cells": len(result.cells),
                "hotspots": len(result.hotspots),
                "peaks": len(result.peaks),
                "planted_locations": planted_ranks,
                "nodes": len(nodes),
                "edges": len(edges),
                "communities": len(network.communities),
                "modularity": round(network.modularity, 4),
                "networks": shares,
                "central_offenders": sum(1 for pid in central if pid in offenders),
                "steps": {k: round(v, 4) for k, v in steps.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
