"""Case pages: who may see and change what, the attendee window, audit rows and exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.cases import casework, services
from safehub.cases.models import Case, Meeting, MeetingAction, SafetyPlan
from safehub.policy.roles import AgencyType, Role
from tests.cases.helpers import meeting_with, open_case_for
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def test_practitioner_sees_own_case_but_not_a_colleagues(client_for: ClientFor) -> None:
    ann, ben = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_PRACTITIONER)
    mine, theirs = open_case_for(worker=ann), open_case_for(worker=ben)
    client = client_for(ann)
    assert client.get(reverse("cases:detail", args=[mine.public_id])).status_code == 200
    assert client.get(reverse("cases:detail", args=[theirs.public_id])).status_code == 403
    assert client.get(reverse("cases:risk", args=[theirs.public_id])).status_code == 403
    assert client.get(reverse("cases:allocate", args=[mine.public_id])).status_code == 403
    page = client.get(reverse("cases:my_caseload")).content.decode()
    assert mine.person.full_name in page and theirs.person.full_name not in page
    assert AccessEvent.objects.filter(
        user_id=ann.pk, action="view", object_type="case", person_id=mine.person_id
    ).exists()


def test_practitioner_may_open_the_person_record_of_an_allocated_child(
    client_for: ClientFor,
) -> None:
    ann = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=ann)
    other = open_case_for(worker=make_user(Role.CSE_PRACTITIONER))
    client = client_for(ann)
    assert client.get(reverse("people:detail", args=[case.person.public_id])).status_code == 200
    assert client.get(reverse("people:detail", args=[other.person.public_id])).status_code == 403


def test_mash_officer_may_view_but_not_change(client_for: ClientFor) -> None:
    case = open_case_for(worker=make_user(Role.CSE_PRACTITIONER))
    client = client_for(make_user(Role.MASH_OFFICER))
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    response = client.post(reverse("cases:risk", args=[case.public_id]), {"level": "high"})
    assert response.status_code == 403


def test_manager_allocates_through_the_page(client_for: ClientFor) -> None:
    manager, worker = make_user(Role.CSE_MANAGER), make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(manager=manager)
    client = client_for(manager)
    page = client.get(reverse("cases:team")).content.decode()
    assert "Not allocated" in page
    response = client.post(
        reverse("cases:allocate", args=[case.public_id]),
        {"worker": str(worker.pk), "version": str(case.version)},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocated_to == worker


def _choice_text(page: str, name: str) -> str:
    """The text of the radio or checkbox item whose label is `name`, tags stripped."""
    items = re.split(r'<div class="govuk-(?:radios|checkboxes)__item">', page)[1:]
    [item] = [i.split("</div>\n", 2)[0] for i in items if f">{name}</label>" in i]
    return " ".join(re.sub(r"<[^>]+>", " ", item).split())


def test_the_allocation_page_shows_each_workers_open_caseload(client_for: ClientFor) -> None:
    manager = make_user(Role.CSE_MANAGER)
    busy, free = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_PRACTITIONER)
    held = [open_case_for(worker=busy, manager=manager) for _ in range(3)]
    services.change_risk_level(
        actor=manager,
        case=held[0],
        read_version=held[0].version,
        level="high",
        reason="Seen getting into cars with adults",
    )
    finished = open_case_for(worker=busy, manager=manager)
    services.close_case(
        actor=manager,
        case=finished,
        read_version=finished.version,
        reason="step_down",
        notes="",
        risk_at_closure="low",
        in_education="yes",
        missing_episodes_last_3_months=0,
    )
    case = open_case_for(manager=manager)
    page = client_for(manager).get(reverse("cases:allocate", args=[case.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    # The closed case is not counted; the high-risk one is.
    assert _choice_text(text, busy.get_full_name()) == (
        f"{busy.get_full_name()} 3 open cases, 1 at high risk or exploited"
    )
    assert _choice_text(text, free.get_full_name()) == f"{free.get_full_name()} No open cases"


def test_the_allocation_page_counts_caseloads_in_one_query_not_one_per_worker(
    client_for: ClientFor,
) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    client = client_for(manager)
    url = reverse("cases:allocate", args=[case.public_id])
    client.get(url)  # the first request fills caches; count from the second

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(4):
        open_case_for(worker=make_user(Role.CSE_PRACTITIONER), manager=manager)
    page = client.get(url).content.decode()
    assert page.count("1 open case, 0 at high risk or exploited") == 4
    assert queries() == few


def test_form_errors_are_shown_next_to_fields(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    response = client_for(worker).post(
        reverse("cases:risk", args=[case.public_id]), {"version": str(case.version)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter why the risk level has changed" in page
    assert 'href="#level"' in page


def test_stale_form_is_refused_showing_who_changed_what(client_for: ClientFor) -> None:
    worker, manager = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_MANAGER)
    case = open_case_for(worker=worker, manager=manager)
    plan = SafetyPlan.objects.get(case=case)
    services.update_safety_plan(
        actor=manager, case=case, read_version=plan.version, sections={"risks": "Park at night"}
    )
    response = client_for(worker).post(
        reverse("cases:safety_plan", args=[case.public_id]),
        {"version": str(plan.version), "risks": "Something else"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this after you opened it" in page
    assert manager.get_full_name() in page and "Park at night" in page
    assert SafetyPlan.objects.get(case=case).risks == "Park at night"


def test_chronology_exports_are_audited_and_the_safe_document_leaves_out_police_items(
    client_for: ClientFor,
) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    for title, police, third in [
        ("Visit at home", False, False),
        ("Intelligence on an adult", True, False),
        ("Friend's mother's phone number", False, True),
    ]:
        casework.add_chronology_entry(
            actor=worker,
            case=case,
            kind="note",
            occurred_at=timezone.now(),
            title=title,
            police_only=police,
            third_party=third,
        )
    client = client_for(worker)
    page = client.get(reverse("cases:chronology", args=[case.public_id]), {"kind": "note"})
    assert "Intelligence on an adult" in page.content.decode()

    csv = client.get(reverse("cases:chronology_csv", args=[case.public_id]), {"kind": "note"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "Intelligence on an adult" in csv.content.decode()

    safe = client.get(reverse("cases:chronology_safe", args=[case.public_id])).content.decode()
    assert "Visit at home" in safe
    assert "Intelligence on an adult" not in safe and "mother" not in safe
    assert "Police information: 1 entry left out" in safe

    chosen = client.get(
        reverse("cases:chronology_safe", args=[case.public_id]), {"include_police": "yes"}
    ).content.decode()
    assert "Intelligence on an adult" in chosen and "mother" not in chosen

    exports = AccessEvent.objects.filter(action="export", person_id=case.person_id)
    reasons = sorted(e.reason for e in exports)
    assert len(reasons) == 3
    assert any("police-only included: yes; third-party included: no" in r for r in reasons)
    assert any("police-only included: no; third-party included: no" in r for r in reasons)
    assert any(r.startswith("CSV export; kinds=note") for r in reasons)


def test_mash_officer_may_not_export(client_for: ClientFor) -> None:
    case = open_case_for()
    client = client_for(make_user(Role.MASH_OFFICER))
    assert client.get(reverse("cases:chronology_csv", args=[case.public_id])).status_code == 403
    assert not AccessEvent.objects.filter(action="export").exists()


def test_attendee_from_another_agency_sees_the_meeting_for_a_limited_time(
    client_for: ClientFor,
) -> None:
    officer = make_user(Role.POLICE_INTELLIGENCE, agency=make_agency(AgencyType.POLICE))
    teacher = make_user(Role.REFERRER)
    case = open_case_for(worker=make_user(Role.CSE_PRACTITIONER))
    recent = meeting_with(case, attendees=[officer, teacher], days_ago=3)
    old = meeting_with(case, attendees=[officer], days_ago=15)
    client = client_for(officer)
    page = client.get(reverse("cases:meeting", args=[recent.public_id]))
    assert page.status_code == 200
    assert case.person.full_name in page.content.decode()
    assert "Places and persons of concern" in page.content.decode()
    teacher_page = client_for(teacher).get(reverse("cases:meeting", args=[recent.public_id]))
    assert "Places and persons of concern" not in teacher_page.content.decode()
    assert client.get(reverse("cases:meeting", args=[old.public_id])).status_code == 403
    # Attendance shows the meeting, not the child's case or other meetings' lists.
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 403
    assert client.get(reverse("cases:meetings")).status_code == 403
    assert AccessEvent.objects.filter(
        user_id=officer.pk, object_type="meeting", person_id=case.person_id
    ).exists()


def test_attendee_window_follows_the_setting(client_for: ClientFor, settings: object) -> None:
    settings.SAFEHUB_MEETING_ATTENDEE_DAYS = 30  # type: ignore[attr-defined]
    officer = make_user(Role.POLICE_INTELLIGENCE)
    meeting = meeting_with(open_case_for(), attendees=[officer], days_ago=20)
    assert (
        client_for(officer).get(reverse("cases:meeting", args=[meeting.public_id])).status_code
        == 200
    )


def test_meeting_pages_create_record_and_track_actions(client_for: ClientFor) -> None:
    manager = make_user(Role.CSE_MANAGER, username="mgr-meet")
    owner = make_user(Role.EDUCATION_WELFARE, username="ewo-owner")
    case = open_case_for(manager=manager)
    client = client_for(manager)
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("cases:meeting_new"),
        {
            "kind": "strategy",
            "held_on-day": day.day,
            "held_on-month": day.month,
            "held_on-year": day.year,
            "held_time": "10:30",
            "agenda": [str(case.public_id)],
            "attendees": [str(owner.public_id)],
            "external": "Rhiannon Vale, City Hospital",
        },
    )
    assert response.status_code == 302
    meeting = case.meetings.get()
    assert meeting.attendees.count() == 2
    assert meeting.attendees.filter(user=owner).exists()
    response = client.post(
        reverse("cases:meeting_action_new", args=[meeting.public_id]),
        {
            "case": str(case.public_id),
            "description": "Home visit with school nurse",
            "owner": str(owner.public_id),
            "due_date-day": day.day,
            "due_date-month": day.month,
            "due_date-year": day.year,
        },
    )
    assert response.status_code == 302
    tracker = client.get(reverse("cases:actions")).content.decode()
    assert "Home visit with school nurse" in tracker and "Overdue" in tracker
    chronology = client.get(reverse("cases:chronology", args=[case.public_id])).content.decode()
    assert "Home visit with school nurse" in chronology
    action = meeting.actions.get()
    owner_client = client_for(owner)
    done = owner_client.post(reverse("cases:action_complete", args=[action.public_id]))
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.completed_by == owner
    other = client_for(make_user(Role.EDUCATION_WELFARE))
    assert other.post(reverse("cases:action_complete", args=[action.public_id])).status_code == 403


def test_manager_closes_a_case_practitioner_may_not(client_for: ClientFor) -> None:
    worker, manager = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_MANAGER)
    case = open_case_for(worker=worker, manager=manager)
    url = reverse("cases:close", args=[case.public_id])
    assert client_for(worker).get(url).status_code == 403
    response = client_for(manager).post(
        url,
        {
            "version": str(case.version),
            "reason": "step_down",
            "risk_at_closure": "low",
            "in_education": "yes",
            "missing_episodes": "0",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_meeting_attendees_and_action_owners_are_chosen_by_name_from_a_list(
    client_for: ClientFor,
) -> None:
    manager = make_user(Role.CSE_MANAGER, username="mgr-list")
    school = make_agency(AgencyType.SCHOOL, name="Larkfield Academy")
    teacher = make_user(Role.REFERRER, agency=school, username="t.larkfield")
    board = make_user(Role.BOARD_MEMBER, username="board.only")
    gone = make_user(Role.EDUCATION_WELFARE, username="left.the.job")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    case = open_case_for(manager=manager)
    client = client_for(manager)

    page = client.get(reverse("cases:meeting_new")).content.decode()
    assert f'type="checkbox" value="{teacher.public_id}"' in page
    assert "<legend" in page and "Larkfield Academy</legend>" in page
    assert f">{teacher.get_full_name()}</label>" in page
    # Usernames are sign-in details, never how people are listed; the board and leavers are
    # not on the list at all.
    assert "t.larkfield" not in page and "mgr-list" not in page
    assert str(board.public_id) not in page and str(gone.public_id) not in page

    meeting = meeting_with(case, by=manager)
    form = client.get(reverse("cases:meeting_action_new", args=[meeting.public_id]))
    owners = form.content.decode()
    assert f'<option value="{teacher.public_id}">' in owners
    assert f"{teacher.get_full_name()}, Larkfield Academy</option>" in owners
    assert '<optgroup label="Larkfield Academy">' in owners
    assert "t.larkfield" not in owners and str(board.public_id) not in owners


def test_a_meeting_refuses_attendees_not_on_the_list_and_records_nothing(
    client_for: ClientFor,
) -> None:
    manager = make_user(Role.CSE_MANAGER)
    teacher = make_user(Role.REFERRER, username="t.oakfield")
    board = make_user(Role.BOARD_MEMBER)
    case = open_case_for(manager=manager)
    client = client_for(manager)
    day = timezone.localdate() - timedelta(days=1)
    form = {
        "kind": "mase",
        "held_on-day": day.day,
        "held_on-month": day.month,
        "held_on-year": day.year,
        "agenda": [str(case.public_id)],
    }
    for outsider in (str(board.public_id), "t.oakfield", "not-an-id"):
        response = client.post(
            reverse("cases:meeting_new"),
            {**form, "attendees": [str(teacher.public_id), outsider]},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Select attendees from the list of people who may attend" in page
        assert 'href="#attendees"' in page
        # What was chosen from the list is still chosen.
        assert f'value="{teacher.public_id}" checked' in page
    assert not Meeting.objects.exists()


def test_an_action_refuses_an_owner_not_on_the_list_and_records_nothing(
    client_for: ClientFor,
) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    meeting = meeting_with(case, by=manager)
    client = client_for(manager)
    due = timezone.localdate() + timedelta(days=7)
    form = {
        "case": str(case.public_id),
        "description": "Speak to the school about attendance",
        "due_date-day": due.day,
        "due_date-month": due.month,
        "due_date-year": due.year,
    }
    url = reverse("cases:meeting_action_new", args=[meeting.public_id])
    outsider = client.post(url, {**form, "owner": str(make_user(Role.DATA_OFFICER).public_id)})
    assert outsider.status_code == 200
    assert "Choose the action&#x27;s owner from the list" in outsider.content.decode()
    blank = client.post(url, {**form, "owner": ""})
    assert "Choose who owns the action" in blank.content.decode()
    assert not MeetingAction.objects.exists()
