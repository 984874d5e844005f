"""The authorisation matrix: every URL and API operation x every role x every relationship.

The URLs are read from the URL configuration, so a new URL without an entry in EXPECTED fails
`test_every_url_has_an_entry`. Expected outcomes are declared here, in one table, independently
of the policy module; any unexpected grant (or refusal) fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.accounts.services import issue_api_token
from safehub.audit.models import AccessEvent
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import InformationRequest, Referral
from safehub.screening import drafts
from tests.cases.helpers import CASE_KINDS, matrix_target
from tests.conftest import sign_in
from tests.factories import make_screening, make_user, wm_answers
from tests.missing.helpers import make_episode
from tests.plans.helpers import PLAN_KINDS
from tests.plans.helpers import matrix_target as plan_matrix_target

R = Role
OWN, OTHER, RESTRICTED, NONE = "own", "other", "restricted", "none"
SCREENERS = {R.REFERRER, R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.EDUCATION_WELFARE}
CASE_READERS = {R.MASH_OFFICER, R.CSE_MANAGER}
EVERYONE = set(Role)
CSE_TEAM = {R.CSE_PRACTITIONER, R.CSE_MANAGER}
PARTNERS = EVERYONE - {R.SYSTEM_ADMIN, R.BOARD_MEMBER, R.DATA_OFFICER}
POLICE = {R.POLICE_INTELLIGENCE, R.POLICE_ANALYST}
SEARCHERS = SCREENERS | CASE_READERS | CSE_TEAM | POLICE | {R.DATA_OFFICER}
PLAN_WORKERS = {R.CSE_MANAGER, R.ACTION_OWNER}
PLAN_READERS = PLAN_WORKERS | {R.BOARD_MEMBER}


@dataclass(frozen=True)
class Entry:
    """Who may use a URL. `grants` maps relationship -> roles allowed; anything else is 403.

    `kind` says which object the URL acts on (None for lists and forms). `absent` lists
    relationships where the object is invisible to the user and the answer is 404.
    """

    kind: str | None
    grants: dict[str, set[Role]]
    method: str = "get"
    api: bool = False
    absent: frozenset[str] = field(default_factory=frozenset)
    public: bool = False


def on(*rels: str, roles: set[Role]) -> dict[str, set[Role]]:
    return {rel: roles for rel in rels}


EXPECTED: dict[str, Entry] = {
    "home": Entry(None, on(NONE, roles=EVERYONE)),
    "accounts:login": Entry(None, {}, public=True),
    "accounts:logout": Entry(None, {}, public=True),
    "accounts:two_factor": Entry(None, on(NONE, roles=EVERYONE)),
    # A form kept after a timeout: its author only; anyone else's is not found.
    "accounts:held_submission": Entry(
        "held", on(OWN, OTHER, roles=EVERYONE), absent=frozenset({OTHER})
    ),
    # Form drafts and "stay signed in": every signed-in user, for their own drafts only (the
    # matrix's empty JSON body is refused as a bad request, never as forbidden).
    **{
        f"drafts:{n}": Entry(None, on(NONE, roles=EVERYONE), method="post")
        for n in ("autosave", "discard", "stay_signed_in")
    },
    # --- accounts entries ---
    "accounts:password_change": Entry(None, on(NONE, roles=EVERYONE)),
    **{
        f"accounts:{n}": Entry(None, on(NONE, roles={R.SYSTEM_ADMIN}))
        for n in ("users", "user_new")
    },
    **{
        f"accounts:{n}": Entry("staff_user", on(OWN, OTHER, RESTRICTED, roles={R.SYSTEM_ADMIN}))
        for n in ("user", "user_edit")
    },
    **{
        f"accounts:{n}": Entry(
            "staff_user", on(OWN, OTHER, RESTRICTED, roles={R.SYSTEM_ADMIN}), method="post"
        )
        for n in ("user_active", "user_reset_two_factor", "user_reset_password")
    },
    "people:detail": Entry("person", on(OWN, OTHER, roles=CASE_READERS)),
    # --- search entries ---
    # Screeners find a child they know; case workers, the police and data officers search
    # broadly; board members and administrators do not search for children at all.
    "search:search": Entry(None, on(NONE, roles=SEARCHERS)),
    "search:merge": Entry(None, on(NONE, roles={R.DATA_OFFICER}), method="post"),
    # Restricted: case readers are sent to break-glass, which they may use; nobody else may.
    "people:break_glass": Entry("person", on(RESTRICTED, roles=CASE_READERS)),
    "people:break_glass_reviews": Entry(None, on(NONE, roles={R.CSE_MANAGER})),
    "screening:start": Entry(None, on(NONE, roles=SCREENERS)),
    "screening:my_submissions": Entry(None, on(NONE, roles=SCREENERS)),
    "screening:approvals": Entry(None, on(NONE, roles={R.CSE_MANAGER})),
    **{
        f"screening:{name}": Entry(
            "draft", on(OWN, OTHER, roles=SCREENERS), absent=frozenset({OTHER})
        )
        for name in ("child", "match", "group", "check")
    },
    "screening:cancel": Entry(
        "draft", on(OWN, OTHER, roles=SCREENERS), method="post", absent=frozenset({OTHER})
    ),
    "screening:result": Entry(
        "screening",
        {OWN: SCREENERS, OTHER: CASE_READERS, RESTRICTED: CASE_READERS},
    ),
    "screening:judgement": Entry("screening", on(OWN, roles=SCREENERS)),
    "referrals:queue": Entry(None, on(NONE, roles=CASE_READERS)),
    "referrals:detail": Entry("referral", on(OWN, OTHER, roles=CASE_READERS)),
    # --- triage entries ---
    "referrals:new": Entry(None, on(NONE, roles=SCREENERS)),
    **{
        f"referrals:{name}": Entry("referral", on(OWN, OTHER, roles=CASE_READERS), method="post")
        for name in ("rate", "decide", "milestone", "ask")
    },
    "referrals:answer": Entry(
        "information_request", on(OWN, OTHER, roles=CASE_READERS), method="post"
    ),
    "api:post_referral": Entry(None, on(NONE, roles=SCREENERS), method="post", api=True),
    # --- cases entries ---
    "cases:my_caseload": Entry(None, on(NONE, roles=CSE_TEAM)),
    "cases:team": Entry(None, on(NONE, roles={R.CSE_MANAGER})),
    **{
        f"cases:{name}": Entry(
            "case",
            # A restricted child's case needs a grant, whatever the role.
            {OWN: CSE_TEAM | {R.MASH_OFFICER}, OTHER: CASE_READERS},
        )
        for name in ("detail", "chronology")
    },
    **{
        f"cases:{name}": Entry("case", {OWN: CSE_TEAM, OTHER: {R.CSE_MANAGER}})
        for name in (
            "risk",
            "safety_plan",
            "intervention",
            "review",
            "nrm",
            "factors",
            "chronology_entry",
            "chronology_csv",
            "chronology_safe",
        )
    },
    **{
        f"cases:{name}": Entry("case", on(OWN, OTHER, roles={R.CSE_MANAGER}))
        for name in ("allocate", "close")
    },
    **{
        f"cases:{name}": Entry(None, on(NONE, roles=CSE_TEAM))
        for name in ("meetings", "meeting_new", "actions")
    },
    # Attending (yesterday) is "own": any partner sees the meeting, only the team records.
    "cases:meeting": Entry("meeting", {OWN: PARTNERS, OTHER: CSE_TEAM, RESTRICTED: CSE_TEAM}),
    **{
        f"cases:{name}": Entry("meeting", on(OWN, OTHER, RESTRICTED, roles=CSE_TEAM))
        for name in ("meeting_record", "meeting_action_new")
    },
    "cases:action_complete": Entry(
        "meeting_action",
        {OWN: PARTNERS, OTHER: CSE_TEAM, RESTRICTED: CSE_TEAM},
        method="post",
    ),
    # --- missing entries ---
    # --- imports entries ---
    **{
        f"imports:{name}": Entry(None, on(NONE, roles={R.SYSTEM_ADMIN, R.DATA_OFFICER}))
        for name in ("history", "new")
    },
    # A run is its starter's and their agency's; system administrators see every run.
    **{
        f"imports:{name}": Entry(
            "import_run",
            {
                OWN: {R.SYSTEM_ADMIN, R.DATA_OFFICER},
                OTHER: {R.SYSTEM_ADMIN},
                RESTRICTED: {R.SYSTEM_ADMIN},
            },
            method=method,
        )
        for name, method in (
            ("run", "get"),
            ("progress", "get"),
            ("rejected", "get"),
            ("act", "post"),
        )
    },
    # --- attendance entries ---
    "attendance:officer_schools": Entry(
        "staff_user", on(OWN, OTHER, RESTRICTED, roles={R.SYSTEM_ADMIN})
    ),
    # Own: an alert at a school the officer covers; other: any other school's (refused).
    "attendance:alerts": Entry(None, on(NONE, roles={R.EDUCATION_WELFARE})),
    "attendance:alert": Entry("attendance_alert", on(OWN, roles={R.EDUCATION_WELFARE})),
    "attendance:dismiss": Entry("attendance_alert", on(OWN, roles={R.EDUCATION_WELFARE})),
    **{
        f"attendance:{name}": Entry(
            "attendance_alert", on(OWN, roles={R.EDUCATION_WELFARE}), method="post"
        )
        for name in ("acknowledge", "escalate")
    },
    # How the rules are doing (counts only): system administrators and the CSE manager.
    **{
        f"attendance:{name}": Entry(None, on(NONE, roles={R.SYSTEM_ADMIN, R.CSE_MANAGER}))
        for name in ("rules_review", "rules_review_csv")
    },
    # --- workforce entries ---
    # The staff register and its reports are the workforce administrators' alone; awareness
    # reach is also for the plan's lead and action owners.
    **{
        f"workforce:{name}": Entry(None, on(NONE, roles={R.WORKFORCE_ADMIN}))
        for name in (
            "find",
            "staff_new",
            "courses",
            "sessions",
            "gaps",
            "coverage",
            "coverage_csv",
            "coverage_pdf",
            "cabinet",
        )
    },
    **{
        f"workforce:{name}": Entry(kind, on(OWN, OTHER, RESTRICTED, roles={R.WORKFORCE_ADMIN}))
        for name, kind in (
            ("staff", "staff_member"),
            ("staff_edit", "staff_member"),
            ("dbs_new", "staff_member"),
            ("training_new", "staff_member"),
            ("status_check", "staff_dbs_check"),
            ("session", "training_session"),
        )
    },
    **{
        f"workforce:{name}": Entry(
            None,
            on(NONE, roles={R.WORKFORCE_ADMIN, R.CSE_MANAGER, R.ACTION_OWNER}),
        )
        for name in ("campaigns", "reach")
    },
    "workforce:campaign": Entry(
        "awareness_campaign",
        on(
            OWN,
            OTHER,
            RESTRICTED,
            roles={R.WORKFORCE_ADMIN, R.CSE_MANAGER, R.ACTION_OWNER},
        ),
    ),
    # --- licensing entries ---
    # Driver records are the licensing officers' alone; workforce administrators see drivers
    # only as counts in the coverage report.
    **{
        f"licensing:{name}": Entry(None, on(NONE, roles={R.LICENSING_OFFICER}))
        for name in ("find", "driver_new", "alerts", "overrides", "register_pending")
    },
    **{
        f"licensing:{name}": Entry(kind, on(OWN, OTHER, RESTRICTED, roles={R.LICENSING_OFFICER}))
        for name, kind in (
            ("driver", "driver"),
            ("dbs_new", "driver"),
            ("training_new", "driver"),
            ("register_check", "driver"),
            ("grant", "driver"),
            ("refuse", "driver"),
            ("revoke", "driver"),
            ("status_check", "driver_dbs_check"),
        )
    },
    # --- linkage entries ---
    # Source records are the data officer's to link and review; the quality report (counts
    # only) is also the CSE manager's.
    **{
        f"linkage:{name}": Entry(None, on(NONE, roles={R.DATA_OFFICER}))
        for name in ("index", "run", "queue")
    },
    # A pair or cluster linking a restricted child: no one without a grant for the child.
    "linkage:pair": Entry("review_pair", on(OWN, OTHER, roles={R.DATA_OFFICER})),
    "linkage:cluster": Entry("person_cluster", on(OWN, OTHER, roles={R.DATA_OFFICER})),
    **{
        f"linkage:{name}": Entry(
            "person_cluster", on(OWN, OTHER, roles={R.DATA_OFFICER}), method="post"
        )
        for name in ("merge", "split")
    },
    **{
        f"linkage:{name}": Entry(None, on(NONE, roles={R.DATA_OFFICER, R.CSE_MANAGER}))
        for name in ("quality", "quality_csv")
    },
    # --- intelligence entries ---
    # Police only: both police roles find and read; the intelligence officer records.
    "intelligence:home": Entry(None, on(NONE, roles={R.POLICE_INTELLIGENCE, R.POLICE_ANALYST})),
    **{
        f"intelligence:{name}": Entry(None, on(NONE, roles={R.POLICE_INTELLIGENCE}))
        for name in (
            "person_new",
            "location_new",
            "vehicle_new",
            "association_new",
            "disruption_new",
        )
    },
    **{
        f"intelligence:{name}": Entry(
            kind, on(OWN, OTHER, RESTRICTED, roles={R.POLICE_INTELLIGENCE, R.POLICE_ANALYST})
        )
        for name, kind in (
            ("person", "person_of_interest"),
            ("location", "intel_location"),
            ("vehicle", "intel_vehicle"),
            ("association", "association"),
        )
    },
    "intelligence:disruption_outcome": Entry(
        "disruption", on(OWN, OTHER, RESTRICTED, roles={R.POLICE_INTELLIGENCE})
    ),
    # Closing or reopening a person of interest and editing why: the officer only, by POST.
    **{
        f"intelligence:{name}": Entry(
            "person_of_interest",
            on(OWN, OTHER, RESTRICTED, roles={R.POLICE_INTELLIGENCE}),
            method="post",
        )
        for name in ("person_status", "person_reason")
    },
    # --- analytics entries ---
    # The problem profile: the full version for the police, the aggregate one (suppressed
    # small numbers) for the board and the CSE manager; the network exports are police only.
    **{
        f"analytics:{name}": Entry(
            None,
            on(
                NONE, roles={R.POLICE_INTELLIGENCE, R.POLICE_ANALYST, R.BOARD_MEMBER, R.CSE_MANAGER}
            ),
        )
        for name in ("profile", "profile_pdf", "tables_zip", "profile_csv")
    },
    **{
        f"analytics:{name}": Entry(None, on(NONE, roles={R.POLICE_INTELLIGENCE, R.POLICE_ANALYST}))
        for name in ("network_graphml", "network_svg")
    },
    # Published aggregates and Safehub's own counts: police, the board and the CSE manager.
    "analytics:scale": Entry(
        None,
        on(NONE, roles={R.POLICE_INTELLIGENCE, R.POLICE_ANALYST, R.BOARD_MEMBER, R.CSE_MANAGER}),
    ),
    # --- plans entries ---
    "plans:index": Entry(None, on(NONE, roles=PLAN_READERS)),
    "plans:governance": Entry(None, on(NONE, roles=PLAN_READERS)),
    "plans:forward_new": Entry(None, on(NONE, roles={R.CSE_MANAGER})),
    **{
        f"plans:{name}": Entry("plan", on(OWN, OTHER, RESTRICTED, roles=PLAN_READERS))
        for name in ("plan", "as_at", "compare", "export_csv", "export_xlsx", "reports")
    },
    **{
        f"plans:{name}": Entry("plan", on(OWN, OTHER, RESTRICTED, roles={R.CSE_MANAGER}))
        for name in ("not_updated", "action_new", "report_new")
    },
    "plans:action": Entry("plan_action", on(OWN, OTHER, RESTRICTED, roles=PLAN_WORKERS)),
    "plans:evidence_file": Entry("plan_evidence", on(OWN, OTHER, RESTRICTED, roles=PLAN_WORKERS)),
    # Owners update only the actions they own; the plan lead updates any.
    **{
        f"plans:{name}": Entry(
            kind, {OWN: PLAN_WORKERS, OTHER: {R.CSE_MANAGER}, RESTRICTED: {R.CSE_MANAGER}}
        )
        for name, kind in (
            ("action_update", "plan_action"),
            ("evidence_new", "plan_action"),
            ("measure_new", "plan_action"),
            ("reading_new", "plan_measure"),
        )
    },
    "plans:action_edit": Entry("plan_action", on(OWN, OTHER, RESTRICTED, roles={R.CSE_MANAGER})),
    **{
        f"plans:{name}": Entry(kind, on(OWN, OTHER, RESTRICTED, roles=PLAN_READERS))
        for name, kind in (
            ("body", "governance_body"),
            ("meeting", "governance_meeting"),
            ("report", "progress_report"),
            ("report_pdf", "progress_report"),
        )
    },
    **{
        f"plans:{name}": Entry(kind, on(OWN, OTHER, RESTRICTED, roles={R.CSE_MANAGER}))
        for name, kind in (
            ("meeting_new", "governance_body"),
            ("resolution_new", "governance_meeting"),
        )
    },
    "missing:find": Entry(
        None,
        on(NONE, roles={R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE}),
    ),
    # The police's first notification of a child new to Safehub: whoever records episodes.
    "missing:new_child": Entry(
        None,
        on(NONE, roles={R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE}),
    ),
    **{
        f"missing:{name}": Entry(
            kind,
            on(
                OWN,
                OTHER,
                roles={R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER, R.POLICE_INTELLIGENCE},
            ),
        )
        for name, kind in (
            ("person", "person"),
            ("new_episode", "person"),
            ("profile", "person"),
            ("found", "missing_episode"),
        )
    },
    "missing:profile_edit": Entry(
        "person", on(OWN, OTHER, roles={R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER})
    ),
    "missing:rhi": Entry(
        "missing_episode", on(OWN, OTHER, roles={R.CSE_PRACTITIONER, R.CSE_MANAGER})
    ),
    "missing:rhi_due": Entry(None, on(NONE, roles={R.CSE_PRACTITIONER, R.CSE_MANAGER})),
    **{
        f"missing:{name}": Entry(
            None, on(NONE, roles={R.MASH_OFFICER, R.CSE_PRACTITIONER, R.CSE_MANAGER})
        )
        for name in ("alerts", "findings")
    },
    "missing:flagged_locations": Entry(None, on(NONE, roles={R.CSE_MANAGER})),
    # The API's description: any signed-in user (verified web session or API token).
    "api:openapi-json": Entry(None, on(NONE, roles=EVERYONE)),
    "api:openapi-view": Entry(None, on(NONE, roles=EVERYONE)),
    "api:api-root": Entry(None, {}, public=True),
    "api:list_screening_tools": Entry(None, on(NONE, roles=SCREENERS), api=True),
    "api:get_screening_tool": Entry("tool", on(NONE, roles=SCREENERS), api=True),
    "api:post_screening": Entry(None, on(NONE, roles=SCREENERS), method="post", api=True),
    "api:list_submissions": Entry(None, on(NONE, roles=SCREENERS), api=True),
    "api:post_search": Entry(None, on(NONE, roles=SEARCHERS), method="post", api=True),
}


VALID_SCREENING = {
    "tool": "wm-cse-2014",
    "screening_date": "2026-01-05",
    "child": {
        "given_name": "Ada",
        "family_name": "Matrixson",
        "date_of_birth": "2012-03-04",
        "sex": "female",
    },
    "answers": wm_answers(),
}


API_BODIES: dict[str, dict[str, Any]] = {
    "api:post_search": {"query": "Testgirl 05/05/2012"},
    "api:post_screening": VALID_SCREENING,
    "api:post_referral": {
        "child": VALID_SCREENING["child"],
        "concerns": "Seen with older men near the station",
        "sharing_basis": "safeguarding",
        "family_aware": "no",
    },
}


def url_names() -> Iterator[str]:
    def walk(patterns: list[Any], namespace: str | None) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    yield from walk(get_resolver().url_patterns, None)


def test_every_url_has_an_entry() -> None:
    missing = sorted(set(url_names()) - set(EXPECTED))
    assert not missing, f"URLs with no entry in the authorisation matrix: {missing}"
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def make_target(kind: str, rel: str, user: User, client: Client) -> dict[str, Any]:
    """URL kwargs for an object of `kind` standing in relationship `rel` to `user`."""
    if kind == "tool":
        return {"tool_id": "wm-cse-2014"}
    if kind == "draft":
        owner = user if rel == OWN else make_user(R.REFERRER)
        # Someone else's draft is invisible: not found, not refused.
        draft_id = drafts.new_draft(owner, tool_id="wm-cse-2014", tool_version=1)
        return {"draft_id": draft_id}
    if kind == "held":
        from safehub.accounts.models import HeldSubmission

        owner = user if rel == OWN else make_user(R.REFERRER)
        held = HeldSubmission.objects.create(user=owner, path="/referrals/new/", data={})
        return {"public_id": held.public_id}
    if kind == "staff_user":
        return {"public_id": (user if rel == OWN else make_user(R.REFERRER)).public_id}
    if kind == "information_request":
        target = make_target("referral", rel, user, client)
        referral = Referral.objects.get(public_id=target["public_id"])
        asked = InformationRequest.objects.create(
            referral=referral,
            agency=referral.referrer_agency,
            question="Known to you?",
            requested_by=referral.referrer,
            requested_at=timezone.now(),
            due_at=timezone.now() + timedelta(hours=2),
        )
        return {**target, "request_id": asked.public_id}
    if kind in CASE_KINDS:
        return matrix_target(kind, rel, user)
    if kind in PLAN_KINDS:
        return plan_matrix_target(kind, rel, user)
    # --- imports targets ---
    if kind == "import_run":
        from tests.imports.helpers import matrix_run

        return matrix_run(user if rel == OWN else make_user(R.DATA_OFFICER))
    # --- attendance targets ---
    if kind == "attendance_alert":
        from tests.attendance.helpers import matrix_alert

        return {"public_id": matrix_alert(user, covered=rel == OWN, restricted=rel == RESTRICTED)}
    # --- workforce targets ---
    from tests.workforce.helpers import WORKFORCE_KINDS, workforce_target

    if kind in WORKFORCE_KINDS:
        return workforce_target(kind, user)
    # --- licensing targets ---
    from tests.licensing.helpers import LICENSING_KINDS, licensing_target

    if kind in LICENSING_KINDS:
        return licensing_target(kind)
    # --- linkage targets ---
    from tests.linkage.helpers import LINKAGE_KINDS, linkage_target

    if kind in LINKAGE_KINDS:
        return linkage_target(kind, restricted=rel == RESTRICTED)
    # --- intelligence targets ---
    from tests.intelligence.helpers import INTELLIGENCE_KINDS, intelligence_target

    if kind in INTELLIGENCE_KINDS:
        return intelligence_target(kind, user, own=rel == OWN)
    # --- analytics targets ---
    if kind == "missing_episode":
        person = Person.objects.get(**make_target("person", rel, user, client))
        recorder = user if rel == OWN else make_user(R.MASH_OFFICER)
        return {"public_id": make_episode(recorder, person).public_id}
    owner = user if rel == OWN else make_user(R.REFERRER)
    submission = make_screening(owner, missing_repeat="current")
    if rel == RESTRICTED:
        Person.objects.filter(pk=submission.screening.person_id).update(is_restricted=True)
    obj = {
        "person": submission.screening.person,
        "screening": submission.screening,
        "referral": submission.referral,
    }[kind]
    if kind == "person" and rel == OWN:
        Person.objects.filter(pk=obj.pk).update(created_by=user)
    return {"public_id": obj.public_id}


def cases() -> Iterator[tuple[str, Role, str]]:
    for name, entry in EXPECTED.items():
        if entry.public:
            continue
        rels = [NONE] if entry.kind in (None, "tool") else [OWN, OTHER, RESTRICTED]
        if entry.kind in ("draft", "held"):
            rels = [OWN, OTHER]
        for role in Role:
            for rel in rels:
                yield name, role, rel


def request(client: Client, name: str, entry: Entry, url: str, headers: dict[str, str]) -> Any:
    if entry.method == "post":
        # A complete, valid body, so a refusal can only come from the policy.
        body = API_BODIES.get(name, {}) if entry.api else {}
        return client.post(url, body, content_type="application/json", **headers)
    return client.get(url, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "rel"), list(cases()), ids=lambda v: str(v))
def test_matrix(name: str, role: Role, rel: str) -> None:
    entry = EXPECTED[name]
    user = make_user(role)
    client = Client()
    headers: dict[str, str] = {}
    if entry.api:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='m')}"}
    else:
        sign_in(client, user)
    kwargs = make_target(entry.kind, rel, user, client) if entry.kind else {}
    if name == "screening:group":
        kwargs["number"] = 1
    if name == "analytics:profile_csv":
        kwargs["table_id"] = "victims-by-sex"
    response = request(client, name, entry, reverse(name, kwargs=kwargs), headers)
    allowed = role in entry.grants.get(rel, set())
    if allowed and rel in entry.absent:
        expected: Callable[[int], bool] = lambda s: s == 404  # noqa: E731
    elif allowed:
        expected = lambda s: s not in (401, 403, 404, 405)  # noqa: E731
    elif name == "people:detail" and rel == RESTRICTED and role in CASE_READERS:
        expected = lambda s: s == 302  # noqa: E731 - sent to break-glass, record not shown
    else:
        expected = lambda s: s == 403  # noqa: E731
    assert expected(response.status_code), (
        f"{name} as {role} on {rel}: got {response.status_code}, "
        f"{'expected access' if allowed else 'expected a refusal'}"
    )
    # Audit completeness: every page that shows a child's data to someone writes an audit row
    # naming the child, and so does every refusal of a child's record.
    shows_child = entry.kind in PERSON_KINDS and name not in SHOWS_NO_CHILD
    if entry.method == "get" and shows_child and response.status_code == 200:
        assert AccessEvent.objects.filter(user_id=user.pk, person_id__isnull=False).exists(), (
            f"{name} showed a person's data to {role} without an audit row"
        )


# The break-glass page says only that a record is restricted: it shows no one's details.
SHOWS_NO_CHILD = frozenset({"people:break_glass"})
# Objects that carry a child's data; a page showing one must be audited.
PERSON_KINDS = frozenset(
    {
        "person",
        "screening",
        "referral",
        "case",
        "missing_episode",
        "information_request",
        "attendance_alert",
    }
)


def test_public_urls_are_only_sign_in_and_the_api_root() -> None:
    public = {name for name, entry in EXPECTED.items() if entry.public}
    assert public == {
        "accounts:login",
        "accounts:logout",
        "api:api-root",
    }
