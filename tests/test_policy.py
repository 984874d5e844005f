"""The access policy as a table: every role x action x relationship, plus restricted records."""

from __future__ import annotations

import itertools

import pytest

from safehub.policy import Action, Relationship, Subject, TargetFacts, evaluate
from safehub.policy.roles import Role

R = Role
SCREENERS = {R.REFERRER, R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.EDUCATION_WELFARE}
MASH_AND_MANAGER = {R.MASH_OFFICER, R.CSE_MANAGER}
POLICE_ROLES = {R.POLICE_INTELLIGENCE, R.POLICE_ANALYST}
SEARCH_BROAD = MASH_AND_MANAGER | {R.CSE_PRACTITIONER, R.DATA_OFFICER} | POLICE_ROLES
ANY_OBJECT = (Relationship.OWN, Relationship.OWN_AGENCY, Relationship.OTHER_AGENCY)

# Written out independently of the policy module: who may do what. Everything else is refused.
EXPECTED: dict[tuple[Action, Relationship], set[Role]] = {
    (Action.TOOL_VIEW, Relationship.NONE): SCREENERS,
    (Action.SCREENING_CREATE, Relationship.NONE): SCREENERS,
    (Action.SUBMISSIONS_LIST_OWN, Relationship.NONE): SCREENERS,
    (Action.API_USE, Relationship.NONE): SCREENERS,
    # --- accounts entries ---
    **{(Action.USER_ADMIN, rel): {R.SYSTEM_ADMIN} for rel in Relationship},
    (Action.PERSON_FIND, Relationship.NONE): SCREENERS,
    # Search: screeners find a child they know; case workers, police and data officers search
    # broadly; the police alone see police records and persons of interest.
    (Action.PERSON_SEARCH, Relationship.NONE): SCREENERS | SEARCH_BROAD,
    (Action.PERSON_SEARCH_BROAD, Relationship.NONE): SEARCH_BROAD,
    (Action.PERSON_SEARCH_POLICE, Relationship.NONE): POLICE_ROLES,
    (Action.PERSON_CREATE, Relationship.NONE): SCREENERS,
    (Action.SCREENING_VIEW, Relationship.OWN): SCREENERS,
    (Action.SCREENING_VIEW, Relationship.OWN_AGENCY): MASH_AND_MANAGER,
    (Action.SCREENING_VIEW, Relationship.OTHER_AGENCY): MASH_AND_MANAGER,
    (Action.REFERRAL_QUEUE_VIEW, Relationship.NONE): MASH_AND_MANAGER,
    (Action.BREAK_GLASS_REVIEW, Relationship.NONE): {R.CSE_MANAGER},
    # --- triage entries ---
    **{(Action.REFERRAL_TRIAGE, rel): MASH_AND_MANAGER for rel in ANY_OBJECT},
    (Action.REFERRAL_CREATE, Relationship.NONE): SCREENERS,
    # --- cases entries ---
    (Action.CASELOAD_VIEW, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.TEAM_CASELOAD_VIEW, Relationship.NONE): {R.CSE_MANAGER},
    (Action.CASE_VIEW, Relationship.OWN): {R.CSE_PRACTITIONER, R.CSE_MANAGER, R.MASH_OFFICER},
    (Action.CASE_VIEW, Relationship.OWN_AGENCY): MASH_AND_MANAGER,
    (Action.CASE_VIEW, Relationship.OTHER_AGENCY): MASH_AND_MANAGER,
    (Action.CASE_EDIT, Relationship.OWN): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.CASE_EDIT, Relationship.OWN_AGENCY): {R.CSE_MANAGER},
    (Action.CASE_EDIT, Relationship.OTHER_AGENCY): {R.CSE_MANAGER},
    **{(Action.CASE_ALLOCATE, rel): {R.CSE_MANAGER} for rel in ANY_OBJECT},
    **{(Action.CASE_CLOSE, rel): {R.CSE_MANAGER} for rel in ANY_OBJECT},
    (Action.CHRONOLOGY_EXPORT, Relationship.OWN): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.CHRONOLOGY_EXPORT, Relationship.OWN_AGENCY): {R.CSE_MANAGER},
    (Action.CHRONOLOGY_EXPORT, Relationship.OTHER_AGENCY): {R.CSE_MANAGER},
    (Action.MEETING_LIST, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.MEETING_CREATE, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    **{(Action.MEETING_VIEW, rel): {R.CSE_PRACTITIONER, R.CSE_MANAGER} for rel in ANY_OBJECT},
    **{(Action.MEETING_RECORD, rel): {R.CSE_PRACTITIONER, R.CSE_MANAGER} for rel in ANY_OBJECT},
    # Who may be given or shown what, asked of the user alone.
    (Action.CASE_HOLD, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.MISSING_RHI_CONDUCT, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.MEETING_AGENDA_ANY_CASE, Relationship.NONE): {R.CSE_MANAGER},
    (Action.MEETING_POLICE_DETAIL, Relationship.NONE): {
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
        R.POLICE_INTELLIGENCE,
        R.POLICE_ANALYST,
    },
    # Anyone who works with children attends meetings and owns their actions; not system
    # administrators, board members or data officers.
    (Action.MEETING_ATTEND, Relationship.NONE): set(Role)
    - {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER},
    (Action.MEETING_ACTION_OWN, Relationship.NONE): set(Role)
    - {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER},
    (Action.PLAN_ACTION_OWN, Relationship.NONE): {R.ACTION_OWNER, R.CSE_MANAGER},
    (Action.LICENSING_SENIOR, Relationship.NONE): {R.LICENSING_OFFICER},
    (Action.SCHOOLS_COVER, Relationship.NONE): {R.EDUCATION_WELFARE},
    (Action.IMPORT_HISTORY_ALL_AGENCIES, Relationship.NONE): {R.SYSTEM_ADMIN},
    (Action.MEETING_ACTION_COMPLETE, Relationship.OWN): (
        set(Role) - {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER}
    ),
    (Action.MEETING_ACTION_COMPLETE, Relationship.OWN_AGENCY): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    (Action.MEETING_ACTION_COMPLETE, Relationship.OTHER_AGENCY): {
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
    },
    # --- missing entries ---
    # --- imports entries ---
    (Action.IMPORT_RUN, Relationship.NONE): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN, Relationship.OWN_AGENCY): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN, Relationship.OTHER_AGENCY): {R.SYSTEM_ADMIN},
    (Action.IMPORT_HISTORY_VIEW, Relationship.NONE): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN_VIEW, Relationship.OWN): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN_VIEW, Relationship.OWN_AGENCY): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN_VIEW, Relationship.OTHER_AGENCY): {R.SYSTEM_ADMIN},
    (Action.IMPORT_RUN_ACT, Relationship.OWN): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN_ACT, Relationship.OWN_AGENCY): {R.SYSTEM_ADMIN, R.DATA_OFFICER},
    (Action.IMPORT_RUN_ACT, Relationship.OTHER_AGENCY): {R.SYSTEM_ADMIN},
    # --- attendance entries ---
    (Action.ATTENDANCE_ALERT_LIST, Relationship.NONE): {R.EDUCATION_WELFARE},
    # "own": the officer covers the alert's school (looked up; see tests/attendance).
    (Action.ATTENDANCE_ALERT_VIEW, Relationship.OWN): {R.EDUCATION_WELFARE},
    (Action.ATTENDANCE_ALERT_ACT, Relationship.OWN): {R.EDUCATION_WELFARE},
    (Action.ATTENDANCE_RULES_REVIEW, Relationship.NONE): {R.SYSTEM_ADMIN, R.CSE_MANAGER},
    # --- workforce entries ---
    **{
        (action, rel): {R.WORKFORCE_ADMIN}
        for action in (
            Action.WORKFORCE_STAFF_FIND,
            Action.WORKFORCE_STAFF_VIEW,
            Action.WORKFORCE_STAFF_RECORD,
            Action.WORKFORCE_TRAINING_MANAGE,
            Action.WORKFORCE_GAPS_VIEW,
        )
        for rel in Relationship
    },
    (Action.WORKFORCE_COVERAGE_VIEW, Relationship.NONE): {R.WORKFORCE_ADMIN},
    **{
        (Action.AWARENESS_VIEW, rel): {R.WORKFORCE_ADMIN, R.CSE_MANAGER, R.ACTION_OWNER}
        for rel in Relationship
    },
    **{(Action.AWARENESS_RECORD, rel): {R.WORKFORCE_ADMIN, R.CSE_MANAGER} for rel in Relationship},
    # --- licensing entries ---
    **{
        (action, rel): {R.LICENSING_OFFICER}
        for action in (
            Action.LICENSING_DRIVER_FIND,
            Action.LICENSING_DRIVER_VIEW,
            Action.LICENSING_DRIVER_RECORD,
            Action.LICENSING_DECIDE,
            Action.LICENSING_ALERTS_VIEW,
            Action.LICENSING_REPORTS_VIEW,
        )
        for rel in Relationship
    },
    # --- linkage entries ---
    **{
        (action, rel): {R.DATA_OFFICER}
        for action in (Action.LINKAGE_RUN, Action.LINKAGE_REVIEW, Action.LINKAGE_CLUSTER_MANAGE)
        for rel in Relationship
    },
    (Action.LINKAGE_QUALITY_VIEW, Relationship.NONE): {R.DATA_OFFICER, R.CSE_MANAGER},
    # --- intelligence entries ---
    (Action.INTEL_FIND, Relationship.NONE): {R.POLICE_INTELLIGENCE, R.POLICE_ANALYST},
    **{(Action.INTEL_VIEW, rel): {R.POLICE_INTELLIGENCE, R.POLICE_ANALYST} for rel in Relationship},
    **{
        (action, rel): {R.POLICE_INTELLIGENCE}
        for action in (Action.INTEL_RECORD, Action.DISRUPTION_RECORD)
        for rel in Relationship
    },
    # --- analytics entries ---
    (Action.PROFILE_VIEW, Relationship.NONE): {R.POLICE_INTELLIGENCE, R.POLICE_ANALYST},
    **{
        (action, Relationship.NONE): {
            R.POLICE_INTELLIGENCE,
            R.POLICE_ANALYST,
            R.BOARD_MEMBER,
            R.CSE_MANAGER,
        }
        for action in (Action.PROFILE_AGGREGATE_VIEW, Action.COMPARATORS_VIEW)
    },
    # --- plans entries ---
    **{
        (action, rel): {R.CSE_MANAGER, R.ACTION_OWNER, R.BOARD_MEMBER}
        for action in (Action.PLAN_VIEW, Action.GOVERNANCE_VIEW, Action.PLAN_REPORT_VIEW)
        for rel in Relationship
    },
    **{(Action.PLAN_ACTION_VIEW, rel): {R.CSE_MANAGER, R.ACTION_OWNER} for rel in ANY_OBJECT},
    (Action.PLAN_ACTION_UPDATE, Relationship.OWN): {R.CSE_MANAGER, R.ACTION_OWNER},
    (Action.PLAN_ACTION_UPDATE, Relationship.OWN_AGENCY): {R.CSE_MANAGER},
    (Action.PLAN_ACTION_UPDATE, Relationship.OTHER_AGENCY): {R.CSE_MANAGER},
    **{
        (action, rel): {R.CSE_MANAGER}
        for action in (Action.PLAN_MANAGE, Action.GOVERNANCE_RECORD, Action.PLAN_REPORT_ISSUE)
        for rel in Relationship
    },
    **{
        (action, rel): {R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE}
        for action in (Action.MISSING_EPISODE_VIEW, Action.MISSING_PROFILE_VIEW)
        for rel in ANY_OBJECT
    },
    **{
        (Action.MISSING_EPISODE_RECORD, rel): {
            R.MASH_OFFICER,
            R.CSE_PRACTITIONER,
            R.CSE_MANAGER,
            R.POLICE_INTELLIGENCE,
        }
        for rel in Relationship
    },
    # Adding a child new to Safehub, only with a missing episode (the police's first notice).
    (Action.MISSING_CHILD_ADD, Relationship.NONE): {
        R.MASH_OFFICER,
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
        R.POLICE_INTELLIGENCE,
    },
    **{(Action.MISSING_RHI_RECORD, rel): {R.CSE_PRACTITIONER, R.CSE_MANAGER} for rel in ANY_OBJECT},
    (Action.MISSING_RHI_LIST, Relationship.NONE): {R.CSE_PRACTITIONER, R.CSE_MANAGER},
    **{
        (action, rel): {R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER}
        for action in (Action.MISSING_PROFILE_EDIT, Action.MISSING_ALERT_ACKNOWLEDGE)
        for rel in ANY_OBJECT
    },
    (Action.MISSING_ALERT_VIEW, Relationship.NONE): {
        R.MASH_OFFICER,
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
    },
    (Action.MISSING_FINDINGS_VIEW, Relationship.NONE): {
        R.MASH_OFFICER,
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
    },
    (Action.MISSING_FINDINGS_SMALL_NUMBERS, Relationship.NONE): {
        R.CSE_PRACTITIONER,
        R.CSE_MANAGER,
    },
    (Action.MISSING_FLAGGED_LOCATIONS_MANAGE, Relationship.NONE): {R.CSE_MANAGER},
    (Action.SCREENING_JUDGE, Relationship.OWN): SCREENERS,
    (Action.SCREENING_APPROVE_LOWERING, Relationship.NONE): {R.CSE_MANAGER},
    (Action.SCREENING_APPROVE_LOWERING, Relationship.OWN_AGENCY): {R.CSE_MANAGER},
    (Action.SCREENING_APPROVE_LOWERING, Relationship.OTHER_AGENCY): {R.CSE_MANAGER},
    **{(Action.PERSON_VIEW, rel): MASH_AND_MANAGER for rel in ANY_OBJECT},
    **{(Action.REFERRAL_VIEW, rel): MASH_AND_MANAGER for rel in ANY_OBJECT},
}

USER_ID, AGENCY_ID, OTHER_USER, OTHER_AGENCY = 1, 10, 2, 20


def target_for(rel: Relationship, *, restricted: bool = False) -> TargetFacts | None:
    if rel is Relationship.NONE:
        return None
    owner_user, owner_agency = {
        Relationship.OWN: (USER_ID, AGENCY_ID),
        Relationship.OWN_AGENCY: (OTHER_USER, AGENCY_ID),
        Relationship.OTHER_AGENCY: (OTHER_USER, OTHER_AGENCY),
    }[rel]
    return TargetFacts(
        kind="thing",
        person_id=99,
        owner_user_id=owner_user,
        owner_agency_id=owner_agency,
        restricted=restricted,
    )


def subject(*roles: Role, active: bool = True) -> Subject:
    return Subject(user_id=USER_ID, agency_id=AGENCY_ID, roles=frozenset(roles), active=active)


MATRIX = [
    (role, action, rel)
    for role, action, rel in itertools.product(Role, Action, Relationship)
    if action is not Action.PERSON_BREAK_GLASS
]


@pytest.mark.parametrize(("role", "action", "rel"), MATRIX, ids=lambda v: str(v))
def test_role_action_relationship(role: Role, action: Action, rel: Relationship) -> None:
    decision = evaluate(subject(role), action, target_for(rel))
    expected = role in EXPECTED.get((action, rel), set())
    assert decision.allowed is expected, decision.reason


@pytest.mark.parametrize("action", list(Action))
def test_no_roles_means_no_access(action: Action) -> None:
    for rel in Relationship:
        assert not evaluate(subject(), action, target_for(rel)).allowed


@pytest.mark.parametrize("action", list(Action))
def test_inactive_user_is_refused_everything(action: Action) -> None:
    everything = subject(*Role, active=False)
    for rel in Relationship:
        assert not evaluate(everything, action, target_for(rel)).allowed


@pytest.mark.parametrize(
    "action", [Action.PERSON_VIEW, Action.REFERRAL_VIEW, Action.REFERRAL_TRIAGE]
)
@pytest.mark.parametrize("rel", ANY_OBJECT)
def test_restricted_records_need_a_grant(action: Action, rel: Relationship) -> None:
    target = target_for(rel, restricted=True)
    mash = subject(R.MASH_OFFICER)
    assert not evaluate(mash, action, target).allowed
    assert evaluate(mash, action, target, has_grant=True).allowed
    # A grant does not give a role what the role itself lacks.
    assert not evaluate(subject(R.REFERRER), action, target, has_grant=True).allowed


def test_referrer_still_sees_own_result_for_restricted_child() -> None:
    target = target_for(Relationship.OWN, restricted=True)
    assert evaluate(subject(R.REFERRER), Action.SCREENING_VIEW, target).allowed


@pytest.mark.parametrize("role", list(Role))
def test_break_glass_only_on_restricted_records_by_case_roles(role: Role) -> None:
    restricted = target_for(Relationship.OTHER_AGENCY, restricted=True)
    open_record = target_for(Relationship.OTHER_AGENCY)
    may = role in {R.MASH_OFFICER, R.CSE_MANAGER}
    assert evaluate(subject(role), Action.PERSON_BREAK_GLASS, restricted).allowed is may
    assert not evaluate(subject(role), Action.PERSON_BREAK_GLASS, open_record).allowed


# Board members read the delivery plan, its governance and its reports: aggregate documents
# that hold no child's data (plans app), and the problem profile's aggregate version and the
# published comparators (analytics app): counts, small numbers suppressed.
BOARD_READABLE = {
    Action.PLAN_VIEW,
    Action.GOVERNANCE_VIEW,
    Action.PLAN_REPORT_VIEW,
    Action.PROFILE_AGGREGATE_VIEW,
    Action.COMPARATORS_VIEW,
}
# System administrators manage accounts and run imports: files pass through, but no page shows
# them a child's case, screening, referral or missing record. The attendance rules review is
# counts only (small numbers suppressed), for tuning the thresholds they set.
ADMIN_ALLOWED = {
    Action.USER_ADMIN,
    Action.IMPORT_RUN,
    Action.IMPORT_HISTORY_VIEW,
    Action.IMPORT_RUN_VIEW,
    Action.IMPORT_RUN_ACT,
    Action.IMPORT_HISTORY_ALL_AGENCIES,
    Action.ATTENDANCE_RULES_REVIEW,
}


def test_system_admin_and_board_member_see_no_case_content() -> None:
    for role in (R.SYSTEM_ADMIN, R.BOARD_MEMBER):
        for action, rel in itertools.product(Action, Relationship):
            if role == R.BOARD_MEMBER and action in BOARD_READABLE:
                continue
            if role == R.SYSTEM_ADMIN and action in ADMIN_ALLOWED:
                continue
            assert not evaluate(subject(role), action, target_for(rel)).allowed


# --- cases: looked-up relations (allocated, attending) ---
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "action", [Action.PERSON_VIEW, Action.SCREENING_VIEW, Action.REFERRAL_VIEW]
)
def test_allocated_practitioner_may_see_the_childs_records(role: Role, action: Action) -> None:
    target = target_for(Relationship.OTHER_AGENCY)
    without = evaluate(subject(role), action, target).allowed
    allocated = evaluate(subject(role), action, target, allocated=True).allowed
    assert allocated is (without or role == R.CSE_PRACTITIONER)


def test_allocation_does_not_lift_a_restriction() -> None:
    target = target_for(Relationship.OTHER_AGENCY, restricted=True)
    practitioner = subject(R.CSE_PRACTITIONER)
    assert not evaluate(practitioner, Action.PERSON_VIEW, target, allocated=True).allowed
    assert evaluate(
        practitioner, Action.PERSON_VIEW, target, allocated=True, has_grant=True
    ).allowed


@pytest.mark.parametrize("role", list(Role))
def test_meeting_attendees_of_any_partner_role_may_view_the_meeting(role: Role) -> None:
    target = target_for(Relationship.OTHER_AGENCY)
    attending = evaluate(subject(role), Action.MEETING_VIEW, target, attending=True).allowed
    assert attending is (role not in {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER})
    # Attendance gives nothing else: not the case, not the meeting's records.
    for action in (Action.CASE_VIEW, Action.MEETING_RECORD, Action.PERSON_VIEW):
        plain = evaluate(subject(role), action, target).allowed
        assert evaluate(subject(role), action, target, attending=True).allowed is plain


def test_looked_up_relations_need_an_object() -> None:
    practitioner = subject(R.CSE_PRACTITIONER, R.REFERRER)
    assert not evaluate(practitioner, Action.PERSON_VIEW, None, allocated=True).allowed
    assert not evaluate(subject(R.REFERRER), Action.MEETING_VIEW, None, attending=True).allowed
