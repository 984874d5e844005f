"""What case services refuse with, so views can show a clear message next to the field."""

from __future__ import annotations

from typing import TYPE_CHECKING

# A stale save is refused the same way for every versioned record (safehub.versioning).
from safehub.versioning import StaleEdit

if TYPE_CHECKING:
    from safehub.cases.models import Case

__all__ = ["CaseAlreadyOpen", "InvalidCaseChange", "StaleEdit"]


class InvalidCaseChange(Exception):
    """Bad input: {field: message}. Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class CaseAlreadyOpen(InvalidCaseChange):
    """The child already has an open CSE case (carried as `case`)."""

    def __init__(self, case: Case | None) -> None:
        super().__init__({"case": "This child already has an open CSE case"})
        self.case = case
