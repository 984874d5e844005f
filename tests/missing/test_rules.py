"""The missing rules: the 72-hour clock (with clock changes), timelines, triggers, collation."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.missing.rules import (
    EpisodeFacts,
    FlaggedPlace,
    Mention,
    RhiStatus,
    Thresholds,
    classification_problems,
    collate,
    episode_timeline_problems,
    episode_triggers,
    exploitation_disclosed,
    interview_timeline_problems,
    normalise_place,
    repeat_episodes,
    rhi_clock,
    rhi_due_at,
    suppress_small,
)
from tests.missing.helpers import LONDON, london

T = Thresholds()

# --- the 72-hour clock ---

FOUND = london(2025, 6, 10, 21, 0)


@pytest.mark.parametrize(
    ("case", "now", "completed", "declined", "status"),
    [
        ("just returned", FOUND, None, False, RhiStatus.DUE),
        ("71h59m later", FOUND + timedelta(hours=71, minutes=59), None, False, RhiStatus.DUE),
        ("exactly 72h is still due", FOUND + timedelta(hours=72), None, False, RhiStatus.DUE),
        ("a second past", FOUND + timedelta(hours=72, seconds=1), None, False, RhiStatus.OVERDUE),
        (
            "held at exactly 72h",
            FOUND + timedelta(days=9),
            FOUND + timedelta(hours=72),
            False,
            RhiStatus.COMPLETED_IN_TIME,
        ),
        (
            "held a minute late",
            FOUND + timedelta(days=9),
            FOUND + timedelta(hours=72, minutes=1),
            False,
            RhiStatus.COMPLETED_LATE,
        ),
        ("declined beats overdue", FOUND + timedelta(days=9), None, True, RhiStatus.DECLINED),
    ],
)
def test_rhi_clock_edges(
    case: str, now: datetime, completed: datetime | None, declined: bool, status: RhiStatus
) -> None:
    clock = rhi_clock(found_at=FOUND, now=now, completed_at=completed, declined=declined)
    assert clock.status == status, case
    assert clock.due_at == london(2025, 6, 13, 21, 0)


def test_clocks_going_forward_in_march_move_the_wall_clock_due_time() -> None:
    # Clocks go forward at 01:00 GMT on Sunday 30 March 2025: 72 real hours end at 22:00 BST.
    found = london(2025, 3, 28, 21, 0)
    due = rhi_due_at(found)
    assert (due.hour, due.day, due.utcoffset()) == (22, 31, timedelta(hours=1))
    assert due.astimezone(UTC) - found.astimezone(UTC) == timedelta(hours=72)
    at_wall_clock_21 = london(2025, 3, 31, 21, 30)
    assert rhi_clock(found_at=found, now=at_wall_clock_21).status == RhiStatus.DUE


def test_clocks_going_back_in_october_move_the_wall_clock_due_time() -> None:
    # Clocks go back at 02:00 BST on Sunday 26 October 2025: 72 real hours end at 20:00 GMT.
    found = london(2025, 10, 24, 21, 0)
    due = rhi_due_at(found)
    assert (due.hour, due.day, due.utcoffset()) == (20, 27, timedelta(0))
    assert rhi_clock(found_at=found, now=london(2025, 10, 27, 20, 30)).status == RhiStatus.OVERDUE


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        rhi_due_at(datetime(2025, 6, 10, 21, 0))


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(LONDON)
    ),
    st.integers(min_value=0, max_value=10 * 24 * 60),
)
def test_due_is_always_72_elapsed_hours_and_in_time_means_by_then(
    found: datetime, minutes_later: int
) -> None:
    due = rhi_due_at(found)
    assert due.astimezone(UTC) - found.astimezone(UTC) == timedelta(hours=72)
    completed = found + timedelta(minutes=minutes_later)
    clock = rhi_clock(found_at=found, now=completed, completed_at=completed)
    in_time = completed.astimezone(UTC) <= found.astimezone(UTC) + timedelta(hours=72)
    assert (clock.status == RhiStatus.COMPLETED_IN_TIME) is in_time


# --- impossible timelines ---

NOW = london(2025, 6, 20, 12, 0)
SEEN = london(2025, 6, 18, 18, 0)


@pytest.mark.parametrize(
    ("case", "seen", "reported", "found", "field"),
    [
        ("reported before last seen", SEEN, SEEN - timedelta(minutes=1), None, "reported_at"),
        ("found before going missing", SEEN, SEEN, SEEN - timedelta(hours=1), "found_at"),
        (
            "found before the report",
            SEEN,
            SEEN + timedelta(hours=5),
            SEEN + timedelta(hours=4),
            "found_at",
        ),
        ("last seen in the future", NOW + timedelta(hours=1), None, None, "went_missing_at"),
        ("found in the future", SEEN, SEEN, NOW + timedelta(minutes=5), "found_at"),
    ],
)
def test_impossible_episode_timelines(
    case: str, seen: datetime, reported: datetime | None, found: datetime | None, field: str
) -> None:
    problems = episode_timeline_problems(
        went_missing_at=seen, reported_at=reported, found_at=found, now=NOW
    )
    assert field in problems, case


def test_a_possible_timeline_has_no_problems() -> None:
    assert not episode_timeline_problems(
        went_missing_at=SEEN, reported_at=SEEN, found_at=SEEN, now=NOW
    )


@pytest.mark.parametrize(
    ("case", "found", "offered", "completed", "field"),
    [
        ("no return yet", None, SEEN, None, "offered_at"),
        ("offered before the return", SEEN, SEEN - timedelta(hours=1), None, "offered_at"),
        ("held before the return", SEEN, SEEN, SEEN - timedelta(hours=1), "completed_at"),
        (
            "held before offered",
            SEEN,
            SEEN + timedelta(hours=2),
            SEEN + timedelta(hours=1),
            "completed_at",
        ),
        ("held in the future", SEEN, SEEN, NOW + timedelta(hours=1), "completed_at"),
    ],
)
def test_impossible_interview_timelines(
    case: str,
    found: datetime | None,
    offered: datetime,
    completed: datetime | None,
    field: str,
) -> None:
    problems = interview_timeline_problems(
        found_at=found, offered_at=offered, completed_at=completed, now=NOW
    )
    assert field in problems, case


@pytest.mark.parametrize(
    ("missing_from", "category", "risk", "dfe", "field"),
    [
        ("home", "absent", "high", "", "risk"),
        ("home", "missing", "no_apparent_risk", "", "risk"),
        ("care", "missing", "low", "", "dfe_code"),
        ("home", "missing", "low", "M", "dfe_code"),
    ],
)
def test_classification_must_agree(
    missing_from: str, category: str, risk: str, dfe: str, field: str
) -> None:
    problems = classification_problems(
        missing_from=missing_from, category=category, risk=risk, dfe_code=dfe
    )
    assert field in problems
    assert not classification_problems(
        missing_from="care", category="absent", risk="no_apparent_risk", dfe_code="A"
    )


# --- triggers ---


def ep(ref: str, day: int, **kw: str) -> EpisodeFacts:
    return EpisodeFacts(ref=ref, went_missing_at=london(2025, 1, 1) + timedelta(days=day), **kw)


FLAGGED = [FlaggedPlace("The Crown Hotel", "CV1 2AB"), FlaggedPlace("Canal Basin")]

TRIGGER_CASES = [
    # (case, current, history, triggers expected)
    ("first episode, medium risk", ep("A", 0, risk="medium"), [], set()),
    ("third within 90 days", ep("C", 60), [ep("A", 0), ep("B", 30)], {"repeat_episodes"}),
    ("third on day 90 exactly", ep("C", 90), [ep("A", 0), ep("B", 30)], {"repeat_episodes"}),
    ("third on day 91", ep("C", 91), [ep("A", 0), ep("B", 30)], set()),
    (
        "back-dated episode completes a run",
        ep("B", 30),
        [ep("A", 0), ep("C", 60)],
        {"repeat_episodes"},
    ),
    ("high risk", ep("A", 0, risk="high"), [], {"high_risk"}),
    ("found at flagged postcode", ep("A", 0, found_postcode="cv12ab"), [], {"flagged_location"}),
    ("found at flagged name", ep("A", 0, found_place="canal basin!"), [], {"flagged_location"}),
    ("found nearby is not a match", ep("A", 0, found_place="Canal Street"), [], set()),
    (
        "everything at once",
        ep("C", 10, risk="high", found_place="the Canal Basin"),
        [ep("A", 0), ep("B", 5)],
        {"repeat_episodes", "high_risk", "flagged_location"},
    ),
]


@pytest.mark.parametrize(("case", "current", "history", "expected"), TRIGGER_CASES)
def test_trigger_table(
    case: str, current: EpisodeFacts, history: list[EpisodeFacts], expected: set[str]
) -> None:
    hits = episode_triggers(current, history, FLAGGED, T)
    assert {h.trigger for h in hits} == expected, case
    for hit in hits:
        assert current.ref in hit.episode_refs and current.ref in hit.explanation


def test_repeat_explanation_names_the_rule_and_the_episodes() -> None:
    hit = repeat_episodes(ep("C", 60), [ep("A", 0), ep("B", 30)], T)
    assert hit is not None
    assert hit.episode_refs == ("A", "B", "C")
    assert "3 episodes within 90 days" in hit.explanation and "A, B, C" in hit.explanation


def test_thresholds_come_from_configuration() -> None:
    strict = Thresholds(repeat_episodes=2, repeat_window_days=7)
    assert repeat_episodes(ep("B", 7), [ep("A", 0)], strict) is not None
    assert repeat_episodes(ep("B", 8), [ep("A", 0)], strict) is None


def test_disclosure_rule() -> None:
    assert exploitation_disclosed("A", False) is None
    hit = exploitation_disclosed("A", True)
    assert hit is not None and hit.trigger == "rhi_exploitation"


days = st.lists(st.integers(min_value=0, max_value=400), min_size=0, max_size=7)


@given(days, st.integers(min_value=0, max_value=400), st.integers(2, 4), st.integers(1, 120))
def test_repeat_rule_matches_brute_force(
    history_days: list[int], current_day: int, count: int, window: int
) -> None:
    history = [ep(f"H{i}", d) for i, d in enumerate(history_days)]
    current = ep("NOW", current_day)
    thresholds = Thresholds(repeat_episodes=count, repeat_window_days=window)
    everyone = [*history, current]
    expected = any(
        current in group
        and max(e.went_missing_at for e in group) - min(e.went_missing_at for e in group)
        <= timedelta(days=window)
        for group in itertools.combinations(everyone, count)
    )
    assert (repeat_episodes(current, history, thresholds) is not None) is expected


@given(days, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_another_episode_never_silences_the_repeat_rule(
    history_days: list[int], current_day: int, extra_day: int
) -> None:
    history = [ep(f"H{i}", d) for i, d in enumerate(history_days)]
    current = ep("NOW", current_day)
    if repeat_episodes(current, history, T) is not None:
        assert repeat_episodes(current, [*history, ep("X", extra_day)], T) is not None


@given(st.sampled_from(["no_apparent_risk", "low", "medium", "high"]))
def test_high_risk_fires_exactly_for_high(risk: str) -> None:
    hits = episode_triggers(ep("A", 0, risk=risk), [], [], T)
    assert ("high_risk" in {h.trigger for h in hits}) is (risk == "high")


@given(st.text(max_size=30))
def test_place_normalisation_is_idempotent_and_ignores_case(text: str) -> None:
    assert normalise_place(normalise_place(text)) == normalise_place(text)
    assert normalise_place(text.upper()) == normalise_place(text.lower())


def test_place_normalisation_keeps_accented_letters() -> None:
    assert normalise_place("Café Rouge, the") == normalise_place("CAFE ROUGE") == "cafe rouge"


# --- collation ---


def test_collate_counts_distinct_children_and_matches_postcodes() -> None:
    findings = collate(
        [
            Mention("place", "Crown Hotel", 1, "CV1 2AB"),
            Mention("place", "crown hotel car park", 2, "cv12ab"),
            Mention("place", "Crown Hotel", 1, "CV1 2AB"),
            Mention("associate", "Big J", 1),
            Mention("associate", "big j", 3),
            Mention("place", "", 4),
        ]
    )
    assert [(f.kind, f.label, f.children, f.mentions) for f in findings] == [
        ("place", "Crown Hotel", 2, 3),
        ("associate", "Big J", 2, 2),
    ]
    assert findings[0].postcode == "CV1 2AB"


@given(
    st.lists(
        st.tuples(st.sampled_from(["Park", "park", "Mall", "Station"]), st.integers(1, 5)),
        max_size=20,
    ),
    st.integers(1, 4),
)
def test_suppression_hides_exactly_the_small_counts(pairs: list[tuple[str, int]], k: int) -> None:
    findings = collate([Mention("place", name, pid) for name, pid in pairs])
    kept, hidden = suppress_small(findings, k)
    assert all(f.children >= k for f in kept)
    assert hidden == sum(1 for f in findings if f.children < k)
    assert sum(f.children for f in findings) <= len(pairs)
