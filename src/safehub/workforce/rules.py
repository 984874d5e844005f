"""The register's rules: when a DBS check or a training record counts as valid on a day.

Pure functions over plain dataclasses, shared by the staff register and by taxi licensing
(`safehub.licensing.rules`). Dates are inclusive: a thing "valid until 30 July" is valid all
day on 30 July and not on 31 July. A period of N months runs from the start date to the day
before the same date N months later (issued 31 July 2023, 36 months: valid until 30 July 2026).

Thresholds come from configuration (`safehub.workforce.config`), never from here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from safehub.workforce.choices import (
    CSE_COURSE_KINDS,
    DBS_ORDER,
    DbsLevel,
    StaffKind,
    StatusCheckResult,
)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def last_valid_day(start: date, months: int) -> date:
    """The last day of a period of `months` beginning on `start` (inclusive)."""
    return add_months(start, months) - timedelta(days=1)


def fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class DbsPolicy:
    """How long a DBS certificate counts, and how often Update Service checks are needed."""

    valid_months: int = 36
    update_check_months: int = 6


@dataclass(frozen=True)
class StatusCheck:
    checked_on: date
    result: str  # StatusCheckResult


@dataclass(frozen=True)
class DbsFacts:
    level: str  # DbsLevel
    issued_on: date
    update_service: bool = False
    status_checks: tuple[StatusCheck, ...] = ()


@dataclass(frozen=True)
class Standing:
    """Whether a condition is met on a day; if not, `code` and `message` say exactly why."""

    valid: bool
    valid_until: date | None = None
    code: str = ""
    message: str = ""
    route: str = ""  # for DBS: "certificate" or "update_service"


def level_meets(level: str, required: str) -> bool:
    """A check at `level` satisfies a requirement for `required` (higher levels include lower)."""
    return DBS_ORDER.index(DbsLevel(level)) >= DBS_ORDER.index(DbsLevel(required))


def _dbs_routes(check: DbsFacts, policy: DbsPolicy, on: date) -> tuple[date, date | None, str]:
    """(valid until by certificate, by the Update Service or None, why that route fails)."""
    by_certificate = last_valid_day(check.issued_on, policy.valid_months)
    if not check.update_service:
        return by_certificate, None, "not_subscribed"
    checks = [s for s in check.status_checks if check.issued_on <= s.checked_on <= on]
    if not checks:
        return by_certificate, None, "never_checked"
    latest = max(checks, key=lambda s: s.checked_on)
    if latest.result != StatusCheckResult.NO_CHANGE:
        return by_certificate, None, "changed"
    return by_certificate, last_valid_day(latest.checked_on, policy.update_check_months), "ok"


def change_found_on(check: DbsFacts, on: date) -> date | None:
    """The day the latest Update Service status check of `check` (on or before `on`) found a
    change, or None when it found none (or there is none)."""
    made = [s for s in check.status_checks if check.issued_on <= s.checked_on <= on]
    if not made:
        return None
    # On a tie the change wins: it is the safer reading.
    latest = max(made, key=lambda s: (s.checked_on, s.result != StatusCheckResult.NO_CHANGE))
    return None if latest.result == StatusCheckResult.NO_CHANGE else latest.checked_on


def dbs_standing(
    checks: Iterable[DbsFacts], required: str, policy: DbsPolicy, on: date
) -> Standing:
    """Is there a DBS check at (or above) `required` that is valid on `on` under `policy`?

    Valid by certificate: issued no more than `valid_months` ago. Valid by the Update Service:
    the holder subscribes and the latest status check, no older than `update_check_months`,
    found no change. Checks issued after `on` are ignored. A certificate whose latest status
    check found a change no longer counts, however recent it is: the change means a new
    certificate is needed (dbs_update_changed, unless another certificate is valid on its own).
    Refuses (valid=False) with a code: dbs_missing, dbs_level, dbs_update_changed,
    dbs_update_overdue, dbs_expired.
    """
    checks = list(checks)
    changed = {c: day for c in checks if (day := change_found_on(c, on)) is not None}
    standing = _standing_by_date(
        [c for c in checks if c not in changed], required, policy, on, all_known=checks
    )
    qualifying = [c for c in checks if c.issued_on <= on and level_meets(c.level, required)]
    if standing.valid or not qualifying:
        return standing
    latest = max(qualifying, key=lambda c: (c.issued_on, c in changed))
    if latest not in changed:
        return standing
    found = changed[latest]
    return Standing(
        False,
        valid_until=found - timedelta(days=1),
        code="dbs_update_changed",
        message=f"The Update Service status check on {fmt(found)} of the DBS certificate "
        f"issued on {fmt(latest.issued_on)} found a change: a new certificate is needed.",
    )


def _standing_by_date(
    checks: list[DbsFacts],
    required: str,
    policy: DbsPolicy,
    on: date,
    *,
    all_known: list[DbsFacts],
) -> Standing:
    """dbs_standing for checks none of whose status checks found a change; `all_known` (every
    check, changed or not) says whether any check or any at the level is recorded at all."""
    if not [c for c in all_known if c.issued_on <= on]:
        return Standing(False, code="dbs_missing", message="No DBS check is recorded.")
    known = [c for c in all_known if c.issued_on <= on]
    qualifying = [c for c in checks if c.issued_on <= on and level_meets(c.level, required)]
    if not [c for c in known if level_meets(c.level, required)]:
        latest = max(known, key=lambda c: c.issued_on)
        return Standing(
            False,
            code="dbs_level",
            message=(
                f"No {DbsLevel(required).label.lower()} DBS check is recorded: the latest is "
                f"{DbsLevel(latest.level).label.lower()} (issued {fmt(latest.issued_on)})."
            ),
        )
    if not qualifying:
        # Every check at the level found a change: dbs_standing says which and when.
        return Standing(False, code="dbs_update_changed")
    best: tuple[date, DbsFacts, str, str] | None = None
    for check in qualifying:
        certificate, service, why = _dbs_routes(check, policy, on)
        until, route = (
            (service, "update_service")
            if service and service > certificate
            else (
                certificate,
                "certificate",
            )
        )
        if best is None or (until, check.issued_on) > (best[0], best[1].issued_on):
            best = (until, check, route, why)
    assert best is not None
    until, check, route, why = best
    if until >= on:
        return Standing(True, valid_until=until, route=route)
    issued = (
        f"The DBS certificate issued on {fmt(check.issued_on)} is more than "
        f"{policy.valid_months} months old (it counted until {fmt(until)})"
    )
    if why == "changed":
        return Standing(
            False,
            valid_until=until,
            code="dbs_update_changed",
            message=f"{issued} and the last Update Service status check found a change: "
            "a new certificate is needed.",
        )
    if why in ("never_checked", "ok"):
        checked = [s.checked_on for s in check.status_checks if s.checked_on <= on]
        last = f"the last was on {fmt(max(checked))}" if checked else "none is recorded"
        return Standing(
            False,
            valid_until=until,
            code="dbs_update_overdue",
            message=f"{issued}; an Update Service status check is needed every "
            f"{policy.update_check_months} months and {last}.",
        )
    return Standing(
        False,
        valid_until=until,
        code="dbs_expired",
        message=f"{issued} and the holder is not subscribed to the DBS Update Service.",
    )


@dataclass(frozen=True)
class TrainingFacts:
    course: str
    kind: str  # CourseKind
    completed_on: date
    expires_on: date


def training_standing(records: Iterable[TrainingFacts], on: date) -> Standing:
    """Is CSE or safeguarding training complete and in date on `on`?

    Only courses of a CSE/safeguarding kind count; a record expires at the end of its
    `expires_on` day; records completed after `on` are ignored. Refuses with a code:
    training_missing, training_expired.
    """
    relevant = [r for r in records if r.kind in CSE_COURSE_KINDS and r.completed_on <= on]
    if not relevant:
        return Standing(
            False,
            code="training_missing",
            message="No CSE or safeguarding training is recorded.",
        )
    best = max(relevant, key=lambda r: (r.expires_on, r.completed_on))
    if best.expires_on >= on:
        return Standing(True, valid_until=best.expires_on)
    return Standing(
        False,
        valid_until=best.expires_on,
        code="training_expired",
        message=f"The CSE/safeguarding training ({best.course}) completed on "
        f"{fmt(best.completed_on)} expired on {fmt(best.expires_on)}.",
    )


# --- who needs which check ---

COUNCILLOR, REGULATED, CHILD_FACING, OTHER_STAFF = (
    "councillor",
    "regulated_activity",
    "child_facing",
    "other_staff",
)
GROUP_LABELS = {
    COUNCILLOR: "Councillors",
    REGULATED: "Staff in regulated activity",
    CHILD_FACING: "Other staff in child-facing roles",
    OTHER_STAFF: "Staff not working with children",
}


def staff_group(kind: str, *, regulated_activity: bool, works_with_children: bool) -> str:
    """The configuration group deciding which DBS level someone on the register needs."""
    if kind == StaffKind.COUNCILLOR:
        return COUNCILLOR
    if regulated_activity:
        return REGULATED
    return CHILD_FACING if works_with_children else OTHER_STAFF


# --- coverage ---


@dataclass(frozen=True)
class CoverageFacts:
    """One person's standing for the coverage report: their group and section, and the two tests."""

    group: str
    section: str  # directorate, ward group or badge type
    dbs_valid: bool
    training_valid: bool


@dataclass
class CoverageRow:
    label: str
    people: int = 0
    dbs: int = 0
    training: int = 0
    both: int = 0
    sections: dict[str, CoverageRow] = field(default_factory=dict)

    def add(self, facts: CoverageFacts) -> None:
        self.people += 1
        self.dbs += facts.dbs_valid
        self.training += facts.training_valid
        self.both += facts.dbs_valid and facts.training_valid

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def dbs_share(self) -> float | None:
        return self.share(self.dbs, self.people)

    @property
    def training_share(self) -> float | None:
        return self.share(self.training, self.people)

    @property
    def both_share(self) -> float | None:
        return self.share(self.both, self.people)


def coverage(people: Sequence[CoverageFacts], labels: dict[str, str]) -> list[CoverageRow]:
    """Counts and shares by group (in the order of `labels`), each broken down by section."""
    rows = {group: CoverageRow(label) for group, label in labels.items()}
    for facts in people:
        row = rows.get(facts.group)
        if row is None:
            continue
        row.add(facts)
        row.sections.setdefault(facts.section, CoverageRow(facts.section)).add(facts)
    for row in rows.values():
        row.sections = dict(sorted(row.sections.items()))
    return list(rows.values())


def due_soon(valid_until: date | None, on: date, days: int) -> bool:
    """True when something still valid on `on` has its last valid day within `days` days
    (60 days: from 60 days before the last valid day, up to and including it)."""
    return valid_until is not None and on <= valid_until <= on + timedelta(days=days)
