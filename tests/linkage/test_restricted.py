"""A restricted child's records in linkage: seen only with a grant, refusals on the log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent, AuditAction
from safehub.linkage.choices import ReviewStatus
from safehub.linkage.models import ClusterMembership, IdentityRecord, PersonCluster
from safehub.linkage.selectors import linked_records_for_person
from safehub.people.models import AccessGrant, Person
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.linkage.helpers import clustered, identity, queued_pair

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def officer() -> User:
    return make_user(Role.DATA_OFFICER)


def restricted_child(name: str = "Restricted") -> Person:
    return Person.objects.create(given_name="Zelda", family_name=name, is_restricted=True)


def grant(person: Person, user: User) -> None:
    AccessGrant.objects.create(person=person, user=user, kind="explicit", reason="Linkage")


def refusals(user: User, person: Person, what: str) -> int:
    return AccessEvent.objects.filter(
        user_id=user.pk, person_id=person.pk, action=AuditAction.DENIED, object_type=what
    ).count()


def test_pair_with_a_restricted_child_needs_a_grant(client_for: ClientFor, officer: User) -> None:
    child = restricted_child()
    a = identity(given_name="Zelda", person_id=child.pk)
    b = identity("police", given_name="Zeld")
    clustered(a), clustered(b)
    pair = queued_pair(a, b)
    assert pair.access_facts().restricted and pair.access_facts().person_id == child.pk
    client = client_for(officer)
    url = reverse("linkage:pair", args=[pair.public_id])
    refused = client.get(url)
    assert refused.status_code == 403
    assert b"Zelda" not in refused.content
    assert refusals(officer, child, "linkage_review_pair") == 1
    decided = client.post(url, {"decision": "same"})
    assert decided.status_code == 403
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.PENDING
    grant(child, officer)
    shown = client.get(url)
    assert shown.status_code == 200 and b"Zelda" in shown.content
    assert AccessEvent.objects.filter(
        user_id=officer.pk, person_id=child.pk, action=AuditAction.VIEW
    ).exists()


def test_pair_of_two_restricted_children_needs_a_grant_for_each(
    client_for: ClientFor, officer: User
) -> None:
    first, second = restricted_child("One"), restricted_child("Two")
    a = identity(person_id=first.pk)
    b = identity("police", person_id=second.pk)
    clustered(a), clustered(b)
    pair = queued_pair(a, b)
    grant(first, officer)
    client = client_for(officer)
    url = reverse("linkage:pair", args=[pair.public_id])
    assert client.get(url).status_code == 403
    assert refusals(officer, second, "linkage_review_pair") == 1
    grant(second, officer)
    assert client.get(url).status_code == 200


def test_cluster_with_a_restricted_child_needs_a_grant(
    client_for: ClientFor, officer: User
) -> None:
    child = restricted_child()
    a = identity(person_id=child.pk)
    b = identity("police")
    cluster = clustered(a, b)
    assert cluster.access_facts().restricted
    client = client_for(officer)
    page = reverse("linkage:cluster", args=[cluster.public_id])
    assert client.get(page).status_code == 403
    assert refusals(officer, child, "linkage_cluster") == 1
    split = client.post(
        reverse("linkage:split", args=[cluster.public_id]), {"records": [str(b.public_id)]}
    )
    assert split.status_code == 403
    assert ClusterMembership.objects.get(record=b).cluster_id == cluster.pk
    grant(child, officer)
    assert client.get(page).status_code == 200


def test_merging_into_a_restricted_childs_cluster_needs_a_grant(
    client_for: ClientFor, officer: User
) -> None:
    child = restricted_child()
    open_cluster = clustered(identity())
    closed_cluster = clustered(identity("police", person_id=child.pk))
    response = client_for(officer).post(
        reverse("linkage:merge", args=[open_cluster.public_id]),
        {"other": str(closed_cluster.public_id)},
    )
    assert response.status_code == 403
    assert PersonCluster.objects.filter(pk=closed_cluster.pk).exists()
    assert refusals(officer, child, "linkage_cluster") == 1


def test_an_unrestricted_pair_is_not_restricted(client_for: ClientFor, officer: User) -> None:
    person = Person.objects.create(given_name="Zelda", family_name="Open")
    a, b = identity(person_id=person.pk), identity("police")
    clustered(a), clustered(b)
    pair = queued_pair(a, b)
    assert not pair.access_facts().restricted
    assert client_for(officer).get(reverse("linkage:pair", args=[pair.public_id])).status_code == (
        200
    )


def test_after_a_decision_the_next_pair_offered_is_one_the_officer_may_see(
    client_for: ClientFor, officer: User
) -> None:
    child = restricted_child()
    hidden_a = identity(person_id=child.pk)
    hidden_b = identity("police")
    clustered(hidden_a), clustered(hidden_b)
    queued_pair(hidden_a, hidden_b, probability=0.9)
    open_a, open_b = identity(), identity("police")
    clustered(open_a), clustered(open_b)
    next_pair = queued_pair(open_a, open_b, probability=0.6)
    a, b = identity(), identity("police")
    clustered(a), clustered(b)
    pair = queued_pair(a, b, probability=0.7)
    response = client_for(officer).post(
        reverse("linkage:pair", args=[pair.public_id]), {"decision": "different"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("linkage:pair", args=[next_pair.public_id])


def test_person_page_leaves_out_another_restricted_childs_records() -> None:
    person = Person.objects.create(given_name="Zelda", family_name="Open")
    child = restricted_child()
    own = identity(person_id=person.pk)
    theirs = identity("police", person_id=child.pk)
    plain = identity("education")
    clustered(own, theirs, plain)
    viewer = make_user(Role.MASH_OFFICER)
    shown = {item.record.pk for item in linked_records_for_person(person, viewer)}
    assert shown == {own.pk, plain.pk}
    assert {item.record.pk for item in linked_records_for_person(person)} == {own.pk, plain.pk}
    grant(child, viewer)
    shown = {item.record.pk for item in linked_records_for_person(person, viewer)}
    assert shown == {own.pk, theirs.pk, plain.pk}
    assert IdentityRecord.objects.count() == 3


def test_restricted_childs_own_page_lists_their_records_for_a_granted_viewer() -> None:
    child = restricted_child()
    own = identity(person_id=child.pk)
    other = identity("police")
    clustered(own, other)
    viewer = make_user(Role.MASH_OFFICER)
    grant(child, viewer)
    shown = {item.record.pk for item in linked_records_for_person(child, viewer)}
    assert shown == {own.pk, other.pk}
