"""Where the profile's SQL runs: DuckDB in-process (the default), or Apache Spark for a region.

The queries are written once, in DuckDB's dialect, and `sqlglot` renders them for Spark SQL,
so both engines answer the same questions from the same snapshot tables. Each engine is given
the snapshot's tables and a one-row `params` table (the period), and returns plain rows.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from safehub.analytics.snapshot import Snapshot


class Engine(Protocol):
    name: str

    def query(self, sql: str) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


def params_table(start_on: date, end_on: date) -> pa.Table:
    return pa.table(
        {"start_on": pa.array([start_on], pa.date32()), "end_on": pa.array([end_on], pa.date32())}
    )


class DuckDBEngine:
    """The snapshot's Arrow tables registered in an in-memory DuckDB (no copy)."""

    name = "duckdb"

    def __init__(self, snapshot: Snapshot, start_on: date, end_on: date, threads: int = 2):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute(f"SET threads TO {int(threads)}")
        for table_name, table in snapshot.tables.items():
            self.con.register(table_name, table)
        self.con.register("params", params_table(start_on, end_on))

    def query(self, sql: str) -> list[dict[str, Any]]:
        # DuckDB 2: fetch a result fully before the next query on this connection.
        result = self.con.sql(sql)
        columns = result.columns
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def close(self) -> None:
        self.con.close()


class SparkEngine:
    """The same queries on Spark SQL, over the snapshot written as Parquet.

    `spark` is an existing SparkSession (a cluster's, or local mode in tests). The snapshot is
    written to `folder` (a shared path on a cluster) unless it is already there.
    """

    name = "spark"

    def __init__(
        self,
        snapshot: Snapshot,
        start_on: date,
        end_on: date,
        spark: Any,
        folder: Path | None = None,
    ) -> None:
        self.spark = spark
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="safehub-profile-")
            folder = Path(self._tmp.name)
        snapshot.write_parquet(folder)
        for table_name in snapshot.tables:
            spark.read.parquet(str(folder / f"{table_name}.parquet")).createOrReplaceTempView(
                table_name
            )
        spark.createDataFrame(
            [(start_on, end_on)], "start_on DATE, end_on DATE"
        ).createOrReplaceTempView("params")

    def query(self, sql: str) -> list[dict[str, Any]]:
        import sqlglot

        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        return [row.asDict() for row in self.spark.sql(spark_sql).collect()]

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
