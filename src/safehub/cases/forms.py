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
class Field:
    name: str
    label: str
    kind: str  # "text", "textarea", "radios", "checkboxes", "date", "number"
    options: Sequence[tuple[str, str]] = ()
    hint: str = ""


def render_fields(
    fields: Sequence[Field], values: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each field with its current value(s), options marked checked, and its error."""
    rendered = []
    for f in fields:
        value = values.get(f.name, "")
        chosen = set(value) if isinstance(value, list | tuple | set) else {str(value)}
        item: dict[str, Any] = {
            "name": f.name,
            "label": f.label,
            "kind": f.kind,
            "hint": f.hint,
            "error": errors.get(f.name, ""),
            "value": "" if isinstance(value, list | tuple | set) else value,
            "options": [
                {
                    "value": v,
                    "label": label,
                    "checked": v in chosen,
                    "id": f.name if i == 0 else f"{f.name}-{v}",
                }
                for i, (v, label) in enumerate(f.options)
            ],
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
