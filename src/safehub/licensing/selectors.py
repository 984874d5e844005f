"""Reading the licensing register: drivers, their standing under the rules, alerts, overrides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from safehub.licensing import config, rules
from safehub.licensing.choices import LicenceStatus
from safehub.licensing.models import (
    Driver,
    DriverDbsCheck,
    DriverStatusCheck,
    DriverTraining,
    Licence,
    LicensingDecision,
    NationalRegisterCheck,
    SeniorLicensingOfficer,
)
from safehub.workforce.rules import (
    CoverageFacts,
    DbsFacts,
    StatusCheck,
    TrainingFacts,
    training_standing,
)
from safehub.workforce.selectors import dbs_facts, training_facts


def with_records() -> QuerySet[Driver]:
    return Driver.objects.prefetch_related(
        Prefetch("dbs_checks", queryset=DriverDbsCheck.objects.prefetch_related("status_checks")),
        "training__course",
        "national_register_checks__checked_by",
        "licences",
        "vehicles",
    )


def driver_by_public_id(public_id: Any) -> Driver | None:
    return with_records().filter(public_id=public_id).first()


def find_drivers(query: str, *, limit: int = 50) -> list[Driver]:
    """Drivers whose name contains each word of the query, or whose badge number is the query."""
    words = query.split()
    if not words:
        return []
    found = Driver.objects.all()
    for word in words:
        found = found.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(badge_number__iexact=word)
        )
    return list(found[:limit])


def current_licence(driver: Driver, on: date) -> Licence | None:
    """The licence in force on `on`, or the latest one not revoked (perhaps expired)."""
    licences = [lic for lic in driver.licences.all() if lic.status == LicenceStatus.CURRENT]
    in_force = [lic for lic in licences if lic.starts_on <= on <= lic.expires_on]
    if in_force:
        return max(in_force, key=lambda lic: lic.expires_on)
    return max(licences, key=lambda lic: lic.expires_on) if licences else None


def next_licence(driver: Driver, on: date) -> Licence | None:
    """The licence that starts after `on` (a renewal made before the current one ends), if any;
    revoked licences are left out."""
    later = [
        lic
        for lic in driver.licences.all()
        if lic.status == LicenceStatus.CURRENT and lic.starts_on > on
    ]
    return min(later, key=lambda lic: lic.starts_on) if later else None


def latest_licence_end(driver: Driver) -> date | None:
    licences = [lic for lic in driver.licences.all() if lic.status == LicenceStatus.CURRENT]
    return max((lic.expires_on for lic in licences), default=None)


def facts_of(driver: Driver) -> rules.DriverFacts:
    """The plain facts the rules read, from a driver with their records prefetched."""
    return rules.DriverFacts(
        dbs_checks=dbs_facts(driver.dbs_checks.all()),
        training=training_facts(driver.training.all()),
        register_checks=tuple(
            rules.RegisterCheckFacts(c.checked_on, c.result)
            for c in driver.national_register_checks.all()
        ),
        licence_expires_on=latest_licence_end(driver),
    )


def outcome_for(driver: Driver, on: date) -> rules.LicenceOutcome:
    """What the licensing rule says about a grant or renewal for this driver on `on`."""
    return rules.licence_decision(facts_of(driver), config.policy(), on)


@dataclass(frozen=True)
class DriverEntry:
    driver: Driver
    facts: rules.DriverFacts
    licences: tuple[tuple[date, date], ...]  # (starts, expires) of licences not revoked


def driver_entries() -> list[DriverEntry]:
    """Every driver with their records as plain facts, in a handful of queries.

    For the alerts and the coverage report, which evaluate many drivers (on several days).
    """
    statuses: dict[int, list[StatusCheck]] = defaultdict(list)
    for check_id, checked_on, result in DriverStatusCheck.objects.values_list(
        "certificate_id", "checked_on", "result"
    ):
        statuses[check_id].append(StatusCheck(checked_on, result))
    checks: dict[int, list[DbsFacts]] = defaultdict(list)
    for check_id, driver_id, level, issued_on, service in DriverDbsCheck.objects.values_list(
        "id", "driver_id", "level", "issued_on", "update_service"
    ):
        checks[driver_id].append(DbsFacts(level, issued_on, service, tuple(statuses[check_id])))
    training: dict[int, list[TrainingFacts]] = defaultdict(list)
    for driver_id, name, kind, completed, expires in DriverTraining.objects.values_list(
        "driver_id", "course__name", "course__kind", "completed_on", "expires_on"
    ):
        training[driver_id].append(TrainingFacts(name, kind, completed, expires))
    register: dict[int, list[rules.RegisterCheckFacts]] = defaultdict(list)
    for driver_id, checked_on, result in NationalRegisterCheck.objects.values_list(
        "driver_id", "checked_on", "result"
    ):
        register[driver_id].append(rules.RegisterCheckFacts(checked_on, result))
    licences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for driver_id, starts, expires in Licence.objects.filter(
        status=LicenceStatus.CURRENT
    ).values_list("driver_id", "starts_on", "expires_on"):
        licences[driver_id].append((starts, expires))
    entries = []
    for driver in Driver.objects.all():
        held = tuple(licences[driver.pk])
        facts = rules.DriverFacts(
            dbs_checks=tuple(checks[driver.pk]),
            training=tuple(training[driver.pk]),
            register_checks=tuple(register[driver.pk]),
            licence_expires_on=max((e for _, e in held), default=None),
        )
        entries.append(DriverEntry(driver, facts, held))
    return entries


@dataclass(frozen=True)
class DriverAlerts:
    driver: Driver
    alerts: list[rules.ExpiryAlert]


def expiry_alerts(on: date, *, kind: str = "") -> list[DriverAlerts]:
    """Drivers with anything expired or expiring within the configured days, soonest first.

    Drivers whose licence was revoked, or ended before `on`, are left out: they are no longer
    licensed.
    """
    policy = config.policy()
    found = []
    for entry in driver_entries():
        end = entry.facts.licence_expires_on
        if end is None or end < on:
            continue
        alerts = rules.expiry_alerts(entry.facts, policy, on)
        if kind:
            alerts = [a for a in alerts if a.kind == kind]
        if alerts:
            found.append(DriverAlerts(entry.driver, alerts))
    return sorted(found, key=lambda d: min(a.valid_until or on for a in d.alerts))


def overrides() -> QuerySet[LicensingDecision]:
    """Every grant or renewal made against the rules, newest first (for the override report)."""
    return LicensingDecision.objects.filter(override_officer__isnull=False).select_related(
        "driver", "decided_by", "override_officer"
    )


def register_pending() -> QuerySet[LicensingDecision]:
    """Refusals and revocations not yet recorded on the national register (NR3S)."""
    return LicensingDecision.objects.filter(
        kind__in=["refuse", "revoke"], register_recorded_on__isnull=True
    ).select_related("driver", "decided_by")


def decision_by_public_id(public_id: Any) -> LicensingDecision | None:
    return LicensingDecision.objects.filter(public_id=public_id).first()


def is_senior_officer(user: object) -> bool:
    """True when the user is designated a senior licensing officer (may override the rules)."""
    user_id = getattr(user, "pk", None)
    return user_id is not None and SeniorLicensingOfficer.objects.filter(user_id=user_id).exists()


def senior_officers() -> list[SeniorLicensingOfficer]:
    return list(SeniorLicensingOfficer.objects.select_related("user"))


def driver_coverage_facts(days: Sequence[date]) -> dict[date, list[CoverageFacts]]:
    """For each day, the drivers licensed that day, by badge type, with whether their DBS and
    training were valid. Aggregate input for the workforce coverage report: no names leave
    this app (the facts carry none)."""
    policy = config.policy()
    entries = driver_entries()
    result: dict[date, list[CoverageFacts]] = {}
    for day in days:
        result[day] = [
            CoverageFacts(
                group="drivers",
                section=e.driver.get_badge_type_display(),
                dbs_valid=rules.driver_dbs(e.facts, policy, day).valid,
                training_valid=training_standing(e.facts.training, day).valid,
            )
            for e in entries
            if any(starts <= day <= expires for starts, expires in e.licences)
        ]
    return result
