"""The features made in DuckDB SQL are the features made in Python, value for value."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehub.linkage import engine, features, model_settings, sql_features
from safehub.people.validators import UPN_LETTERS, nhs_check_digit, upn_check_letter
from tests.linkage.helpers import synthetic_city

COLUMNS = [c for c, _ in model_settings.COLUMNS]


def python_row(unique_id: int, source: str, raw: dict[str, Any]) -> dict[str, Any]:
    clean = features.clean_identity(raw)
    return features.linkage_row(
        unique_id=unique_id,
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


def sql_rows(raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    records = [{"id": i, "source": "health", **raw} for i, raw in enumerate(raws)]
    connection = duckdb.connect()
    connection.register("raw", sql_features.raw_arrow(records))
    sql_features.prepare(connection, "raw", "prepared")
    rows = connection.execute("select * from prepared order by unique_id").fetchall()
    connection.close()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def valid_nhs(digits: str) -> str:
    check = nhs_check_digit(digits)
    return digits + str(check) if check is not None else digits + "0"


def valid_upn(body: str) -> str:
    return upn_check_letter(body) + body


names = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñüçÉ' -.3", max_size=14
)
nicknames = st.sampled_from(["Kate", "kath", "Bill", "WILL", "Alex", "Abby", "Jo", " Tom "])
dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y"), d.strftime("%Y%m%d")]
        )
    ),
    st.sampled_from(["", "  ", "unknown", "31/02/2015", "2015-13-01", "00/00/0000"]),
)
postcodes = st.one_of(
    st.sampled_from(["SH1 1AA", "sh11aa", " SH2  6JW ", "GIR0AA", "M1 1AE", "CV15RR", "XX", ""]),
    st.text(alphabet="ABCSH0123456789 ", max_size=9),
)
digits9 = st.text(alphabet="0123456789", min_size=9, max_size=9)
nhs_numbers = st.one_of(
    digits9.map(valid_nhs),
    digits9.map(lambda d: f"{d[:3]} {d[3:6]} {d[6:]}-1"),
    st.text(alphabet="0123456789 -x", max_size=13),
)
upn_bodies = st.tuples(
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from(list("0123456789" + UPN_LETTERS)),
).map(lambda t: t[0] + t[1])
upns = st.one_of(
    upn_bodies.map(valid_upn),
    upn_bodies.map(lambda b: "a" + b.lower()),
    st.text(alphabet="ABZ0123456789 ", max_size=14),
)
raw_rows = st.fixed_dictionaries(
    {
        "given_name": st.one_of(names, nicknames),
        "family_name": names,
        "date_of_birth": dates,
        "sex": st.sampled_from(["F", "m", "Female", " male ", "x", "", "U"]),
        "postcode": postcodes,
        "previous_postcodes": st.one_of(
            st.just(""), st.lists(postcodes, max_size=12).map(";".join)
        ),
        "nhs_number": nhs_numbers,
        "upn": upns,
        "school_urn": st.sampled_from(["", "900005", " 123456 ", "12345678901"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_rows, min_size=1, max_size=25))
def test_sql_features_equal_python_features(raws: list[dict[str, Any]]) -> None:
    expected = [python_row(i, "health", raw) for i, raw in enumerate(raws)]
    assert sql_rows(raws) == expected


def test_bad_identifiers_become_null_in_sql() -> None:
    good_nhs, good_upn = valid_nhs("943476591"), valid_upn("80120100100" + "1")
    [good, bad] = sql_rows(
        [
            {"given_name": "Kate", "nhs_number": good_nhs, "upn": good_upn, "postcode": "sh11aa"},
            {"given_name": "", "nhs_number": "1234567890", "upn": "A1234", "postcode": "nope"},
        ]
    )
    assert (good["nhs_number"], good["upn"], good["postcode"]) == (good_nhs, good_upn, "SH1 1AA")
    assert good["given_keys"] == ["catherine", "kate", "katherine", "kathryn"]
    assert (bad["nhs_number"], bad["upn"], bad["postcode"], bad["given_name"]) == (
        None,
        None,
        None,
        None,
    )


def test_extracts_read_in_sql_number_records_by_source_and_key(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "key,given_name,family_name,date_of_birth\nB2,Ann,Lee,01/02/2010\nB1,Bo,Fox,\n"
    )
    (tmp_path / "b.csv").write_text("pid,given_name,upn\nZ9,Cy,\n")
    connection = duckdb.connect()
    sql_features.read_extracts(
        connection,
        {"social_care": (tmp_path / "a.csv", "key"), "health": (tmp_path / "b.csv", "pid")},
        "raw",
    )
    sql_features.prepare(connection, "raw", "prepared")
    rows = connection.execute(
        "select r.unique_id, r.source, r.source_key, p.given_name, p.dob "
        "from raw r join prepared p using (unique_id) order by unique_id"
    ).fetchall()
    assert rows == [
        (0, "social_care", "B1", "bo", None),
        (1, "social_care", "B2", "ann", "2010-02-01"),
        (2, "health", "Z9", "cy", None),
    ]


def test_a_table_name_that_is_not_an_identifier_is_refused() -> None:
    connection = duckdb.connect()
    with pytest.raises(ValueError, match="identifier"):
        sql_features.prepare(connection, "raw; drop table x", "prepared")


def test_duckdb_links_the_same_from_sql_and_python_features() -> None:
    records, rows = [], []
    for source, source_rows in synthetic_city(12).items():
        for raw in source_rows:
            records.append({"id": len(records) + 1, "source": source, **raw})
            rows.append(python_row(len(rows) + 1, source, raw))
    eng = engine.LinkageEngine("duckdb")
    from_python = eng.register(rows)
    model = eng.train(from_python)
    python_pairs = eng.predict(from_python, model, threshold=0.01)
    sql_pairs = eng.predict(eng.register_records(records), model, threshold=0.01)
    eng.close()
    assert python_pairs
    assert sorted(sql_pairs, key=pair_key) == sorted(python_pairs, key=pair_key)


def pair_key(pair: engine.ScoredPair) -> tuple[int, int]:
    return pair.id_l, pair.id_r


def test_confident_pairs_come_without_evidence_when_asked() -> None:
    raws = [(source, raw) for source, rows in synthetic_city(12).items() for raw in rows]
    records = [{"id": i, "source": s, **raw} for i, (s, raw) in enumerate(raws, start=1)]
    eng = engine.LinkageEngine("duckdb")
    table = eng.register_records(records)
    model = eng.train(table)
    everything = eng.predict(table, model, threshold=0.0001)
    limit = sorted(p.match_probability for p in everything)[len(everything) // 2]
    pairs = eng.predict(table, model, threshold=0.0001, evidence_below=limit)
    eng.close()
    assert {bool(p.levels) for p in pairs if p.match_probability >= limit} == {False}
    assert {bool(p.levels) for p in pairs if p.match_probability < limit} == {True}
