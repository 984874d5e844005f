"""The task list's urgency order (safehub.tasks): a pure function, tested by example and by
its properties."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from safehub.tasks import (
    BAND_DUE_TODAY,
    BAND_LONG_OVERDUE,
    BAND_OVERDUE,
    BAND_OVERDUE_STATUTORY,
    BAND_UPCOMING,
    LONG_OVERDUE_GROUP,
    RISK_HIGH,
    RISK_NOT_KNOWN,
    Task,
    band,
    by_urgency,
    group_by_kind,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
END_OF_TODAY = datetime(2026, 12, 3, 23, 59, 59, tzinfo=UTC)


def task(kind: str, due: datetime, *, risk: int = 0, statutory: bool = False, n: int = 0) -> Task:
    return Task(
        due=due, title=f"{kind} {n}", url=f"/{kind}/{n}/", kind=kind, risk=risk, statutory=statutory
    )


def test_a_new_red_triage_outranks_old_return_interviews() -> None:
    interviews = [
        task("return_interview", NOW - timedelta(days=d), statutory=True, n=d)
        for d in range(100, 460, 3)
    ]
    recent_interview = task("return_interview", NOW - timedelta(days=5), statutory=True)
    triage = task("triage", NOW - timedelta(hours=1), risk=RISK_HIGH, statutory=True)
    ordered = by_urgency([*interviews, recent_interview, triage], NOW, END_OF_TODAY)
    assert ordered[0] == triage
    assert ordered[1] == recent_interview
    # Every long-overdue interview is kept, after the rest.
    assert ordered[2:] == sorted(interviews, key=lambda t: t.due)


def test_the_bands_in_order() -> None:
    statutory = task("triage", NOW - timedelta(hours=2), statutory=True)
    today = task("action", NOW + timedelta(hours=3))
    overdue_action = task("action", NOW - timedelta(days=2), risk=RISK_HIGH)
    upcoming = task("review", NOW + timedelta(days=3), risk=RISK_HIGH)
    long_overdue = task("return_interview", NOW - timedelta(days=91), statutory=True)
    assert [band(t, NOW, END_OF_TODAY) for t in (statutory, today, overdue_action)] == [
        BAND_OVERDUE_STATUTORY,
        BAND_DUE_TODAY,
        BAND_OVERDUE,
    ]
    assert band(upcoming, NOW, END_OF_TODAY) == BAND_UPCOMING
    assert band(long_overdue, NOW, END_OF_TODAY) == BAND_LONG_OVERDUE
    shuffled = [long_overdue, upcoming, overdue_action, today, statutory]
    assert by_urgency(shuffled, NOW, END_OF_TODAY) == [
        statutory,
        today,
        overdue_action,
        upcoming,
        long_overdue,
    ]


def test_an_interview_just_under_ninety_days_is_not_long_overdue() -> None:
    interview = task("return_interview", NOW - timedelta(days=89), statutory=True)
    assert band(interview, NOW, END_OF_TODAY) == BAND_OVERDUE_STATUTORY


def test_groups_follow_their_most_urgent_task_and_long_overdue_is_last() -> None:
    ordered = by_urgency(
        [
            task("return_interview", NOW - timedelta(days=200), statutory=True, n=1),
            task("return_interview", NOW - timedelta(days=1), statutory=True, n=2),
            task("triage", NOW - timedelta(hours=1), risk=RISK_HIGH, statutory=True),
            task("review", NOW + timedelta(days=1)),
        ],
        NOW,
        END_OF_TODAY,
    )
    groups = group_by_kind(ordered, NOW)
    assert [key for key, _ in groups] == [
        "triage",
        "return_interview",
        "review",
        LONG_OVERDUE_GROUP,
    ]
    assert groups[0][1][0] == ordered[0]


kinds = st.sampled_from(["triage", "return_interview", "review", "action", "missing_alert"])
tasks_strategy = st.lists(
    st.builds(
        task,
        kinds,
        st.integers(min_value=-500 * 24, max_value=10 * 24).map(lambda h: NOW + timedelta(hours=h)),
        risk=st.integers(min_value=RISK_NOT_KNOWN, max_value=RISK_HIGH),
        statutory=st.booleans(),
        n=st.integers(min_value=0, max_value=5),
    ),
    max_size=40,
)


@given(tasks_strategy, st.randoms())
def test_ordering_keeps_every_task_and_ignores_the_input_order(
    tasks: list[Task], rnd: random.Random
) -> None:
    ordered = by_urgency(tasks, NOW, END_OF_TODAY)
    assert sorted(ordered, key=repr) == sorted(tasks, key=repr)
    shuffled = list(tasks)
    rnd.shuffle(shuffled)
    assert by_urgency(shuffled, NOW, END_OF_TODAY) == ordered


@given(tasks_strategy)
def test_bands_never_go_backwards_and_risk_leads_within_a_band(tasks: list[Task]) -> None:
    ordered = by_urgency(tasks, NOW, END_OF_TODAY)
    for first, second in zip(ordered, ordered[1:], strict=False):
        b1, b2 = band(first, NOW, END_OF_TODAY), band(second, NOW, END_OF_TODAY)
        assert b1 <= b2
        if b1 == b2:
            assert first.risk >= second.risk
            if first.risk == second.risk:
                assert first.due <= second.due


@given(tasks_strategy)
def test_an_overdue_statutory_clock_precedes_everything_not_one(tasks: list[Task]) -> None:
    ordered = by_urgency(tasks, NOW, END_OF_TODAY)
    bands = [band(t, NOW, END_OF_TODAY) for t in ordered]
    statutory = [i for i, b in enumerate(bands) if b == BAND_OVERDUE_STATUTORY]
    others = [i for i, b in enumerate(bands) if b != BAND_OVERDUE_STATUTORY]
    assert not statutory or not others or max(statutory) < min(others)


@given(tasks_strategy)
def test_grouping_keeps_the_order_and_puts_the_most_urgent_first(tasks: list[Task]) -> None:
    ordered = by_urgency(tasks, NOW, END_OF_TODAY)
    groups = group_by_kind(ordered, NOW)
    flattened = [t for _, members in groups for t in members]
    assert sorted(flattened, key=repr) == sorted(ordered, key=repr)
    if ordered:
        assert groups[0][1][0] == ordered[0]
    keys = [key for key, _ in groups]
    assert len(keys) == len(set(keys))
    if LONG_OVERDUE_GROUP in keys:
        assert keys[-1] == LONG_OVERDUE_GROUP
