"""Navigation built from the policy: a link is shown only where the user may follow it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safehub.policy import Action, allows

# (label, URL name, action, shown in the top bar). Every link the user may follow is listed on
# their home page; the top bar keeps to the daily ones so it stays on one or two lines.
NAVIGATION = [
    ("Find a child", "search:search", Action.PERSON_SEARCH, True),
    ("Staff accounts", "accounts:users", Action.USER_ADMIN, True),
    ("Screen a child", "screening:start", Action.SCREENING_CREATE, True),
    ("Refer a child", "referrals:new", Action.REFERRAL_CREATE, False),
    ("My submissions", "screening:my_submissions", Action.SUBMISSIONS_LIST_OWN, True),
    ("Referral queue", "referrals:queue", Action.REFERRAL_QUEUE_VIEW, True),
    ("Results to approve", "screening:approvals", Action.SCREENING_APPROVE_LOWERING, False),
    ("Break-glass reviews", "people:break_glass_reviews", Action.BREAK_GLASS_REVIEW, False),
    ("Missing episodes", "missing:find", Action.MISSING_EPISODE_RECORD, True),
    ("Return interviews", "missing:rhi_due", Action.MISSING_RHI_LIST, True),
    ("Missing alerts", "missing:alerts", Action.MISSING_ALERT_VIEW, True),
    ("Missing findings", "missing:findings", Action.MISSING_FINDINGS_VIEW, False),
    (
        "Flagged locations",
        "missing:flagged_locations",
        Action.MISSING_FLAGGED_LOCATIONS_MANAGE,
        False,
    ),
    ("My caseload", "cases:my_caseload", Action.CASELOAD_VIEW, True),
    ("Team caseload", "cases:team", Action.TEAM_CASELOAD_VIEW, True),
    ("Meetings", "cases:meetings", Action.MEETING_LIST, True),
    ("Delivery plan", "plans:index", Action.PLAN_VIEW, True),
    ("Governance and forward plan", "plans:governance", Action.GOVERNANCE_VIEW, False),
    # --- imports navigation ---
    ("Data imports", "imports:history", Action.IMPORT_HISTORY_VIEW, True),
    # --- attendance navigation ---
    ("Attendance alerts", "attendance:alerts", Action.ATTENDANCE_ALERT_LIST, True),
    (
        "Attendance rules: how they are doing",
        "attendance:rules_review",
        Action.ATTENDANCE_RULES_REVIEW,
        False,
    ),
    # --- workforce navigation ---
    ("Staff DBS and training", "workforce:find", Action.WORKFORCE_STAFF_FIND, True),
    ("DBS and CSE training coverage", "workforce:coverage", Action.WORKFORCE_COVERAGE_VIEW, False),
    ("Awareness raising", "workforce:campaigns", Action.AWARENESS_VIEW, False),
    # --- licensing navigation ---
    ("Drivers", "licensing:find", Action.LICENSING_DRIVER_FIND, True),
    ("Licensing expiry alerts", "licensing:alerts", Action.LICENSING_ALERTS_VIEW, True),
    # --- linkage navigation ---
    ("Record linkage", "linkage:index", Action.LINKAGE_REVIEW, True),
    ("Linkage review queue", "linkage:queue", Action.LINKAGE_REVIEW, False),
    ("Data quality by source", "linkage:quality", Action.LINKAGE_QUALITY_VIEW, False),
    # --- intelligence navigation ---
    ("Police intelligence", "intelligence:home", Action.INTEL_FIND, True),
    ("Record a disruption", "intelligence:disruption_new", Action.DISRUPTION_RECORD, False),
    # --- analytics navigation ---
    ("CSE problem profile", "analytics:profile", Action.PROFILE_AGGREGATE_VIEW, True),
    ("Scale against other areas", "analytics:scale", Action.COMPARATORS_VIEW, False),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "top_navigation": []}
    items = [
        {
            "label": label,
            "href": reverse(name),
            "active": request.path.startswith(reverse(name)),
            "primary": primary,
        }
        for label, name, action, primary in NAVIGATION
        if allows(user, action)
    ]
    return {"navigation": items, "top_navigation": [i for i in items if i["primary"]]}
