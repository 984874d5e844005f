"""What case services refuse with, so views can show a clear message next to the field."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safehub.cases.models import Case, Revision


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


class StaleEdit(Exception):
    """Someone saved the record after the form was read. Nothing was written.

    `changes` are the saved revisions since then: who, when and what changed.
    """

    def __init__(self, changes: list[Revision]) -> None:
        super().__init__("This record was changed by someone else after you opened it")
        self.changes = changes
