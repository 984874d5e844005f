"""Two people edit one meeting record or one safety plan: the second save, from the version both
read, is refused showing what the first changed (in plain words, who and when), with the
second person's typed text kept; the first's change stands. A save from the current version
works."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.cases import meetings, services
from safehub.cases.errors import StaleEdit
from safehub.cases.models import Meeting, SafetyPlan
from safehub.policy.roles import Role
from safehub.versioning import FieldChange
from tests.cases.helpers import meeting_with, open_case_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def record(meeting: Meeting, actor: User, version: int, decisions: str) -> Meeting:
    return meetings.record_meeting_outcome(
        actor=actor,
        meeting=meeting,
        read_version=version,
        information_shared="School shared attendance",
        decisions=decisions,
    )


def test_a_stale_meeting_outcome_is_refused_with_what_changed_and_nothing_written() -> None:
    ann, ben = make_user(Role.CSE_MANAGER), make_user(Role.CSE_MANAGER)
    meeting = meeting_with(open_case_for(manager=ann), by=ann)
    read_by_both = meeting.version
    record(meeting, ann, read_by_both, "Refer to the NRM")
    with pytest.raises(StaleEdit) as exc:
        record(Meeting.objects.get(pk=meeting.pk), ben, read_by_both, "No further action")
    [change] = exc.value.changes
    assert change.who == ann.get_full_name()
    assert FieldChange("Decisions", "", "Refer to the NRM") in change.fields
    assert FieldChange("Information shared", "", "School shared attendance") in change.fields
    assert exc.value.current_version == read_by_both + 1
    meeting.refresh_from_db()
    assert meeting.decisions == "Refer to the NRM" and meeting.version == read_by_both + 1
    # From the version now saved, Ben's change goes through.
    record(meeting, ben, meeting.version, "No further action")
    meeting.refresh_from_db()
    assert meeting.decisions == "No further action" and meeting.version == read_by_both + 2


def test_the_meeting_page_refuses_a_stale_save_keeping_what_was_typed(
    client_for: ClientFor,
) -> None:
    ann, ben = make_user(Role.CSE_MANAGER), make_user(Role.CSE_MANAGER)
    meeting = meeting_with(open_case_for(manager=ann), by=ann)
    url = reverse("cases:meeting_record", args=[meeting.public_id])
    # Both open the form: it carries the version it was read at.
    for user in (ann, ben):
        form = client_for(user).get(url).content.decode()
        assert f'name="version" value="{meeting.version}"' in form
    first = client_for(ann).post(
        url,
        {"version": meeting.version, "information_shared": "", "decisions": "Refer to the NRM"},
    )
    assert first.status_code == 302
    second = client_for(ben).post(
        url,
        {"version": meeting.version, "information_shared": "", "decisions": "Close the meeting"},
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "<title>Error:" in page and 'class="govuk-error-summary"' in page
    assert "Someone else changed this after you opened it" in page
    assert ann.get_full_name() in page and "Decisions" in page and "Refer to the NRM" in page
    assert "decisions:" not in page  # plain words, not the internal field name
    assert "Close the meeting" in page  # what Ben typed is still in the form
    assert f'name="version" value="{meeting.version + 1}"' in page
    meeting.refresh_from_db()
    assert meeting.decisions == "Refer to the NRM"
    # Saved again from the page he was shown, Ben's change goes through.
    again = client_for(ben).post(
        url,
        {"version": meeting.version, "information_shared": "", "decisions": "Close the meeting"},
    )
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.decisions == "Close the meeting"


def test_two_editors_of_a_safety_plan_the_second_sees_the_first_and_can_save_again(
    client_for: ClientFor,
) -> None:
    worker, manager = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_MANAGER)
    case = open_case_for(worker=worker, manager=manager)
    url = reverse("cases:safety_plan", args=[case.public_id])
    read = SafetyPlan.objects.get(case=case).version
    assert f'name="version" value="{read}"' in client_for(worker).get(url).content.decode()
    saved = client_for(manager).post(url, {"version": read, "contacts": "Aunt on 07700 900123"})
    assert saved.status_code == 302
    refused = client_for(worker).post(url, {"version": read, "risks": "Older boyfriend"})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Contacts" in page and "Aunt on 07700 900123" in page and "Older boyfriend" in page
    plan = SafetyPlan.objects.get(case=case)
    assert (plan.contacts, plan.risks) == ("Aunt on 07700 900123", "")
    current = client_for(worker).post(
        url, {"version": plan.version, "risks": "Older boyfriend", "contacts": plan.contacts}
    )
    assert current.status_code == 302
    plan.refresh_from_db()
    assert (plan.contacts, plan.risks) == ("Aunt on 07700 900123", "Older boyfriend")


def test_a_stale_allocation_names_the_worker_not_their_record_number() -> None:
    manager = make_user(Role.CSE_MANAGER)
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(manager=manager)
    read = case.version
    services.allocate_case(actor=manager, case=case, worker=worker, read_version=read)
    with pytest.raises(StaleEdit) as exc:
        services.change_risk_level(
            actor=manager, case=case, read_version=read, level="high", reason="New intelligence"
        )
    [change] = exc.value.changes
    assert change.fields == (FieldChange("Allocated to", "", worker.get_full_name()),)
