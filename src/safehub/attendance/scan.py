"""The fast scan: every rule in `rules.py`, for every pupil at once, in DuckDB SQL.

The input is a columnar snapshot (`snapshot.py`): one row per pupil, school and week with the
ten session codes. The sessions are unpacked by SQL expressions and the rules' windows are SQL
window functions, so no Python runs per row. `tests/attendance/test_scan.py` checks that this
gives exactly what the reference rules give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from safehub.attendance import codes
from safehub.attendance.rules import Finding, Thresholds

ATTENDANCE_SCHEMA = pa.schema(
    [("upn", pa.string()), ("school", pa.int64()), ("week", pa.date32()), ("sessions", pa.string())]
)
EPISODE_SCHEMA = pa.schema([("upn", pa.string()), ("start", pa.date32()), ("end", pa.date32())])


@dataclass(frozen=True)
class PupilFinding:
    upn: str
    school: int
    finding: Finding


# Each session code is first mapped to its class, so the rules compare single letters:
# 1 attended, 2 authorised (but C), 3 C, 4 unauthorised (but U), 5 U, "." not counted.
# The class digits are mapped to "." too, so a stray digit in a register is not counted.
_CLASSES = [
    (codes.ATTENDED, "1"),
    (codes.AUTHORISED - {codes.PART_TIME}, "2"),
    ({codes.PART_TIME}, "3"),
    (codes.UNAUTHORISED - {codes.LATE_AFTER_REGISTERS}, "4"),
    ({codes.LATE_AFTER_REGISTERS}, "5"),
    (set("12345"), "."),
]
CLASS_FROM = "".join(c for members, _ in _CLASSES for c in sorted(members))
CLASS_TO = "".join(cls * len(members) for members, cls in _CLASSES)
ATTENDED, ABSENT, UNAUTH, COUNTED = "1", "2345", "45", "12345"
PART_DAY_PM = "4"  # O, G, N


def _in(column: str, classes: str) -> str:
    if len(classes) == 1:
        return f"({column} = '{classes}')"
    listed = ", ".join(f"'{c}'" for c in classes)
    return f"({column} IN ({listed}))"


def _count(classes: str) -> str:
    """How many of the week's sessions fall in `classes`."""
    return f"(length(k) - length(translate(k, '{classes}', '')))"


def _features() -> str:
    """SQL columns counting one week's codes (see `rules.week_counts`)."""
    cols = [
        f"{_count(COUNTED)} AS possible",
        f"{_count(ABSENT)} AS absent",
        f"{_count(UNAUTH)} AS unauthorised",
        f"{_count('5')} AS late_u",
        f"{_count('3')} AS code_c",
        " + ".join(
            f"({_in(f'c{2 * d}', ATTENDED)} AND {_in(f'c{2 * d + 1}', PART_DAY_PM)})::INT"
            for d in range(5)
        )
        + " AS part_days",
    ]
    for d in range(5):
        am, pm = f"c{2 * d}", f"c{2 * d + 1}"
        cols.append(f"({_in(am, ABSENT)} OR {_in(pm, ABSENT)})::INT AS ad{d}")
        cols.append(f"{_in(am, ABSENT)}::INT + {_in(pm, ABSENT)}::INT AS ab{d}")
        is_open = f"({_in(am, COUNTED)} OR {_in(pm, COUNTED)})"
        all_un = (
            f"((NOT {_in(am, COUNTED)} OR {_in(am, UNAUTH)}) "
            f"AND (NOT {_in(pm, COUNTED)} OR {_in(pm, UNAUTH)}))"
        )
        cols.append(f"{is_open} AS op{d}")
        cols.append(f"({is_open} AND {all_un}) AS un{d}")
    return ",\n        ".join(cols)


def _day_runs() -> str:
    blocked = [f"(op{d} AND NOT un{d})" for d in range(5)]
    leading = " + ".join(
        f"(un{d} AND NOT ({' OR '.join(blocked[:d]) or 'false'}))::INT" for d in range(5)
    )
    trailing = " + ".join(
        f"(un{d} AND NOT ({' OR '.join(blocked[d + 1 :]) or 'false'}))::INT" for d in range(5)
    )
    open_days = " + ".join(f"op{d}::INT" for d in range(5))
    all_unauth = " AND ".join(f"NOT {b}" for b in blocked)
    return (
        f"{open_days} AS open_days, {leading} AS leading_unauth, "
        f"{trailing} AS trailing_unauth, ({all_unauth}) AS all_unauth"
    )


def _over(preceding: int | None, following_end: str = "CURRENT ROW") -> str:
    start = "UNBOUNDED PRECEDING" if preceding is None else f"{preceding} PRECEDING"
    return f"OVER (PARTITION BY upn, school ORDER BY week ROWS BETWEEN {start} AND {following_end})"


def start(weeks: int) -> str:
    """The first week of a window of `weeks` register weeks ending at the current row."""
    return (
        f"coalesce(lag(week, {weeks - 1}) OVER (PARTITION BY upn, school ORDER BY week), "
        "first_week)"
        if weeks > 1
        else "week"
    )


def build_sql(t: Thresholds) -> str:
    """The whole scan as one SQL statement over the tables `att` and `episodes`."""
    sf, pa_, pd, la = t.sharp_fall, t.persistent_absence, t.part_day, t.late_after_registers
    sw, am, pt = t.same_weekday, t.around_missing, t.part_time_timetable
    k = am.days_either_side
    unpack = ", ".join(f"substr(k, {i + 1}, 1) AS c{i}" for i in range(10))
    classify = f"translate(substr(sessions, 1, 10), '{CLASS_FROM}', '{CLASS_TO}')"
    sfw = _over(sf.window_weeks - 1)
    sww = _over(sw.window_weeks - 1)
    per_day = ", ".join(f"sum(ad{d}) {sww} AS wd{d}" for d in range(5))
    near = ", ".join(
        f'max((f.week + {d} BETWEEN e.start - {k} AND e."end" + {k})::INT) AS n{d}'
        for d in range(5)
    )
    near_sessions = " + ".join(f"coalesce(n.n{d}, 0) * f.ab{d}" for d in range(5))
    top = "greatest(wd0, wd1, wd2, wd3, wd4)"
    weekday = "CASE " + " ".join(f"WHEN wd{d} = {top} THEN {d}" for d in range(5)) + " END"
    rules = {
        "sharp_fall": (
            f"bp >= {sf.min_baseline_sessions} AND wp >= {sf.min_window_sessions} "
            f"AND 100 * ((bp - ba) * wp - (wp - wa) * bp) >= {sf.drop_points} * bp * wp",
            "{'baseline_possible': bp, 'baseline_absent': ba, 'window_possible': wp, "
            "'window_absent': wa, 'window_unauthorised': wu, 'weeks': sf_weeks, "
            "'window_start': sf_start}",
        ),
        "persistent_absence": (
            f"cp >= {pa_.min_sessions} AND 100 * ca >= {float(pa_.percent)!r} * cp",
            "{'absent': ca, 'possible': cp}",
        ),
        "part_day": (
            f"pd_days >= {pd.min_days}",
            "{'days': pd_days, 'window_start': pd_start}",
        ),
        "late_after_registers": (
            f"late >= {la.min_sessions}",
            "{'sessions': late, 'window_start': late_start}",
        ),
        "same_weekday": (
            f"{top} >= {sw.min_weeks} "
            f"AND 100 * {top} >= {sw.min_share_percent} * (wd0 + wd1 + wd2 + wd3 + wd4)",
            f"{{'weekday': {weekday}, 'weeks': {top}, "
            "'absent_days': wd0 + wd1 + wd2 + wd3 + wd4, 'window_weeks': sw_weeks, "
            "'window_start': sw_start}",
        ),
        "around_missing": (
            f"near_sessions >= {am.min_sessions}",
            "{'sessions': near_sessions, 'episodes': 0, 'window_start': am_start}",
        ),
        "part_time_timetable": (
            f"pt_weeks = {pt.min_weeks}",
            "{'sessions': pt_sessions, 'window_start': pt_start}",
        ),
        "children_missing_education": (
            f"cme_run >= {t.children_missing_education.min_days}",
            "{'days': cme_run}",
        ),
    }
    fire_cols = ",\n        ".join(f"({cond}) AS fire_{name}" for name, (cond, _) in rules.items())
    prev_cols = ", ".join(
        f"lag(fire_{name}) OVER (PARTITION BY upn, school ORDER BY week) AS prev_{name}"
        for name in rules
    )
    # The SQL is built from validated numbers and fixed code lists only; no input reaches it.
    aggregates = ",\n        ".join(
        f"min(week) FILTER (WHERE fire_{name}) AS first_{name}, "
        f"max(week) FILTER (WHERE fire_{name}) AS last_{name}, "
        f"max(week) FILTER (WHERE fire_{name} AND NOT coalesce(prev_{name}, false)) "
        f"AS run_{name}, "
        f"to_json(arg_max({facts}, week) FILTER (WHERE fire_{name})) AS facts_{name}"
        for name, (_, facts) in rules.items()
    )
    any_fire = " OR ".join(f"fire_{name}" for name in rules)
    columns = (
        "upn, school, '{0}' AS rule, first_{0} AS first_week, last_{0} AS last_week, "
        "run_{0} AS run_start, facts_{0} AS facts"
    )
    per_rule = "\n    UNION ALL\n    ".join(
        "SELECT " + columns.format(name) + f" FROM pupil_fires WHERE first_{name} IS NOT NULL"  # noqa: S608
        for name in rules
    )
    return f"""
WITH classified AS (SELECT upn, school, week, {classify} AS k FROM att),
unpacked AS (SELECT upn, school, week, k, {unpack} FROM classified),
feats AS (
    SELECT upn, school, week,
        {_features()}
    FROM unpacked
),
days AS (SELECT *, {_day_runs()} FROM feats),
near AS (
    SELECT f.upn, f.school, f.week, {near}
    FROM feats f JOIN episodes e
      ON e.upn = f.upn AND e.start - {k} <= f.week + 4 AND e."end" + {k} >= f.week
    GROUP BY f.upn, f.school, f.week
),
weekly AS (
    SELECT f.*, {near_sessions} AS near_sessions_week,
        sum((NOT f.all_unauth)::INT) OVER (PARTITION BY f.upn, f.school ORDER BY f.week
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cme_group,
        row_number() OVER (PARTITION BY f.upn, f.school ORDER BY f.week) AS rn,
        min(f.week) OVER (PARTITION BY f.upn, f.school) AS first_week
    FROM days f LEFT JOIN near n USING (upn, school, week)
),
carried AS (
    SELECT *, sum(CASE WHEN all_unauth THEN open_days ELSE trailing_unauth END) OVER (
            PARTITION BY upn, school, cme_group ORDER BY week
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS carry
    FROM weekly
),
windows AS (
    SELECT upn, school, week,
        coalesce(sum(possible) {_over(None, f"{sf.window_weeks} PRECEDING")}, 0) AS bp,
        coalesce(sum(absent) {_over(None, f"{sf.window_weeks} PRECEDING")}, 0) AS ba,
        sum(possible) {sfw} AS wp, sum(absent) {sfw} AS wa, sum(unauthorised) {sfw} AS wu,
        least(rn, {sf.window_weeks}) AS sf_weeks, {start(sf.window_weeks)} AS sf_start,
        sum(possible) {_over(None)} AS cp, sum(absent) {_over(None)} AS ca,
        sum(part_days) {_over(pd.window_weeks - 1)} AS pd_days,
        {start(pd.window_weeks)} AS pd_start,
        sum(late_u) {_over(la.window_weeks - 1)} AS late,
        {start(la.window_weeks)} AS late_start,
        {per_day}, least(rn, {sw.window_weeks}) AS sw_weeks,
        {start(sw.window_weeks)} AS sw_start,
        sum(near_sessions_week) {_over(am.window_weeks - 1)} AS near_sessions,
        {start(am.window_weeks)} AS am_start,
        sum((code_c >= {pt.min_sessions_per_week})::INT) {_over(pt.min_weeks - 1)} AS pt_weeks,
        sum(code_c) {_over(pt.min_weeks - 1)} AS pt_sessions,
        {start(pt.min_weeks)} AS pt_start,
        CASE WHEN all_unauth THEN carry
             ELSE coalesce(lag(carry) OVER (PARTITION BY upn, school ORDER BY week), 0)
                  + leading_unauth END AS cme_run
    FROM carried
),
flags AS (
    SELECT *,
        {fire_cols}
    FROM windows
),
fired AS (
    SELECT *, {prev_cols}
    FROM flags
),
pupil_fires AS MATERIALIZED (
    SELECT upn, school,
        {aggregates}
    FROM fired WHERE {any_fire}
    GROUP BY upn, school
),
findings AS MATERIALIZED (
    {per_rule}
),
around_episodes AS (
    SELECT f.upn, f.school, count(e.upn) AS episodes
    FROM findings f JOIN episodes e
      ON e.upn = f.upn AND e.start - {k} <= f.last_week + 4
     AND e."end" + {k} >= CAST(json_extract_string(f.facts, '$.window_start') AS DATE)
    WHERE f.rule = 'around_missing'
    GROUP BY f.upn, f.school
),
last_at AS (SELECT upn, school, max(week) AS last FROM att GROUP BY upn, school),
last_any AS (SELECT upn, max(week) AS last_any FROM att GROUP BY upn),
school_weeks AS (SELECT DISTINCT school, week FROM att),
off_roll AS (
    SELECT l.upn, l.school, 'off_roll' AS rule, min(w.week) AS first_week,
        min(w.week) AS last_week, min(w.week) AS run_start,
        to_json({{'last_week': l.last, 'weeks': count(*)}}) AS facts
    FROM last_at l JOIN last_any a ON a.upn = l.upn AND a.last_any = l.last
    JOIN school_weeks w ON w.school = l.school AND w.week > l.last
    GROUP BY l.upn, l.school, l.last
    HAVING count(*) >= {t.off_roll.min_weeks}
)
SELECT f.upn, f.school, f.rule, f.first_week, f.last_week, f.run_start, f.facts,
       coalesce(a.episodes, 0) AS episodes
FROM findings f LEFT JOIN around_episodes a
  ON f.rule = 'around_missing' AND a.upn = f.upn AND a.school = f.school
UNION ALL
SELECT upn, school, rule, first_week, last_week, run_start, facts, 0 FROM off_roll
"""  # noqa: S608


def run_scan(
    attendance: pa.Table, episodes: pa.Table | None, thresholds: Thresholds, *, threads: int = 0
) -> list[PupilFinding]:
    """Every finding for every pupil in the snapshot, ordered by pupil, school and rule.

    `attendance` has ATTENDANCE_SCHEMA's columns (one row per pupil, school and week; refused
    otherwise by DuckDB), `episodes` EPISODE_SCHEMA's (missing episodes by UPN).
    """
    eps = episodes if episodes is not None else EPISODE_SCHEMA.empty_table()
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.register("att", attendance.select(ATTENDANCE_SCHEMA.names))
        con.register("episodes", eps.select(EPISODE_SCHEMA.names))
        rows = con.execute(build_sql(thresholds)).fetchall()
    finally:
        con.close()
    order = {name: n for n, name in enumerate(RULE_ORDER)}
    found = []
    for upn, school, rule, first, last, run_start, facts, episode_count in rows:
        parsed = json.loads(facts)
        if rule == "around_missing":
            parsed["episodes"] = int(episode_count)
        found.append(PupilFinding(upn, int(school), Finding(rule, first, last, run_start, parsed)))
    found.sort(key=lambda f: (f.upn, f.school, order[f.finding.rule]))
    return found


RULE_ORDER: tuple[str, ...] = (
    "children_missing_education",
    "off_roll",
    "sharp_fall",
    "part_day",
    "around_missing",
    "persistent_absence",
    "late_after_registers",
    "same_weekday",
    "part_time_timetable",
)
