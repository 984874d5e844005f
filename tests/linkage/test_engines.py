"""The same settings on DuckDB and on Spark (local mode, one core) give the same links."""

from __future__ import annotations

from typing import Any

import pytest

from safehub.linkage import engine, features
from tests.linkage.helpers import synthetic_city


def linkage_rows(people: int) -> list[dict[str, Any]]:
    rows = []
    for source, records in synthetic_city(people).items():
        for record in records:
            clean = features.clean_identity(record)
            rows.append(
                features.linkage_row(
                    unique_id=len(rows) + 1,
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
    return rows


def test_duckdb_and_spark_agree_on_the_same_input() -> None:
    pytest.importorskip("pyspark")
    rows = linkage_rows(12)
    duck = engine.LinkageEngine("duckdb")
    table = duck.register(rows)
    model = duck.train(table)
    on_duckdb = {(p.id_l, p.id_r): p for p in duck.predict(table, model, threshold=0.01)}
    duck.close()
    with engine.spark_session("local[1]", partitions=1) as spark:
        sparky = engine.LinkageEngine("spark", spark=spark)
        on_spark = {
            (p.id_l, p.id_r): p
            for p in sparky.predict(sparky.register(rows), model, threshold=0.01)
        }
    assert on_duckdb.keys() == on_spark.keys()
    for key, pair in on_duckdb.items():
        assert on_spark[key].match_probability == pytest.approx(pair.match_probability, abs=1e-6)
        assert on_spark[key].levels.keys() == pair.levels.keys()
        assert {k: v[0] for k, v in on_spark[key].levels.items()} == {
            k: v[0] for k, v in pair.levels.items()
        }
