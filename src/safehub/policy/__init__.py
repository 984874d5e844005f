"""The access policy: the one place that answers "may this user do this to that?".

Deny by default. Every view and API operation asks `require()` (or `decide()`) here, and
nothing else in the code base decides access. The rules are a pure function over plain
facts (`evaluate`) so they can be read and tested as a table of role x action x relationship.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from safehub.policy import facts
from safehub.policy.roles import Role


class Action(StrEnum):
    TOOL_VIEW = "screening_tool.view"
    SCREENING_CREATE = "screening.create"
    SCREENING_VIEW = "screening.view"
    SCREENING_JUDGE = "screening.record_judgement"
    SCREENING_APPROVE_LOWERING = "screening.approve_lowering"
    SUBMISSIONS_LIST_OWN = "submissions.list_own"
    PERSON_FIND = "person.find"
    PERSON_SEARCH = "person.search"  # the search page and the API's search
    PERSON_SEARCH_BROAD = "person.search_broad"  # any words, every match, with its sources
    PERSON_SEARCH_POLICE = "person.search_police"  # police records and persons of interest
    PERSON_CREATE = "person.create"
    PERSON_VIEW = "person.view"
    PERSON_BREAK_GLASS = "person.break_glass"
    BREAK_GLASS_REVIEW = "person.break_glass_review"
    REFERRAL_QUEUE_VIEW = "referral.queue_view"
    REFERRAL_VIEW = "referral.view"
    API_USE = "api.use"
    # --- accounts actions ---
    USER_ADMIN = "user.administer"
    # --- triage actions (referrals app) ---
    REFERRAL_TRIAGE = "referral.triage"
    REFERRAL_CREATE = "referral.create"
    # --- cases actions ---
    CASELOAD_VIEW = "caseload.view_own"
    TEAM_CASELOAD_VIEW = "caseload.view_team"
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    CASE_ALLOCATE = "case.allocate"
    CASE_CLOSE = "case.close"
    CHRONOLOGY_EXPORT = "chronology.export"
    MEETING_LIST = "meeting.list"
    MEETING_CREATE = "meeting.create"
    MEETING_VIEW = "meeting.view"
    MEETING_RECORD = "meeting.record"
    MEETING_ACTION_COMPLETE = "meeting_action.complete"
    # What a user's roles let them be given or shown (no object: asked of the user alone).
    CASE_HOLD = "case.hold"  # may be allocated CSE cases
    MEETING_AGENDA_ANY_CASE = "meeting.agenda_any_case"  # not only their own cases
    MEETING_POLICE_DETAIL = "meeting.police_detail"  # the places and persons of concern
    SCHOOLS_COVER = "schools.cover"  # may be assigned schools to cover
    MISSING_RHI_CONDUCT = "missing_rhi.conduct"  # may be given a return interview to hold
    PLAN_ACTION_OWN = "plan_action.own"  # may own an action of the delivery plan
    LICENSING_SENIOR = "licensing.senior"  # may be designated a senior licensing officer
    MEETING_ATTEND = "meeting.attend"  # may be named as a meeting's attendee
    MEETING_ACTION_OWN = "meeting_action.own"  # may be given a meeting's action
    # --- missing actions ---
    # --- plans actions ---
    PLAN_VIEW = "plan.view"
    PLAN_ACTION_VIEW = "plan_action.view"
    PLAN_ACTION_UPDATE = "plan_action.update"
    PLAN_MANAGE = "plan.manage"
    GOVERNANCE_VIEW = "governance.view"
    GOVERNANCE_RECORD = "governance.record"
    PLAN_REPORT_VIEW = "plan_report.view"
    PLAN_REPORT_ISSUE = "plan_report.issue"
    MISSING_EPISODE_RECORD = "missing_episode.record"
    MISSING_CHILD_ADD = "missing_episode.add_child"  # a child new to Safehub, with the episode
    MISSING_EPISODE_VIEW = "missing_episode.view"
    MISSING_RHI_RECORD = "missing_rhi.record"
    MISSING_RHI_LIST = "missing_rhi.list_due"
    MISSING_PROFILE_VIEW = "missing_profile.view"
    MISSING_PROFILE_EDIT = "missing_profile.edit"
    MISSING_ALERT_VIEW = "missing_alert.view"
    MISSING_ALERT_ACKNOWLEDGE = "missing_alert.acknowledge"
    MISSING_FINDINGS_VIEW = "missing_findings.view"
    MISSING_FINDINGS_SMALL_NUMBERS = "missing_findings.small_numbers"
    MISSING_FLAGGED_LOCATIONS_MANAGE = "missing_flagged_location.manage"
    # --- imports actions ---
    IMPORT_RUN = "import.run"
    IMPORT_HISTORY_VIEW = "import.history"
    IMPORT_RUN_VIEW = "import_run.view"
    IMPORT_RUN_ACT = "import_run.act"
    IMPORT_HISTORY_ALL_AGENCIES = "import.history_all_agencies"
    # --- attendance actions ---
    ATTENDANCE_ALERT_LIST = "attendance_alert.list"
    ATTENDANCE_ALERT_VIEW = "attendance_alert.view"
    ATTENDANCE_ALERT_ACT = "attendance_alert.act"
    ATTENDANCE_RULES_REVIEW = "attendance_rules.review"  # how the rules are doing: counts only
    # --- workforce actions ---
    WORKFORCE_STAFF_FIND = "workforce.staff_find"
    WORKFORCE_STAFF_VIEW = "workforce.staff_view"
    WORKFORCE_STAFF_RECORD = "workforce.staff_record"
    WORKFORCE_TRAINING_MANAGE = "workforce.training_manage"
    WORKFORCE_COVERAGE_VIEW = "workforce.coverage_view"
    WORKFORCE_GAPS_VIEW = "workforce.gaps_view"
    AWARENESS_VIEW = "awareness.view"
    AWARENESS_RECORD = "awareness.record"
    # --- licensing actions ---
    LICENSING_DRIVER_FIND = "licensing.driver_find"
    LICENSING_DRIVER_VIEW = "licensing.driver_view"
    LICENSING_DRIVER_RECORD = "licensing.driver_record"
    LICENSING_DECIDE = "licensing.decide"
    LICENSING_ALERTS_VIEW = "licensing.alerts_view"
    LICENSING_REPORTS_VIEW = "licensing.reports_view"
    # --- linkage actions ---
    LINKAGE_RUN = "linkage.run"
    LINKAGE_REVIEW = "linkage.review"
    LINKAGE_CLUSTER_MANAGE = "linkage.cluster_manage"
    LINKAGE_QUALITY_VIEW = "linkage.quality_view"
    # --- intelligence actions ---
    INTEL_FIND = "intelligence.find"
    INTEL_VIEW = "intelligence.view"
    INTEL_RECORD = "intelligence.record"
    DISRUPTION_RECORD = "disruption.record"
    # --- analytics actions ---
    PROFILE_VIEW = "problem_profile.view"
    PROFILE_AGGREGATE_VIEW = "problem_profile.aggregate_view"
    COMPARATORS_VIEW = "comparators.view"


class Relationship(StrEnum):
    """How the target relates to the user asking."""

    NONE = "none"  # no object (a list or a form)
    OWN = "own"  # the user submitted or created it
    OWN_AGENCY = "own_agency"  # someone else in the user's agency did
    OTHER_AGENCY = "other_agency"  # anyone else


@dataclass(frozen=True)
class Subject:
    user_id: int
    agency_id: int | None
    roles: frozenset[str]
    active: bool = True


@dataclass(frozen=True)
class TargetFacts:
    """What the policy needs to know about an object, and nothing more."""

    kind: str
    person_id: int | None = None
    owner_user_id: int | None = None
    owner_agency_id: int | None = None
    restricted: bool = False
    # The object's own id, for relationships looked up per object (meeting attendance).
    object_id: int | None = None
    # The school the object is about (an attendance alert), for "covers this school".
    school_id: int | None = None


class HasAccessFacts(Protocol):
    def access_facts(self) -> TargetFacts: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


R = Role
SCREENERS = frozenset(
    {R.REFERRER, R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.EDUCATION_WELFARE}
)
CASE_READERS = frozenset({R.MASH_OFFICER, R.CSE_MANAGER})
# Break-glass is for roles that could see the record but for the restriction. (Practitioners
# see allocated cases only, which arrive with case management.)
BREAK_GLASS_ROLES = CASE_READERS
CSE_TEAM = frozenset({R.CSE_PRACTITIONER, R.CSE_MANAGER})
POLICE = frozenset({R.POLICE_INTELLIGENCE, R.POLICE_ANALYST})
# Everyone who works with children; not system administrators, board members or data officers.
PARTNERS = frozenset(Role) - {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER}
SEARCH_BROAD = CASE_READERS | CSE_TEAM | POLICE | {R.DATA_OFFICER}
_ANY_OBJECT = (Relationship.OWN, Relationship.OWN_AGENCY, Relationship.OTHER_AGENCY)

# Which roles may take an action on a target of a given relationship. Anything not listed is
# refused. Restricted records additionally need an explicit grant (see `evaluate`).
RULES: dict[Action, dict[Relationship, frozenset[str]]] = {
    Action.TOOL_VIEW: {Relationship.NONE: SCREENERS | CASE_READERS},
    Action.SCREENING_CREATE: {Relationship.NONE: SCREENERS},
    Action.SUBMISSIONS_LIST_OWN: {Relationship.NONE: SCREENERS},
    Action.API_USE: {Relationship.NONE: SCREENERS},
    # --- accounts rules ---
    # Only system administrators manage accounts; they see staff, never children's records.
    Action.USER_ADMIN: {rel: frozenset({R.SYSTEM_ADMIN}) for rel in Relationship},
    Action.PERSON_FIND: {Relationship.NONE: SCREENERS},
    # Search: screeners (a teacher, a youth worker) find a child they already know by name and
    # date of birth or an identifier, and see only strong matches' names and dates of birth;
    # those who work the cases, the police and data officers search on any words and see
    # every match with the agencies holding records. Police records and persons of interest
    # are the police's alone. Board members and administrators do not search for children.
    Action.PERSON_SEARCH: {Relationship.NONE: SCREENERS | SEARCH_BROAD},
    Action.PERSON_SEARCH_BROAD: {Relationship.NONE: SEARCH_BROAD},
    Action.PERSON_SEARCH_POLICE: {Relationship.NONE: POLICE},
    Action.PERSON_CREATE: {Relationship.NONE: SCREENERS},
    Action.SCREENING_VIEW: {
        Relationship.OWN: SCREENERS,
        Relationship.OWN_AGENCY: CASE_READERS,
        Relationship.OTHER_AGENCY: CASE_READERS,
    },
    # Only the practitioner who screened records a different result...
    Action.SCREENING_JUDGE: {Relationship.OWN: SCREENERS},
    # ...and a manager, never the same person, approves a lower one.
    Action.SCREENING_APPROVE_LOWERING: {
        Relationship.NONE: frozenset({R.CSE_MANAGER}),
        Relationship.OWN_AGENCY: frozenset({R.CSE_MANAGER}),
        Relationship.OTHER_AGENCY: frozenset({R.CSE_MANAGER}),
    },
    Action.PERSON_VIEW: {
        Relationship.OWN: CASE_READERS,
        Relationship.OWN_AGENCY: CASE_READERS,
        Relationship.OTHER_AGENCY: CASE_READERS,
    },
    Action.PERSON_BREAK_GLASS: {
        Relationship.OWN: BREAK_GLASS_ROLES,
        Relationship.OWN_AGENCY: BREAK_GLASS_ROLES,
        Relationship.OTHER_AGENCY: BREAK_GLASS_ROLES,
    },
    Action.REFERRAL_QUEUE_VIEW: {Relationship.NONE: CASE_READERS},
    Action.BREAK_GLASS_REVIEW: {Relationship.NONE: frozenset({R.CSE_MANAGER})},
    # --- triage rules (referrals app) ---
    Action.REFERRAL_TRIAGE: {
        Relationship.OWN: CASE_READERS,
        Relationship.OWN_AGENCY: CASE_READERS,
        Relationship.OTHER_AGENCY: CASE_READERS,
    },
    Action.REFERRAL_CREATE: {Relationship.NONE: SCREENERS},
    # --- cases rules ---
    # A practitioner's cases are those allocated to them (the case's "owner"); the manager
    # sees all and allocates and closes; MASH officers may read.
    Action.CASELOAD_VIEW: {Relationship.NONE: CSE_TEAM},
    Action.TEAM_CASELOAD_VIEW: {Relationship.NONE: frozenset({R.CSE_MANAGER})},
    Action.CASE_VIEW: {
        Relationship.OWN: CSE_TEAM | {R.MASH_OFFICER},
        Relationship.OWN_AGENCY: CASE_READERS,
        Relationship.OTHER_AGENCY: CASE_READERS,
    },
    Action.CASE_EDIT: {
        Relationship.OWN: CSE_TEAM,
        Relationship.OWN_AGENCY: frozenset({R.CSE_MANAGER}),
        Relationship.OTHER_AGENCY: frozenset({R.CSE_MANAGER}),
    },
    Action.CASE_ALLOCATE: {rel: frozenset({R.CSE_MANAGER}) for rel in _ANY_OBJECT},
    Action.CASE_CLOSE: {rel: frozenset({R.CSE_MANAGER}) for rel in _ANY_OBJECT},
    Action.CHRONOLOGY_EXPORT: {
        Relationship.OWN: CSE_TEAM,
        Relationship.OWN_AGENCY: frozenset({R.CSE_MANAGER}),
        Relationship.OTHER_AGENCY: frozenset({R.CSE_MANAGER}),
    },
    # Meetings are the CSE team's records; attendees from other agencies get a time-limited
    # view through ATTENDEE_RULES below.
    Action.MEETING_LIST: {Relationship.NONE: CSE_TEAM},
    Action.MEETING_CREATE: {Relationship.NONE: CSE_TEAM},
    Action.MEETING_VIEW: {rel: CSE_TEAM for rel in _ANY_OBJECT},
    Action.MEETING_RECORD: {rel: CSE_TEAM for rel in _ANY_OBJECT},
    # Only the CSE team is allocated cases; a manager puts any open case on an agenda, a
    # practitioner their own; the police detail of a meeting is for the team and the police.
    Action.CASE_HOLD: {Relationship.NONE: CSE_TEAM},
    Action.MISSING_RHI_CONDUCT: {Relationship.NONE: CSE_TEAM},
    # Attendees are the partners attendance lets see the meeting (ATTENDEE_RULES); an action's
    # owner is anyone who may mark their own action done.
    Action.MEETING_ATTEND: {Relationship.NONE: PARTNERS},
    Action.MEETING_ACTION_OWN: {Relationship.NONE: CSE_TEAM | PARTNERS},
    Action.PLAN_ACTION_OWN: {Relationship.NONE: frozenset({R.ACTION_OWNER, R.CSE_MANAGER})},
    Action.LICENSING_SENIOR: {Relationship.NONE: frozenset({R.LICENSING_OFFICER})},
    Action.MEETING_AGENDA_ANY_CASE: {Relationship.NONE: frozenset({R.CSE_MANAGER})},
    Action.MEETING_POLICE_DETAIL: {Relationship.NONE: CSE_TEAM | POLICE},
    # An action's owner (any partner who works with children) marks it done, or the team does.
    Action.MEETING_ACTION_COMPLETE: {
        Relationship.OWN: CSE_TEAM | PARTNERS,
        Relationship.OWN_AGENCY: CSE_TEAM,
        Relationship.OTHER_AGENCY: CSE_TEAM,
    },
    # --- missing rules ---
    # --- plans rules ---
    # The plan lead is the CSE manager. Board members read the plan, governance and reports
    # (aggregate, no child data, read-only); action owners read them and update only the
    # actions they own ("own" = the action's owner); the lead updates any action.
    **{
        action: {
            rel: frozenset({R.CSE_MANAGER, R.ACTION_OWNER, R.BOARD_MEMBER}) for rel in Relationship
        }
        for action in (Action.PLAN_VIEW, Action.GOVERNANCE_VIEW, Action.PLAN_REPORT_VIEW)
    },
    Action.PLAN_ACTION_VIEW: {
        rel: frozenset({R.CSE_MANAGER, R.ACTION_OWNER}) for rel in _ANY_OBJECT
    },
    Action.PLAN_ACTION_UPDATE: {
        Relationship.OWN: frozenset({R.CSE_MANAGER, R.ACTION_OWNER}),
        Relationship.OWN_AGENCY: frozenset({R.CSE_MANAGER}),
        Relationship.OTHER_AGENCY: frozenset({R.CSE_MANAGER}),
    },
    **{
        action: {rel: frozenset({R.CSE_MANAGER}) for rel in Relationship}
        for action in (Action.PLAN_MANAGE, Action.GOVERNANCE_RECORD, Action.PLAN_REPORT_ISSUE)
    },
    # Episodes: the MASH, the CSE team and police intelligence record and read them.
    Action.MISSING_EPISODE_RECORD: {
        rel: frozenset({R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE})
        for rel in Relationship
    },
    Action.MISSING_EPISODE_VIEW: {
        rel: frozenset({R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE})
        for rel in _ANY_OBJECT
    },
    # The police's first notification may be of a child Safehub does not know yet: whoever
    # records episodes adds the child, but only there, with the episode and after the front
    # door's "is this the child?" (police intelligence do not add children anywhere else).
    Action.MISSING_CHILD_ADD: {
        Relationship.NONE: frozenset(
            {R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE}
        )
    },
    # Return interviews are the CSE team's; what a child says there is not police intelligence.
    Action.MISSING_RHI_RECORD: {rel: CSE_TEAM for rel in _ANY_OBJECT},
    Action.MISSING_RHI_LIST: {Relationship.NONE: CSE_TEAM},
    # The Philomena profile exists to be handed to the police, so they may read it.
    Action.MISSING_PROFILE_VIEW: {
        rel: frozenset({R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE})
        for rel in _ANY_OBJECT
    },
    Action.MISSING_PROFILE_EDIT: {rel: CSE_TEAM | {R.MASH_OFFICER} for rel in _ANY_OBJECT},
    Action.MISSING_ALERT_VIEW: {Relationship.NONE: CSE_TEAM | {R.MASH_OFFICER}},
    Action.MISSING_ALERT_ACKNOWLEDGE: {rel: CSE_TEAM | {R.MASH_OFFICER} for rel in _ANY_OBJECT},
    Action.MISSING_FINDINGS_VIEW: {Relationship.NONE: CSE_TEAM | {R.MASH_OFFICER}},
    # Places or people named by only one or two children are for the CSE team's eyes only.
    Action.MISSING_FINDINGS_SMALL_NUMBERS: {Relationship.NONE: CSE_TEAM},
    Action.MISSING_FLAGGED_LOCATIONS_MANAGE: {Relationship.NONE: frozenset({R.CSE_MANAGER})},
    Action.REFERRAL_VIEW: {
        Relationship.OWN: CASE_READERS,
        Relationship.OWN_AGENCY: CASE_READERS,
        Relationship.OTHER_AGENCY: CASE_READERS,
    },
    # --- imports rules ---
    # System administrators import every source; a data officer imports the sources of their
    # own agency's type (a source is "own agency" when its agency_types include the user's
    # agency type; see imports/access.py) and sees and continues their agency's runs.
    Action.IMPORT_RUN: {
        Relationship.NONE: frozenset({R.SYSTEM_ADMIN, R.DATA_OFFICER}),
        Relationship.OWN_AGENCY: frozenset({R.SYSTEM_ADMIN, R.DATA_OFFICER}),
        Relationship.OTHER_AGENCY: frozenset({R.SYSTEM_ADMIN}),
    },
    Action.IMPORT_HISTORY_VIEW: {Relationship.NONE: frozenset({R.SYSTEM_ADMIN, R.DATA_OFFICER})},
    # A data officer's import history holds their own agency's runs; an administrator's, all.
    Action.IMPORT_HISTORY_ALL_AGENCIES: {Relationship.NONE: frozenset({R.SYSTEM_ADMIN})},
    **{
        action: {
            Relationship.OWN: frozenset({R.SYSTEM_ADMIN, R.DATA_OFFICER}),
            Relationship.OWN_AGENCY: frozenset({R.SYSTEM_ADMIN, R.DATA_OFFICER}),
            Relationship.OTHER_AGENCY: frozenset({R.SYSTEM_ADMIN}),
        }
        for action in (Action.IMPORT_RUN_VIEW, Action.IMPORT_RUN_ACT)
    },
    # --- attendance rules ---
    # An education welfare officer lists the alerts of the schools they cover; an alert is
    # "own" to the officers covering its school (looked up in `decide`), and no one else's.
    Action.ATTENDANCE_ALERT_LIST: {Relationship.NONE: frozenset({R.EDUCATION_WELFARE})},
    Action.SCHOOLS_COVER: {Relationship.NONE: frozenset({R.EDUCATION_WELFARE})},
    Action.ATTENDANCE_ALERT_VIEW: {Relationship.OWN: frozenset({R.EDUCATION_WELFARE})},
    Action.ATTENDANCE_ALERT_ACT: {Relationship.OWN: frozenset({R.EDUCATION_WELFARE})},
    # How the rules are doing (alerts, dismissals and alert rates per group, small numbers
    # suppressed, no child named) is for those who tune the thresholds: system administrators
    # set them, the CSE manager answers for what the alerts are for.
    Action.ATTENDANCE_RULES_REVIEW: {Relationship.NONE: frozenset({R.SYSTEM_ADMIN, R.CSE_MANAGER})},
    # --- workforce rules ---
    # The staff register is the workforce administrators' alone: licensing officers never see
    # staff records. They produce the coverage figures (aggregates, drivers included as counts)
    # for the Cabinet Member; who is missing what is also theirs alone.
    **{
        action: {rel: frozenset({R.WORKFORCE_ADMIN}) for rel in Relationship}
        for action in (
            Action.WORKFORCE_STAFF_FIND,
            Action.WORKFORCE_STAFF_VIEW,
            Action.WORKFORCE_STAFF_RECORD,
            Action.WORKFORCE_TRAINING_MANAGE,
            Action.WORKFORCE_GAPS_VIEW,
        )
    },
    Action.WORKFORCE_COVERAGE_VIEW: {Relationship.NONE: frozenset({R.WORKFORCE_ADMIN})},
    # Awareness raising: counts of people reached, no personal data; the delivery plan's lead
    # and action owners cite it as evidence.
    Action.AWARENESS_VIEW: {
        rel: frozenset({R.WORKFORCE_ADMIN, R.CSE_MANAGER, R.ACTION_OWNER}) for rel in Relationship
    },
    Action.AWARENESS_RECORD: {
        rel: frozenset({R.WORKFORCE_ADMIN, R.CSE_MANAGER}) for rel in Relationship
    },
    # --- licensing rules ---
    # Driver records are the licensing officers' alone (workforce administrators see drivers
    # only as coverage counts). Overriding the licensing rules needs a designated senior
    # officer: a flag checked by `licensing.services.grant_licence`, not a role.
    **{
        action: {rel: frozenset({R.LICENSING_OFFICER}) for rel in Relationship}
        for action in (
            Action.LICENSING_DRIVER_FIND,
            Action.LICENSING_DRIVER_VIEW,
            Action.LICENSING_DRIVER_RECORD,
            Action.LICENSING_DECIDE,
            Action.LICENSING_ALERTS_VIEW,
            Action.LICENSING_REPORTS_VIEW,
        )
    },
    # --- linkage rules ---
    # Data officers run linkage and resolve the review queue: they see agencies' source
    # records for that purpose only. The data-quality report holds counts, no names: the CSE
    # manager reads it to state data quality beside the partnership's figures.
    **{
        action: {rel: frozenset({R.DATA_OFFICER}) for rel in Relationship}
        for action in (Action.LINKAGE_RUN, Action.LINKAGE_REVIEW, Action.LINKAGE_CLUSTER_MANAGE)
    },
    Action.LINKAGE_QUALITY_VIEW: {Relationship.NONE: frozenset({R.DATA_OFFICER, R.CSE_MANAGER})},
    # --- intelligence rules ---
    # Intelligence is the police's alone: both police roles find and read it (every read is
    # audited); the intelligence officer records it and the disruption against perpetrators.
    Action.INTEL_FIND: {Relationship.NONE: POLICE},
    Action.INTEL_VIEW: {rel: POLICE for rel in Relationship},
    Action.INTEL_RECORD: {rel: frozenset({R.POLICE_INTELLIGENCE}) for rel in Relationship},
    Action.DISRUPTION_RECORD: {rel: frozenset({R.POLICE_INTELLIGENCE}) for rel in Relationship},
    # --- analytics rules ---
    # The full problem profile (names, places, networks) is for the police; the aggregate
    # version (counts, small numbers suppressed) and the published comparators are also the
    # board's and the CSE manager's.
    Action.PROFILE_VIEW: {Relationship.NONE: POLICE},
    Action.PROFILE_AGGREGATE_VIEW: {Relationship.NONE: POLICE | {R.BOARD_MEMBER, R.CSE_MANAGER}},
    Action.COMPARATORS_VIEW: {Relationship.NONE: POLICE | {R.BOARD_MEMBER, R.CSE_MANAGER}},
}

# Actions that reveal a person's record and so respect the "restricted" flag. The referrer's
# view of their own submission shows only the outcome, so it is not listed.
# Extra roles granted on an object when the user stands in a looked-up relation to it, whatever
# the ownership relationship. "Allocated": the person is the child of an open case allocated
# to the user. "Attending": the user attended the meeting, within the window after it.
ALLOCATED_RULES: dict[Action, frozenset[str]] = {
    Action.PERSON_VIEW: frozenset({R.CSE_PRACTITIONER}),
    Action.SCREENING_VIEW: frozenset({R.CSE_PRACTITIONER}),
    Action.REFERRAL_VIEW: frozenset({R.CSE_PRACTITIONER}),
}
ATTENDEE_RULES: dict[Action, frozenset[str]] = {Action.MEETING_VIEW: PARTNERS}

RESTRICTED_AWARE = frozenset({Action.PERSON_VIEW, Action.REFERRAL_VIEW, Action.REFERRAL_TRIAGE})
# A restricted child's case is seen only with a grant; allocation gives the worker one.
RESTRICTED_AWARE |= {
    Action.CASE_VIEW,
    Action.CASE_EDIT,
    Action.CASE_ALLOCATE,
    Action.CASE_CLOSE,
    Action.CHRONOLOGY_EXPORT,
}
# --- missing restricted-aware actions ---
RESTRICTED_AWARE |= {
    Action.MISSING_EPISODE_RECORD,
    Action.MISSING_EPISODE_VIEW,
    Action.MISSING_RHI_RECORD,
    Action.MISSING_PROFILE_VIEW,
    Action.MISSING_PROFILE_EDIT,
    Action.MISSING_ALERT_ACKNOWLEDGE,
}
# --- linkage restricted-aware actions ---
# A review pair or a cluster shows agencies' records of the children it links: a restricted
# child's only with a grant (the pair or cluster reports itself restricted).
RESTRICTED_AWARE |= {Action.LINKAGE_REVIEW, Action.LINKAGE_CLUSTER_MANAGE}


def relationship(subject: Subject, target: TargetFacts | None) -> Relationship:
    """Classify the target relative to the subject."""
    if target is None:
        return Relationship.NONE
    if target.owner_user_id is not None and target.owner_user_id == subject.user_id:
        return Relationship.OWN
    if target.owner_agency_id is not None and target.owner_agency_id == subject.agency_id:
        return Relationship.OWN_AGENCY
    return Relationship.OTHER_AGENCY


def evaluate(
    subject: Subject,
    action: Action,
    target: TargetFacts | None,
    *,
    has_grant: bool = False,
    allocated: bool = False,
    attending: bool = False,
) -> Decision:
    """Decide an action from plain facts. Denies unless a rule grants it.

    `allocated` / `attending` say the user is allocated the target's child / attended the
    target meeting within its window; they add the roles in ALLOCATED_RULES / ATTENDEE_RULES.
    Refuses: inactive users; roles not listed for the action and relationship; restricted
    records (for actions that reveal them) unless the user holds an explicit grant.
    """
    if not subject.active:
        return Decision(False, "account inactive")
    rel = relationship(subject, target)
    allowed_roles = RULES.get(action, {}).get(rel, frozenset())
    if target is not None and allocated:
        allowed_roles = allowed_roles | ALLOCATED_RULES.get(action, frozenset())
    if target is not None and attending:
        allowed_roles = allowed_roles | ATTENDEE_RULES.get(action, frozenset())
    if not (subject.roles & allowed_roles):
        return Decision(False, f"no role grants {action} on {rel} objects")
    if target is not None and target.restricted and action in RESTRICTED_AWARE and not has_grant:
        return Decision(False, "restricted record: an explicit grant is needed")
    # Break-glass only makes sense for restricted records the user cannot already see.
    if action == Action.PERSON_BREAK_GLASS and (target is None or not target.restricted):
        return Decision(False, "break-glass is only for restricted records")
    return Decision(True, f"granted to {sorted(subject.roles & allowed_roles)}")


def subject_of(user: object) -> Subject | None:
    """The policy's view of a Django user, or None for an anonymous one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Subject(
        user_id=user.pk,  # type: ignore[attr-defined]
        agency_id=user.agency_id,  # type: ignore[attr-defined]
        roles=user.role_set(),  # type: ignore[attr-defined]
        active=user.is_active,  # type: ignore[attr-defined]
    )


def decide(user: object, action: Action, obj: HasAccessFacts | None = None) -> Decision:
    """Decide whether `user` may take `action` on `obj` (None for lists and forms)."""
    subject = subject_of(user)
    if subject is None:
        return Decision(False, "not signed in")
    target = obj.access_facts() if obj is not None else None
    has_grant = False
    if target is not None and target.restricted and target.person_id is not None:
        has_grant = facts.has_access_grant(user_id=subject.user_id, person_id=target.person_id)
    allocated = attending = False
    if target is not None and subject.roles & ALLOCATED_RULES.get(action, frozenset()):
        if target.person_id is not None:
            allocated = facts.is_allocated(user_id=subject.user_id, person_id=target.person_id)
    if target is not None and action in ATTENDEE_RULES and target.object_id is not None:
        attending = facts.is_attending(user_id=subject.user_id, meeting_id=target.object_id)
    # attendance: an alert belongs to the officers covering its school (a restricted child's
    # only with a grant), so for them it is "own"; everyone else stands in no relation to it.
    if target is not None and target.kind == "attendance_alert" and target.school_id:
        if (not target.restricted or has_grant) and facts.covers_school(
            user_id=subject.user_id, school_id=target.school_id
        ):
            target = replace(target, owner_user_id=subject.user_id)
    return evaluate(
        subject, action, target, has_grant=has_grant, allocated=allocated, attending=attending
    )


def require(user: object, action: Action, obj: HasAccessFacts | None = None) -> None:
    """Raise PermissionDenied unless the policy allows the action."""
    decision = decide(user, action, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


def allows(user: object, action: Action, obj: HasAccessFacts | None = None) -> bool:
    """Convenience for templates and navigation."""
    return decide(user, action, obj).allowed


def users_who_may(action: Action) -> Q:
    """A filter on accounts.User keeping the active users whose roles the policy grants
    `action` with no object: the people a case, an interview or an action may be given to.
    Add .distinct() to the query (a user holding two such roles joins twice)."""
    roles = RULES.get(action, {}).get(Relationship.NONE, frozenset())
    return Q(is_active=True, role_assignments__role__in=sorted(roles))


# --- scopes: which people a list, match or search may show ---------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class PersonScope:
    """The people whose details a user may see in a list, a match, a count or an export.

    Anyone not restricted, and the restricted people the user holds a current grant for.
    Whether the user may see a list at all is still `require`'s question: a scope only says
    which rows of an allowed list are shown in full. Rows outside it are either left out
    (`visible`) or shown as "a restricted record" with no detail (`mark_masked`; the
    templates include govuk/_restricted_record.html).
    """

    user_id: int
    granted: frozenset[int]

    def shows(self, *, person_id: int | None, restricted: bool) -> bool:
        """Whether a row about this person may show who the person is."""
        return not restricted or (person_id is not None and person_id in self.granted)

    def visible(self, person_field: str = "person") -> Q:
        """A filter keeping only rows whose person is shown in full (`person_field` names the
        row's foreign key to people.Person; "" when the rows are people)."""
        prefix = f"{person_field}__" if person_field else ""
        id_field = f"{person_field}_id" if person_field else "pk"
        return Q(**{f"{prefix}is_restricted": False}) | Q(**{f"{id_field}__in": self.granted})


NO_ONE = PersonScope(user_id=0, granted=frozenset())


def person_scope(user: object) -> PersonScope:
    """The user's scope over people: the restricted people they hold a current grant for.
    Anonymous and inactive users see no one's details (every restricted row masked, and
    `require` refuses them every list anyway)."""
    subject = subject_of(user)
    if subject is None or not subject.active:
        return NO_ONE
    return PersonScope(user_id=subject.user_id, granted=facts.granted_person_ids(subject.user_id))


def mark_masked(
    rows: Iterable[T],
    scope: PersonScope,
    person: Callable[[T], object | None],
) -> list[T]:
    """Set `masked` on each row: True when the row's person (from `person(row)`, a
    people.Person or None) may not be shown to the scope's user. Templates show
    govuk/_restricted_record.html, and nothing else about the person, for a masked row."""
    out = list(rows)
    for row in out:
        who = person(row)
        masked = who is not None and not scope.shows(
            person_id=getattr(who, "pk", None),
            restricted=bool(getattr(who, "is_restricted", False)),
        )
        row.masked = masked  # type: ignore[attr-defined]
    return out


def shown_person_ids(rows: Iterable[T], person: Callable[[T], object | None]) -> list[int]:
    """The ids of the people shown in full in `rows` (after `mark_masked`), for the audit."""
    ids: list[int] = []
    for row in rows:
        who = person(row)
        if who is not None and not getattr(row, "masked", False):
            pk = getattr(who, "pk", None)
            if pk is not None and pk not in ids:
                ids.append(pk)
    return ids


def search_scope(user: object) -> Q:
    """A filter on people.Person keeping those a search by `user` may return at all: persons
    of interest to the police (adults named in intelligence) only for the police. Restricted
    children are returned and masked by `person_scope`."""
    if allows(user, Action.PERSON_SEARCH_POLICE):
        return Q()
    return Q(person_of_interest__isnull=True)
