"""The MASH referral queue and the referral page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.referrals.views import waiting_label
from safehub.screening.models import Screening
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def referral_received(hours_ago: float) -> Referral:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return referral


def test_queue_shows_oldest_waiting_first_and_can_show_newest(client_for, mash_officer) -> None:
    old, new = referral_received(30), referral_received(1)
    client = client_for(mash_officer)
    page = client.get("/referrals/").content.decode()
    assert page.index(old.person.family_name) < page.index(new.person.family_name)
    assert "1 day 6 hours" in page and "1 hour" in page
    newest = client.get("/referrals/?order=newest").content.decode()
    assert newest.index(new.person.family_name) < newest.index(old.person.family_name)
    assert AccessEvent.objects.filter(
        object_type="referral_queue", user_id=mash_officer.pk
    ).exists()


def test_queue_hides_restricted_names(client_for, mash_officer) -> None:
    referral = referral_received(2)
    referral.person.is_restricted = True
    referral.person.save()
    page = client_for(mash_officer).get("/referrals/")
    assert b'data-testid="restricted-record"' in page.content
    assert referral.person.family_name.encode() not in page.content


def test_referral_page_is_audited(client_for, mash_officer) -> None:
    referral = referral_received(3)
    page = client_for(mash_officer).get(f"/referrals/{referral.public_id}/")
    assert page.status_code == 200 and b"Significant risk" in page.content
    assert AccessEvent.objects.filter(
        object_type="referral", person_id=referral.person_id, user_id=mash_officer.pk
    ).exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CSE_PRACTITIONER, Role.BOARD_MEMBER])
def test_other_roles_cannot_see_the_queue_or_a_referral(client_for, role: Role) -> None:
    referral = referral_received(3)
    client = client_for(make_user(role))
    assert client.get("/referrals/").status_code == 403
    assert client.get(f"/referrals/{referral.public_id}/").status_code == 403


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (59, "0 minutes"),
        (60, "1 minute"),
        (3600, "1 hour"),
        (86400, "1 day"),
        (93600, "1 day 2 hours"),
    ],
)
def test_waiting_label(seconds: int, label: str) -> None:
    assert waiting_label(seconds) == label


def test_queue_is_paged_but_counts_the_whole_queue(client_for, mash_officer) -> None:
    referrer = make_user(Role.REFERRER)
    for _ in range(53):
        make_screening(referrer, missing_repeat="current")
    client = client_for(mash_officer)
    first = client.get("/referrals/").content.decode()
    assert "53 referrals waiting" in first and "1 of 2" in first
    assert first.count('href="/referrals/') - first.count('href="/referrals/new') >= 50
    second = client.get("/referrals/?order=oldest&page=2").content.decode()
    assert "2 of 2" in second
    assert second.count('<tr class="govuk-table__row">') == 3 + 1  # 3 rows and the header


def at_risk_referral_received(hours_ago: float) -> Referral:
    referral = referral_received(hours_ago)
    Screening.objects.filter(pk=referral.screening_id).update(final_category="at_risk")
    return referral


def test_a_new_significant_risk_referral_goes_above_older_at_risk_ones(
    client_for, mash_officer
) -> None:
    older = [at_risk_referral_received(h) for h in (30, 20, 10)]
    new = referral_received(0.1)  # significant risk, minutes old, nobody has rated it
    page = client_for(mash_officer).get("/referrals/").content.decode()
    assert page.index(new.person.family_name) < min(page.index(r.person.family_name) for r in older)
    # Marked for immediate attention before anyone rates it.
    assert page.count('data-testid="look-now">Significant risk: look now') == 1
    assert "1 referral from a significant-risk screening has not been rated yet" in page
    # The older at-risk ones follow, the nearest deadline first.
    positions = [page.index(r.person.family_name) for r in older]
    assert positions == sorted(positions)
    # Longest waiting first is still there when asked for.
    oldest = client_for(mash_officer).get("/referrals/?order=oldest").content.decode()
    assert oldest.index(older[0].person.family_name) < oldest.index(new.person.family_name)


def test_red_then_nearest_deadline_and_a_rated_referral_loses_the_look_now_tag(
    client_for, mash_officer
) -> None:
    green = referral_received(40)
    red = referral_received(1)
    amber = referral_received(30)
    for referral, rag in ((green, "green"), (red, "red"), (amber, "amber")):
        Referral.objects.filter(pk=referral.pk).update(rag=rag)
    page = client_for(mash_officer).get("/referrals/").content.decode()
    names = [r.person.family_name for r in (red, amber, green)]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    assert "look-now" not in page


def test_an_unknown_queue_order_falls_back_to_the_most_urgent(client_for, mash_officer) -> None:
    referral_received(1)
    page = client_for(mash_officer).get("/referrals/?order=sideways").content.decode()
    assert "<strong>most urgent first</strong>" in page


def test_each_queue_row_pairs_the_child_with_who_referred_and_the_result_with_the_rag(
    client_for, mash_officer
) -> None:
    rated = referral_received(3)
    Referral.objects.filter(pk=rated.pk).update(rag="amber")
    unrated = referral_received(2)
    page = client_for(mash_officer).get("/referrals/?order=newest").content.decode()
    # Five columns, so the queue fits the page on a laptop screen.
    assert page.count('<th scope="col" class="govuk-table__header">') == 5
    rows = page.split('<tr class="govuk-table__row">')[2:]
    by_child = {
        r.person.family_name: next(row for row in rows if r.person.family_name in row)
        for r in (rated, unrated)
    }
    for referral, row in zip((rated, unrated), by_child.values(), strict=True):
        assert f"From {referral.referrer_agency.name}" in row
    assert "RAG Amber" in by_child[rated.person.family_name]
    assert "Not rated" in by_child[unrated.person.family_name]
