"""Case actions: open, allocate, change risk, plan, record work, review, NRM, factors, close.

Each is one transaction that writes its audit row. Edits of a case or its safety plan take
the `read_version` the user's form was built from; if someone saved in between, the save is
refused with StaleEdit (showing who changed what, and when) and nothing is written.
Recording work (interventions, reviews, chronology entries) is in `casework.py`; meetings are
in `meetings.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.cases import rules
from safehub.cases.errors import CaseAlreadyOpen
from safehub.cases.factors import BY_CODE
from safehub.cases.models import (
    Allocation,
    Case,
    CaseFactor,
    CaseStatus,
    ClosureReason,
    EducationStatus,
    NrmOutcome,
    Revision,
    RiskChange,
    RiskLevel,
    SafetyPlan,
)
from safehub.people.models import AccessGrant
from safehub.policy import Action, allows
from safehub.refusals import Refused
from safehub.versioning import (
    Change,
    FieldChange,
    field_label,
    person_name,
    plain_value,
    save_if_current,
)

if TYPE_CHECKING:
    from safehub.people.models import Person
    from safehub.referrals.models import Referral

MAX_TEXT = 20_000


def audit_case(
    actor: User, case: Case, what: str, action: AuditAction = AuditAction.CHANGE
) -> None:
    """Write the audit row for a change to a case (`what` says which)."""
    record_access(
        user=actor,
        action=action,
        object_type=AuditObjectType.CASE,
        object_id=case.public_id,
        person_id=case.person_id,
        reason=what,
    )


def require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise Refused({"case": "This case is closed. Closed cases cannot be changed."})


def clean_text(errors: dict[str, str], name: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = message
    elif len(value) > MAX_TEXT:
        errors[name] = f"Keep this under {MAX_TEXT:,} characters"
    return value


def _versioned_update(
    *, actor: User, case: Case, read_version: int, what: str, fields: Mapping[str, Any]
) -> int:
    """Save `fields` if the case is still at `read_version`, keeping a Revision of who changed
    what; refuse (StaleEdit, with the changes since) if someone saved in between."""
    before = Case.objects.filter(pk=case.pk).values(*fields).first() or {}
    new_version = save_if_current(
        Case,
        pk=case.pk,
        read_version=read_version,
        fields=fields,
        changes_since=lambda since: changes_since(case, "case", since),
    )
    Revision.objects.create(
        case=case,
        record="case",
        version=new_version,
        changed_by=actor,
        changed_at=timezone.now(),
        what=what,
        changes=rules.changed_fields(before, fields),
    )
    case.refresh_from_db()
    return new_version


# Case fields whose verbose name is not what people call them.
LABELS = {
    "allocated_to_id": "Allocated to",
    "closed_by_id": "Closed by",
    "nrm_referred": "NRM referral made",
    "nrm_referral_date": "NRM referral date",
    "nrm_outcome": "NRM outcome",
    "nrm_outcome_date": "NRM outcome date",
    "in_education_at_closure": "Education, training or work at closure",
    "missing_episodes_last_3_months": "Missing episodes in the last 3 months",
    "factors": "Assessment factors",
    **dict(SafetyPlan.SECTIONS),
}


def changes_since(case: Case, record: str, version: int) -> list[Change]:
    """The saved changes to a case (`record` "case") or its safety plan ("safety_plan") after
    the version a form was built from: who, when, and each field in plain words."""
    model: type[Case | SafetyPlan] = SafetyPlan if record == "safety_plan" else Case
    revisions = Revision.objects.filter(
        case=case, record=record, version__gt=version
    ).select_related("changed_by")
    return [
        Change(
            who=person_name(r.changed_by),
            at=r.changed_at,
            what=r.what,
            fields=tuple(
                FieldChange(
                    LABELS.get(name) or field_label(model, name),
                    plain_value(model, name, old),
                    plain_value(model, name, new),
                )
                for name, (old, new) in r.changes.items()
            ),
        )
        for r in revisions
    ]


@transaction.atomic
def open_case(
    *,
    actor: User,
    person: Person,
    referral: Referral | None,
    reason: str,
    risk_level: str | None = None,
) -> Case:
    """Open a CSE case for a child, unallocated, at `risk_level` (the risk the MASH decided;
    medium when none is given), with the review date that level calls for.

    Refuses: a blank reason or an unknown risk level (Refused); a second open case
    for the same child (CaseAlreadyOpen, carrying the open case) — also when two people open
    one at once.
    """
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, "Enter why the case is being opened")
    if referral is not None and referral.person_id != person.pk:
        errors["referral"] = "The referral is about a different child"
    if risk_level is not None and risk_level not in RiskLevel.values:
        errors["risk_level"] = "Choose a known risk level"
    if errors:
        raise Refused(errors)
    existing = Case.objects.filter(person=person, status=CaseStatus.OPEN).first()
    if existing is not None:
        raise CaseAlreadyOpen(existing)
    now = timezone.now()
    level = risk_level or RiskLevel.MEDIUM
    try:
        with transaction.atomic():
            case = Case.objects.create(
                person=person,
                referral=referral,
                opened_at=now,
                opened_by=actor,
                reason=reason,
                risk_level=level,
                next_review_due=rules.next_review_due(
                    timezone.localdate(), level, rules.review_schedule()
                ),
            )
    except IntegrityError:
        raise CaseAlreadyOpen(
            Case.objects.filter(person=person, status=CaseStatus.OPEN).first()
        ) from None
    SafetyPlan.objects.create(case=case)
    opened = "Case opened at the risk the MASH decided" if risk_level else "Case opened"
    RiskChange.objects.create(
        case=case, level=level, reason=opened, changed_by=actor, changed_at=now
    )
    audit_case(actor, case, "case opened", AuditAction.CREATE)
    return case


def is_cse_worker(user: User) -> bool:
    """Whether the user may hold CSE cases (an active CSE practitioner or manager)."""
    return allows(user, Action.CASE_HOLD)


@transaction.atomic
def allocate_case(
    *, actor: User, case: Case, worker: User, read_version: int, reason: str = ""
) -> Case:
    """Allocate (or reallocate) a case to a member of the CSE team, keeping the history.

    Refuses: a closed case; a worker who is not an active CSE practitioner or manager; the
    worker who already holds it; a stale form (StaleEdit).
    """
    require_open(case)
    if not is_cse_worker(worker):
        raise Refused({"worker": "Choose a member of the CSE team"})
    if worker.pk == case.allocated_to_id:
        raise Refused({"worker": "The case is already allocated to this worker"})
    now = timezone.now()
    _versioned_update(
        actor=actor,
        case=case,
        read_version=read_version,
        what="allocation",
        fields={"allocated_to_id": worker.pk},
    )
    Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    Allocation.objects.create(
        case=case, worker=worker, allocated_by=actor, allocated_at=now, reason=reason.strip()
    )
    if case.person.is_restricted:
        # Allocating a restricted child's case is the manager's explicit grant to the worker.
        AccessGrant.objects.get_or_create(
            person=case.person,
            user=worker,
            kind=AccessGrant.Kind.EXPLICIT,
            defaults={"reason": "Allocated the child's CSE case", "granted_by": actor},
        )
    audit_case(actor, case, "allocated")
    return case


def _last_review_date(case: Case) -> date:
    last = case.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    return last or timezone.localtime(case.opened_at).date()


@transaction.atomic
def change_risk_level(
    *, actor: User, case: Case, read_version: int, level: str, reason: str
) -> Case:
    """Record a new risk level with who and why; the next review date follows the new level.

    Refuses: an unknown level, the current level, a blank reason, a closed case, a stale form.
    """
    require_open(case)
    errors: dict[str, str] = {}
    if level not in RiskLevel.values:
        errors["level"] = "Select the risk level"
    elif level == case.risk_level:
        errors["level"] = "Select a different risk level from the current one"
    reason = clean_text(errors, "reason", reason, "Enter why the risk level has changed")
    if errors:
        raise Refused(errors)
    previous = case.risk_level
    due = rules.next_review_due(_last_review_date(case), level, rules.review_schedule())
    _versioned_update(
        actor=actor,
        case=case,
        read_version=read_version,
        what="risk level",
        fields={"risk_level": level, "next_review_due": due},
    )
    RiskChange.objects.create(
        case=case,
        previous_level=previous,
        level=level,
        reason=reason,
        changed_by=actor,
        changed_at=timezone.now(),
    )
    audit_case(actor, case, "risk level changed")
    return case


@transaction.atomic
def update_safety_plan(
    *, actor: User, case: Case, read_version: int, sections: Mapping[str, str]
) -> SafetyPlan:
    """Save the safety plan's sections. Refuses a closed case, over-long text or a stale form."""
    require_open(case)
    names = [name for name, _label in SafetyPlan.SECTIONS]
    values = {name: str(sections.get(name, "")).strip() for name in names}
    too_long = f"Keep this under {MAX_TEXT:,} characters"
    errors = {n: too_long for n, v in values.items() if len(v) > MAX_TEXT}
    if errors:
        raise Refused(errors)
    plan = SafetyPlan.objects.get(case=case)
    before = {n: getattr(plan, n) for n in names}
    now = timezone.now()
    new_version = save_if_current(
        SafetyPlan,
        pk=plan.pk,
        read_version=read_version,
        fields={"updated_by": actor, "updated_at": now, **values},
        changes_since=lambda since: changes_since(case, "safety_plan", since),
    )
    Revision.objects.create(
        case=case,
        record="safety_plan",
        version=new_version,
        changed_by=actor,
        changed_at=now,
        what="safety plan",
        changes=rules.changed_fields(before, values),
    )
    audit_case(actor, case, "safety plan updated")
    plan.refresh_from_db()
    return plan


@transaction.atomic
def update_nrm(
    *,
    actor: User,
    case: Case,
    read_version: int,
    referred: bool,
    referral_date: date | None,
    outcome: str,
    outcome_date: date | None,
) -> Case:
    """Record the National Referral Mechanism referral (trafficking / modern slavery) flag.

    Refuses: a referral without a date or with a future one; an outcome without a referral;
    an unknown outcome; an outcome date without an outcome or before the referral.
    """
    require_open(case)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if referred and referral_date is None:
        errors["referral_date"] = "Enter the date of the NRM referral"
    if referral_date is not None and referral_date > today:
        errors["referral_date"] = "The referral date must be today or in the past"
    if outcome and outcome not in NrmOutcome.values:
        errors["outcome"] = "Select the NRM outcome"
    if outcome and not referred:
        errors["outcome"] = "Record the referral before its outcome"
    if outcome_date is not None and not outcome:
        errors["outcome_date"] = "Select the outcome this date is for"
    elif outcome_date is not None and referral_date and outcome_date < referral_date:
        errors["outcome_date"] = "The outcome date must be on or after the referral date"
    if errors:
        raise Refused(errors)
    fields = {
        "nrm_referred": referred,
        "nrm_referral_date": referral_date if referred else None,
        "nrm_outcome": outcome if referred else "",
        "nrm_outcome_date": outcome_date if referred else None,
    }
    _versioned_update(
        actor=actor, case=case, read_version=read_version, what="NRM referral", fields=fields
    )
    audit_case(actor, case, "NRM referral updated")
    return case


@transaction.atomic
def set_assessment_factors(
    *, actor: User, case: Case, read_version: int, codes: Iterable[str]
) -> Case:
    """Replace the case's assessment factors (DfE census codes). Refuses unknown codes."""
    require_open(case)
    wanted = sorted(set(codes))
    unknown = [c for c in wanted if c not in BY_CODE]
    if unknown:
        raise Refused({"codes": f"Unknown factor code: {', '.join(unknown)}"})
    current = sorted(case.factors.values_list("code", flat=True))
    new_version = save_if_current(
        Case,
        pk=case.pk,
        read_version=read_version,
        fields={},
        changes_since=lambda since: changes_since(case, "case", since),
    )
    case.factors.exclude(code__in=wanted).delete()
    for code in wanted:
        CaseFactor.objects.get_or_create(case=case, code=code, defaults={"recorded_by": actor})
    Revision.objects.create(
        case=case,
        record="case",
        version=new_version,
        changed_by=actor,
        changed_at=timezone.now(),
        what="assessment factors",
        changes={"factors": [", ".join(current), ", ".join(wanted)]},
    )
    audit_case(actor, case, "assessment factors updated")
    case.refresh_from_db()
    return case


@transaction.atomic
def close_case(
    *,
    actor: User,
    case: Case,
    read_version: int,
    reason: str,
    notes: str,
    risk_at_closure: str,
    in_education: str,
    missing_episodes_last_3_months: int | None,
) -> Case:
    """Close a case with a reason from the code list and its outcome measures.

    Refuses: a closed case; an unknown reason ("other" needs notes); a missing risk level,
    education status or count of missing episodes (0 to 999); an NRM referral still awaiting
    a decision recorded as unknown; a stale form.
    """
    require_open(case)
    errors: dict[str, str] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Select the reason for closing the case"
    if reason == ClosureReason.OTHER and not notes.strip():
        errors["notes"] = "Explain the reason for closing the case"
    if risk_at_closure not in RiskLevel.values:
        errors["risk_at_closure"] = "Select the risk level at closure"
    if in_education not in EducationStatus.values:
        errors["in_education"] = "Select whether the child is in education, training or work"
    if missing_episodes_last_3_months is None or not 0 <= missing_episodes_last_3_months < 1000:
        errors["missing_episodes"] = "Enter the number of missing episodes, 0 or more"
    if case.nrm_referred and not case.nrm_outcome:
        errors["nrm"] = "Record the NRM outcome (or that a decision is awaited) before closing"
    if errors:
        raise Refused(errors)
    now = timezone.now()
    _versioned_update(
        actor=actor,
        case=case,
        read_version=read_version,
        what="case closed",
        fields={
            "status": CaseStatus.CLOSED,
            "closed_at": now,
            "closed_by_id": actor.pk,
            "closure_reason": reason,
            "closure_notes": notes.strip(),
            "risk_at_closure": risk_at_closure,
            "in_education_at_closure": in_education,
            "missing_episodes_last_3_months": missing_episodes_last_3_months,
        },
    )
    Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    audit_case(actor, case, "case closed")
    return case
