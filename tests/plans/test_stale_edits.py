"""The lead and the owner change one action at once: the second save, from the version both
read, is refused showing what the first changed (in the forms' words, who and when), with the
second person's typed values kept; the first's change stands. A save from the current version
works."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.plans import services
from safehub.plans.models import PlanAction, ProgressUpdate
from safehub.versioning import FieldChange, StaleEdit
from tests.plans.helpers import make_action, make_lead, make_owner, make_plan

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


def edit_form(action: PlanAction, owner: User, **changes: object) -> dict[str, object]:
    d, s = action.due_date, action.start_date
    assert d is not None
    return {
        "version": action.version,
        "title": action.title,
        "owner": str(owner.pk),
        "start_date-day": s.day,
        "start_date-month": s.month,
        "start_date-year": s.year,
        "due_date-day": d.day,
        "due_date-month": d.month,
        "due_date-year": d.year,
        "rag_override": "",
        **changes,
    }


def test_the_leads_stale_edit_is_refused_with_the_owners_update_and_nothing_written() -> None:
    lead, owner = make_lead(), make_owner()
    action = make_action(make_plan(lead=lead), owner, lead=lead)
    read_by_both = action.version
    services.record_update(
        actor=owner,
        action=action,
        read_version=read_by_both,
        note="Two sessions held",
        progress=40,
        status="in_progress",
    )
    history = action.history.count()  # type: ignore[attr-defined]
    stale_copy = PlanAction.objects.get(pk=action.pk)
    stale_copy.version = read_by_both
    with pytest.raises(StaleEdit) as exc:
        services.edit_action(
            actor=lead,
            action=stale_copy,
            read_version=read_by_both,
            changes={"title": "Renamed by the lead"},
        )
    [change] = exc.value.changes
    assert change.who == owner.get_full_name() and change.what == "a progress update"
    assert set(change.fields) == {
        FieldChange("Status", "Not started", "In progress"),
        FieldChange("Progress (%)", "0", "40"),
    }
    action.refresh_from_db()
    assert action.title != "Renamed by the lead" and action.progress == 40
    assert action.history.count() == history  # type: ignore[attr-defined]
    # From the version now saved, the lead's edit goes through.
    services.edit_action(
        actor=lead,
        action=action,
        read_version=action.version,
        changes={"title": "Renamed by the lead"},
    )
    action.refresh_from_db()
    assert (action.title, action.progress, action.version) == ("Renamed by the lead", 40, 3)


def test_a_second_stale_progress_update_is_refused_and_not_recorded() -> None:
    lead, owner = make_lead(), make_owner()
    action = make_action(make_plan(lead=lead), owner, lead=lead)
    read = action.version
    assert action.due_date is not None
    services.edit_action(
        actor=lead,
        action=action,
        read_version=read,
        changes={"due_date": action.due_date + timedelta(days=30), "owner": owner},
    )
    with pytest.raises(StaleEdit) as exc:
        services.record_update(
            actor=owner,
            action=action,
            read_version=read,
            note="Finished",
            progress=100,
            status="complete",
        )
    [change] = exc.value.changes
    assert change.who == lead.get_full_name()
    [due] = change.fields
    assert due.label == "Due date" and due.after.endswith(str(action.due_date.year))  # type: ignore[union-attr]
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == "not_started"


def test_the_edit_page_refuses_a_stale_save_keeping_what_was_typed(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    action = make_action(make_plan(lead=lead), owner, lead=lead)
    edit_url = reverse("plans:action_edit", args=[action.public_id])
    update_url = reverse("plans:action_update", args=[action.public_id])
    assert (
        f'name="version" value="{action.version}"'
        in client_for(lead).get(edit_url).content.decode()
    )
    assert (
        f'name="version" value="{action.version}"'
        in client_for(owner).get(update_url).content.decode()
    )
    done = client_for(owner).post(
        update_url,
        {
            "version": action.version,
            "note": "Ten schools",
            "status": "in_progress",
            "progress": "65",
        },
    )
    assert done.status_code == 302
    refused = client_for(lead).post(edit_url, edit_form(action, owner, title="Schools programme"))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "<title>Error:" in page and 'class="govuk-error-summary"' in page
    assert "Someone else changed this after you opened it" in page
    assert owner.get_full_name() in page
    assert "Status: from “Not started” to “In progress”" in page
    assert "Progress (%): from “0” to “65”" in page
    assert "progress:" not in page and "status:" not in page  # no internal names
    assert 'value="Schools programme"' in page  # the lead's typed title is kept
    assert f'name="version" value="{action.version + 1}"' in page
    action.refresh_from_db()
    assert action.title != "Schools programme"
    # Saved again from the page shown, it goes through and keeps the owner's progress.
    again = client_for(lead).post(edit_url, edit_form(action, owner, title="Schools programme"))
    assert again.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.progress) == ("Schools programme", 65)


def test_the_update_page_refuses_a_stale_update_keeping_the_note(client_for: Clients) -> None:
    lead, owner = make_lead(), make_owner()
    action = make_action(make_plan(lead=lead), owner, lead=lead)
    read = action.version
    url = reverse("plans:action_update", args=[action.public_id])
    client_for(lead).post(
        reverse("plans:action_edit", args=[action.public_id]),
        edit_form(action, owner, rag_override="red", rag_override_reason="Funding withdrawn"),
    )
    refused = client_for(owner).post(
        url, {"version": read, "note": "Sessions booked", "status": "in_progress", "progress": "20"}
    )
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "RAG override: from “(blank)” to “Red”" in page
    assert "Reason for the override: from “(blank)” to “Funding withdrawn”" in page
    assert "Sessions booked" in page
    assert not ProgressUpdate.objects.exists()
