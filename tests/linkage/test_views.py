"""The data officer's pages: run, review queue, pair decisions, clusters, data quality."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.linkage.choices import ReviewStatus, RunStatus
from safehub.linkage.models import ClusterMembership, LinkageRun, LinkDecision, PersonCluster
from safehub.linkage.services import record_identities
from safehub.people.models import Person
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.linkage.helpers import clustered, identity, queued_pair, synthetic_city

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def officer() -> User:
    return make_user(Role.DATA_OFFICER)


def test_officer_runs_linkage_from_the_page(
    client_for: ClientFor, officer: User, settings: object
) -> None:
    settings.SAFEHUB_LINKAGE_INLINE = True  # type: ignore[attr-defined]
    for source, rows in synthetic_city(8).items():
        record_identities(source, rows)
    client = client_for(officer)
    refused = client.post(reverse("linkage:run"), {})
    assert refused.status_code == 400
    assert not LinkageRun.objects.exists()
    response = client.post(reverse("linkage:run"), {"mode": "full"})
    assert response.status_code == 302
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.channel == "web"
    page = client.get(reverse("linkage:index"))
    assert b"Finished" in page.content


def test_pair_page_shows_both_records_and_the_evidence_in_words(
    client_for: ClientFor, officer: User
) -> None:
    person = Person.objects.create(given_name="Zelda", family_name="Quorington")
    a = identity(given_name="Katherine", person_id=person.pk)
    b = identity("police", given_name="Kate")
    clustered(a), clustered(b)
    pair = queued_pair(a, b)
    response = client_for(officer).get(reverse("linkage:pair", args=[pair.public_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Katherine" in text and "Kate" in text
    assert "Date of birth: exact match (strongly suggests the same person)" in text
    assert "Family name: different (strongly suggests different people)" in text
    assert AccessEvent.objects.filter(
        user_id=officer.pk, person_id=person.pk, object_type="linkage_review_pair"
    ).exists()


def test_confirming_a_pair_merges_and_is_audited(client_for: ClientFor, officer: User) -> None:
    a, b = identity(), identity("police")
    clustered(a), clustered(b)
    pair = queued_pair(a, b)
    client = client_for(officer)
    bad = client.post(reverse("linkage:pair", args=[pair.public_id]), {"decision": "maybe"})
    assert bad.status_code == 400
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING
    response = client.post(reverse("linkage:pair", args=[pair.public_id]), {"decision": "same"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.CONFIRMED and pair.decided_by == officer
    assert (
        ClusterMembership.objects.get(record=a).cluster_id
        == ClusterMembership.objects.get(record=b).cluster_id
    )
    assert AccessEvent.objects.filter(
        user_id=officer.pk, reason="linkage review: same person"
    ).exists()


def test_split_and_merge_from_the_cluster_page(client_for: ClientFor, officer: User) -> None:
    a, b, c = identity(), identity("police"), identity("education")
    cluster = clustered(a, b, c)
    client = client_for(officer)
    none_chosen = client.post(reverse("linkage:split", args=[cluster.public_id]), {})
    assert none_chosen.status_code == 400
    response = client.post(
        reverse("linkage:split", args=[cluster.public_id]), {"records": [str(c.public_id)]}
    )
    assert response.status_code == 302
    moved_to = ClusterMembership.objects.get(record=c).cluster
    assert moved_to.pk != cluster.pk
    assert LinkDecision.objects.filter(same_person=False).count() == 2
    # Merging back contradicts the split: refused, nothing changes.
    refused = client.post(
        reverse("linkage:merge", args=[cluster.public_id]), {"other": str(moved_to.public_id)}
    )
    assert refused.status_code == 400
    assert ClusterMembership.objects.get(record=c).cluster_id == moved_to.pk
    d = identity("health")
    other = clustered(d)
    merged = client.post(
        reverse("linkage:merge", args=[cluster.public_id]), {"other": str(other.public_id)}
    )
    assert merged.status_code == 302
    assert ClusterMembership.objects.get(record=d).cluster_id == cluster.pk
    assert not PersonCluster.objects.filter(pk=other.pk).exists()


def test_quality_report_page_and_csv(client_for: ClientFor, officer: User) -> None:
    identity(nhs_number="1234567890")
    identity(nhs_number="")
    manager = make_user(Role.CSE_MANAGER)
    page = client_for(manager).get(reverse("linkage:quality"))
    assert page.status_code == 200
    assert b"NHS number fails its check digit" in page.content
    response = client_for(officer).get(reverse("linkage:quality_csv"))
    rows = response.content.decode().splitlines()
    assert rows[0] == "source,measure,records,percentage"
    assert "health,NHS number recorded,1,50.0" in rows
    assert "health,NHS number fails its check digit or is not 10 digits,1,50.0" in rows


@pytest.mark.parametrize(
    "role", [Role.CSE_MANAGER, Role.MASH_OFFICER, Role.SYSTEM_ADMIN, Role.POLICE_ANALYST]
)
def test_others_may_not_review_or_change_clusters(client_for: ClientFor, role: Role) -> None:
    a, b = identity(), identity("police")
    clustered(a)
    cluster = clustered(b)
    pair = queued_pair(a, b)
    client = client_for(make_user(role))
    assert client.get(reverse("linkage:queue")).status_code == 403
    assert client.get(reverse("linkage:pair", args=[pair.public_id])).status_code == 403
    posted = client.post(reverse("linkage:pair", args=[pair.public_id]), {"decision": "same"})
    assert posted.status_code == 403
    split = client.post(
        reverse("linkage:split", args=[cluster.public_id]), {"records": [str(b.public_id)]}
    )
    assert split.status_code == 403
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING
    assert client.post(reverse("linkage:run"), {"mode": "full"}).status_code == 403
    assert not LinkageRun.objects.filter(status=RunStatus.RUNNING).exists()


def test_navigation_shows_linkage_to_the_data_officer_only(
    client_for: ClientFor, officer: User
) -> None:
    assert b"Record linkage" in client_for(officer).get(reverse("home")).content
    referrer = make_user(Role.REFERRER)
    assert b"Record linkage" not in client_for(referrer).get(reverse("home")).content


def test_person_records_fragment_lists_the_linked_records(
    client_for: ClientFor, officer: User
) -> None:
    person = Person.objects.create(given_name="Zelda", family_name="Quorington")
    a = identity(person_id=person.pk, given_name="Zelda")
    b = identity("police", given_name="Zeld")
    cluster = clustered(a, b)
    page = client_for(officer).get(reverse("linkage:cluster", args=[cluster.public_id]))
    assert page.status_code == 200
    assert page.content.count(b"Linked automatically") == 2
