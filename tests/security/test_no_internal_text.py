"""No page shows the system's insides: every URL, opened by every role allowed to open it.

Reads the URLs from the authorisation matrix (`tests/test_authorisation_matrix.py`, which
lists every URL in the URL configuration and who may open it) and makes each one's objects
with the same helpers. A page fails if its visible text (not its attribute values, scripts or
styles) shows a Python identifier (`missing_repeat`, `significant_risk`), a settings name
(`SAFEHUB_...`, `DJANGO_...`), a repository path (`docs/...`, `src/...`, `x.py`, `x.md`) or a
traceback. One test per app keeps the run short; each lists every page that fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.analytics.published import import_published_files
from safehub.imports.registry import sources
from safehub.licensing.services import designate_senior_officer, grant_licence
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_screening, make_user
from tests.licensing.helpers import give_dbs, give_licence, give_register_check, make_driver
from tests.test_authorisation_matrix import EXPECTED, NONE, OTHER, OWN, Entry, make_target

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
SETTING = re.compile(r"\b(?:SAFEHUB|DJANGO)_[A-Z0-9_]*")
PATH = re.compile(r"(?<![\w.])(?:docs|src)/[\w./-]*\w|\b[\w-]+\.(?:py|md)\b")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "svg"})


class VisibleText(HTMLParser):
    """The text a reader sees: tags' text, not attribute values, scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|xlsx|ods|json|zip|txt|pdf)\b")


def import_column_names() -> frozenset[str]:
    """The column headers of the agreed import files: a data officer must match them exactly,
    so the import pages name them (they are the partners' file layout, not Safehub's code)."""
    return frozenset(name for source in sources() for name in source.column_names)


def internal_text(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every identifier, settings name, path or traceback line in the page's visible text.

    File names (`c3_factors_2018_to_2025.csv`) and the `allowed` words are not counted.
    """
    text = FILE_NAME.sub(" ", visible_text(html))
    found: list[str] = []
    for pattern in (IDENTIFIER, SETTING, PATH, TRACEBACK):
        found += [m.group(0) for m in pattern.finditer(text)]
    return sorted(set(found) - allowed)


def test_the_checker_finds_internal_text_only_where_it_is_seen() -> None:
    page = (
        '<html><head><title>A page</title><style>.a_b{}</style></head><body class="govuk_x">'
        '<a href="/docs/x.md" data-id="significant_risk">Result</a>'
        "<p>Result: significant_risk (SAFEHUB_CHILD_POPULATION is not set)</p>"
        "<p>See docs/attendance-rules.md.</p><script>var missing_repeat = 1;</script></body></html>"
    )
    assert internal_text(page) == sorted(
        {"significant_risk", "SAFEHUB_CHILD_POPULATION", "docs/attendance-rules.md"}
    )
    assert internal_text("<p>Set in rules.py, see README.md</p>") == ["README.md", "rules.py"]
    assert internal_text("<p>Seen on 3 June: no current risk.</p>") == []
    assert internal_text("<p>Imported b1_children_in_need.csv</p>") == []
    assert internal_text("<p>Keyed on police_id</p>", frozenset({"police_id"})) == []


# --- realistic content for the lists and reports -------------------------------------------


def seed() -> None:
    """Screenings with referrals at each result, a case, licensing drivers (one renewed
    against the rules) and the published comparators, so lists and reports have rows."""
    today = timezone.localdate()
    screener = make_user(Role.REFERRER)
    make_screening(screener, missing_repeat="current")
    make_screening(screener, disclosed_exploitation="yes")
    make_screening(screener)
    officer = make_user(Role.LICENSING_OFFICER)
    designate_senior_officer(user=officer, on=today)
    driver = make_driver()
    give_licence(driver, today - timedelta(days=1000))
    give_dbs(driver, today - timedelta(days=100), update_service=True)
    give_register_check(driver, today)
    grant_licence(
        actor=officer,
        driver=driver,
        badge_type=driver.badge_type,
        today=today,
        override_reason="Refresher course booked for next Monday; licence conditional on it",
    )
    import_published_files(make_user(Role.DATA_OFFICER))


# --- the walk ---------------------------------------------------------------------------


def relationship(entry: Entry) -> str | None:
    """The relationship to open the page in: the user's own object where there is one."""
    for rel in (OWN, OTHER, NONE):
        if entry.grants.get(rel) and rel not in entry.absent:
            return rel
    return None


def pages(namespace: str) -> Iterator[tuple[str, Entry, str]]:
    for name, entry in EXPECTED.items():
        if entry.public or entry.api or entry.method != "get":
            continue
        if (name.split(":")[0] if ":" in name else "") != namespace:
            continue
        rel = relationship(entry)
        if rel is not None:
            yield name, entry, rel


NAMESPACES = sorted({(n.split(":")[0] if ":" in n else "") for n in EXPECTED})
EXTRA_KWARGS: dict[str, dict[str, Any]] = {
    "screening:group": {"number": 1},
    "analytics:profile_csv": {"table_id": "victims-by-sex"},
}


def open_page(name: str, entry: Entry, rel: str, role: Role, shared: dict[str, Any]) -> Any:
    user = make_user(role)
    client = sign_in(Client(), user)
    if entry.kind is None:
        kwargs: dict[str, Any] = {}
    elif rel == OWN or entry.kind not in shared:
        kwargs = make_target(entry.kind, rel, user, client)
        if rel != OWN:
            shared[entry.kind] = kwargs
    else:
        kwargs = shared[entry.kind]
    kwargs = {**kwargs, **EXTRA_KWARGS.get(name, {})}
    return client.get(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize("namespace", [n for n in NAMESPACES if any(pages(n))])
def test_no_page_shows_internal_text(namespace: str) -> None:
    seed()
    shared: dict[str, Any] = {}
    problems: list[str] = []
    opened = 0
    for name, entry, rel in pages(namespace):
        for role in sorted(entry.grants[rel]):
            response = open_page(name, entry, rel, role, shared)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            opened += 1
            allowed = import_column_names() if namespace == "imports" else frozenset()
            found = internal_text(response.content.decode(), allowed)
            if found:
                problems.append(f"{name} as {role.value}: {', '.join(found)}")
    assert opened, f"no page of {namespace or 'the home page'} opened"
    assert not problems, "Pages showing internal text:\n" + "\n".join(problems)
