"""The profile's questions give the same answers on DuckDB and on Spark (local mode)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safehub.analytics.engines import DuckDBEngine, SparkEngine
from safehub.analytics.profile import build_profile
from safehub.analytics.queries import Q
from safehub.analytics.snapshot import from_extracts
from safehub.demo.city.build import build_city
from safehub.demo.city.spec import make_spec


@pytest.fixture(scope="module")
def city_snapshot(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("profile-city")
    build_city(make_spec("small", 2015), out)
    return from_extracts(Path(out))


def normalised(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row.values()) for row in rows)


def test_extract_snapshot_reads_every_agency_file(city_snapshot) -> None:
    assert city_snapshot.rows("children") > 100
    assert city_snapshot.rows("associations") > 10
    assert city_snapshot.rows("persons_of_interest") > 0
    assert city_snapshot.rows("disruptions") == 0


@pytest.mark.xdist_group("spark")
def test_duckdb_and_spark_answer_every_question_alike(city_snapshot) -> None:
    from safehub.linkage.engine import spark_session

    start, end = date(2025, 8, 1), city_snapshot.as_of
    duck = DuckDBEngine(city_snapshot, start, end)
    expected = {name: normalised(duck.query(sql)) for name, sql in Q.items()}
    duck.close()
    with spark_session("local[1]", partitions=1) as spark:
        engine = SparkEngine(city_snapshot, start, end, spark)
        try:
            got = {name: normalised(engine.query(sql)) for name, sql in Q.items()}
        finally:
            engine.close()
        profile = build_profile(city_snapshot, start_on=start, engine="spark", spark=spark)
    for name in Q:
        assert got[name] == expected[name], name
    assert profile.engine == "spark"
    duck_profile = build_profile(city_snapshot, start_on=start)
    assert [t.rows for t in profile.tables()] == [t.rows for t in duck_profile.tables()]
