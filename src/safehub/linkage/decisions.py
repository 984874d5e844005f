"""The data officer's decisions on linkage: confirm or reject a queued pair, merge two
clusters, split one. Each applies at once, in one transaction, is written to the access log,
and binds later automatic runs (see `clustering.cluster`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.linkage.choices import DecisionVia, LinkBasis, ReviewStatus
from safehub.linkage.models import (
    ClusterMembership,
    IdentityRecord,
    LinkDecision,
    PersonCluster,
    ReviewPair,
)
from safehub.refusals import Refused


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _audit(user: Any, what: str, object_id: object, records: Iterable[IdentityRecord]) -> None:
    people: list[int | None] = list(
        sorted({r.person_id for r in records if r.person_id is not None})
    )
    for person_id in people or [None]:
        record_access(
            user=user,
            action=AuditAction.CHANGE,
            object_type=AuditObjectType.LINKAGE,
            object_id=object_id,
            person_id=person_id,
            reason=what,
        )


def _apart(left: set[int], right: set[int]) -> bool:
    """Whether a decision says some record of `left` and some of `right` are different."""
    return (
        LinkDecision.objects.filter(same_person=False)
        .filter(record_a__in=left | right, record_b__in=left | right)
        .exclude(record_a__in=left, record_b__in=left)
        .exclude(record_a__in=right, record_b__in=right)
        .exists()
    )


def _members(cluster_id: int) -> set[int]:
    return set(
        ClusterMembership.objects.filter(cluster_id=cluster_id).values_list("record", flat=True)
    )


def _save_decision(a: int, b: int, *, same: bool, via: str, user: Any, note: str) -> None:
    first, second = _ordered(a, b)
    LinkDecision.objects.update_or_create(
        record_a_id=first,
        record_b_id=second,
        defaults={"same_person": same, "via": via, "decided_by": user, "note": note},
    )


def _move(record_ids: set[int], cluster_id: int) -> None:
    ClusterMembership.objects.filter(record_id__in=record_ids).update(
        cluster_id=cluster_id, basis=LinkBasis.DECIDED, match_probability=1.0
    )


def _new_cluster_for(record_ids: set[int]) -> PersonCluster:
    cluster = PersonCluster.objects.create()
    ClusterMembership.objects.filter(record_id__in=record_ids).update(
        cluster=cluster, basis=LinkBasis.DECIDED, match_probability=None
    )
    return cluster


def _clean_up(cluster_ids: Iterable[int]) -> None:
    PersonCluster.objects.filter(pk__in=list(cluster_ids), members__isnull=True).delete()
    for cluster_id in cluster_ids:
        records = IdentityRecord.objects.filter(membership__cluster_id=cluster_id)
        votes = Counter(records.exclude(person=None).values_list("person", flat=True))
        person = min(votes.items(), key=lambda x: (-x[1], x[0]))[0] if votes else None
        PersonCluster.objects.filter(pk=cluster_id).update(person_id=person)


def decide_pair(pair: ReviewPair, *, user: Any, same_person: bool, note: str = "") -> ReviewPair:
    """Record a data officer's decision on a queued pair and apply it to the clusters now.

    Same person: the two records' clusters are merged. Different people: if they share a
    cluster, the second record leaves it. Later runs obey the decision. Refuses a pair
    already decided, and a merge that contradicts an earlier "different people" decision.
    """
    with transaction.atomic():
        pair = ReviewPair.objects.select_for_update().get(pk=pair.pk)
        if pair.status in (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED):
            raise Refused("This pair has been decided already.")
        a, b = pair.record_a, pair.record_b
        if not hasattr(a, "membership") or not hasattr(b, "membership"):
            raise Refused("Run linkage before reviewing these records.")
        cluster_a, cluster_b = a.membership.cluster_id, b.membership.cluster_id
        if same_person:
            if cluster_a != cluster_b:
                left, right = _members(cluster_a), _members(cluster_b)
                if _apart(left, right):
                    raise Refused(
                        "An earlier decision says records in these two clusters are different "
                        "people. Split or review those records first."
                    )
                _move(right, cluster_a)
                _clean_up([cluster_a, cluster_b])
        elif cluster_a == cluster_b:
            _new_cluster_for({b.pk})
            _clean_up([cluster_a])
        _save_decision(a.pk, b.pk, same=same_person, via=DecisionVia.REVIEW, user=user, note=note)
        pair.status = ReviewStatus.CONFIRMED if same_person else ReviewStatus.REJECTED
        pair.decided_by, pair.decided_at = user, timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(
            user,
            "linkage review: same person" if same_person else "linkage review: different people",
            pair.public_id,
            [a, b],
        )
    return pair


def merge_clusters(
    cluster: PersonCluster, other: PersonCluster, *, user: Any, note: str = ""
) -> PersonCluster:
    """Put every record of `other` into `cluster`, as one person. Refuses merging a cluster
    with itself, and merges that contradict a "different people" decision."""
    if cluster.pk == other.pk:
        raise Refused("Choose a different cluster to merge with.")
    with transaction.atomic():
        left, right = _members(cluster.pk), _members(other.pk)
        if not left or not right:
            raise Refused("One of these clusters no longer has any records.")
        if _apart(left, right):
            raise Refused(
                "An earlier decision says records in these clusters are different people."
            )
        _save_decision(
            min(left), min(right), same=True, via=DecisionVia.MERGE, user=user, note=note
        )
        _move(right, cluster.pk)
        _clean_up([cluster.pk, other.pk])
        _audit(
            user,
            "linkage: clusters merged",
            cluster.public_id,
            IdentityRecord.objects.filter(pk__in=left | right),
        )
    return cluster


def split_cluster(
    cluster: PersonCluster, record_ids: Iterable[int], *, user: Any, note: str = ""
) -> PersonCluster:
    """Move the chosen records out of the cluster into a new one: they are recorded as a
    different person from those left behind (and the same person as each other). Refuses
    choosing none, all, or records from elsewhere."""
    chosen = set(record_ids)
    with transaction.atomic():
        members = _members(cluster.pk)
        if not chosen or not chosen <= members:
            raise Refused("Choose one or more records of this cluster to move out.")
        if chosen == members:
            raise Refused("Leave at least one record in the cluster.")
        staying = members - chosen
        for moved in chosen:
            for kept in staying:
                _save_decision(moved, kept, same=False, via=DecisionVia.SPLIT, user=user, note=note)
        ordered = sorted(chosen)
        for first, second in zip(ordered, ordered[1:], strict=False):
            _save_decision(first, second, same=True, via=DecisionVia.SPLIT, user=user, note=note)
        new_cluster = _new_cluster_for(chosen)
        _clean_up([cluster.pk, new_cluster.pk])
        _audit(
            user,
            "linkage: cluster split",
            cluster.public_id,
            IdentityRecord.objects.filter(pk__in=members),
        )
    return new_cluster
