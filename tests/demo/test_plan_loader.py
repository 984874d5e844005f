"""The demo plan loaded from the synthetic city's partnership file, and the demo journey:
an owner updates an action, the lead compares this month with last, a board member downloads
the Scrutiny progress report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.demo.partnership import DEMO_PASSWORD
from safehub.demo.plan import PARTNERSHIP_FILE, STORY_FILE, load_plan
from safehub.plans import selectors
from safehub.plans.models import DeliveryPlan, GovernanceBody, Meeting, PlanAction, Resolution
from safehub.policy.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_plan_bodies_and_resolutions_come_from_the_partnership_file() -> None:
    data = yaml.safe_load(PARTNERSHIP_FILE.read_text(encoding="utf-8"))
    result = load_plan(password=DEMO_PASSWORD)
    assert result.created
    plan = result.plan
    assert plan.key == data["delivery_plan"]["id"] and plan.title == data["delivery_plan"]["title"]
    assert [o.key for o in plan.objectives.all()] == [
        o["id"] for o in data["delivery_plan"]["strategic_objectives"]
    ]
    assert set(GovernanceBody.objects.values_list("key", flat=True)) == {
        b["id"] for b in data["governance_bodies"]
    }
    assert set(Resolution.objects.values_list("key", flat=True)) == {
        r["id"] for r in data["resolutions"]
    }
    # Every resolution is tracked by one action.
    for resolution in Resolution.objects.all():
        assert resolution.actions.count() == 1
    res5 = Resolution.objects.get(key="res-5")
    assert res5.responsible_body is not None and res5.responsible_body.key == "scrutiny_board_2"


def _story_day(text: str) -> date:
    """A date of the story as loaded: the story's `today` (1 November 2015) is today."""
    story = yaml.safe_load(STORY_FILE.read_text(encoding="utf-8"))
    return date.fromisoformat(text) + (timezone.localdate() - date.fromisoformat(story["today"]))


def test_the_minutes_give_six_resolutions_by_the_cabinet_member_on_13_april_2015() -> None:
    minutes = yaml.safe_load(PARTNERSHIP_FILE.read_text(encoding="utf-8"))["resolutions"]
    assert [r["id"] for r in minutes] == [f"res-{n}" for n in range(1, 7)]
    assert {(r["body"], r["resolved_on"]) for r in minutes} == {("cabinet_member", "2015-04-13")}
    # The only deadline the minutes give: "by September 2015", for the letter and the update.
    assert {r["id"]: r["due"] for r in minutes if r["due"]} == {
        "res-1": "2015-09-30",
        "res-2": "2015-09-30",
    }


def test_the_demo_resolutions_are_loaded_as_the_minutes_give_them() -> None:
    load_plan(password=DEMO_PASSWORD)
    resolved_on = _story_day("2015-04-13")
    resolutions = list(Resolution.objects.select_related("body", "item__meeting"))
    assert len(resolutions) == 6
    assert {(r.body.key, r.resolved_on) for r in resolutions} == {("cabinet_member", resolved_on)}
    # One meeting of the Cabinet Member on that date holds all six.
    meeting = Meeting.objects.get(body__key="cabinet_member")
    assert meeting.held_on == resolved_on
    assert {r.item.meeting for r in resolutions if r.item} == {meeting}
    assert all(r.item for r in resolutions)
    # Only res-1 and res-2 have a deadline (30 September 2015); the others have none.
    dues = {r.key: r.actions.get().due_date for r in resolutions}
    september = _story_day("2015-09-30")
    assert dues == {
        "res-1": september,
        "res-2": september,
        "res-3": None,
        "res-4": None,
        "res-5": None,
        "res-6": None,
    }
    # No invented deadline: the whole plan's undated actions are exactly the four.
    assert PlanAction.objects.filter(due_date__isnull=True).count() == 4


def test_a_story_that_moves_a_resolution_to_another_meeting_is_refused(tmp_path: Path) -> None:
    story = yaml.safe_load(STORY_FILE.read_text(encoding="utf-8"))
    for meeting in story["meetings"]:
        if meeting["resolutions"]:
            meeting["held_on"] = "2015-03-24"
    moved = tmp_path / "story.yaml"
    moved.write_text(yaml.safe_dump(story), encoding="utf-8")
    with pytest.raises(ValueError, match="res-1 was resolved by cabinet_member on 2015-04-13"):
        load_plan(password=DEMO_PASSWORD, story_file=moved)
    assert not DeliveryPlan.objects.exists() and not Resolution.objects.exists()


def test_loading_twice_changes_nothing() -> None:
    load_plan(password=DEMO_PASSWORD)
    counts = (PlanAction.history.count(), Resolution.objects.count())  # type: ignore[attr-defined]
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (PlanAction.history.count(), Resolution.objects.count()) == counts  # type: ignore[attr-defined]
    assert DeliveryPlan.objects.count() == 1


def test_the_demo_owner_login_exists_with_the_demo_password() -> None:
    load_plan(password=DEMO_PASSWORD)
    owner = User.objects.get(username="plan.owner")
    assert owner.check_password(DEMO_PASSWORD)
    assert owner.role_set() == {Role.ACTION_OWNER}
    assert owner.agency is not None and owner.agency.name == "Safehub City Council"
    assert owner.plan_actions.exists()


def test_the_demo_story_gives_a_month_of_changes_to_compare() -> None:
    plan = load_plan(password=DEMO_PASSWORD).plan
    today = timezone.localdate()
    changes = selectors.changes_between(plan, today - timedelta(days=30), today)
    assert [c.current.title for c in changes.added] == [
        "Letter to hotels on reporting concerns about children"
    ]
    assert [c.current.title for c in changes.closed] == [
        "Make-safe awareness sessions for hotels and taxi firms"
    ]
    assert [c.current.title for c in changes.slipped] == [
        "Every school uses the CSE screening tool"
    ]
    assert "Targeted disruption at the locations named in the problem profile" in [
        c.current.title for c in changes.rerated
    ]


def test_demo_journey(client_for: Callable[[User], Client]) -> None:
    plan = load_plan(password=DEMO_PASSWORD).plan
    owner = User.objects.get(username="plan.owner")
    lead = make_user(Role.CSE_MANAGER)
    board = make_user(Role.BOARD_MEMBER)

    # The lead sees the owner's action among those not updated since the last report.
    stale = client_for(lead).get(reverse("plans:not_updated", args=[plan.public_id]))
    action = PlanAction.objects.get(key="prevent-parents")
    assert action.title in stale.content.decode()

    # The owner updates it.
    response = client_for(owner).post(
        reverse("plans:action_update", args=[action.public_id]),
        {
            "version": action.version,
            "note": "Sessions held in ten of fifteen schools",
            "status": "in_progress",
            "progress": "65",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.progress == 65
    stale = client_for(lead).get(reverse("plans:not_updated", args=[plan.public_id]))
    assert action.title not in stale.content.decode()

    # The lead compares this month with last.
    page = client_for(lead).get(reverse("plans:compare", args=[plan.public_id]))
    text = page.content.decode()
    assert "Letter to hotels on reporting concerns about children" in text
    assert "Slipped (1)" in text

    # A board member downloads the Scrutiny Board's latest progress report.
    report = plan.reports.filter(body__key="scrutiny_board_2").first()
    assert report is not None
    pdf = client_for(board).get(reverse("plans:report_pdf", args=[report.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
