"""Small-number suppression for the board's aggregate profile."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safehub.suppression import (
    SUPPRESSED,
    WITHHELD,
    is_small,
    share,
    suppress,
    suppress_column,
)

counts = st.lists(st.integers(min_value=0, max_value=500), max_size=12)


def test_counts_from_one_to_four_are_suppressed_and_others_shown() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_lone_small_count_takes_the_next_smallest_with_it() -> None:
    assert suppress_column([40, 3, 9, 12]) == [40, SUPPRESSED, WITHHELD, 12]


def test_two_small_counts_need_no_secondary_suppression() -> None:
    assert suppress_column([40, 3, 2, 12]) == [40, SUPPRESSED, SUPPRESSED, 12]


@given(counts)
def test_no_small_count_is_ever_shown(values: list[int]) -> None:
    for shown in suppress_column(values):
        assert shown in (SUPPRESSED, WITHHELD, 0) or (isinstance(shown, int) and shown >= 5)


@given(counts)
def test_a_hidden_count_cannot_be_worked_out_from_the_total(values: list[int]) -> None:
    shown = suppress_column(values)
    hidden = [v for v, s in zip(values, shown, strict=True) if isinstance(s, str)]
    # Exactly one hidden cell would be revealed by subtracting the shown ones from the total,
    # unless there is nothing else to withhold: then the total is that small count itself,
    # and is suppressed wherever it is shown.
    if len(hidden) == 1:
        assert is_small(sum(values))


def test_a_lone_small_count_with_nothing_else_to_withhold() -> None:
    assert suppress_column([3, 0]) == [SUPPRESSED, 0]
    assert suppress(sum([3, 0])) == SUPPRESSED


@given(counts)
def test_shown_counts_are_the_true_counts(values: list[int]) -> None:
    for value, shown in zip(values, suppress_column(values), strict=True):
        if isinstance(shown, int):
            assert shown == value


def test_share_says_not_known_when_there_is_nothing_to_divide() -> None:
    assert share(1, 4) == "25%"
    assert share(0, 0) == "not known"
