"""What case services refuse with beyond a plain refusal (safehub.refusals.Refused), so
callers can tell these apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safehub.refusals import Refused

# A stale save is refused the same way for every versioned record (safehub.versioning).
from safehub.versioning import StaleEdit

if TYPE_CHECKING:
    from safehub.cases.models import Case

__all__ = ["CaseAlreadyOpen", "StaleEdit"]


class CaseAlreadyOpen(Refused):
    """The child already has an open CSE case (carried as `case`)."""

    def __init__(self, case: Case | None) -> None:
        super().__init__({"case": "This child already has an open CSE case"})
        self.case = case
