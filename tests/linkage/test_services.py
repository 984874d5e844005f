"""Recording identities, linkage runs (full, incremental, interrupted) and decisions."""

from __future__ import annotations

from typing import Any

import pytest

from safehub.audit.models import AccessEvent
from safehub.linkage import decisions, services
from safehub.linkage.choices import ReviewStatus, RunMode, RunStatus
from safehub.linkage.models import (
    ClusterMembership,
    IdentityRecord,
    LinkageModel,
    LinkageRun,
    LinkDecision,
    ReviewPair,
)
from safehub.linkage.selectors import linked_records_for_person, quality_report
from safehub.people.models import Person
from safehub.refusals import Refused
from tests.factories import make_user
from tests.linkage.helpers import clustered, identity, queued_pair, synthetic_city

pytestmark = pytest.mark.django_db


def load(city: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], int]:
    for source, rows in city.items():
        services.record_identities(source, rows)
    truth = {}
    for source, rows in city.items():
        for row in rows:
            truth[(source, row["source_key"])] = row["truth"]
    return truth


def clusters_by_truth(truth: dict[tuple[str, str], int]) -> dict[int, set[int]]:
    """truth person -> the cluster ids their records ended in."""
    found: dict[int, set[int]] = {}
    for m in ClusterMembership.objects.select_related("record"):
        found.setdefault(truth[(m.record.source, m.record.source_key)], set()).add(m.cluster_id)
    return found


def test_record_identities_creates_updates_and_flags_bad_identifiers() -> None:
    rows = [
        {
            "source_key": "A1",
            "given_name": "Zelda",
            "family_name": "Quorington",
            "date_of_birth": "07/03/2012",
            "nhs_number": "1234567890",
            "upn": "X",
        },
        {
            "source_key": "A2",
            "given_name": "Yusuf",
            "family_name": "Penhallow",
            "date_of_birth": "31/02/2012",
            "postcode": "not a postcode",
        },
    ]
    assert services.record_identities("social_care", rows) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    first = IdentityRecord.objects.get(source_key="A1")
    assert first.date_of_birth is not None and first.date_of_birth.isoformat() == "2012-03-07"
    assert set(first.problems) == {"nhs_number_invalid", "upn_invalid"}
    second = IdentityRecord.objects.get(source_key="A2")
    assert second.date_of_birth is None
    assert set(second.problems) == {"date_of_birth_invalid", "postcode_invalid"}
    rows[1]["family_name"] = "Penhallow-Smith"
    assert services.record_identities("social_care", rows) == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }


def test_record_identities_refuses_a_row_without_a_key_and_writes_nothing() -> None:
    with pytest.raises(ValueError):
        services.record_identities("police", [{"source_key": "P1"}, {"given_name": "Zelda"}])
    assert not IdentityRecord.objects.exists()


def test_full_run_links_one_child_across_sources() -> None:
    truth = load(synthetic_city())
    run = services.run_linkage("duckdb")
    assert run.status == RunStatus.SUCCEEDED
    assert run.records == IdentityRecord.objects.count()
    found = clusters_by_truth(truth)
    # Every child's records (nicknames, typos, swapped dates included) in one cluster...
    assert all(len(ids) == 1 for ids in found.values()), found
    # ...and no two children share one.
    all_ids = [next(iter(ids)) for ids in found.values()]
    assert len(set(all_ids)) == len(all_ids)
    assert LinkageModel.objects.count() == 1


def test_a_second_run_reuses_the_model_and_keeps_cluster_ids() -> None:
    load(synthetic_city())
    services.run_linkage("duckdb")
    before = dict(ClusterMembership.objects.values_list("record", "cluster"))
    services.run_linkage("duckdb")
    assert dict(ClusterMembership.objects.values_list("record", "cluster")) == before
    assert LinkageModel.objects.count() == 1


def test_an_interrupted_run_leaves_the_previous_clusters(monkeypatch: Any) -> None:
    load(synthetic_city())
    services.run_linkage("duckdb")
    before = dict(ClusterMembership.objects.values_list("record", "cluster"))
    services.record_identities("police", [{"source_key": "NEW1", "given_name": "Ann"}])

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed half-way through writing")

    monkeypatch.setattr(services, "_queue_for_review", broken)
    with pytest.raises(RuntimeError):
        services.run_linkage("duckdb")
    assert dict(ClusterMembership.objects.values_list("record", "cluster")) == before
    failed = LinkageRun.objects.first()
    assert failed is not None and failed.status == RunStatus.FAILED
    assert "previous clusters are kept" in failed.error


def test_incremental_run_links_new_records_to_existing_clusters() -> None:
    city = synthetic_city()
    held_back = city["police"][:3]
    city["police"] = city["police"][3:]
    truth = load(city)
    services.run_linkage("duckdb")
    before = dict(ClusterMembership.objects.values_list("record", "cluster"))
    services.record_identities("police", held_back)
    truth.update({("police", r["source_key"]): r["truth"] for r in held_back})
    run = services.run_linkage("duckdb", incremental=True)
    assert run.mode == RunMode.INCREMENTAL
    after = dict(ClusterMembership.objects.values_list("record", "cluster"))
    # The existing records stay where they were; the new ones join their child's cluster.
    assert {r: c for r, c in after.items() if r in before} == before
    found = clusters_by_truth(truth)
    for row in held_back:
        assert len(found[row["truth"]]) == 1


def test_decisions_survive_a_later_automatic_run() -> None:
    truth = load(synthetic_city())
    services.run_linkage("duckdb")
    officer = make_user()
    # Split one child's records apart: a later run must not join them again.
    cluster_id = next(iter(clusters_by_truth(truth)[0]))
    members = list(ClusterMembership.objects.filter(cluster_id=cluster_id))
    assert len(members) >= 2
    from safehub.linkage.models import PersonCluster

    cluster = PersonCluster.objects.get(pk=cluster_id)
    moved = members[0].record_id
    decisions.split_cluster(cluster, [moved], user=officer)
    services.run_linkage("duckdb")
    moved_to = ClusterMembership.objects.get(record_id=moved).cluster_id
    assert all(
        ClusterMembership.objects.get(record_id=m.record_id).cluster_id != moved_to
        for m in members[1:]
    )
    assert AccessEvent.objects.filter(reason="linkage: cluster split").exists()


def test_confirm_merges_clusters_and_reject_is_kept() -> None:
    officer = make_user()
    a, b, c = identity(), identity("police"), identity("education")
    clustered(a), clustered(b), clustered(c)
    first = decisions.decide_pair(queued_pair(a, b), user=officer, same_person=True)
    assert first.status == ReviewStatus.CONFIRMED
    assert ClusterMembership.objects.get(record=a).cluster_id == (
        ClusterMembership.objects.get(record=b).cluster_id
    )
    decisions.decide_pair(queued_pair(a, c), user=officer, same_person=False)
    assert LinkDecision.objects.filter(same_person=False).count() == 1
    # Merging c's cluster into a's now contradicts the decision: refused.
    from safehub.linkage.models import PersonCluster

    ca = PersonCluster.objects.get(members__record=a)
    cc = PersonCluster.objects.get(members__record=c)
    with pytest.raises(Refused):
        decisions.merge_clusters(ca, cc, user=officer)
    with pytest.raises(Refused):
        decisions.decide_pair(first, user=officer, same_person=False)


def test_malformed_identifiers_do_not_stop_a_run() -> None:
    city = synthetic_city(12)
    city["police"].append(
        {
            "truth": 99,
            "source_key": "BAD1",
            "given_name": "",
            "family_name": "!!",
            "date_of_birth": "99/99/9999",
            "nhs_number": "12345",
            "upn": "nonsense",
            "postcode": "???",
            "sex": "X",
        }
    )
    load(city)
    run = services.run_linkage("duckdb")
    assert run.status == RunStatus.SUCCEEDED
    bad = IdentityRecord.objects.get(source_key="BAD1")
    assert {"nhs_number_invalid", "upn_invalid", "date_of_birth_invalid"} <= set(bad.problems)
    police = next(q for q in quality_report() if q.source == "police")
    assert dict(police.problems)["NHS number fails its check digit or is not 10 digits"] == 1
    assert police.unlinked >= 1


def test_a_persons_linked_records_come_through_the_cluster() -> None:
    person = Person.objects.create(given_name="Zelda", family_name="Quorington")
    a = identity(person_id=person.pk)
    b = identity("police")
    clustered(a, b)
    linked = linked_records_for_person(person)
    assert {item.record.pk for item in linked} == {a.pk, b.pk}


def test_a_dead_run_does_not_block_the_next_one(settings: Any) -> None:
    services.start_run(engine_name="duckdb", mode="full")
    with pytest.raises(Refused):
        services.start_run(engine_name="duckdb", mode="full")
    settings.SAFEHUB_LINKAGE_STALE_SECONDS = -1
    services.start_run(engine_name="duckdb", mode="full")
    assert LinkageRun.objects.filter(status=RunStatus.FAILED).count() == 1


def test_confirmed_and_rejected_pairs_survive_a_full_run() -> None:
    truth = load(synthetic_city())
    services.run_linkage("duckdb")
    officer = make_user()
    found = clusters_by_truth(truth)
    one = ClusterMembership.objects.filter(cluster_id=next(iter(found[1]))).first()
    other = ClusterMembership.objects.filter(cluster_id=next(iter(found[2]))).first()
    twin = ClusterMembership.objects.filter(cluster_id=next(iter(found[3])))[:2]
    assert one and other and len(twin) == 2
    decisions.decide_pair(queued_pair(one.record, other.record), user=officer, same_person=True)
    decisions.decide_pair(
        queued_pair(twin[0].record, twin[1].record), user=officer, same_person=False
    )
    services.run_linkage("duckdb")

    def cluster_of(membership: ClusterMembership) -> int:
        return ClusterMembership.objects.get(record_id=membership.record_id).cluster_id

    assert cluster_of(one) == cluster_of(other)
    assert cluster_of(twin[0]) != cluster_of(twin[1])
    assert ReviewPair.objects.filter(status=ReviewStatus.CONFIRMED).count() == 1
    assert ReviewPair.objects.filter(status=ReviewStatus.REJECTED).count() == 1
