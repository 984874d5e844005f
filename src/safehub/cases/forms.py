"""Turning posted forms into values for the services, and fields into GOV.UK markup context.

Views describe a form as a list of Field; `render_fields` gives the template what it needs
(values, errors, checked options) so every form gets the same GOV.UK markup and error summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from safehub.people.forms import date_from_parts


@dataclass(frozen=True)
class Choice:
    """One option of a radios, checkboxes or select field: what is posted, what the user
    reads, an optional hint under it, and the group it is listed under (checkboxes are then
    shown in one fieldset per group, a select's options in one optgroup per group)."""

    value: str
    label: str
    hint: str = ""
    group: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # "text", "textarea", "radios", "checkboxes", "select", "date", "number"
    options: Sequence[tuple[str, str] | Choice] = ()
    hint: str = ""


def render_fields(
    fields: Sequence[Field], values: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each field with its current value(s), options marked checked, and its error. When
    every option has a group, `groups` lists them group by group (name and options, in the
    order given: sort the options by group first)."""
    rendered = []
    for f in fields:
        value = values.get(f.name, "")
        chosen = set(value) if isinstance(value, list | tuple | set) else {str(value)}
        choices = [o if isinstance(o, Choice) else Choice(*o) for o in f.options]
        options = [
            {
                "value": c.value,
                "label": c.label,
                "hint": c.hint,
                "checked": c.value in chosen,
                "id": f.name if i == 0 else f"{f.name}-{c.value}",
            }
            for i, c in enumerate(choices)
        ]
        groups: list[dict[str, Any]] = []
        if choices and all(c.group for c in choices):
            for c, option in zip(choices, options, strict=True):
                if not groups or groups[-1]["name"] != c.group:
                    groups.append({"name": c.group, "options": []})
                groups[-1]["options"].append(option)
        item: dict[str, Any] = {
            "name": f.name,
            "label": f.label,
            "kind": f.kind,
            "hint": f.hint,
            "error": errors.get(f.name, ""),
            "value": "" if isinstance(value, list | tuple | set) else value,
            "options": options,
            "groups": groups,
        }
        if f.kind == "date":
            for part in ("day", "month", "year"):
                item[part] = values.get(f"{f.name}-{part}", "")
        rendered.append(item)
    return rendered


def date_values(name: str, value: date | None) -> dict[str, str]:
    """A date as the day/month/year boxes of a GOV.UK date input."""
    if value is None:
        return {}
    return {
        f"{name}-day": str(value.day),
        f"{name}-month": str(value.month),
        f"{name}-year": str(value.year),
    }


def posted_date(
    post: Mapping[str, Any], name: str, label: str, errors: dict[str, str]
) -> date | None:
    """The date from a GOV.UK date input; a message in `errors` if it is not a real date."""
    text, error = date_from_parts(post, name, label)
    if error:
        errors[name] = error
        return None
    return date.fromisoformat(text) if text else None


def as_datetime(day: date | None) -> datetime | None:
    """A date as a moment in the working day (chronology entries are dated, not timed)."""
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    return min(moment, timezone.now()) if day == timezone.localdate() else moment


def posted_version(post: Mapping[str, Any]) -> int:
    """The version the form was built from; 0 (never current) if missing or garbled."""
    try:
        return int(str(post.get("version", "0")))
    except ValueError:
        return 0


def posted_values(post: Any, fields: Sequence[Field]) -> dict[str, Any]:
    """What the user entered, to show again beside any errors."""
    values: dict[str, Any] = {}
    for f in fields:
        if f.kind == "checkboxes":
            values[f.name] = post.getlist(f.name)
        elif f.kind == "date":
            for part in ("day", "month", "year"):
                values[f"{f.name}-{part}"] = str(post.get(f"{f.name}-{part}", "")).strip()
        else:
            values[f.name] = str(post.get(f.name, ""))
    return values
