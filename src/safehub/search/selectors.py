"""Person search: one box, every agency's records, ranked and grouped by child.

`search_people` is the one entry point for the search page and the API. It reads the box
(`people.matching.parse_query`), asks the policy what this user may search and see, fetches
and ranks the people (`people.search.find_people`), groups the Safehub records that record
linkage says are one child, lists the agencies holding records for each, masks restricted
children, and writes one access-log row saying that a search was made and how many results it
gave (never the words searched for).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.govuk_forms import is_uuid
from safehub.intelligence.selectors import persons_with_police_reference
from safehub.linkage.choices import Source
from safehub.linkage.selectors import (
    cluster_sources,
    clusters_of_people,
    people_with_record_reference,
    source_label,
)
from safehub.missing.selectors import people_with_missing_reference
from safehub.people.matching import Match, Query, parse_query
from safehub.people.models import Person
from safehub.people.search import Found, find_people, is_offered
from safehub.policy import Action, PersonScope, allows, person_scope, require, search_scope

RESULT_LIMIT = 20
STRONG, GOOD = 85, 65
SAFEHUB_SOURCE = "Safehub"


@dataclass
class Result:
    """One child in the results: their best-matching Safehub record, the other Safehub
    records linkage says are the same child, and the agencies holding records.

    A masked result is a restricted child the user holds no grant for: nothing about them is
    shown but the message to ask for access."""

    masked: bool
    person: Person | None = None
    match: Match | None = None
    others: list[Person] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    clusters: list[Any] = field(default_factory=list)  # (public id) for data officers
    href: str = ""
    break_glass_href: str = ""

    @property
    def strength(self) -> str:
        if self.match is None:
            return ""
        if self.match.score >= STRONG:
            return "Strong match"
        if self.match.score >= GOOD:
            return "Good match"
        return "Possible match"

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour for the strength."""
        return {"Strong match": "green", "Good match": "blue"}.get(self.strength, "grey")


@dataclass
class SearchOutcome:
    query: Query
    results: list[Result]
    problem: str = ""
    broad: bool = True
    more: bool = False

    @property
    def shown(self) -> int:
        return len(self.results)


def _problem(query: Query, *, broad: bool) -> str:
    """Why the words cannot be searched for, or ""."""
    if query.is_empty:
        return "Enter a name, a date of birth, an NHS number, a UPN or a reference"
    if not broad:
        if not (query.names and (query.date_of_birth or query.nhs_number or query.upn)):
            return (
                "Enter the child's name and full date of birth, or their name and NHS number "
                "or UPN: you can search only for a child you already know"
            )
        return ""
    if query.year_of_birth and not (query.names or query.references):
        return "A year of birth on its own finds too many children: add a name"
    return ""


def _references(query: Query, user: object) -> dict[int, list[str]]:
    """People whose references match one typed: Safehub's own (a person's or a missing
    episode's), the agencies' record keys, and the police's (police only)."""
    found: dict[int, list[str]] = defaultdict(list)
    police = allows(user, Action.PERSON_SEARCH_POLICE)
    sources = {s.value for s in Source} - (set() if police else {Source.POLICE.value})
    for reference in query.references:
        hits: dict[int, str] = {}
        hits.update(people_with_record_reference(reference, sources=sources))
        hits.update(people_with_missing_reference(reference))
        if police:
            hits.update(persons_with_police_reference(reference))
        for person_id, key in hits.items():
            found[person_id].append(key)
    return dict(found)


def _safehub_reference(text: str) -> list[str]:
    """A person's full Safehub reference (the id in their record's address), if typed."""
    return [str(uuid.UUID(token)) for token in text.split() if is_uuid(token)]


def _group(found: list[Found], scope: PersonScope) -> list[list[Found]]:
    """Found people grouped so that records linkage joins are one child (masked people stay
    alone: grouping them would say who they are linked to)."""
    shown = [
        f for f in found if scope.shows(person_id=f.person.pk, restricted=f.person.is_restricted)
    ]
    clusters = clusters_of_people({f.person.pk for f in shown})
    parent: dict[int, int] = {f.person.pk: f.person.pk for f in shown}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    owner_of_cluster: dict[int, int] = {}
    for person_id, cluster_ids in clusters.items():
        for cluster_id in cluster_ids:
            if cluster_id in owner_of_cluster:
                parent[root(person_id)] = root(owner_of_cluster[cluster_id])
            else:
                owner_of_cluster[cluster_id] = person_id
    groups: dict[int, list[Found]] = {}
    order: list[list[Found]] = []
    for item in found:
        if item.person.pk not in parent:
            order.append([item])
            continue
        key = root(item.person.pk)
        if key not in groups:
            groups[key] = []
            order.append(groups[key])
        groups[key].append(item)
    return order


def _sources(
    people: list[Person], *, police: bool
) -> tuple[list[tuple[str, int]], list[Any], list[int]]:
    """The agencies holding records for these Safehub people (police only for the police),
    the clusters' public ids, and other Safehub people in the same clusters."""
    ids = {p.pk for p in people}
    cluster_ids = set().union(*clusters_of_people(ids).values()) if ids else set()
    counts: Counter[str] = Counter()
    clusters: list[Any] = []
    others: list[int] = []
    for row in cluster_sources(cluster_ids):
        if row.cluster_public_id not in clusters:
            clusters.append(row.cluster_public_id)
        if row.person_id is not None and row.person_id not in ids and row.person_id not in others:
            others.append(row.person_id)
        if not row.source or (row.source == Source.POLICE and not police):
            continue
        counts[source_label(row.source)] += 1
    sources = [(SAFEHUB_SOURCE, len(people))] + sorted(counts.items())
    return sources, clusters, others


def _links(result: Result, user: object) -> None:
    person = result.person
    if person is None:
        return
    if allows(user, Action.PERSON_VIEW, person):
        result.href = reverse("people:detail", kwargs={"public_id": person.public_id})
        return
    interest = getattr(person, "person_of_interest", None)
    if interest is not None and allows(user, Action.INTEL_VIEW, interest):
        result.href = reverse("intelligence:person", kwargs={"public_id": interest.public_id})


def search_people(
    user: object, text: str, *, today: date, channel: str = "web", limit: int = RESULT_LIMIT
) -> SearchOutcome:
    """Search for children as `user` may. Refuses (PermissionDenied) users who may not search;
    returns a problem, and writes nothing, when the words cannot be searched for."""
    require(user, Action.PERSON_SEARCH)
    broad = allows(user, Action.PERSON_SEARCH_BROAD)
    police = allows(user, Action.PERSON_SEARCH_POLICE)
    query = parse_query(text, today=today)
    problem = _problem(query, broad=broad)
    if problem:
        return SearchOutcome(query=query, results=[], problem=problem, broad=broad)
    references = _references(query, user)
    for public_id in _safehub_reference(text):
        person = Person.objects.filter(public_id=public_id).only("pk").first()
        if person is not None:
            references.setdefault(person.pk, []).append(public_id)
    found = find_people(query, references=references, within=search_scope(user), limit=limit + 1)
    if not broad:
        # A screener sees what the front door would offer them, and no more.
        found = [f for f in found if is_offered(query, f)]
    more = len(found) > limit
    found = found[:limit]
    scope = person_scope(user)
    results: list[Result] = []
    for group in _group(found, scope):
        lead = group[0]
        if not scope.shows(person_id=lead.person.pk, restricted=lead.person.is_restricted):
            masked = Result(masked=True)
            if allows(user, Action.PERSON_BREAK_GLASS, lead.person):
                masked.break_glass_href = reverse(
                    "people:break_glass", kwargs={"public_id": lead.person.public_id}
                )
            results.append(masked)
            continue
        result = Result(masked=False, person=lead.person, match=lead.match)
        if broad:
            people = [f.person for f in group]
            result.sources, clusters, other_ids = _sources(people, police=police)
            if allows(user, Action.LINKAGE_CLUSTER_MANAGE):
                result.clusters = clusters
            extra = [
                p
                for p in Person.objects.filter(pk__in=other_ids).filter(search_scope(user))
                if scope.shows(person_id=p.pk, restricted=p.is_restricted)
            ]
            result.others = [f.person for f in group[1:]] + extra
            _links(result, user)
        results.append(result)
    audited_read(
        user,
        AuditObjectType.PERSON_SEARCH,
        action=AuditAction.SEARCH,
        reason=f"{len(results)} result{'s' if len(results) != 1 else ''} shown",
        channel=channel,
    )
    return SearchOutcome(query=query, results=results, broad=broad, more=more)
