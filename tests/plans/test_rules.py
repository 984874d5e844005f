"""The plan's pure rules: RAG ratings as a table and as properties, comparison, trend, charts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.plans import charts
from safehub.plans.rules import (
    ActionFacts,
    ActionSnapshot,
    Rag,
    RagThresholds,
    Status,
    compare,
    deadline_order,
    override_problem,
    rag_counts,
    rate,
    trend,
)

T = RagThresholds(due_soon_days=30, due_soon_min_progress=75, stale_after_days=30)
TODAY = date(2026, 3, 10)
NS, IP, DONE = Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE


def facts(
    status: Status = IP,
    start: int = -60,
    due: int | None = 90,
    progress: int = 50,
    updated: int | None = -5,
    override: Rag | None = None,
    reason: str = "",
) -> ActionFacts:
    """Dates as days relative to TODAY; `due=None` for an action with no deadline."""
    return ActionFacts(
        status=status,
        start_date=TODAY + timedelta(days=start),
        due_date=TODAY + timedelta(days=due) if due is not None else None,
        progress=progress,
        last_update=TODAY + timedelta(days=updated) if updated is not None else None,
        override=override,
        override_reason=reason,
    )


TABLE = [
    ("complete, even if late", facts(DONE, due=-10, progress=100), Rag.BLUE),
    ("complete and never updated", facts(DONE, updated=None), Rag.BLUE),
    ("past due, in progress", facts(IP, due=-1), Rag.RED),
    ("past due, not started", facts(NS, due=-1, progress=0), Rag.RED),
    ("due today is not yet late", facts(IP, due=0, progress=80), Rag.GREEN),
    ("should have started", facts(NS, start=-1, progress=0), Rag.AMBER),
    ("starts today, not started", facts(NS, start=0, progress=0, updated=None), Rag.GREEN),
    ("starts later", facts(NS, start=10, due=200, progress=0, updated=None), Rag.GREEN),
    ("due in 30 days, 74%", facts(IP, due=30, progress=74), Rag.AMBER),
    ("due in 30 days, 75%", facts(IP, due=30, progress=75), Rag.GREEN),
    ("due in 31 days, 10%", facts(IP, due=31, progress=10), Rag.GREEN),
    ("no update for 31 days", facts(IP, updated=-31), Rag.AMBER),
    ("no update for 30 days", facts(IP, updated=-30), Rag.GREEN),
    ("never updated, started 31 days ago", facts(IP, start=-31, updated=None), Rag.AMBER),
    ("never updated, started 30 days ago", facts(IP, start=-30, updated=None), Rag.GREEN),
    ("on track", facts(), Rag.GREEN),
    ("override wins", facts(IP, due=-1, override=Rag.AMBER, reason="Agreed delay"), Rag.AMBER),
    ("override without reason ignored", facts(IP, due=-1, override=Rag.GREEN), Rag.RED),
    ("blank reason ignored", facts(IP, due=-1, override=Rag.GREEN, reason="  "), Rag.RED),
    ("no deadline, on track", facts(IP, due=None, progress=5), Rag.GREEN),
    ("no deadline, long started", facts(IP, start=-400, due=None, progress=0), Rag.GREEN),
    ("no deadline, should have started", facts(NS, due=None, progress=0), Rag.AMBER),
    ("no deadline, no update for 31 days", facts(IP, due=None, updated=-31), Rag.AMBER),
    ("no deadline, complete", facts(DONE, due=None, progress=100), Rag.BLUE),
    ("no deadline, overridden", facts(IP, due=None, override=Rag.RED, reason="Ignored"), Rag.RED),
]


@pytest.mark.parametrize(("case", "given_facts", "expected"), TABLE, ids=[c[0] for c in TABLE])
def test_rag_table(case: str, given_facts: ActionFacts, expected: Rag) -> None:
    assert rate(given_facts, TODAY, T).rating is expected


def test_an_override_is_shown_as_such_with_the_rules_rating_and_reason() -> None:
    result = rate(facts(IP, due=-1, override=Rag.AMBER, reason=" Agreed delay "), TODAY, T)
    assert result.overridden and result.override_reason == "Agreed delay"
    assert result.computed is Rag.RED and result.rule == "Past its due date and not complete"


@pytest.mark.parametrize(
    ("given_facts", "rule"),
    [
        (facts(IP, due=None), "No deadline set: on track"),
        (facts(NS, due=None, progress=0), "No deadline set: should have started and has not"),
        (
            facts(IP, due=None, updated=-31),
            "No deadline set: no progress update for over 30 days",
        ),
        (facts(DONE, due=None, progress=100), "Complete"),
        (facts(IP, due=90), "On track"),
    ],
)
def test_the_rule_says_when_there_is_no_deadline(given_facts: ActionFacts, rule: str) -> None:
    assert rate(given_facts, TODAY, T).rule == rule


def test_thresholds_come_from_the_thresholds_given() -> None:
    strict = RagThresholds(due_soon_days=60, due_soon_min_progress=90, stale_after_days=7)
    assert rate(facts(IP, due=45, progress=80), TODAY, strict).rating is Rag.AMBER
    assert rate(facts(IP, updated=-8, progress=95), TODAY, strict).rating is Rag.AMBER
    assert rate(facts(IP, due=45, progress=80), TODAY, T).rating is Rag.GREEN


@pytest.mark.parametrize(
    ("override", "reason", "problem"),
    [
        ("", "", None),
        ("amber", "Waiting for the police restructure", None),
        ("amber", "", "Give the reason for overriding the rating"),
        ("amber", "   ", "Give the reason for overriding the rating"),
        ("purple", "because", "Choose red, amber, green or complete"),
    ],
)
def test_an_override_needs_a_known_rating_and_a_reason(
    override: str, reason: str, problem: str | None
) -> None:
    assert override_problem(override, reason) == problem


fact_strategy = st.builds(
    facts,
    status=st.sampled_from(list(Status)),
    start=st.integers(-400, 400),
    due=st.one_of(st.none(), st.integers(-400, 400)),
    progress=st.integers(0, 100),
    updated=st.one_of(st.none(), st.integers(-400, 0)),
)


@given(fact_strategy)
def test_complete_is_always_blue_and_only_complete_is_blue(f: ActionFacts) -> None:
    assert (rate(f, TODAY, T).rating is Rag.BLUE) is (f.status == Status.COMPLETE)


@given(fact_strategy)
def test_late_and_unfinished_is_always_red(f: ActionFacts) -> None:
    late = f.due_date is not None and f.due_date < TODAY and f.status != Status.COMPLETE
    assert (rate(f, TODAY, T).rating is Rag.RED) is late


@given(fact_strategy, st.dates())
def test_an_action_with_no_deadline_is_never_overdue(f: ActionFacts, today: date) -> None:
    undated = ActionFacts(**{**f.__dict__, "due_date": None})
    result = rate(undated, today, T)
    assert result.rating is not Rag.RED
    # Rated on status and progress only, and it says so.
    if f.status == Status.COMPLETE:
        assert result.rule == "Complete"
    else:
        assert result.rule.startswith("No deadline set: ")


@given(fact_strategy)
def test_no_deadline_rates_as_a_deadline_that_never_comes(f: ActionFacts) -> None:
    undated = ActionFacts(**{**f.__dict__, "due_date": None})
    far = ActionFacts(**{**f.__dict__, "due_date": date.max})
    assert rate(undated, TODAY, T).rating is rate(far, TODAY, T).rating


@given(fact_strategy, st.sampled_from(list(Rag)), st.text(min_size=1).filter(str.strip))
def test_an_override_with_a_reason_always_wins(f: ActionFacts, rag: Rag, reason: str) -> None:
    overridden = ActionFacts(**{**f.__dict__, "override": rag, "override_reason": reason})
    result = rate(overridden, TODAY, T)
    assert result.rating is rag and result.overridden
    assert result.computed is rate(f, TODAY, T).rating


SEVERITY = {Rag.BLUE: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


@given(fact_strategy, st.integers(0, 100))
def test_more_progress_never_makes_a_rating_worse(f: ActionFacts, extra: int) -> None:
    better = ActionFacts(**{**f.__dict__, "progress": min(100, f.progress + extra)})
    assert SEVERITY[rate(better, TODAY, T).rating] <= SEVERITY[rate(f, TODAY, T).rating]


def snap(
    key: str, *, status: Status = IP, due: int | None = 30, rating: Rag = Rag.GREEN
) -> ActionSnapshot:
    return ActionSnapshot(
        key=key,
        title=f"Action {key}",
        objective="Prevent",
        owner="Test Owner, Test Council",
        status=status,
        due_date=TODAY + timedelta(days=due) if due is not None else None,
        rating=rating,
    )


def test_compare_names_each_kind_of_change() -> None:
    before = {
        "a": snap("a"),
        "b": snap("b"),
        "c": snap("c", due=10),
        "d": snap("d", rating=Rag.GREEN),
        "e": snap("e", status=DONE, rating=Rag.BLUE),
        "gone": snap("gone"),
        "same": snap("same"),
    }
    after = {
        "a": snap("a"),
        "b": snap("b", status=DONE, rating=Rag.BLUE),
        "c": snap("c", due=40),
        "d": snap("d", rating=Rag.AMBER),
        "e": snap("e", status=IP, rating=Rag.GREEN),
        "new": snap("new"),
        "same": snap("same"),
    }
    changes = compare(before, after)
    keys = {name: [c.current.key for c in getattr(changes, name)] for name in changes.__dict__}
    assert keys == {
        "added": ["new"],
        "removed": ["gone"],
        "closed": ["b"],
        "reopened": ["e"],
        "slipped": ["c"],
        "brought_forward": [],
        "rerated": ["b", "d", "e"],
    }


def test_removing_a_deadline_is_slipping_and_setting_one_is_bringing_it_forward() -> None:
    before = {"dropped": snap("dropped", due=10), "set": snap("set", due=None)}
    after = {"dropped": snap("dropped", due=None), "set": snap("set", due=60)}
    changes = compare(before, after)
    assert [c.current.key for c in changes.slipped] == ["dropped"]
    assert [c.current.key for c in changes.brought_forward] == ["set"]
    assert compare(after, after).is_empty()


def test_actions_with_no_deadline_sort_after_every_dated_one() -> None:
    dues = [None, TODAY, None, date.max, date.min]
    assert sorted(dues, key=deadline_order) == [date.min, TODAY, date.max, None, None]


snapshots = st.dictionaries(
    st.sampled_from(list("abcdefgh")),
    st.builds(
        lambda s, d, r: (s, d, r),
        st.sampled_from(list(Status)),
        st.one_of(st.none(), st.integers(-50, 50)),
        st.sampled_from(list(Rag)),
    ),
).map(lambda d: {k: snap(k, status=s, due=due, rating=r) for k, (s, due, r) in d.items()})


@given(snapshots)
def test_a_plan_compared_with_itself_has_no_changes(plan: dict[str, ActionSnapshot]) -> None:
    assert compare(plan, plan).is_empty()


@given(snapshots, snapshots)
def test_comparison_backwards_mirrors_comparison_forwards(
    a: dict[str, ActionSnapshot], b: dict[str, ActionSnapshot]
) -> None:
    forward, backward = compare(a, b), compare(b, a)

    def keys(changes: list) -> set[str]:  # type: ignore[type-arg]
        return {c.current.key for c in changes}

    assert keys(forward.added) == keys(backward.removed) == set(b) - set(a)
    assert keys(forward.closed) == keys(backward.reopened)
    assert keys(forward.slipped) == keys(backward.brought_forward)
    assert keys(forward.rerated) == keys(backward.rerated)


@given(st.lists(st.sampled_from(list(Rag))))
def test_rag_counts_count_every_action_once(ratings: list[Rag]) -> None:
    counts = rag_counts(ratings)
    assert list(counts) == [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
    assert sum(counts.values()) == len(ratings)


@pytest.mark.parametrize(
    ("values", "direction"),
    [
        ([], ""),
        ([3.0], ""),
        ([1.0, 5.0], "up"),
        ([5.0, 2.0, 1.0], "down"),
        ([2.0, 9.0, 2.0], "flat"),
    ],
)
def test_trend(values: list[float], direction: str) -> None:
    assert trend(values) == direction


def test_charts_are_plain_svg_with_no_style_or_script() -> None:
    bars = charts.rag_bars({Rag.RED: 2, Rag.AMBER: 0, Rag.GREEN: 5, Rag.BLUE: 1})
    line = charts.trend_line([(TODAY, 1.0), (TODAY + timedelta(days=30), 4.0)], title="A < B")
    for svg in (bars, line):
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "style=" not in svg and "<script" not in svg
    assert ">Red<" in bars and ">5<" in bars
    assert "A &lt; B" in line and line.count("<circle") == 2
    assert charts.trend_line([], title="none") == ""
