"""Named actions on attendance: assign schools, run the scan, and the officer's decisions.

Each action is one transaction. The officer's decisions are refused (Refused) for an
alert that is no longer open or acknowledged, and a dismissal without a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.attendance.choices import ACTIVE, AlertStatus, DismissalReason
from safehub.attendance.config import thresholds
from safehub.attendance.models import AlertFinding, AttendanceAlert, SchoolAssignment
from safehub.attendance.rules import Finding
from safehub.attendance.scan import PupilFinding, run_scan
from safehub.attendance.snapshot import take_snapshot
from safehub.attendance.wording import sentence
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.policy import Action, allows
from safehub.refusals import Refused
from safehub.screening import drafts, registry

DISMISSAL_REASON_MAX = 2000


@transaction.atomic
def assign_schools(*, officer: User, schools: Iterable[Agency], actor: User | None = None) -> int:
    """Make `officer` cover each school (already covered ones are left as they are); returns
    how many were added. Refuses agencies that are not schools."""
    added = 0
    for school in schools:
        if school.agency_type != "school":
            raise ValueError(f"{school} is not a school")
        _, created = SchoolAssignment.objects.get_or_create(
            officer=officer, school=school, defaults={"assigned_by": actor}
        )
        added += int(created)
    return added


@transaction.atomic
def set_schools(*, officer: User, schools: Iterable[Agency], actor: User, reason: str) -> None:
    """Make `officer` cover exactly `schools` (an administrator's change, in the access log).
    Refuses a user who is not an education welfare officer, agencies that are not schools
    and a change without a reason; a refused change changes nothing."""
    wanted = list(schools)
    if not allows(officer, Action.SCHOOLS_COVER):
        raise Refused({"schools": "Only education welfare officers cover schools"})
    if any(s.agency_type != "school" for s in wanted):
        raise Refused({"schools": "Select schools only"})
    if not reason.strip():
        raise Refused({"reason": "Enter the reason for the change"})
    SchoolAssignment.objects.filter(officer=officer).exclude(school__in=wanted).delete()
    assign_schools(officer=officer, schools=wanted, actor=actor)
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.SCHOOL_ASSIGNMENT,
        object_id=officer.public_id,
        reason=f"covers {len(wanted)} school(s): {reason.strip()}",
    )


@dataclass
class ScanSummary:
    as_of: date
    pupils_scanned: int = 0
    findings: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_closed: int = 0


def _is_new(finding: Finding, earlier: dict[str, AlertFinding]) -> bool:
    """A rule fires anew when it had not fired before, or fired again after a gap."""
    before = earlier.get(finding.rule)
    return before is None or finding.run_start > before.last_week


def _finding_row(alert: AttendanceAlert, f: Finding) -> AlertFinding:
    return AlertFinding(
        alert=alert,
        rule=f.rule,
        first_week=f.first_week,
        last_week=f.last_week,
        run_start=f.run_start,
        facts=f.facts,
        sentence=sentence(f),
    )


@transaction.atomic
def apply_findings(
    found: list[PupilFinding],
    person_of: dict[tuple[str, int], int],
    as_of: date,
    supporting_only: tuple[str, ...] = (),
) -> ScanSummary:
    """Create or update alerts from a scan's findings, without duplicating any.

    Findings of `supporting_only` rules are added to an alert but never open one.
    An open or acknowledged alert is updated (acknowledged ones reopen when a rule fires
    anew); a dismissed or escalated alert is left as it was, and a new alert is opened only
    if a rule fires anew since it was closed.
    """
    summary = ScanSummary(as_of=as_of, findings=len(found))
    by_pupil: dict[tuple[str, int], list[Finding]] = {}
    for pf in found:
        by_pupil.setdefault((pf.upn, pf.school), []).append(pf.finding)
    existing: dict[tuple[str, int], AttendanceAlert] = {}
    latest_closed: dict[tuple[str, int], AttendanceAlert] = {}
    for alert in AttendanceAlert.objects.order_by("id"):
        key = (alert.upn, alert.school_id)
        if alert.status in ACTIVE:
            existing[key] = alert
        else:
            latest_closed[key] = alert
    earlier: dict[int, dict[str, AlertFinding]] = {}
    for row in AlertFinding.objects.all():
        earlier.setdefault(row.alert_id, {})[row.rule] = row
    new_alerts: list[tuple[AttendanceAlert, list[Finding]]] = []
    added_rows: list[AlertFinding] = []
    changed_rows: list[AlertFinding] = []
    changed_alerts: list[AttendanceAlert] = []
    now = timezone.now()
    for key, findings in by_pupil.items():
        active = existing.get(key)
        if active is None:
            opening = [f for f in findings if f.rule not in supporting_only]
            if not opening:
                continue
            closed = latest_closed.get(key)
            if closed is not None and not any(
                _is_new(f, earlier.get(closed.pk, {})) for f in opening
            ):
                summary.kept_closed += 1
                continue
            created = AttendanceAlert(
                upn=key[0], school_id=key[1], person_id=person_of.get(key), as_of=as_of
            )
            new_alerts.append((created, findings))
            continue
        alert = active
        rows = earlier.get(alert.pk, {})
        changed = fresh = False
        for f in findings:
            held = rows.get(f.rule)
            if held is None:
                added_rows.append(_finding_row(alert, f))
                changed = fresh = True
                continue
            row = held
            if (row.first_week, row.last_week, row.run_start, row.facts) != (
                f.first_week,
                f.last_week,
                f.run_start,
                f.facts,
            ):
                fresh = fresh or _is_new(f, rows)
                row.first_week, row.last_week, row.run_start = (
                    f.first_week,
                    f.last_week,
                    f.run_start,
                )
                row.facts, row.sentence = f.facts, sentence(f)
                changed_rows.append(row)
                changed = True
        if changed:
            alert.as_of = as_of
            alert.person_id = alert.person_id or person_of.get(key)
            if fresh and alert.status == AlertStatus.ACKNOWLEDGED:
                alert.status = AlertStatus.OPEN
                alert.has_new_findings = True
            alert.updated_at = now
            changed_alerts.append(alert)
            summary.updated += 1
        else:
            summary.unchanged += 1
    AlertFinding.objects.bulk_create(added_rows, batch_size=2000)
    AlertFinding.objects.bulk_update(
        changed_rows, ["first_week", "last_week", "run_start", "facts", "sentence"], batch_size=500
    )
    AttendanceAlert.objects.bulk_update(
        changed_alerts,
        ["as_of", "person", "status", "has_new_findings", "updated_at"],
        batch_size=500,
    )
    AttendanceAlert.objects.bulk_create([a for a, _ in new_alerts], batch_size=1000)
    # bulk_create sets primary keys on PostgreSQL and SQLite (both support RETURNING).
    AlertFinding.objects.bulk_create(
        [_finding_row(a, f) for a, findings in new_alerts for f in findings], batch_size=2000
    )
    summary.created = len(new_alerts)
    return summary


def scan_attendance(as_of: date) -> ScanSummary:
    """Scan every pupil's registers up to `as_of` with the configured rules; update alerts."""
    snap = take_snapshot(as_of)
    rules = thresholds()
    found = run_scan(snap.attendance, snap.episodes, rules)
    summary = apply_findings(found, snap.person_of, as_of, rules.supporting_only)
    summary.pupils_scanned = snap.attendance.group_by(["upn", "school"]).aggregate([]).num_rows
    return summary


def _require_active(alert: AttendanceAlert) -> None:
    if alert.status not in ACTIVE:
        raise Refused(
            {"alert": f"This alert has already been {alert.get_status_display().lower()}"}
        )


def _close(
    alert: AttendanceAlert,
    actor: User,
    status: AlertStatus,
    reason: str = "",
    category: str = "",
) -> None:
    alert.status = status
    alert.status_changed_by = actor
    alert.status_changed_at = timezone.now()
    alert.dismissal_reason = reason
    alert.dismissal_category = category
    alert.has_new_findings = False
    alert.save()
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.ATTENDANCE_ALERT,
        object_id=alert.public_id,
        person_id=alert.person_id,
        reason=f"attendance alert {status.label.lower()}",
    )


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: AttendanceAlert) -> None:
    """The officer has seen the alert and is looking into it. Refuses a closed alert."""
    _require_active(alert)
    _close(alert, actor, AlertStatus.ACKNOWLEDGED)


@transaction.atomic
def dismiss_alert(*, actor: User, alert: AttendanceAlert, category: str, reason: str) -> None:
    """Dismiss with a reason: one of `DismissalReason` (counted per rule by the rules review)
    and the officer's details; the alert is kept for review. Refuses a category not on the
    list, empty or long details, and an alert already closed."""
    errors: dict[str, str] = {}
    if category not in DismissalReason.values:
        errors["category"] = "Select why you are dismissing this alert"
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Enter the details of why you are dismissing this alert"
    elif len(reason) > DISMISSAL_REASON_MAX:
        errors["reason"] = f"The details must be {DISMISSAL_REASON_MAX} characters or fewer"
    if errors:
        raise Refused(errors)
    _require_active(alert)
    _close(alert, actor, AlertStatus.DISMISSED, reason, category)


def screening_tool_id() -> str:
    return str(getattr(settings, "SAFEHUB_ATTENDANCE_SCREENING_TOOL", "wm-cse-2014"))


@transaction.atomic
def escalate_alert(*, actor: User, alert: AttendanceAlert) -> tuple[str, bool]:
    """Close the alert as escalated and start a screening draft for the actor, pre-filled
    with the child (when known to Safehub) and the alert's findings as notes.

    Returns (draft id, whether the child is already chosen). Refuses a closed alert.
    """
    _require_active(alert)
    tool = registry.get_tool(screening_tool_id())
    draft_id = drafts.new_draft(actor, tool_id=tool.id, tool_version=tool.version)
    data = drafts.get_draft(actor, draft_id) or {}
    person = alert.person
    values: dict[str, str] = {"upn": alert.upn, "school_id": str(alert.school_id)}
    if person is not None:
        address = person.current_address()
        values.update(
            given_name=person.given_name,
            family_name=person.family_name,
            known_as=person.known_as,
            sex=person.sex,
            ethnicity=person.ethnicity,
            nhs_number=person.nhs_number,
            address_line1=address.line1 if address else "",
            postcode=address.postcode if address else "",
        )
        if person.date_of_birth is not None:
            dob = person.date_of_birth
            values.update(
                date_of_birth_day=str(dob.day),
                date_of_birth_month=str(dob.month),
                date_of_birth_year=str(dob.year),
            )
    data["child_form"] = values
    chosen = person is not None and person.date_of_birth is not None
    if chosen:
        assert person is not None and person.date_of_birth is not None
        data["child"] = {
            **{k: values.get(k, "") for k in ("given_name", "family_name", "known_as", "sex")},
            "ethnicity": values["ethnicity"],
            "nhs_number": values["nhs_number"],
            "upn": alert.upn,
            "address_line1": values["address_line1"],
            "postcode": values["postcode"],
            "school_id": alert.school_id,
            "date_of_birth": person.date_of_birth.isoformat(),
        }
        data["person_public_id"] = str(person.public_id)
    findings = "\n".join(f"- {f.sentence}" for f in alert.findings.all())
    data["notes"] = (
        f"Raised from attendance alert {alert.reference} ({alert.school.name}, registers to "
        f"{alert.as_of:%d %b %Y}):\n{findings}"
    )
    drafts.save_draft(actor, draft_id, data)
    _close(alert, actor, AlertStatus.ESCALATED)
    return draft_id, chosen
