"""Reading linkage results: the review queue, a pair, a cluster, a person's linked records,
and the data-quality report per source."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from safehub.linkage import features
from safehub.linkage.choices import ReviewStatus, Source
from safehub.linkage.models import (
    ClusterMembership,
    IdentityRecord,
    LinkageRun,
    PersonCluster,
    ReviewPair,
    restricted_people,
)
from safehub.people.matching import normalise_reference
from safehub.people.search import plain_key


def latest_runs(limit: int = 10) -> list[LinkageRun]:
    return list(LinkageRun.objects.select_related("started_by")[:limit])


def review_queue() -> QuerySet[ReviewPair]:
    """Pairs waiting for a data officer, most likely matches first."""
    return ReviewPair.objects.filter(status=ReviewStatus.PENDING).select_related(
        "record_a", "record_b"
    )


def pair_by_public_id(public_id: Any) -> ReviewPair | None:
    return (
        ReviewPair.objects.select_related(
            "record_a__membership__cluster", "record_b__membership__cluster", "decided_by"
        )
        .filter(public_id=public_id)
        .first()
    )


def cluster_by_public_id(public_id: Any) -> PersonCluster | None:
    return PersonCluster.objects.filter(public_id=public_id).first()


def source_label(source: str) -> str:
    return dict(Source.choices).get(source, source.replace("_", " ").capitalize())


def describe_evidence(evidence: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The evidence in words: (for the same person, against), strongest first."""
    ranked = sorted(evidence, key=lambda e: -abs(float(e["weight"])))
    for_, against = [], []
    for item in ranked:
        weight = float(item["weight"])
        if abs(weight) < 0.5:
            continue
        strength = "strongly" if abs(weight) >= 4 else "somewhat"
        text = f"{item['comparison']}: {item['level'].lower()} ({strength}"
        if weight > 0:
            for_.append(f"{text} suggests the same person)")
        else:
            against.append(f"{text} suggests different people)")
    return for_, against


@dataclass(frozen=True)
class LinkedRecord:
    record: IdentityRecord
    source: str
    confidence: float | None
    basis: str


def cluster_records(cluster: PersonCluster) -> list[LinkedRecord]:
    memberships = ClusterMembership.objects.filter(cluster=cluster).select_related("record")
    return sorted(
        (
            LinkedRecord(
                record=m.record,
                source=source_label(m.record.source),
                confidence=m.match_probability,
                basis=m.get_basis_display(),
            )
            for m in memberships
        ),
        key=lambda x: (x.source, x.record.source_key),
    )


def linked_records_for_person(person: Any, viewer: Any = None) -> list[LinkedRecord]:
    """The agencies' records behind a Safehub person: every record in the clusters that
    the person's own imported records (or the cluster's person link) belong to.

    A record imported for another, restricted person (a cluster that joined two people) is
    left out unless `viewer` holds a grant for that person: without a viewer, always.
    The person themself is the page's business (its own policy check)."""
    from safehub.people.selectors import has_access_grant

    cluster_ids = set(PersonCluster.objects.filter(person=person).values_list("id", flat=True))
    cluster_ids |= set(
        ClusterMembership.objects.filter(record__person=person).values_list("cluster", flat=True)
    )
    linked: list[LinkedRecord] = []
    for cluster in PersonCluster.objects.filter(pk__in=cluster_ids).order_by("pk"):
        linked.extend(cluster_records(cluster))
    others = {item.record.person_id for item in linked} - {person.pk}
    hidden = {
        p
        for p in restricted_people(others)
        if viewer is None
        or not getattr(viewer, "is_authenticated", False)
        or not has_access_grant(user_id=viewer.pk, person_id=p)
    }
    return [item for item in linked if item.record.person_id not in hidden]


def neighbouring_clusters(cluster: PersonCluster) -> list[PersonCluster]:
    """Clusters sharing a queued review pair with this one: the likely merge candidates."""
    members = set(cluster.members.values_list("record", flat=True))
    pairs = ReviewPair.objects.filter(status=ReviewStatus.PENDING).filter(
        record_a__in=members
    ) | ReviewPair.objects.filter(status=ReviewStatus.PENDING).filter(record_b__in=members)
    others = set()
    for a, b in pairs.values_list("record_a", "record_b"):
        others |= {a, b}
    ids = set(
        ClusterMembership.objects.filter(record__in=others - members).values_list(
            "cluster", flat=True
        )
    )
    return list(PersonCluster.objects.filter(pk__in=ids).order_by("pk"))


# --- data quality ----------------------------------------------------------------------

QUALITY_FIELDS = (
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("postcode", "Postcode"),
    ("nhs_number", "NHS number"),
    ("upn", "Unique Pupil Number"),
    ("school_urn", "School"),
)


@dataclass(frozen=True)
class SourceQuality:
    source: str
    label: str
    records: int
    completeness: list[tuple[str, int, float]]  # field label, filled, percentage
    problems: list[tuple[str, int]]  # problem in words, records
    duplicate_records: int  # records sharing a cluster with another of the same source
    unlinked: int  # records in a cluster of their own
    not_yet_linked: int  # records no run has placed yet


def quality_report() -> list[SourceQuality]:
    """Per source: completeness of each field, invalid identifiers (and other problems),
    records that look like within-source duplicates, and records linked to no one.

    Counts only, no names or identifiers.
    """
    report = []
    sources = IdentityRecord.objects.values_list("source", flat=True).distinct().order_by("source")
    cluster_sizes = dict(PersonCluster.objects.annotate(n=Count("members")).values_list("id", "n"))
    for source in sources:
        records = IdentityRecord.objects.filter(source=source)
        total = records.count()
        completeness = []
        for field, label in QUALITY_FIELDS:
            if field == "date_of_birth":
                filled = records.filter(date_of_birth__isnull=False).count()
            else:
                filled = records.exclude(**{field: ""}).count()
            completeness.append((label, filled, round(100 * filled / total, 1) if total else 0))
        problem_counts: Counter[str] = Counter()
        for problems in records.values_list("problems", flat=True):
            problem_counts.update(problems or [])
        memberships = list(
            ClusterMembership.objects.filter(record__source=source).values_list("record", "cluster")
        )
        per_cluster: dict[int, int] = defaultdict(int)
        for _, cluster_id in memberships:
            per_cluster[cluster_id] += 1
        duplicates = sum(n for n in per_cluster.values() if n > 1)
        alone = sum(1 for _, c in memberships if cluster_sizes.get(c, 0) == 1)
        report.append(
            SourceQuality(
                source=source,
                label=source_label(source),
                records=total,
                completeness=completeness,
                problems=[
                    (features.PROBLEMS.get(code, code), n)
                    for code, n in sorted(problem_counts.items())
                ],
                duplicate_records=duplicates,
                unlinked=alone,
                not_yet_linked=total - len(memberships),
            )
        )
    return report


# --- for person search --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterSource:
    """One agency record in a cluster: which source, and which Safehub person (if any) it was
    imported for."""

    cluster_id: int
    cluster_public_id: Any
    source: str
    person_id: int | None


def clusters_of_people(person_ids: set[int]) -> dict[int, set[int]]:
    """For each of these Safehub people, the clusters that stand for them (a cluster whose
    person they are, or that holds a record imported for them). Two queries."""
    found: dict[int, set[int]] = defaultdict(set)
    if not person_ids:
        return {}
    for cluster_id, person_id in PersonCluster.objects.filter(person_id__in=person_ids).values_list(
        "pk", "person_id"
    ):
        found[person_id].add(cluster_id)
    for cluster_id, person_id in ClusterMembership.objects.filter(
        record__person_id__in=person_ids
    ).values_list("cluster_id", "record__person_id"):
        found[person_id].add(cluster_id)
    return dict(found)


def cluster_sources(cluster_ids: set[int]) -> list[ClusterSource]:
    """Every record in these clusters, as (cluster, source, person): one query, plus one for
    clusters that point at a person none of their records was imported for."""
    if not cluster_ids:
        return []
    rows = [
        ClusterSource(cluster_id, public_id, source, person_id)
        for cluster_id, public_id, source, person_id in ClusterMembership.objects.filter(
            cluster_id__in=cluster_ids
        ).values_list("cluster_id", "cluster__public_id", "record__source", "record__person_id")
    ]
    for cluster_id, public_id, person_id in PersonCluster.objects.filter(
        pk__in=cluster_ids, person__isnull=False
    ).values_list("pk", "public_id", "person_id"):
        rows.append(ClusterSource(cluster_id, public_id, "", person_id))
    return rows


def people_with_record_reference(reference: str, *, sources: set[str]) -> dict[int, str]:
    """Safehub people whose agency record in one of `sources` has this reference (the
    source's own key), compared without case, spaces or punctuation: {person id: the key}."""
    plain = normalise_reference(reference)
    if not plain or not sources:
        return {}
    matches = list(
        IdentityRecord.objects.filter(source__in=sorted(sources))
        .annotate(plain_key=plain_key("source_key"))
        .filter(plain_key=plain)
        .values_list("person_id", "source_key", "membership__cluster_id")[:20]
    )
    found: dict[int, str] = {}
    for person_id, source_key, _cluster in matches:
        if person_id is not None:
            found.setdefault(person_id, source_key)
    # A record imported for no Safehub person (a police nominal, say) finds the people its
    # cluster stands for.
    key_of_cluster = {cluster: key for _p, key, cluster in matches if cluster is not None}
    for cluster_id, person_id in _people_of_clusters(set(key_of_cluster)):
        found.setdefault(person_id, key_of_cluster[cluster_id])
    return found


def _people_of_clusters(cluster_ids: set[int]) -> list[tuple[int, int]]:
    """(cluster, person) for the Safehub people these clusters stand for."""
    if not cluster_ids:
        return []
    rows = set(
        ClusterMembership.objects.filter(
            cluster_id__in=cluster_ids, record__person__isnull=False
        ).values_list("cluster_id", "record__person_id")
    )
    rows |= set(
        PersonCluster.objects.filter(pk__in=cluster_ids, person__isnull=False).values_list(
            "pk", "person_id"
        )
    )
    return sorted(rows)


def people_in_clusters() -> Iterable[tuple[int, Any]]:
    """(person id, cluster public id) for every identity record linked to a Safehub person:
    the same child across agencies, for the problem profile's snapshot."""
    return ClusterMembership.objects.filter(record__person__isnull=False).values_list(
        "record__person_id", "cluster__public_id"
    )
