"""Missing selectors: the chronology entries, task lists, due and overdue interviews, findings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.missing.selectors import (
    episodes_for_person,
    findings,
    rhi_outstanding,
    rhi_overdue,
    tasks_for,
    timeline_for,
)
from safehub.missing.services import record_return_interview
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.missing.helpers import interview_details, make_child, make_episode

pytestmark = pytest.mark.django_db


def days_ago(n: float) -> dict:
    at = timezone.now() - timedelta(days=n)
    return {"went_missing_at": at, "reported_at": at}


def test_timeline_marks_the_police_reference_police_only() -> None:
    mash = make_user(Role.MASH_OFFICER)
    child = make_child()
    make_episode(mash, child, found_after=timedelta(hours=5), risk="high")
    events = timeline_for(child.pk)
    titles = [e.title for e in events]
    assert "Reported missing from home" in titles and "Found or returned" in titles
    assert "Alert: Graded high risk" in titles
    police = [e for e in events if e.police_only]
    assert [e.detail for e in police] == ["WM-2025-0001"]
    assert all("WM-2025-0001" not in e.detail for e in events if not e.police_only)
    assert [e.when for e in events] == sorted(e.when for e in events)


def test_due_and_overdue_interviews() -> None:
    mash = make_user(Role.MASH_OFFICER)
    practitioner = make_user(Role.CSE_PRACTITIONER)
    overdue = make_episode(mash, make_child(), found_after=timedelta(hours=1), **days_ago(5))
    due = make_episode(mash, make_child(), found_after=timedelta(hours=1), **days_ago(1))
    done = make_episode(mash, make_child(), found_after=timedelta(hours=1), **days_ago(2))
    make_episode(mash, make_child())  # still missing: no clock yet
    record_return_interview(
        actor=practitioner,
        episode=done,
        details=interview_details(done, response="declined"),
    )
    assert [r.episode for r in rhi_outstanding()] == [overdue, due]
    assert [r.episode for r in rhi_overdue()] == [overdue]
    assert len(episodes_for_person(overdue.person_id)) == 1


def test_tasks_go_to_the_roles_that_act_on_them() -> None:
    mash = make_user(Role.MASH_OFFICER)
    episode = make_episode(mash, make_child(), found_after=timedelta(hours=4), risk="high")
    practitioner_tasks = tasks_for(make_user(Role.CSE_PRACTITIONER))
    assert {t.kind for t in practitioner_tasks} == {"return_interview", "missing_alert"}
    interview = next(t for t in practitioner_tasks if t.kind == "return_interview")
    assert episode.reference in interview.title
    assert episode.person.family_name not in interview.title
    assert {t.kind for t in tasks_for(mash)} == {"missing_alert"}
    assert tasks_for(make_user(Role.POLICE_INTELLIGENCE)) == []
    assert tasks_for(make_user(Role.REFERRER)) == []


def test_findings_collate_found_places_and_interview_mentions_in_the_period() -> None:
    mash = make_user(Role.MASH_OFFICER)
    practitioner = make_user(Role.CSE_PRACTITIONER)
    old = make_episode(mash, make_child(), **days_ago(200))
    recent = make_episode(mash, make_child(), found_after=timedelta(hours=2), **days_ago(3))
    record_return_interview(
        actor=practitioner,
        episode=recent,
        details=interview_details(
            recent, places=(("Friend's House", ""),), associates=("Big J", "big j")
        ),
    )
    assert old.found_at is None
    today = timezone.localdate()
    rows = findings(start=today - timedelta(days=30), end=today)
    by_label = {(f.kind, f.label): f for f in rows}
    assert by_label[("place", "Friend's house")].children == 1
    assert by_label[("place", "Friend's house")].mentions == 2
    assert by_label[("associate", "Big J")].mentions == 2
    assert findings(start=today - timedelta(days=400), end=today - timedelta(days=100)) == []
