"""The linkage features (`features.linkage_row`) made in DuckDB SQL instead of Python.

At region scale (about two million records) building the features row by row in Python,
and handing Splink a list of dicts, costs minutes and gigabytes. Here the same cleaning is
one SQL statement over a table of raw values, so a run can read CSV extracts (or an Arrow
table of stored records) straight into DuckDB and give Splink a table that never passes
through Python objects. The rules are those of `features.clean_identity` and
`features.linkage_row`; tests/linkage/test_sql_features.py checks both give the same rows.

The raw table must have VARCHAR columns named as in RAW_COLUMNS plus a BIGINT `unique_id`
and a VARCHAR `source`; any identity column it lacks is read as null.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from safehub.linkage import features
from safehub.people.validators import NHS_WEIGHTS, UPN_LETTERS

RAW_COLUMNS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "previous_postcodes",
    "nhs_number",
    "upn",
    "school_urn",
)
NICKNAME_TABLE = "safehub_nicknames"
POSTCODE_PATTERN = r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$"
# Python's strptime formats in features.DATE_FORMATS, as DuckDB's.
DATE_FORMATS = features.DATE_FORMATS


IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _identifier(name: str) -> str:
    """A table, column or source name put into SQL: plain identifiers only, so no value
    from outside can change a statement."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"Not a plain SQL identifier: {name!r}")
    return name


def _text(column: str, length: int) -> str:
    """The trimmed value cut to `length`, as `clean_identity` stores it ('' for null)."""
    return f"left(trim(coalesce({column}, '')), {length})"


def letters_sql(value: str) -> str:
    """`features.name_letters` in SQL: lower-case a-z only, accents dropped; null if none."""
    return f"nullif(regexp_replace(lower(strip_accents({value})), '[^a-z]', '', 'g'), '')"


def _postcode(value: str) -> str:
    """`features.usable_postcode` in SQL: normalised, or null unless a UK postcode."""
    compact = f"upper(regexp_replace({value}, '\\s', '', 'g'))"
    spaced = (
        f"(case when length({compact}) > 3 "
        f"then left({compact}, length({compact}) - 3) || ' ' || right({compact}, 3) "
        f"else {compact} end)"
    )
    return f"(case when regexp_matches({spaced}, '{POSTCODE_PATTERN}') then {spaced} end)"


def _nhs_number(number: str) -> str:
    """`features.usable_nhs_number` over a number with spaces and hyphens already removed:
    ten digits whose modulus 11 check digit holds."""
    total = " + ".join(
        f"{weight} * cast(substr({number}, {i}, 1) as integer)"
        for i, weight in enumerate(NHS_WEIGHTS, start=1)
    )
    return (
        f"(case when regexp_full_match({number}, '[0-9]{{10}}') "
        f"and (11 - (({total}) % 11)) % 11 = cast(substr({number}, 10, 1) as integer) "
        f"then {number} end)"
    )


def _upn(upn: str) -> str:
    """`features.usable_upn` over an upper-cased UPN without spaces: a check letter, 11
    digits, a digit or letter, and the DfE check letter holds (weights 2..13, modulus 23)."""
    letters = UPN_LETTERS
    digits = " + ".join(f"{i} * cast(substr({upn}, {i}, 1) as integer)" for i in range(2, 13))
    last = (
        f"(case when substr({upn}, 13, 1) between '0' and '9' "
        f"then cast(substr({upn}, 13, 1) as integer) "
        f"else instr('{letters}', substr({upn}, 13, 1)) - 1 end)"
    )
    return (
        f"(case when regexp_full_match({upn}, '[{letters}][0-9]{{11}}[0-9{letters}]') "
        f"and substr('{letters}', (({digits} + 13 * {last}) % 23) + 1, 1) = substr({upn}, 1, 1) "
        f"then {upn} end)"
    )


def date_sql(value: str) -> str:
    """`features.parse_date` over the formats agencies use; null when unreadable."""
    tries = ", ".join(f"try_strptime({value}, '{fmt}')" for fmt in DATE_FORMATS)
    return f"cast(coalesce({tries}) as date)"


def load_nicknames(connection: Any) -> None:
    """The nickname table as a DuckDB table: name -> each full name it may stand for."""
    import pyarrow as pa

    rows = [(name, full) for name, fulls in features.nickname_table().items() for full in fulls]
    table = pa.table({"name": [r[0] for r in rows], "key": [r[1] for r in rows]})
    connection.register("safehub_nicknames_arrow", table)
    connection.execute(
        f"create or replace temp table {NICKNAME_TABLE} as select * from safehub_nicknames_arrow"  # noqa: S608
    )
    connection.unregister("safehub_nicknames_arrow")


def prepare(connection: Any, raw: str, table: str) -> None:
    """Create `table` (Splink's input, columns as model_settings.COLUMNS) from the relation
    `raw` (a table or view name) in this DuckDB connection."""
    raw, table = _identifier(raw), _identifier(table)
    load_nicknames(connection)
    present = {
        row[0]
        for row in connection.execute(
            f"select column_name from (describe select * from {raw})"  # noqa: S608 - checked
        ).fetchall()
    }
    cols = {c: (c if c in present else "cast(null as varchar)") for c in RAW_COLUMNS}
    previous = (
        f"list_transform(list_filter(regexp_split_to_array({cols['previous_postcodes']}, "
        "'[;|]'), lambda p: trim(p) <> '')[1:10], lambda p: left(trim(p), 12))"
    )
    # Names in this statement are RAW_COLUMNS and checked identifiers; values never.
    connection.execute(
        f"""
        create or replace table {table} as
        with raw_text as (
            select
                unique_id,
                source,
                {_text(cols["given_name"], 100)} as given_name,
                {_text(cols["family_name"], 100)} as family_name,
                trim({cols["date_of_birth"]}) as date_of_birth,
                lower(trim({cols["sex"]})) as sex,
                {_text(cols["postcode"], 12)} as postcode,
                {previous} as previous_postcodes,
                regexp_replace({_text(cols["nhs_number"], 20)}, '[\\s-]', '', 'g') as nhs,
                upper(regexp_replace({_text(cols["upn"], 20)}, '\\s', '', 'g')) as upn,
                nullif({_text(cols["school_urn"], 10)}, '') as school_urn
            from {raw}
        ),
        cleaned as (
            select
                cast(unique_id as bigint) as unique_id,
                cast(source as varchar) as source,
                {letters_sql("given_name")} as given_name,
                {letters_sql("family_name")} as family_name,
                {date_sql("date_of_birth")} as born,
                case sex when 'f' then 'F' when 'female' then 'F'
                    when 'm' then 'M' when 'male' then 'M' end as sex,
                {_postcode("postcode")} as postcode,
                list_filter(list_transform(previous_postcodes, lambda p: {_postcode("p")}),
                    lambda p: p is not null) as history,
                {_nhs_number("nhs")} as nhs_number,
                {_upn("upn")} as upn,
                school_urn
            from raw_text
        ),
        keyed as (
            select c.unique_id, list_sort(list(n.key)) as keys
            from cleaned c join {NICKNAME_TABLE} n on n.name = c.given_name
            group by c.unique_id
        )
        select
            c.unique_id,
            c.source,
            c.given_name,
            c.family_name,
            coalesce(k.keys[1], c.given_name) as given_key,
            case when c.given_name is not null
                then coalesce(k.keys, [c.given_name]) end as given_keys,
            strftime(c.born, '%Y-%m-%d') as dob,
            cast(year(c.born) as varchar) as birth_year,
            c.sex,
            c.postcode,
            split_part(c.postcode, ' ', 1) as postcode_district,
            nullif(list_sort(list_distinct(
                list_filter(list_prepend(c.postcode, coalesce(c.history, [])),
                    lambda p: p is not null))), []) as postcodes,
            c.nhs_number,
            c.upn,
            c.school_urn
        from cleaned c left join keyed k using (unique_id)
        order by c.unique_id
        """  # noqa: S608
    )


def read_extracts(connection: Any, files: dict[str, tuple[Path, str]], table: str) -> None:
    """A table of raw identity values from CSV extracts, source -> (path, id column):
    `unique_id` (numbered by source, then source key), `source`, `source_key` and
    RAW_COLUMNS (null where a file lacks one), all read as text."""
    table = _identifier(table)
    selects = []
    for position, (source, (path, id_column)) in enumerate(files.items()):
        names = {
            row[0]
            for row in connection.execute(
                "select column_name from (describe select * from "
                "read_csv(?, header = true, all_varchar = true))",
                [str(path)],
            ).fetchall()
        }
        source, id_column = _identifier(source), _identifier(id_column)
        fields = ", ".join(
            f'"{c}" as {c}' if c in names else f"cast(null as varchar) as {c}" for c in RAW_COLUMNS
        )
        selects.append(  # checked identifiers and a quoted path only
            f"select {position} as part, '{source}' as source, "  # noqa: S608
            f'"{id_column}" as source_key, {fields} '
            f"from read_csv('{_quoted(path)}', header = true, all_varchar = true)"
        )
    # A checked identifier and the selects above.
    connection.execute(
        f"create or replace table {table} as select "  # noqa: S608
        "cast(row_number() over (order by part, source_key) - 1 as bigint) as unique_id, * "
        "from (" + " union all ".join(selects) + ")"
    )


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def raw_arrow(records: Any) -> Any:
    """Stored identity records (dicts with `id`, `source` and RAW_COLUMNS as the model keeps
    them: a date, a list of previous postcodes) as an Arrow table of text for `prepare`."""
    import pyarrow as pa

    def text(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, list | tuple):
            return ";".join(str(v) for v in value)
        if hasattr(value, "isoformat"):
            return str(value.isoformat())
        return str(value)

    records = list(records)
    columns: dict[str, Any] = {
        "unique_id": pa.array([r["id"] for r in records], pa.int64()),
        "source": pa.array([r["source"] for r in records], pa.string()),
    }
    for column in RAW_COLUMNS:
        columns[column] = pa.array([text(r.get(column)) for r in records], pa.string())
    return pa.table(columns)
