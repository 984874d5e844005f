"""Small-number suppression for figures shown outside the police (board members, and the
attendance rules' review for administrators).

A count from 1 to 4 is shown as "fewer than 5" (`SUPPRESSED`). Where a breakdown has a known
total and exactly one count in it is suppressed, the next smallest count is suppressed too, so
the hidden one cannot be worked out by subtraction (secondary suppression, shown as
"withheld"). Zero is shown: it identifies no one.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
SUPPRESSED = "fewer than 5"
# A count that is not small, hidden only so a small one cannot be worked out.
WITHHELD = "withheld"


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(count: int) -> int | str:
    return SUPPRESSED if is_small(count) else count


def suppress_column(counts: Sequence[int]) -> list[int | str]:
    """Suppress a breakdown's counts, with secondary suppression when exactly one is small."""
    shown: list[int | str] = [suppress(count) for count in counts]
    hidden = [index for index, count in enumerate(counts) if is_small(count)]
    if len(hidden) == 1:
        others = [
            (count, index)
            for index, count in enumerate(counts)
            if index not in hidden and count > 0
        ]
        if others:
            _, index = min(others)
            shown[index] = WITHHELD
    return shown


def share(part: int, whole: int) -> str:
    """A percentage for a sentence ("40%"), or "not known" when there is nothing to divide."""
    if whole <= 0:
        return "not known"
    return f"{round(100 * part / whole)}%"
