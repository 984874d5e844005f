"""The parts of a child's record page that other apps contribute (screenings, referrals,
linked source records).

The people app sits below the apps that hold a child's screenings or referrals, so it never
imports them: each registers a `Section` in its `AppConfig.ready()` and the record page shows
the registered sections in order. A section's context is read only after the page's own access
check and audit row, with the viewer, so it can apply its own scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safehub.accounts.models import User
from safehub.people.models import Person


@dataclass(frozen=True)
class Section:
    name: str
    position: int  # smaller first
    template: str  # included with the section's context merged into the page's
    context: Callable[[Person, User], dict[str, Any]]


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Register a section of the record page; registering a name again replaces it."""
    _sections[section.name] = section


def sections_for(person: Person, user: User) -> tuple[list[str], dict[str, Any]]:
    """The templates to include, in order, and the context they read."""
    ordered = sorted(_sections.values(), key=lambda s: (s.position, s.name))
    context: dict[str, Any] = {}
    for section in ordered:
        context.update(section.context(person, user))
    return [s.template for s in ordered], context
