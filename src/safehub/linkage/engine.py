"""Running the Splink model on DuckDB (default, in-process) or Spark (local or a cluster).

Knows nothing of Django: it takes rows made by `features.linkage_row` and returns scored
pairs. Training produces a model (Splink's JSON) that is stored and reused, so a run can be
repeated exactly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from safehub.linkage import features, model_settings, sql_features

logger = logging.getLogger(__name__)
# Splink explains untrained levels at length; a level no pair showed keeps its default.
logging.getLogger("splink").setLevel(logging.ERROR)
logging.getLogger("py4j").setLevel(logging.ERROR)

ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class ScoredPair:
    """Two records and how likely they are the same person, with the evidence."""

    id_l: int
    id_r: int
    match_probability: float
    match_weight: float
    # comparison output column -> (level index, match weight in bits)
    levels: dict[str, tuple[int, float]]


@contextmanager
def spark_session(master: str | None = None, *, partitions: int | None = None) -> Iterator[Any]:
    """A Spark session set up for Splink: its similarity functions' jar, few partitions.

    `master` defaults to SAFEHUB_SPARK_MASTER or local[1] (one core: tests and this machine);
    on a cluster pass its master URL (spark://host:7077, yarn, k8s://...).
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(master or os.environ.get("SAFEHUB_SPARK_MASTER", "local[1]"))
        .appName("safehub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config(
            "spark.sql.shuffle.partitions",
            str(partitions or os.environ.get("SAFEHUB_SPARK_SHUFFLE_PARTITIONS", "2")),
        )
        .config("spark.default.parallelism", str(partitions or 2))
        .config("spark.driver.memory", os.environ.get("SAFEHUB_SPARK_DRIVER_MEMORY", "1g"))
        .config("spark.sql.session.timeZone", "UTC")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


class LinkageEngine:
    """One database engine holding the records for one run."""

    def __init__(self, engine: str, *, spark: Any = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"Unknown linkage engine {engine!r}: use duckdb or spark")
        self.engine = engine
        self.spark = spark
        if engine == "duckdb":
            import duckdb
            from splink import DuckDBAPI

            self.connection = duckdb.connect()
            threads = os.environ.get("SAFEHUB_LINKAGE_THREADS")
            if threads:
                self.connection.execute(f"SET threads = {int(threads)}")
            memory = os.environ.get("SAFEHUB_LINKAGE_MEMORY_LIMIT")  # e.g. 4GB: spill beyond
            if memory and memory.replace(".", "").rstrip("KMGTBkmgtib").isdigit():
                self.connection.execute(f"SET memory_limit = '{memory}'")
            self.db_api: Any = DuckDBAPI(connection=self.connection)
        else:
            from splink import SparkAPI

            if spark is None:
                raise ValueError("The Spark engine needs a Spark session")
            self.db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")
        self._tables = 0

    def register(self, rows: Sequence[dict[str, Any]]) -> Any:
        """Hand rows (from `features.linkage_row`) to the engine as one table."""
        self._tables += 1
        name = f"safehub_records_{self._tables}"
        columns = [c for c, _ in model_settings.COLUMNS]
        if self.engine == "duckdb":
            import pyarrow as pa

            string_list = pa.list_(pa.string())
            schema = pa.schema(
                [
                    (
                        c,
                        pa.int64()
                        if t == "bigint"
                        else string_list
                        if t.startswith("array")
                        else pa.string(),
                    )
                    for c, t in model_settings.COLUMNS
                ]
            )
            table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema)
            return self.db_api.register(table, table_name=name)
        ddl = ", ".join(f"{c} {t}" for c, t in model_settings.COLUMNS)
        frame = self.spark.createDataFrame([tuple(r.get(c) for c in columns) for r in rows], ddl)
        return self.db_api.register(frame, table_name=name)

    def register_raw(self, raw: Any) -> Any:
        """DuckDB only: make Splink's input table in SQL (`sql_features.prepare`) from raw
        identity values, a table name in this connection or an Arrow table, without building
        Python rows: the way to hand over hundreds of thousands of records or more."""
        if self.engine != "duckdb":
            raise ValueError("Raw records are prepared in SQL on DuckDB only")
        self._tables += 1
        name = f"safehub_records_{self._tables}"
        if not isinstance(raw, str):
            self.connection.register(f"{name}_raw", raw)
            raw = f"{name}_raw"
        sql_features.prepare(self.connection, raw, name)
        if raw == f"{name}_raw":
            self.connection.unregister(raw)
        return self.db_api.register(name, table_name=name)

    def register_records(self, records: Sequence[dict[str, Any]]) -> Any:
        """Stored identity records (dicts with `id`, `source` and the identity fields) as one
        table: prepared in SQL on DuckDB, by `features.linkage_row` on Spark."""
        if self.engine == "duckdb":
            return self.register_raw(sql_features.raw_arrow(records))
        return self.register(
            [
                features.linkage_row(
                    unique_id=r["id"],
                    source=r["source"],
                    given_name=r["given_name"],
                    family_name=r["family_name"],
                    date_of_birth=r["date_of_birth"],
                    sex=r["sex"],
                    postcode=r["postcode"],
                    previous_postcodes=r["previous_postcodes"] or [],
                    nhs_number=r["nhs_number"],
                    upn=r["upn"],
                    school_urn=r["school_urn"],
                )
                for r in records
            ]
        )

    @property
    def dialect(self) -> str:
        return str(self.db_api.sql_dialect.sql_dialect_str)

    def linker(self, table: Any, model: dict[str, Any] | None) -> Any:
        from splink import Linker

        settings: Any = (
            model_settings.settings_creator()
            if model is None
            else render_model(model, self.dialect)
        )
        return Linker(table, settings, log_level=None)

    def train(self, table: Any) -> dict[str, Any]:
        """Estimate the model's parameters on these records; returns Splink's model JSON."""
        linker = self.linker(table, None)
        linker.training.estimate_probability_two_random_records_match(
            model_settings.DETERMINISTIC_RULES, recall=model_settings.DETERMINISTIC_RECALL
        )
        linker.training.estimate_u_using_random_sampling(
            max_pairs=model_settings.U_MAX_PAIRS, seed=model_settings.U_SEED
        )
        for rule in model_settings.EM_TRAINING_RULES:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                max_pairs=model_settings.EM_MAX_PAIRS,
            )
        return dict(linker.misc.save_model_to_json())

    def predict(
        self,
        table: Any,
        model: dict[str, Any],
        *,
        threshold: float,
        evidence_below: float | None = None,
    ) -> list[ScoredPair]:
        """Every candidate pair among the records scoring at least `threshold`. With
        `evidence_below`, pairs scoring that or more come without their evidence (`levels`
        empty): only doubtful pairs are shown with it, and millions of links need memory."""
        linker = self.linker(table, model)
        result = linker.inference.predict(threshold_match_probability=threshold)
        return self._collect(result, model, evidence_below)

    def predict_new(
        self,
        existing: Any,
        new: Any,
        model: dict[str, Any],
        *,
        threshold: float,
        evidence_below: float | None = None,
    ) -> list[ScoredPair]:
        """Pairs between new and existing records, and among the new: never existing x
        existing, so the cost grows with the new records, not with everything."""
        linker = self.linker(existing, model)
        between = linker.inference.predict_between(
            existing, new, threshold_match_probability=threshold, warning_mode="never"
        )
        pairs = self._collect(between, model, evidence_below)
        within = linker.inference.predict_within(
            new, threshold_match_probability=threshold, warning_mode="never"
        )
        return pairs + self._collect(within, model, evidence_below)

    def _collect(
        self, result: Any, model: dict[str, Any], evidence_below: float | None = None
    ) -> list[ScoredPair]:
        names = [c["output_column_name"] for c in model["comparisons"]]
        wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
        wanted += [f"gamma_{n}" for n in names] + [f"mw_{n}" for n in names]
        limit = 2.0 if evidence_below is None else evidence_below
        pairs = []
        # Fetched without pandas (not a runtime dependency): Arrow batches on DuckDB (so a
        # few million pairs never sit in Python lists all at once), rows on Spark.
        for batch in self._batches(result, wanted):
            for row in batch:
                a, b = int(row[0]), int(row[1])
                probability = float(row[2])
                levels = (
                    {
                        n: (int(row[4 + i]), float(row[4 + len(names) + i]))
                        for i, n in enumerate(names)
                    }
                    if probability < limit
                    else {}
                )
                pairs.append(
                    ScoredPair(
                        id_l=min(a, b),
                        id_r=max(a, b),
                        match_probability=probability,
                        match_weight=float(row[3]),
                        levels=levels,
                    )
                )
        result.drop_table_from_database_and_remove_from_cache()
        return pairs

    def _batches(self, result: Any, wanted: list[str]) -> Iterator[Any]:
        if self.engine == "duckdb":
            # Splink's own table and comparison names: no outside value reaches the SQL.
            columns = ", ".join(wanted)
            relation = self.connection.sql(f"select {columns} from {result.physical_name}")  # noqa: S608
            reader = relation.to_arrow_reader(100_000)
            for batch in reader:
                yield zip(*(batch.column(c).to_pylist() for c in wanted), strict=True)
        else:
            yield ([r[c] for c in wanted] for r in result.as_record_list())

    def close(self) -> None:
        if self.engine == "duckdb":
            self.connection.close()


def render_model(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A stored model for another engine's SQL: today's settings rendered for `dialect`,
    with the stored model's trained parameters. (A model's JSON holds SQL in the dialect it
    was trained on; Splink does not translate it when loaded elsewhere.)"""
    if model.get("sql_dialect") == dialect:
        return model
    fresh = model_settings.settings_creator().get_settings(dialect).as_dict()
    fresh["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in fresh["comparisons"]:
        old = trained[comparison["output_column_name"]]["comparison_levels"]
        if len(old) != len(comparison["comparison_levels"]):
            raise ValueError("The stored model does not fit today's settings: retrain it")
        for level, old_level in zip(comparison["comparison_levels"], old, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in old_level:
                    level[key] = old_level[key]
    return fresh


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, tuple[str, str]]]:
    """comparison -> gamma value -> (comparison description, level label), from the model."""
    labels: dict[str, dict[int, tuple[str, str]]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        description = comparison.get("comparison_description") or comparison["output_column_name"]
        # Splink numbers the non-null levels from the most specific (highest) down to 0.
        non_null = [lvl for lvl in levels if not lvl.get("is_null_level")]
        gammas: dict[int, tuple[str, str]] = {-1: (description, "Not recorded on both")}
        for index, level in enumerate(non_null):
            gammas[len(non_null) - 1 - index] = (
                description,
                str(level.get("label_for_charts") or level["sql_condition"]),
            )
        labels[comparison["output_column_name"]] = gammas
    return labels
