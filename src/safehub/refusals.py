"""Refusals: the one exception a service raises when it will not do what it was asked.

`Refused` carries `errors`, each field name mapped to a plain-English message for the person
who filled the form, in the order the problems were found; nothing was written. A problem that
is not about one field is keyed `NON_FIELD` ("__all__", as in Django's forms); the error
summary shows it without a link to a field.

A few refusals are subclasses because callers tell them apart or need more than the messages
(`safehub.versioning.StaleEdit` carries the changes made since the form was read). The web
shows a refusal in the GOV.UK error summary (`error_summary` gives the template context); the
API turns any refusal into its documented 422 body in one exception handler
(`safehub.api.api`).

A core module: it imports nothing from Safehub's apps, so any of them may raise it.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["NON_FIELD", "Refused", "error_summary"]

NON_FIELD = "__all__"


class Refused(Exception):
    """Input refused with a message per field; nothing was written.

    `Refused({"reason": "Enter a reason"})` for problems with fields, `Refused("message")` for
    one that is not about a field. Refuses (ValueError) a refusal with no message at all.
    """

    def __init__(self, errors: Mapping[str, str] | str) -> None:
        self.errors: dict[str, str] = (
            {NON_FIELD: errors} if isinstance(errors, str) else dict(errors)
        )
        if not self.errors:
            raise ValueError("A refusal needs at least one message")
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(self.errors.values())

    @staticmethod
    def one(field: str, message: str) -> Refused:
        """A refusal of one field."""
        return Refused({field: message})

    @property
    def message(self) -> str:
        """The first message: the one a page with room for a single line shows."""
        return next(iter(self.errors.values()))

    def error_list(self) -> list[tuple[str, str]]:
        """(field, message) pairs in the order given, for the GOV.UK error summary."""
        return list(self.errors.items())


def error_summary(errors: Mapping[str, str] | Refused) -> dict[str, object]:
    """The template context for a form shown again with its errors: `errors` (field ->
    message, for each field's own message) and `error_list` (for govuk/error_summary.html)."""
    found = errors.errors if isinstance(errors, Refused) else dict(errors)
    return {"errors": found, "error_list": list(found.items())}
