"""The home page is each user's task list: what is due today or overdue for them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.accounts import views as accounts_views
from safehub.audit.models import AccessEvent
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from tests.factories import make_screening, make_user
from tests.missing.helpers import make_child, make_episode

pytestmark = pytest.mark.django_db


def test_mash_officer_sees_overdue_triage(client_for, mash_officer) -> None:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=6))
    page = client_for(mash_officer).get("/")
    reference = str(referral.public_id)[:8].upper().encode()
    assert b"Triage referral " + reference in page.content
    assert b"Overdue" in page.content
    # The task names the child as well as the referral.
    assert referral.person.family_name.encode() in page.content


def test_a_fresh_referral_is_not_yet_a_task(client_for, mash_officer) -> None:
    make_screening(make_user(Role.REFERRER), missing_repeat="current")
    page = client_for(mash_officer).get("/")
    assert b"Nothing is due today or overdue for you" in page.content


def test_referrer_home_offers_screening_and_no_triage(client_for, referrer) -> None:
    referral = make_screening(make_user(Role.REFERRER), missing_repeat="current").referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=6))
    page = client_for(referrer).get("/")
    assert b"Screen a child" in page.content and b"Triage referral" not in page.content


def overdue_referral(days: float, **positive: str) -> Referral:
    referral = make_screening(make_user(Role.REFERRER), **positive).referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - timedelta(days=days)
    )
    referral.refresh_from_db()
    return referral


def overdue_interview(days: int, family_name: str = "Interviewee") -> None:
    """A return home interview whose 72 hours ran out `days` days ago."""
    actor = make_user(Role.MASH_OFFICER)
    child = make_child(family_name=family_name)
    went = timezone.now() - timedelta(days=days + 3, hours=2)
    make_episode(
        actor,
        child,
        found_after=timedelta(hours=1),
        went_missing_at=went,
        reported_at=went + timedelta(minutes=30),
    )


def task_rows(content: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-testid="task">(.*?)</tr>', content, re.S)


def test_the_managers_first_task_is_the_most_urgent(client_for) -> None:
    manager = make_user(Role.CSE_MANAGER)
    for days in (400, 250, 120):
        overdue_interview(days)
    overdue_interview(4, family_name="Recentreturn")
    referral = overdue_referral(2, missing_repeat="current")  # significant risk, not rated
    content = client_for(manager).get("/").content.decode()
    rows = task_rows(content)
    assert len(rows) == 5
    assert "Triage referral" in rows[0] and referral.person.family_name in rows[0]
    assert "High risk" in rows[0]
    assert "Recentreturn" in rows[1]
    # Interviews more than 90 days overdue are kept, in their own group, after the rest.
    assert content.index('data-testid="task-group-triage"') < content.index(
        'data-testid="task-group-return_interview"'
    )
    assert content.index('data-testid="task-group-return_interview"') < content.index(
        'data-testid="task-group-long_overdue"'
    )
    assert "Long overdue" in content and "more than 90 days overdue" in content
    assert "MASH triage (1)" in content and "Return home interviews (4)" in content


def test_tasks_can_be_filtered_by_kind(client_for) -> None:
    manager = make_user(Role.CSE_MANAGER)
    overdue_interview(10)
    overdue_referral(2, missing_repeat="current")
    client = client_for(manager)
    only = client.get("/", {"kind": "return_interview"}).content.decode()
    assert len(task_rows(only)) == 1 and "Triage referral" not in only
    assert 'value="return_interview" checked' in only
    both = client.get("/?kind=return_interview&kind=triage").content.decode()
    assert len(task_rows(both)) == 2
    # An unknown kind is ignored: every task is shown.
    assert len(task_rows(client.get("/", {"kind": "nonsense"}).content.decode())) == 2


def test_tasks_are_paged_and_paging_keeps_the_filter(client_for, monkeypatch) -> None:
    monkeypatch.setattr(accounts_views, "TASK_PAGE_SIZE", 2)
    manager = make_user(Role.CSE_MANAGER)
    for days in (5, 6, 7):
        overdue_interview(days)
    client = client_for(manager)
    first = client.get("/", {"kind": "return_interview"}).content.decode()
    assert len(task_rows(first)) == 2
    assert "?kind=return_interview&amp;page=2" in first and "1 of 2" in first
    second = client.get("/", {"kind": "return_interview", "page": "2"}).content.decode()
    assert len(task_rows(second)) == 1
    # A page number out of range shows the last page, not an error.
    assert client.get("/", {"page": "99"}).status_code == 200


def test_a_task_masks_a_restricted_child_and_audits_the_children_named(client_for) -> None:
    manager = make_user(Role.CSE_MANAGER)
    shown = overdue_referral(2, missing_repeat="current")
    hidden = overdue_referral(3, missing_repeat="current")
    Person.objects.filter(pk=hidden.person_id).update(is_restricted=True)
    content = client_for(manager).get("/").content.decode()
    assert shown.person.family_name in content
    assert hidden.person.family_name not in content
    assert 'data-testid="restricted-record"' in content
    audited = set(
        AccessEvent.objects.filter(object_type="task_list", user_id=manager.pk).values_list(
            "person_id", flat=True
        )
    )
    assert audited == {shown.person_id}


def test_a_review_task_names_the_child_and_carries_the_cases_risk(client_for) -> None:
    from safehub.cases.models import Case
    from tests.cases.helpers import open_case_for

    practitioner = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=practitioner)
    Case.objects.filter(pk=case.pk).update(
        risk_level="high", next_review_due=timezone.localdate() - timedelta(days=2)
    )
    rows = task_rows(client_for(practitioner).get("/").content.decode())
    assert len(rows) == 1
    assert "Review a CSE case" in rows[0] and case.person.family_name in rows[0]
    assert "High risk" in rows[0]
