"""Reading the staff register: finding people, their standing, coverage and awareness reach."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from safehub.workforce import config, coverage
from safehub.workforce.choices import Audience, StaffKind
from safehub.workforce.models import (
    AwarenessCampaign,
    AwarenessSession,
    DbsCheck,
    DbsStatusCheck,
    StaffMember,
    TrainingCourse,
    TrainingRecord,
    TrainingSession,
)
from safehub.workforce.rules import (
    CHILD_FACING,
    COUNCILLOR,
    REGULATED,
    CoverageFacts,
    CoverageRow,
    DbsFacts,
    DbsPolicy,
    Standing,
    StatusCheck,
    TrainingFacts,
    dbs_standing,
    due_soon,
    fmt,
    staff_group,
    training_standing,
)
from safehub.workforce.rules import coverage as tabulate


def staff_by_public_id(public_id: Any) -> StaffMember | None:
    return StaffMember.objects.filter(public_id=public_id).first()


def find_staff(query: str, *, limit: int = 50) -> list[StaffMember]:
    """Active people whose name or number contains the query (case-insensitive)."""
    query = query.strip()
    if not query:
        return []
    words = query.split()
    found = StaffMember.objects.filter(active=True)
    for word in words:
        found = found.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(staff_number__iexact=word)
        )
    return list(found[:limit])


def courses() -> list[TrainingCourse]:
    return list(TrainingCourse.objects.all())


def dbs_facts(checks: Iterable[Any]) -> tuple[DbsFacts, ...]:
    """Plain facts from DBS check rows (staff or driver) with their status checks prefetched."""
    return tuple(
        DbsFacts(
            level=c.level,
            issued_on=c.issued_on,
            update_service=c.update_service,
            status_checks=tuple(StatusCheck(s.checked_on, s.result) for s in c.status_checks.all()),
        )
        for c in checks
    )


def training_facts(records: Iterable[Any]) -> tuple[TrainingFacts, ...]:
    return tuple(
        TrainingFacts(r.course.name, r.course.kind, r.completed_on, r.expires_on) for r in records
    )


def _with_records() -> QuerySet[StaffMember]:
    return StaffMember.objects.prefetch_related(
        Prefetch("dbs_checks", queryset=DbsCheck.objects.prefetch_related("status_checks")),
        "training__course",
    )


@dataclass(frozen=True)
class StaffStanding:
    member: StaffMember
    group: str
    required_level: str
    dbs: Standing
    training: Standing

    @property
    def dbs_ok(self) -> bool:
        return self.dbs.valid or not self.required_level

    @property
    def missing(self) -> list[str]:
        gaps = [] if self.dbs_ok else [self.dbs.message]
        if not self.training.valid:
            gaps.append(self.training.message)
        return gaps


def _standing(
    member: StaffMember,
    checks: Sequence[DbsFacts],
    training: Sequence[TrainingFacts],
    on: date,
    required_levels: dict[str, str],
    policy: DbsPolicy,
) -> StaffStanding:
    group = staff_group(
        member.kind,
        regulated_activity=member.regulated_activity,
        works_with_children=member.works_with_children,
    )
    required = required_levels.get(group, "")
    dbs = dbs_standing(checks, required, policy, on) if required else Standing(True)
    return StaffStanding(member, group, required, dbs, training_standing(training, on))


def standing_of(member: StaffMember, on: date) -> StaffStanding:
    """A person's group, the DBS level it needs, and whether their DBS and training are valid.

    Expects the member's checks and training to be prefetched (or fetches them).
    """
    return _standing(
        member,
        dbs_facts(member.dbs_checks.all()),
        training_facts(member.training.all()),
        on,
        config.required_dbs(),
        config.dbs_policy(),
    )


def staff_standing(public_id: Any, on: date) -> StaffStanding | None:
    member = _with_records().filter(public_id=public_id).first()
    return standing_of(member, on) if member else None


def _in_scope(s: StaffStanding) -> bool:
    return s.group in (COUNCILLOR, REGULATED, CHILD_FACING)


@dataclass(frozen=True)
class RegisterEntry:
    member: StaffMember
    checks: tuple[DbsFacts, ...]
    training: tuple[TrainingFacts, ...]


def register_entries() -> list[RegisterEntry]:
    """Everyone active with their checks and training as plain facts, in four queries.

    Reports evaluate the same entries on several days, so the database is read once.
    """
    active = {"staff__active": True}
    statuses: dict[int, list[StatusCheck]] = defaultdict(list)
    for check_id, checked_on, result in DbsStatusCheck.objects.filter(
        certificate__staff__active=True
    ).values_list("certificate_id", "checked_on", "result"):
        statuses[check_id].append(StatusCheck(checked_on, result))
    checks: dict[int, list[DbsFacts]] = defaultdict(list)
    for check_id, staff_id, level, issued_on, service in DbsCheck.objects.filter(
        **active
    ).values_list("id", "staff_id", "level", "issued_on", "update_service"):
        checks[staff_id].append(DbsFacts(level, issued_on, service, tuple(statuses[check_id])))
    training: dict[int, list[TrainingFacts]] = defaultdict(list)
    for staff_id, name, kind, completed, expires in TrainingRecord.objects.filter(
        **active
    ).values_list("staff_id", "course__name", "course__kind", "completed_on", "expires_on"):
        training[staff_id].append(TrainingFacts(name, kind, completed, expires))
    return [
        RegisterEntry(m, tuple(checks[m.pk]), tuple(training[m.pk]))
        for m in StaffMember.objects.filter(active=True)
    ]


def standings(on: date, entries: Sequence[RegisterEntry] | None = None) -> list[StaffStanding]:
    """Everyone active on the register with their standing on `on`."""
    required, policy = config.required_dbs(), config.dbs_policy()
    return [
        _standing(e.member, e.checks, e.training, on, required, policy)
        for e in (register_entries() if entries is None else entries)
    ]


# The coverage report's groups: councillors, and staff whose roles work with children
# (regulated activity or child-facing), then whatever other registers supply (drivers).
COUNCILLORS, CHILD_FACING_STAFF = "councillors", "child_facing_staff"


def _facts_for(s: StaffStanding) -> CoverageFacts:
    group = COUNCILLORS if s.member.kind == StaffKind.COUNCILLOR else CHILD_FACING_STAFF
    section = "All councillors" if group == COUNCILLORS else s.member.directorate or "Not recorded"
    return CoverageFacts(group, section, s.dbs_ok, s.training.valid)


def coverage_labels() -> dict[str, str]:
    labels = {
        COUNCILLORS: "Councillors",
        CHILD_FACING_STAFF: "Staff in child-facing roles",
    }
    labels.update({g.key: g.label for g in coverage.registered_groups()})
    return labels


def coverage_on_days(days: Sequence[date]) -> dict[date, list[CoverageRow]]:
    """The coverage report's rows on each day: every group, by directorate or section.

    Reads the register (and each other register's group) once for all the days.
    """
    entries = register_entries()
    others = [group.facts(days) for group in coverage.registered_groups()]
    labels = coverage_labels()
    result = {}
    for day in days:
        facts = [_facts_for(s) for s in standings(day, entries) if _in_scope(s)]
        for by_day in others:
            facts.extend(by_day[day])
        result[day] = tabulate(facts, labels)
    return result


def coverage_on(on: date) -> list[CoverageRow]:
    """The coverage report's rows on one day."""
    return coverage_on_days([on])[on]


def quarter_ends(on: date, count: int) -> list[date]:
    """The last `count` quarter-end days before `on`, oldest first, then `on` itself."""
    ends: list[date] = []
    year, quarter = on.year, (on.month - 1) // 3  # quarters completed this year
    while len(ends) < count:
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        ends.append(end)
        quarter -= 1
    return [*reversed(ends), on]


@dataclass(frozen=True)
class TrendPoint:
    on: date
    rows: list[CoverageRow]


def coverage_trend(on: date) -> list[TrendPoint]:
    """Coverage at each recent quarter end and today, from the records' own dates.

    Headcount is today's register: leavers are not kept, so earlier figures describe the
    people on the register now, as their checks and training stood then.
    """
    days = quarter_ends(on, config.coverage_quarters())
    rows = coverage_on_days(days)
    return [TrendPoint(d, rows[d]) for d in days]


def missing_lists(on: date) -> list[StaffStanding]:
    """Councillors and child-facing staff missing a valid DBS or training, by group and name."""
    gaps = [s for s in standings(on) if _in_scope(s) and s.missing]
    return sorted(gaps, key=lambda s: (s.group, s.member.family_name, s.member.given_name))


def expiring_soon(on: date) -> list[tuple[StaffStanding, list[str]]]:
    """Councillors and child-facing staff whose valid DBS check or training runs out within the
    configured alert days, with what runs out when (soonest first)."""
    days = config.alert_days()
    found: list[tuple[date, StaffStanding, list[str]]] = []
    for s in standings(on):
        if not _in_scope(s):
            continue
        notes: list[tuple[date, str]] = []
        dbs_until, training_until = s.dbs.valid_until, s.training.valid_until
        if s.required_level and dbs_until and s.dbs.valid and due_soon(dbs_until, on, days):
            if s.dbs.route == "update_service":
                notes.append((dbs_until, f"Update Service status check due by {fmt(dbs_until)}"))
            else:
                notes.append((dbs_until, f"DBS certificate counts until {fmt(dbs_until)}"))
        if training_until and s.training.valid and due_soon(training_until, on, days):
            notes.append((training_until, f"CSE training expires on {fmt(training_until)}"))
        if notes:
            found.append((min(d for d, _ in notes), s, [text for _, text in notes]))
    found.sort(key=lambda item: (item[0], item[1].member.family_name))
    return [(s, notes) for _, s, notes in found]


def sessions() -> list[TrainingSession]:
    return list(TrainingSession.objects.select_related("course").prefetch_related("attendees"))


def session_by_public_id(public_id: Any) -> TrainingSession | None:
    return TrainingSession.objects.select_related("course").filter(public_id=public_id).first()


# --- awareness raising ---


def campaigns() -> list[AwarenessCampaign]:
    return list(AwarenessCampaign.objects.annotate(reach=Sum("sessions__attendance")))


def campaign_by_public_id(public_id: Any) -> AwarenessCampaign | None:
    return AwarenessCampaign.objects.filter(public_id=public_id).first()


@dataclass(frozen=True)
class Reach:
    periods: list[str]
    rows: list[tuple[str, list[int], int]]  # audience label, attendance per period, total
    sessions: int
    total: int


def period_of(day: date, by: str) -> str:
    """'2026' by year or '2026 Q3' by quarter."""
    return str(day.year) if by == "year" else f"{day.year} Q{(day.month - 1) // 3 + 1}"


def reach(start: date, end: date, *, by: str = "quarter") -> Reach:
    """People reached by awareness sessions held from `start` to `end`, by audience and period."""
    held = AwarenessSession.objects.filter(held_on__gte=start, held_on__lte=end)
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    periods: set[str] = set()
    count = 0
    for session in held.only("held_on", "audience", "attendance"):
        period = period_of(session.held_on, by)
        periods.add(period)
        table[session.audience][period] += session.attendance
        count += 1
    ordered = sorted(periods)
    rows = [
        (label, [table[value][p] for p in ordered], sum(table[value].values()))
        for value, label in Audience.choices
    ]
    return Reach(ordered, rows, count, sum(total for _, _, total in rows))
