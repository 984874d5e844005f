"""The DuckDB scan gives exactly what the reference rules give; thresholds are validated."""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.attendance import config
from safehub.attendance.rules import Episode, SharpFall, Thresholds, detect_all
from safehub.attendance.scan import EPISODE_SCHEMA, run_scan

MONDAY = date(2025, 9, 8)
# Codes weighted towards absence so that every rule gets exercised.
session = st.sampled_from(list("/\\/\\LUOOGNNIMCCE#"))
week_text = st.lists(session, min_size=10, max_size=10).map("".join)
pupil = st.tuples(
    st.sampled_from(["A", "B", "C", "D"]),
    st.sampled_from([1, 2]),
    st.integers(min_value=0, max_value=4),  # first week
    st.lists(week_text, min_size=1, max_size=22),
    st.lists(st.tuples(st.integers(0, 150), st.integers(0, 6)), max_size=3),  # episodes
)


def as_rows(pupils: list) -> tuple[list, dict[str, list[Episode]]]:
    rows, seen, episodes = [], set(), {}
    for upn, school, first, texts, eps in pupils:
        if (upn, school) in seen:
            continue
        seen.add((upn, school))
        for i, text in enumerate(texts):
            rows.append((upn, school, MONDAY + timedelta(weeks=first + i), text))
        for start, length in eps:
            day = MONDAY + timedelta(days=start)
            episodes.setdefault(upn, []).append(Episode(day, day + timedelta(days=length)))
    return rows, episodes


def sql_findings(rows: list, episodes: dict[str, list[Episode]], t: Thresholds) -> dict:
    table = pa.table(
        {
            "upn": [r[0] for r in rows],
            "school": pa.array([r[1] for r in rows], pa.int64()),
            "week": pa.array([r[2] for r in rows], pa.date32()),
            "sessions": [r[3] for r in rows],
        }
    )
    flat = [(upn, e.start, e.end) for upn, eps in episodes.items() for e in eps]
    eps = pa.table(
        [pa.array([f[i] for f in flat], t_) for i, t_ in enumerate(EPISODE_SCHEMA.types)],
        schema=EPISODE_SCHEMA,
    )
    out: dict = {}
    for pf in run_scan(table, eps, t):
        out.setdefault((pf.upn, pf.school), []).append(pf.finding)
    return {k: sorted(v, key=lambda f: f.rule) for k, v in out.items()}


def reference(rows: list, episodes: dict[str, list[Episode]], t: Thresholds) -> dict:
    found = detect_all(rows, episodes, t)
    return {k: sorted(v, key=lambda f: f.rule) for k, v in found.items()}


@settings(max_examples=25, deadline=None)
@given(st.lists(pupil, min_size=1, max_size=6))
def test_the_scan_agrees_with_the_reference_rules(pupils: list) -> None:
    rows, episodes = as_rows(pupils)
    t = Thresholds()
    assert sql_findings(rows, episodes, t) == reference(rows, episodes, t)


@settings(max_examples=10, deadline=None)
@given(st.lists(pupil, min_size=1, max_size=4))
def test_the_scan_agrees_with_tight_thresholds_too(pupils: list) -> None:
    rows, episodes = as_rows(pupils)
    t = config.build_thresholds(
        {
            "sharp_fall": {"window_weeks": 2, "min_baseline_sessions": 5, "min_window_sessions": 5},
            "part_day": {"min_days": 1},
            "same_weekday": {"window_weeks": 3, "min_weeks": 2},
            "part_time_timetable": {"min_sessions_per_week": 1, "min_weeks": 2},
            "children_missing_education": {"min_days": 3},
            "off_roll": {"min_weeks": 1},
            "persistent_absence": {"percent": 12.5, "min_sessions": 10},
        }
    )
    assert sql_findings(rows, episodes, t) == reference(rows, episodes, t)


def test_an_empty_snapshot_finds_nothing() -> None:
    assert sql_findings([], {}, Thresholds()) == {}


def test_the_thresholds_file_is_valid_and_matches_the_documented_defaults() -> None:
    assert config.thresholds() == Thresholds()


@override_settings(SAFEHUB_ATTENDANCE_RULES={"sharp_fall": {"drop_points": 20}})
def test_settings_override_the_file() -> None:
    assert config.thresholds().sharp_fall == SharpFall(drop_points=20)


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"sharp_fal": {}}, "unknown rule"),
        ({"sharp_fall": {"drop": 3}}, "unknown key"),
        ({"sharp_fall": {"window_weeks": 0}}, "whole number"),
        ({"part_day": {"min_days": 2.5}}, "whole number"),
        ({"part_day": {"min_days": True}}, "whole number"),
        ({"persistent_absence": {"percent": 0}}, "above 0"),
        ({"persistent_absence": {"percent": 101}}, "up to 100"),
        ({"part_day": 4}, "must be a mapping"),
    ],
)
def test_bad_thresholds_are_refused(layer: dict, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        config.build_thresholds(layer)


def test_supporting_only_lists_known_rules() -> None:
    t = config.build_thresholds({"supporting_only": ["persistent_absence"]})
    assert t.supporting_only == ("persistent_absence",)
    with pytest.raises(ImproperlyConfigured, match="unknown rule"):
        config.build_thresholds({"supporting_only": ["absence"]})
    with pytest.raises(ImproperlyConfigured, match="must list"):
        config.build_thresholds({"supporting_only": "persistent_absence"})
