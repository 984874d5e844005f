"""Load the synthetic city's delivery plan, governance bodies and resolutions.

Reads the partnership file (src/safehub/demo/data/partnership.yaml: bodies, the plan and its
objectives, the resolutions from the minutes) and the plan's story (data/plan_story.yaml:
the meetings, the actions, what happened since, the forward plan). Every change goes through
the services with a back-dated `now`, so the version history reads as if the plan had been
kept in Safehub since the start: comparing this month with last shows real changes.

Idempotent: bodies are matched by key, and a plan already loaded is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, RoleAssignment, User
from safehub.accounts.services import create_agency, create_user
from safehub.plans import governance_services, services
from safehub.plans.models import (
    DeliveryPlan,
    GovernanceBody,
    Objective,
    PlanAction,
    Resolution,
)
from safehub.policy.roles import AgencyType, Role

PARTNERSHIP_FILE = Path(__file__).resolve().parent / "data" / "partnership.yaml"
STORY_FILE = Path(__file__).resolve().parent / "data" / "plan_story.yaml"
AGENCY_TYPES = {
    "council": AgencyType.COUNCIL,
    "police": AgencyType.POLICE,
    "health": AgencyType.HEALTH,
    "youth_service": AgencyType.YOUTH_SERVICE,
    "licensing": AgencyType.LICENSING,
}


@dataclass(frozen=True)
class LoadResult:
    created: bool
    plan: DeliveryPlan
    counts: dict[str, int]


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


class _Story:
    """Dates moved so that the story's `today` is today; people looked up or created."""

    def __init__(self, partnership: dict[str, Any], story: dict[str, Any], password: str) -> None:
        self.partnership, self.story, self.password = partnership, story, password
        self.shift = timezone.localdate() - date.fromisoformat(story["today"])
        self.users: dict[str, User] = {}

    def day(self, text: str | None) -> date | None:
        return date.fromisoformat(text) + self.shift if text else None

    def moment(self, text: str) -> datetime:
        day = self.day(text)
        assert day is not None
        return timezone.make_aware(datetime.combine(day, time(10, 0)))

    def agency(self, key: str) -> Agency:
        return create_agency(name=self.partnership[key], agency_type=AGENCY_TYPES[key])

    def user(self, username: str) -> User:
        """A team member or demo login, created if absent; given the action owner role."""
        if username in self.users:
            return self.users[username]
        people = self.partnership["team"]["members"] + self.story["logins"]
        member = next(m for m in people if m["username"] == username)
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = member["name"].split(" ", 1)
            demo_login = member in self.story["logins"]
            user = create_user(
                username=username,
                password=self.password if demo_login else None,
                agency=self.agency(member["agency"]),
                roles=member["roles"],
                first_name=first,
                last_name=last,
                job_title=member["job_title"],
            )
        if not user.role_set() & {Role.ACTION_OWNER, Role.CSE_MANAGER}:
            # Named as an owner in the plan: they update their actions like any owner.
            RoleAssignment.objects.get_or_create(user=user, role=Role.ACTION_OWNER)
            user.__dict__.pop("_role_cache", None)
        self.users[username] = user
        return user


def _bodies(partnership: dict[str, Any]) -> dict[str, GovernanceBody]:
    bodies = {}
    for b in partnership["governance_bodies"]:
        body, _ = GovernanceBody.objects.get_or_create(
            key=b["id"], defaults={"name": b["name"], "remit": b.get("role", "")}
        )
        bodies[b["id"]] = body
    return bodies


@transaction.atomic
def load_plan(
    *,
    password: str,
    partnership_file: Path = PARTNERSHIP_FILE,
    story_file: Path = STORY_FILE,
) -> LoadResult:
    """Load the bodies, plan, objectives, meetings, resolutions, actions and their history.

    `password` is for the story's demo logins (e.g. plan.owner); team members get unusable
    passwords, as `load_city` gives them. Leaves an already loaded plan untouched.
    """
    partnership, story = _read(partnership_file), _read(story_file)
    bodies = _bodies(partnership)
    spec = partnership["delivery_plan"]
    s = _Story(partnership, story, password)
    for login in story["logins"]:
        s.user(login["username"])
    existing = DeliveryPlan.objects.filter(key=spec["id"]).first()
    if existing is not None:
        return LoadResult(False, existing, {})
    lead = s.user(story["plan_lead"])
    first_day = min(m["held_on"] for m in story["meetings"])
    plan = DeliveryPlan.objects.create(
        key=spec["id"],
        title=spec["title"],
        scope=spec.get("scope", ""),
        owning_body=bodies[spec["owner"]],
        lead=lead,
    )
    objectives = {}
    for i, o in enumerate(spec["strategic_objectives"]):
        objective = Objective(plan=plan, key=o["id"], title=o["title"], text=o["text"], position=i)
        objective._history_date = s.moment(first_day)  # type: ignore[attr-defined]
        objective._history_user = lead  # type: ignore[attr-defined]
        objective.save()
        objectives[o["id"]] = objective
    actions: dict[str, PlanAction] = {}
    _resolutions(s, partnership, bodies, objectives, lead, actions)
    for a in story["actions"]:
        actions[a["key"]] = _action(s, a, objectives, lead, s.moment(a["start"]))
        _measure(s, actions[a["key"]], a, lead)
    reports = _events(s, plan, bodies, objectives, lead, actions)
    for f in story["forward_plan"]:
        governance_services.add_forward_item(
            actor=lead,
            body=bodies[f["body"]],
            expected_on=s.day(f["date"]),
            subject=f["subject"],
            presented_by=f.get("by", ""),
            now=s.moment(first_day),
        )
    counts = {
        "bodies": len(bodies),
        "objectives": len(objectives),
        "actions": PlanAction.objects.filter(objective__plan=plan).count(),
        "resolutions": Resolution.objects.count(),
        "reports": reports,
    }
    return LoadResult(True, plan, counts)


def _action(
    s: _Story, a: dict[str, Any], objectives: dict[str, Objective], lead: User, now: datetime
) -> PlanAction:
    return services.create_action(
        actor=lead,
        objective=objectives[a["objective"]],
        title=a["title"],
        owner=s.user(a["owner"]),
        start_date=s.day(a["start"]),
        due_date=s.day(a["due"]),
        success_measure=a.get("measure", ""),
        key=a["key"],
        now=now,
    )


def _measure(s: _Story, action: PlanAction, a: dict[str, Any], lead: User) -> None:
    if not (a.get("readings") or a.get("figure")):
        return
    measure = services.add_measure(
        actor=lead, action=action, name=a["measure"], figure=a.get("figure", "")
    )
    for on, value in a.get("readings", []):
        services.add_reading(actor=lead, measure=measure, taken_on=s.day(on), value=str(value))
    for on in a.get("readings_on", []):
        services.add_reading(actor=lead, measure=measure, taken_on=s.day(on))


def _resolutions(
    s: _Story,
    partnership: dict[str, Any],
    bodies: dict[str, GovernanceBody],
    objectives: dict[str, Objective],
    lead: User,
    actions: dict[str, PlanAction],
) -> None:
    minutes = {r["id"]: r for r in partnership["resolutions"]}
    plans_for = s.story["resolution_actions"]
    for m in s.story["meetings"]:
        held_on = s.day(m["held_on"])
        meeting = governance_services.record_meeting(
            actor=lead, body=bodies[m["body"]], held_on=held_on, title="", items=m["items"]
        )
        item = meeting.items.first()
        for key in m["resolutions"]:
            r = minutes[key]
            _check_minutes(key, r, m)
            owner_is_body = r["owner"] in bodies
            resolution = governance_services.record_resolution(
                actor=lead,
                body=bodies[r["body"]],
                text=" ".join(r["text"].split()),
                resolved_on=held_on,
                objective=objectives[plans_for[key]["objective"]],
                owner=lead if owner_is_body else s.user(r["owner"]),
                # Only the deadline the minutes give; none is invented.
                due_date=s.day(r.get("due")),
                item=item,
                responsible_body=bodies[r["owner"]] if owner_is_body else None,
                key=key,
                now=s.moment(m["held_on"]),
            )
            actions[key] = resolution.actions.get()


def _check_minutes(key: str, resolution: dict[str, Any], meeting: dict[str, Any]) -> None:
    """Refuse a story that puts a resolution at a meeting other than the one in the minutes."""
    if (resolution["body"], str(resolution["resolved_on"])) != (
        meeting["body"],
        str(meeting["held_on"]),
    ):
        raise ValueError(
            f"{key} was resolved by {resolution['body']} on {resolution['resolved_on']}, "
            f"not at the meeting of {meeting['body']} on {meeting['held_on']}"
        )


def _events(
    s: _Story,
    plan: DeliveryPlan,
    bodies: dict[str, GovernanceBody],
    objectives: dict[str, Objective],
    lead: User,
    actions: dict[str, PlanAction],
) -> int:
    reports = 0
    for e in s.story["events"]:
        now = s.moment(e["date"])
        if "update" in e:
            action = actions[e["update"]]
            services.record_update(
                actor=action.owner,
                action=action,
                read_version=action.version,
                note=e["note"],
                progress=e["progress"],
                status=e["status"],
                now=now,
            )
        elif "slip" in e:
            services.edit_action(
                actor=s.user(e["by"]),
                action=actions[e["slip"]],
                read_version=actions[e["slip"]].version,
                changes={"due_date": s.day(e["due"])},
                now=now,
            )
        elif "override" in e:
            services.edit_action(
                actor=lead,
                action=actions[e["override"]],
                read_version=actions[e["override"]].version,
                changes={"rag_override": e["rag"], "rag_override_reason": e["reason"]},
                now=now,
            )
        elif "add" in e:
            actions[e["add"]["key"]] = _action(s, e["add"], objectives, lead, now)
        elif "report" in e:
            governance_services.issue_report(
                actor=lead,
                plan=plan,
                body=bodies[e["report"]],
                period_start=s.day(e["from"]),
                period_end=s.day(e["to"]),
            )
            reports += 1
    return reports
