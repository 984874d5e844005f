"""A columnar snapshot of the attendance weeks (and missing episodes) for the scan.

Read from the database in chunks straight into Arrow arrays, held in memory only (never
written to disk: it holds every pupil's registers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pyarrow as pa
from django.db import connection
from django.utils import timezone

from safehub.attendance.models import AttendanceWeek
from safehub.attendance.scan import ATTENDANCE_SCHEMA, EPISODE_SCHEMA
from safehub.attendance.selectors import last_complete_monday
from safehub.missing.models import MissingEpisode

CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class Snapshot:
    attendance: pa.Table  # ATTENDANCE_SCHEMA
    episodes: pa.Table  # EPISODE_SCHEMA
    person_of: dict[tuple[str, int], int]  # (upn, school) -> person id, where linked


def _column(values: list, kind: pa.DataType) -> pa.Array:
    if values and isinstance(values[0], str) and kind == pa.date32():
        return pa.array(values, pa.string()).cast(pa.date32())
    return pa.array(values, kind)


def take_snapshot(as_of: date) -> Snapshot:
    """Every complete register week up to `as_of`, with the pupils' missing episodes."""
    query = (
        AttendanceWeek.objects.filter(week_commencing__lte=last_complete_monday(as_of))
        .values_list("upn", "school_id", "week_commencing", "sessions", "person_id")
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    batches = []
    names = [*ATTENDANCE_SCHEMA.names, "person"]
    kinds = [*ATTENDANCE_SCHEMA.types, pa.int64()]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            columns = list(zip(*rows, strict=True))
            batches.append(
                pa.record_batch(
                    [_column(list(c), k) for c, k in zip(columns, kinds, strict=True)], names=names
                )
            )
    schema = pa.schema(list(zip(names, kinds, strict=True)))
    table = pa.Table.from_batches(batches, schema=schema)
    con = duckdb.connect()
    try:
        con.register("att", table)
        links = con.execute(
            "SELECT upn, school, max(person) FROM att WHERE person IS NOT NULL GROUP BY upn, school"
        ).fetchall()
    finally:
        con.close()
    person_of = {(upn, int(school)): int(person) for upn, school, person in links}
    upn_of = {person: upn for (upn, _), person in person_of.items()}
    starts, ends, upns = [], [], []
    # Episodes are few beside the registers: read them all and keep the pupils'.
    for person_id, went, found in MissingEpisode.objects.values_list(
        "person_id", "went_missing_at", "found_at"
    ):
        if person_id not in upn_of or timezone.localtime(went).date() > as_of:
            continue
        upns.append(upn_of[person_id])
        starts.append(timezone.localtime(went).date())
        ends.append(timezone.localtime(found).date() if found else as_of)
    episodes = pa.table(
        [pa.array(upns, pa.string()), pa.array(starts, pa.date32()), pa.array(ends, pa.date32())],
        schema=EPISODE_SCHEMA,
    )
    return Snapshot(table.select(ATTENDANCE_SCHEMA.names), episodes, person_of)
