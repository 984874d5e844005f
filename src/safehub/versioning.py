"""Optimistic locking: the second of two people editing one record never silently wipes the
first's changes.

A versioned record has a `version` column. Its edit form carries the version it was built from
(a hidden `version` field, read back with `posted_version`). Saving is one
`UPDATE ... SET version = version + 1, ... WHERE pk = ? AND version = ?` (`save_if_current`).
When no row matches, someone saved in between: the save is refused with `StaleEdit`, carrying
what they changed (`Change`: who, when, and each field in plain words, from what to what) for
the form to show, and nothing is written.

Each app keeps the history a refusal reads. Records with django-simple-history need nothing
more: `save_if_current` writes their history row (an UPDATE bypasses `save()`, so
simple-history would not) and `history_since` reads the changes back. Cases keep their own
`Revision` rows and turn them into `Change`s.

Depends on Django, django-simple-history and safehub.refusals only, so any app may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst

from safehub.refusals import NON_FIELD, Refused

__all__ = [
    "Change",
    "FieldChange",
    "StaleEdit",
    "field_label",
    "history_since",
    "person_name",
    "plain_value",
    "posted_version",
    "save_if_current",
]


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed, in plain words: "Risk level: from Medium to High"."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One save made after the refused user's form was read: who, when, what and how."""

    who: str
    at: datetime
    what: str
    fields: tuple[FieldChange, ...] = ()


class StaleEdit(Refused):
    """Someone saved the record after the form was read. Nothing was written.

    A refusal not about one field; `changes` are their saves since then, oldest first (empty if
    none could be read back); `current_version` is the version now saved, for the form shown
    again to carry.
    """

    def __init__(self, changes: Sequence[Change] = (), current_version: int | None = None) -> None:
        super().__init__({NON_FIELD: "This record was changed by someone else after you opened it"})
        self.changes = list(changes)
        self.current_version = current_version


def posted_version(post: Mapping[str, Any]) -> int:
    """The version the form was built from; 0 if missing or garbled, which is never current
    for a saved record (a form for a record not yet created carries 0 too)."""
    try:
        return max(0, int(str(post.get("version", "0"))))
    except ValueError:
        return 0


def person_name(user: Any) -> str:
    """A user as people know them: their full name, else their username."""
    if user is None:
        return "Someone"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or (user.get_username() if hasattr(user, "get_username") else str(user))


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    """A stored field by its name or its column attribute (`owner` or `owner_id`)."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def field_label(model: type[models.Model], name: str) -> str:
    """A field's label ("Physical description"), from its verbose name; `name` may be the
    field's name or its column attribute (`owner_id`)."""
    field = _field(model, name)
    return str(capfirst(field.verbose_name if field is not None else name.replace("_", " ")))


def plain_value(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value as a person would say it: the choice's label, a date in words, a
    person's name for a user, "Yes"/"No"; blank for none. Text from a history (a date as
    "2025-03-01") is read as the field's own type first."""
    field = _field(model, name)
    if value is None or value == "":
        return ""
    if field is None:
        return str(value)
    if isinstance(value, str) and not isinstance(field, models.CharField | models.TextField):
        try:
            value = field.to_python(value)
        except ValidationError:
            return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_date(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return format_date(value, "j F Y")
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return "(removed)"
        return person_name(related) if hasattr(related, "get_full_name") else str(related)
    return str(value)


def _history(model: type[models.Model]) -> Any:
    """The model's django-simple-history manager, or None if it keeps no history."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute) if attribute else None


def save_if_current(
    model: type[models.Model],
    *,
    pk: Any,
    read_version: int,
    fields: Mapping[str, Any],
    actor: Any = None,
    when: datetime | None = None,
    what: str = "",
    changes_since: Callable[[int], Sequence[Change]] | None = None,
) -> int:
    """`UPDATE model SET version = read_version + 1, **fields WHERE pk = ? AND version =
    read_version`; returns the new version. Call it inside the caller's transaction.

    Refuses (StaleEdit, nothing written) when no row matched: someone saved since the form was
    read. The refusal carries `changes_since(read_version)`, by default the record's
    simple-history changes since then. For a record with history, the new state is written
    to it as `actor`'s change at `when` (now by default), described as `what`.
    """
    history = _history(model)
    when = when or timezone.now()
    if history is not None and not history.filter(**{model._meta.pk.attname: pk}).exists():
        # A record saved before it kept history: keep the state being changed, to diff against.
        before = model._default_manager.filter(pk=pk, version=read_version).first()
        if before is not None:
            history.bulk_history_create([before], update=True, default_date=when)
    new_version = read_version + 1
    updated = model._default_manager.filter(pk=pk, version=read_version).update(
        version=new_version, **fields
    )
    if updated != 1:
        read = changes_since or (lambda since: history_since(model, pk, since, what=what))
        saved_version = (
            model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        )
        raise StaleEdit(read(read_version), current_version=saved_version)
    if history is not None:
        saved = model._default_manager.get(pk=pk)
        history.bulk_history_create(
            [saved], update=True, default_user=actor, default_date=when, default_change_reason=what
        )
    return new_version


def history_since(
    model: type[models.Model],
    pk: Any,
    version: int,
    *,
    fields: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    what: str = "",
) -> list[Change]:
    """The saves of a simple-history record that made a version after `version`, oldest first:
    who, when, and which of `fields` (by default every editable field) changed from what to
    what, each named by `labels` or else its verbose name. A creation shows each filled-in
    field as changed from blank."""
    history = _history(model)
    if history is None:
        return []
    names = list(fields) if fields is not None else _editable(model)
    rows = list(
        history.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("history_id")
    )
    changes: list[Change] = []
    previous: Any = None
    for row in rows:
        if row.version > version and (previous is None or row.version != previous.version):
            if previous is not None or row.history_type == "+":
                diffs = tuple(_diff(model, names, labels or {}, previous, row))
            else:
                diffs = ()  # no earlier state kept: say who saved, not what from
            changes.append(
                Change(
                    who=person_name(row.history_user),
                    at=row.history_date,
                    what=getattr(row, "history_change_reason", "") or what or "the record",
                    fields=diffs,
                )
            )
        previous = row
    return changes


def _editable(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "version"
    ]


def _diff(
    model: type[models.Model],
    names: Sequence[str],
    labels: Mapping[str, str],
    before: Any,
    after: Any,
) -> list[FieldChange]:
    diffs = []
    for name in names:
        field = _field(model, name)
        attname = field.attname if field is not None else name
        old = getattr(before, attname) if before is not None else None
        new = getattr(after, attname)
        if old != new and not (old in (None, "") and new in (None, "")):
            diffs.append(
                FieldChange(
                    labels.get(name) or field_label(model, name),
                    plain_value(model, name, old),
                    plain_value(model, name, new),
                )
            )
    return diffs
