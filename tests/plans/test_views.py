"""Access and forms: owners update only their own actions, board members only read, the lead
manages; bad input is refused beside the field with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.plans.models import (
    Evidence,
    ForwardPlanItem,
    Meeting,
    PlanAction,
    ProgressUpdate,
    Resolution,
)
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.plans.helpers import make_action, make_body, make_lead, make_owner, make_plan

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]

UPDATE = {"note": "Two sessions held this month", "status": "in_progress", "progress": "40"}


def test_an_owner_updates_their_own_action_and_it_is_audited(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    response = client_for(owner).post(
        reverse("plans:action_update", args=[action.public_id]),
        {**UPDATE, "version": action.version},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", 40)
    assert AccessEvent.objects.filter(
        object_type="plan_action", object_id=str(action.public_id), username=owner.username
    ).exists()


def test_an_owner_cannot_update_or_edit_someone_elses_action(client_for: Clients) -> None:
    owner, colleague = make_owner(), make_owner()
    theirs = make_action(make_plan(), colleague)
    client = client_for(owner)
    for name in ("action_update", "evidence_new", "measure_new", "action_edit"):
        url = reverse(f"plans:{name}", args=[theirs.public_id])
        assert client.post(url, UPDATE).status_code == 403
    assert not ProgressUpdate.objects.exists()
    # ... even in the same agency.
    same_agency = make_owner(agency=owner.agency)
    ours = make_action(make_plan(), same_agency)
    response = client.post(reverse("plans:action_update", args=[ours.public_id]), UPDATE)
    assert response.status_code == 403


def test_an_owner_cannot_override_the_rating_of_their_own_action(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    url = reverse("plans:action_edit", args=[action.public_id])
    assert client_for(owner).get(url).status_code == 403


def test_a_board_member_reads_but_changes_nothing(client_for: Clients) -> None:
    owner, board = make_owner(), make_user(Role.BOARD_MEMBER)
    plan = make_plan()
    action = make_action(plan, owner)
    client = client_for(board)
    assert client.get(reverse("plans:plan", args=[plan.public_id])).status_code == 200
    assert client.get(reverse("plans:governance")).status_code == 200
    # Not the action's working page (progress notes, evidence), and no changes.
    assert client.get(reverse("plans:action", args=[action.public_id])).status_code == 403
    assert (
        client.post(reverse("plans:action_update", args=[action.public_id]), UPDATE).status_code
        == 403
    )
    assert client.post(reverse("plans:forward_new"), {}).status_code == 403
    assert client.get(reverse("plans:report_new", args=[plan.public_id])).status_code == 403
    page = client.get(reverse("plans:plan", args=[plan.public_id])).content.decode()
    assert reverse("plans:action", args=[action.public_id]) not in page
    assert reverse("plans:action_new", args=[plan.public_id]) not in page


def test_other_roles_are_refused_the_plan(client_for: Clients) -> None:
    plan = make_plan()
    for role in (Role.SYSTEM_ADMIN, Role.REFERRER, Role.MASH_OFFICER):
        response = client_for(make_user(role)).get(reverse("plans:plan", args=[plan.public_id]))
        assert response.status_code == 403


def test_a_bad_update_is_refused_beside_the_field(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    url = reverse("plans:action_update", args=[action.public_id])
    response = client_for(owner).post(url, {"note": " ", "status": "lost", "progress": "140"})
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    for message in (
        "Say what has happened since the last update",
        "Choose the action&#x27;s status",
        "Enter progress as a whole number from 0 to 100",
    ):
        assert message in text
    assert not ProgressUpdate.objects.exists()


def test_the_lead_overrides_a_rating_only_with_a_reason(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    action = make_action(make_plan(lead=lead), owner)
    url = reverse("plans:action_edit", args=[action.public_id])
    d = action.due_date
    assert d is not None
    form = {
        "title": action.title,
        "owner": str(owner.pk),
        "start_date-day": action.start_date.day,
        "start_date-month": action.start_date.month,
        "start_date-year": action.start_date.year,
        "due_date-day": d.day,
        "due_date-month": d.month,
        "due_date-year": d.year,
        "rag_override": "red",
        "rag_override_reason": "",
        "version": action.version,
    }
    refused = client_for(lead).post(url, form)
    assert "Give the reason for overriding the rating" in refused.content.decode()
    action.refresh_from_db()
    assert action.rag_override == ""
    done = client_for(lead).post(url, {**form, "rag_override_reason": "Funding withdrawn"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.rag_override, action.rag_override_reason) == ("red", "Funding withdrawn")
    page = client_for(owner).get(reverse("plans:action", args=[action.public_id]))
    assert "Overridden by the plan lead: Funding withdrawn" in page.content.decode()


def test_evidence_file_is_stored_and_downloaded_as_an_attachment(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    upload = SimpleUploadedFile("register.csv", b"school,sessions\nA,2\n", content_type="text/csv")
    response = client_for(owner).post(
        reverse("plans:evidence_new", args=[action.public_id]),
        {"kind": "file", "title": "Session register", "file": upload},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client_for(make_lead()).get(
        reverse("plans:evidence_file", args=[action.public_id, evidence.public_id])
    )
    assert download.content == b"school,sessions\nA,2\n"
    assert download["Content-Disposition"].startswith("attachment;")


def test_evidence_refuses_a_bad_link_and_an_unaccepted_file(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    client = client_for(owner)
    url = reverse("plans:evidence_new", args=[action.public_id])
    bad_link = client.post(url, {"kind": "link", "title": "Minutes", "url": "javascript:alert(1)"})
    assert "Enter a link starting with https://" in bad_link.content.decode()
    script = SimpleUploadedFile("x.html", b"<script></script>", content_type="text/html")
    bad_file = client.post(url, {"kind": "file", "title": "Page", "file": script})
    assert "The file must be a PDF" in bad_file.content.decode()
    assert not Evidence.objects.exists()


def test_a_figure_measure_reads_itself(client_for: Clients) -> None:
    owner = make_owner()
    action = make_action(make_plan(), owner)
    client = client_for(owner)
    client.post(
        reverse("plans:measure_new", args=[action.public_id]),
        {"name": "Screenings by schools", "figure": "school_screenings"},
    )
    measure = action.measures.get()
    today = timezone.localdate()
    response = client.post(
        reverse("plans:reading_new", args=[action.public_id, measure.public_id]),
        {"taken_on-day": today.day, "taken_on-month": today.month, "taken_on-year": today.year},
    )
    assert response.status_code == 302
    assert measure.readings.get().value == 0


def test_the_lead_records_a_meeting_a_resolution_and_a_forward_plan_item(
    client_for: Clients,
) -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    body = make_body()
    client = client_for(lead)
    day = timezone.localdate() - timedelta(days=3)
    when = {"held_on-day": day.day, "held_on-month": day.month, "held_on-year": day.year}
    response = client.post(
        reverse("plans:meeting_new", args=[body.public_id]),
        {**when, "items": "CSE delivery plan progress\nDBS checks for drivers"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert [i.title for i in meeting.items.all()] == [
        "CSE delivery plan progress",
        "DBS checks for drivers",
    ]
    due = day + timedelta(days=60)
    response = client.post(
        reverse("plans:resolution_new", args=[meeting.public_id]),
        {
            "item": str(meeting.items.first().pk),  # type: ignore[union-attr]
            "text": "Write to every school governing body",
            "objective": str(plan.objectives.first().pk),  # type: ignore[union-attr]
            "owner": str(owner.pk),
            "due_date-day": due.day,
            "due_date-month": due.month,
            "due_date-year": due.year,
        },
    )
    assert response.status_code == 302
    action = Resolution.objects.get().actions.get()
    assert (action.owner, action.due_date) == (owner, due)
    # The minutes give no deadline for the next one: it is recorded without one.
    form = client.get(reverse("plans:resolution_new", args=[meeting.public_id])).content.decode()
    assert (
        "Deadline (optional)" in form and "Leave it blank if the minutes give no deadline" in form
    )
    response = client.post(
        reverse("plans:resolution_new", args=[meeting.public_id]),
        {
            "item": str(meeting.items.last().pk),  # type: ignore[union-attr]
            "text": "Report progress at the next meeting",
            "objective": str(plan.objectives.first().pk),  # type: ignore[union-attr]
            "owner": str(owner.pk),
        },
    )
    assert response.status_code == 302
    undated = Resolution.objects.get(text="Report progress at the next meeting").actions.get()
    assert undated.due_date is None
    page = client.get(reverse("plans:meeting", args=[meeting.public_id])).content.decode()
    assert "Report progress at the next meeting — no deadline set, not started" in page
    assert "None" not in page
    body_page = client.get(reverse("plans:body", args=[body.public_id])).content.decode()
    assert "No deadline set" in body_page
    refused = client.post(reverse("plans:forward_new"), {"subject": ""})
    assert "Choose the body" in refused.content.decode()
    assert not ForwardPlanItem.objects.exists()


def test_the_lead_sees_actions_not_updated_since_the_last_report(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    quiet = make_action(plan, owner, title="Quiet action")
    busy = make_action(plan, owner, title="Busy action")
    client_for(owner).post(
        reverse("plans:action_update", args=[busy.public_id]),
        {**UPDATE, "version": busy.version},
    )
    text = client_for(lead).get(reverse("plans:not_updated", args=[plan.public_id])).content
    assert quiet.title in text.decode() and busy.title not in text.decode()


def test_an_action_with_no_deadline_says_so_and_never_none(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    action = make_action(plan, owner, lead=lead, title="Undated action", no_deadline=True)
    dated = make_action(plan, owner, lead=lead, title="Dated action")
    client = client_for(lead)
    page = client.get(reverse("plans:plan", args=[plan.public_id])).content.decode()
    assert "No deadline set" in page and ">None<" not in page
    # Dated actions first, the one with no deadline after them.
    assert page.index(dated.title) < page.index(action.title)
    detail = client.get(reverse("plans:action", args=[action.public_id])).content.decode()
    assert "Due date</dt>" in detail
    assert '<dd class="govuk-summary-list__value">No deadline set</dd>' in detail
    assert "No deadline set: should have started and has not." in detail
    assert "None" not in detail.split("<main", 1)[1]
    as_at = client.get(reverse("plans:as_at", args=[plan.public_id])).content.decode()
    assert "No deadline set" in as_at


def _action_form(prefix: str, day: object) -> dict[str, object]:
    return {
        f"{prefix}-day": day.day,  # type: ignore[attr-defined]
        f"{prefix}-month": day.month,  # type: ignore[attr-defined]
        f"{prefix}-year": day.year,  # type: ignore[attr-defined]
    }


def test_the_lead_adds_and_edits_an_action_without_a_due_date(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    client = client_for(lead)
    url = reverse("plans:action_new", args=[plan.public_id])
    form_page = client.get(url).content.decode()
    assert "Due date (optional)" in form_page
    assert "Leave it blank if there is no deadline" in form_page
    today = timezone.localdate()
    new = {
        "objective": str(plan.objectives.first().pk),  # type: ignore[union-attr]
        "title": "Letter to every school governing body",
        "owner": str(owner.pk),
        **_action_form("start_date", today),
    }
    # Half a date is refused, beside the field, and nothing is written.
    refused = client.post(url, {**new, "due_date-day": "30", "due_date-year": "2015"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    assert not PlanAction.objects.exists()
    assert client.post(url, new).status_code == 302
    action = PlanAction.objects.get()
    assert action.due_date is None
    # The lead sets a deadline, then removes it again.
    edit = reverse("plans:action_edit", args=[action.public_id])
    due = today + timedelta(days=30)
    details = {"title": action.title, "owner": str(owner.pk), **_action_form("start_date", today)}
    response = client.post(edit, {**details, **_action_form("due_date", due), "version": 1})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == due
    response = client.post(edit, {**details, "version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date is None
    history = client.get(reverse("plans:action", args=[action.public_id])).content.decode()
    assert history.count("No deadline set") >= 3  # the summary and two versions in the history
