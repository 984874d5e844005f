"""Case services: opening, allocation, closure, stale saves, refusals and nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safehub.audit.models import AccessEvent
from safehub.cases import casework, meetings, services
from safehub.cases.errors import CaseAlreadyOpen, StaleEdit
from safehub.cases.models import Allocation, Case, CaseFactor, RiskChange, SafetyPlan
from safehub.cases.selectors import caseload, chronology, is_allocated, tasks_for, team_caseload
from safehub.policy.roles import Role
from safehub.refusals import Refused
from safehub.versioning import FieldChange
from tests.cases.helpers import meeting_with, new_child, open_case_for
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def test_open_case_sets_review_date_plan_and_audit() -> None:
    manager = make_user(Role.CSE_MANAGER)
    child = new_child()
    case = services.open_case(actor=manager, person=child, referral=None, reason="MASH decision")
    assert case.status == "open" and case.version == 1 and case.allocated_to is None
    assert case.next_review_due == timezone.localdate() + timedelta(weeks=12)
    assert SafetyPlan.objects.filter(case=case).exists()
    assert RiskChange.objects.filter(case=case, level="medium").count() == 1
    assert AccessEvent.objects.filter(object_type="case", person_id=child.pk, action="create")


def test_second_open_case_for_a_child_is_refused_and_nothing_written() -> None:
    first = open_case_for()
    with pytest.raises(CaseAlreadyOpen) as exc:
        services.open_case(
            actor=make_user(Role.CSE_MANAGER), person=first.person, referral=None, reason="again"
        )
    assert exc.value.case == first
    assert "already has an open CSE case" in str(exc.value)
    assert Case.objects.filter(person=first.person).count() == 1


def test_open_case_at_a_given_risk_sets_that_risks_review_and_refuses_an_unknown_one() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = services.open_case(
        actor=manager, person=new_child(), referral=None, reason="MASH: Red", risk_level="high"
    )
    assert case.risk_level == "high"
    assert case.next_review_due == timezone.localdate() + timedelta(weeks=6)
    with pytest.raises(Refused) as exc:
        services.open_case(
            actor=manager, person=new_child(), referral=None, reason="r", risk_level="severe"
        )
    assert "risk_level" in exc.value.errors
    assert Case.objects.count() == 1


def test_blank_reason_is_refused() -> None:
    with pytest.raises(Refused) as exc:
        services.open_case(
            actor=make_user(Role.CSE_MANAGER), person=new_child(), referral=None, reason="  "
        )
    assert "reason" in exc.value.errors
    assert not Case.objects.exists()


def test_allocation_keeps_history() -> None:
    manager = make_user(Role.CSE_MANAGER)
    first, second = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=first, manager=manager)
    services.allocate_case(
        actor=manager, case=case, worker=second, read_version=case.version, reason="leave"
    )
    history = list(Allocation.objects.filter(case=case).order_by("allocated_at", "id"))
    assert [a.worker for a in history] == [first, second]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert is_allocated(user_id=second.pk, person_id=case.person_id)
    assert not is_allocated(user_id=first.pk, person_id=case.person_id)
    assert [r.case for r in caseload(second)] == [case] and caseload(first) == []


def test_allocation_to_someone_outside_the_cse_team_is_refused() -> None:
    case = open_case_for()
    with pytest.raises(Refused) as exc:
        services.allocate_case(
            actor=make_user(Role.CSE_MANAGER),
            case=case,
            worker=make_user(Role.MASH_OFFICER),
            read_version=case.version,
        )
    assert exc.value.errors == {"worker": "Choose a member of the CSE team"}
    case.refresh_from_db()
    assert case.allocated_to is None and case.version == 1


def test_stale_save_is_refused_with_the_other_change_and_nothing_written() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    read_by_both = case.version
    # Ann saves first...
    services.change_risk_level(
        actor=manager, case=case, read_version=read_by_both, level="high", reason="new intel"
    )
    # ...then Ben saves from the same version he read.
    ben = make_user(Role.CSE_MANAGER)
    stale_copy = Case.objects.get(pk=case.pk)
    with pytest.raises(StaleEdit) as exc:
        services.update_nrm(
            actor=ben,
            case=stale_copy,
            read_version=read_by_both,
            referred=True,
            referral_date=date.today(),
            outcome="",
            outcome_date=None,
        )
    [change] = exc.value.changes
    assert change.who == manager.get_full_name() and change.what == "risk level"
    # In plain words: the field's label and the choices' labels, never internal names.
    assert FieldChange("Risk level", "Medium", "High") in change.fields
    assert all("_" not in f.label for f in change.fields)
    case.refresh_from_db()
    assert case.nrm_referred is False and case.risk_level == "high"
    assert case.version == read_by_both + 1


def test_stale_safety_plan_save_is_refused() -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    services.update_safety_plan(
        actor=worker, case=case, read_version=1, sections={"risks": "Older boyfriend"}
    )
    with pytest.raises(StaleEdit) as exc:
        services.update_safety_plan(
            actor=make_user(Role.CSE_MANAGER), case=case, read_version=1, sections={"risks": "x"}
        )
    assert exc.value.changes[0].fields == (FieldChange("Risks", "", "Older boyfriend"),)
    assert SafetyPlan.objects.get(case=case).risks == "Older boyfriend"


def test_risk_change_reschedules_the_review() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    services.change_risk_level(
        actor=manager, case=case, read_version=case.version, level="exploited", reason="disclosure"
    )
    assert case.next_review_due == timezone.localdate() + timedelta(weeks=6)
    review = casework.record_review(
        actor=manager, case=case, held_on=timezone.localdate(), summary="Plan reviewed"
    )
    assert review.next_due == timezone.localdate() + timedelta(weeks=6)


def test_close_needs_reason_and_outcomes_and_writes_nothing_otherwise() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(worker=make_user(Role.CSE_PRACTITIONER), manager=manager)
    with pytest.raises(Refused) as exc:
        services.close_case(
            actor=manager,
            case=case,
            read_version=case.version,
            reason="other",
            notes="",
            risk_at_closure="",
            in_education="maybe",
            missing_episodes_last_3_months=None,
        )
    assert set(exc.value.errors) == {"notes", "risk_at_closure", "in_education", "missing_episodes"}
    case.refresh_from_db()
    assert case.status == "open"
    services.close_case(
        actor=manager,
        case=case,
        read_version=case.version,
        reason="risk_reduced",
        notes="",
        risk_at_closure="low",
        in_education="yes",
        missing_episodes_last_3_months=0,
    )
    assert case.status == "closed" and case.closed_by == manager
    assert not Allocation.objects.filter(case=case, ended_at__isnull=True).exists()
    # Closed cases cannot change, and a new case may now be opened for the child.
    with pytest.raises(Refused):
        services.change_risk_level(
            actor=manager, case=case, read_version=case.version, level="high", reason="x"
        )
    assert open_case_for(case.person, manager=manager).status == "open"


def test_closing_with_an_nrm_referral_needs_its_outcome() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    services.update_nrm(
        actor=manager,
        case=case,
        read_version=case.version,
        referred=True,
        referral_date=date.today(),
        outcome="",
        outcome_date=None,
    )
    with pytest.raises(Refused) as exc:
        services.close_case(
            actor=manager,
            case=case,
            read_version=case.version,
            reason="moved_away",
            notes="",
            risk_at_closure="high",
            in_education="not_known",
            missing_episodes_last_3_months=2,
        )
    assert "nrm" in exc.value.errors


def test_nrm_refusals() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    with pytest.raises(Refused) as exc:
        services.update_nrm(
            actor=manager,
            case=case,
            read_version=case.version,
            referred=False,
            referral_date=date.today() + timedelta(days=1),
            outcome="conclusive_positive",
            outcome_date=None,
        )
    assert set(exc.value.errors) == {"referral_date", "outcome"}


def test_assessment_factors_store_census_codes_and_refuse_unknown_ones() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    services.set_assessment_factors(
        actor=manager, case=case, read_version=case.version, codes=["11A", "10A"]
    )
    assert sorted(CaseFactor.objects.values_list("code", flat=True)) == ["10A", "11A"]
    with pytest.raises(Refused):
        services.set_assessment_factors(
            actor=manager, case=case, read_version=case.version, codes=["11A", "99Z"]
        )
    assert CaseFactor.objects.count() == 2


def test_chronology_gathers_screenings_entries_risk_and_meeting_actions() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    make_screening(make_user(Role.REFERRER), person=case.person)  # a re-screening
    casework.add_chronology_entry(
        actor=manager,
        case=case,
        kind="visit",
        occurred_at=timezone.now(),
        title="Home visit",
        police_only=True,
    )
    meeting = meeting_with(case, by=manager)
    owner = make_user(Role.EDUCATION_WELFARE)
    action = meetings.add_meeting_action(
        actor=manager,
        meeting=meeting,
        case=case,
        description="Check attendance weekly",
        owner=owner,
        due_date=timezone.localdate(),
    )
    kinds = {e.kind for e in chronology(case.person_id)}
    assert {"screening", "referral", "case", "risk", "visit", "meeting", "action"} <= kinds
    assert [e.title for e in chronology(case.person_id, kinds=["visit"])] == ["Home visit"]
    assert chronology(case.person_id, since=timezone.localdate() + timedelta(days=1)) == []
    # The same action is on the owner's task list and, once done, shows as done.
    assert [t.kind for t in tasks_for(owner)] == ["action"]
    meetings.complete_action(actor=owner, action=action)
    assert tasks_for(owner) == []
    with pytest.raises(Refused):
        meetings.complete_action(actor=owner, action=action)


def test_overdue_reviews_are_tasks_and_counted_for_the_team() -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    Case.objects.filter(pk=case.pk).update(next_review_due=timezone.localdate() - timedelta(1))
    [task] = tasks_for(worker)
    assert task.kind == "review" and task.is_overdue(timezone.now())
    load = team_caseload()
    assert load.overdue == 1 and dict(load.by_risk)["Medium"] == 1
    assert caseload(worker)[0].review_status == "overdue"


def test_meeting_refusals() -> None:
    manager = make_user(Role.CSE_MANAGER)
    with pytest.raises(Refused) as exc:
        meetings.create_meeting(
            actor=manager,
            kind="party",
            held_at=None,
            agenda=[],
            external_attendees=[meetings.ExternalAttendee("Nameonly", "")],
        )
    assert set(exc.value.errors) == {"kind", "held_at", "agenda", "external"}
    case = open_case_for(manager=manager)
    other = open_case_for(manager=manager)
    meeting = meeting_with(case, by=manager)
    with pytest.raises(Refused) as exc:
        meetings.add_meeting_action(
            actor=manager,
            meeting=meeting,
            case=other,
            description="",
            owner=None,
            due_date=None,
        )
    assert set(exc.value.errors) == {"case", "description", "owner", "due_date"}
    assert not meeting.actions.exists()


def test_allocating_a_restricted_childs_case_grants_the_worker_access() -> None:
    from safehub.cases.services import allocate_case, open_case
    from safehub.people.selectors import has_access_grant
    from safehub.policy import Action, decide
    from safehub.policy.roles import Role
    from tests.factories import make_screening, make_user

    manager = make_user(Role.CSE_MANAGER)
    worker = make_user(Role.CSE_PRACTITIONER)
    person = make_screening(make_user(Role.REFERRER)).screening.person
    person.is_restricted = True
    person.save()
    case = open_case(actor=manager, person=person, referral=None, reason="Strategy discussion")
    assert not decide(worker, Action.CASE_VIEW, case).allowed
    allocate_case(actor=manager, case=case, worker=worker, read_version=case.version)
    case.refresh_from_db()
    assert has_access_grant(user_id=worker.pk, person_id=person.pk)
    assert decide(worker, Action.CASE_VIEW, case).allowed
