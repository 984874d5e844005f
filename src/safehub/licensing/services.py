"""Named actions on the licensing register. Each validates first, then writes in one
transaction; decisions are written to the access log.

`grant_licence` is the only way a licence is made: it asks the licensing rule
(`rules.licence_decision`) and refuses with the unmet conditions unless a designated senior
officer overrides it with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.licensing import config, rules, selectors
from safehub.licensing.choices import (
    BadgeType,
    DecisionKind,
    LicenceStatus,
    RegisterResult,
)
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
from safehub.policy import Action, allows
from safehub.refusals import NON_FIELD, Refused
from safehub.workforce.services import (
    DbsDetails,
    TrainingDetails,
    create_dbs_check,
    create_status_check,
    create_training_record,
)

# The national register check is a step of the grant itself, not a condition an override
# can waive: a senior officer may override DBS and training conditions only.
NOT_OVERRIDABLE = frozenset({"register_missing", "register_stale"})


class LicenceRefused(Refused):
    """The licensing rule refused a grant or renewal: a refusal of the whole decision, not of a
    field; `outcome.unmet` says exactly why, condition by condition."""

    def __init__(self, outcome: rules.LicenceOutcome) -> None:
        super().__init__({NON_FIELD: " ".join(u.message for u in outcome.unmet)})
        self.outcome = outcome


def _audit(
    actor: User, decision: LicensingDecision, object_type: AuditObjectType, reason: str
) -> None:
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=object_type,
        object_id=decision.public_id,
        reason=reason,
    )


@dataclass(frozen=True)
class DriverDetails:
    badge_number: str
    given_name: str
    family_name: str
    badge_type: str
    date_of_birth: date | None = None
    address_line1: str = ""
    postcode: str = ""


@transaction.atomic
def save_driver(*, details: DriverDetails, existing: Driver | None = None) -> Driver:
    """Add a driver (an applicant) or change their details. Refuses a duplicate badge number."""
    errors: dict[str, str] = {}
    for name, message in (
        ("badge_number", "Enter the badge number"),
        ("given_name", "Enter the first name"),
        ("family_name", "Enter the last name"),
    ):
        if not getattr(details, name):
            errors[name] = message
    if details.badge_type not in BadgeType.values:
        errors["badge_type"] = "Select the badge type"
    taken = Driver.objects.filter(badge_number=details.badge_number)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if details.badge_number and taken.exists():
        errors["badge_number"] = "A driver with this badge number is already registered"
    if errors:
        raise Refused(errors)
    driver = existing or Driver()
    for name, value in details.__dict__.items():
        setattr(driver, name, value)
    driver.save()
    return driver


@transaction.atomic
def record_dbs(
    *, actor: User | None, driver: Driver, details: DbsDetails, today: date
) -> DriverDbsCheck:
    """Record a driver's DBS check: level, number, date, result (never disclosed content)."""
    return create_dbs_check(
        DriverDbsCheck, owner={"driver": driver}, actor=actor, details=details, today=today
    )


@transaction.atomic
def record_status_check(
    *, actor: User | None, check: DriverDbsCheck, checked_on: date | None, result: str, today: date
) -> DriverStatusCheck:
    """Record an Update Service status check of a driver's certificate."""
    return create_status_check(
        DriverStatusCheck,
        check=check,
        actor=actor,
        checked_on=checked_on,
        result=result,
        today=today,
    )


@transaction.atomic
def record_training(
    *, actor: User | None, driver: Driver, details: TrainingDetails, today: date
) -> DriverTraining:
    """Record a driver's completed course; expiry from the course unless one is given."""
    return create_training_record(
        DriverTraining, owner={"driver": driver}, actor=actor, details=details, today=today
    )


@transaction.atomic
def record_register_check(
    *, actor: User, driver: Driver, checked_on: date | None, result: str, today: date
) -> NationalRegisterCheck:
    """Record a search of the national register (NR3S): the date, the result and who checked."""
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Enter the date of the check"
    elif checked_on > today:
        errors["checked_on"] = "The date must be today or in the past"
    if result not in RegisterResult.values:
        errors["result"] = "Select the result of the check"
    if errors:
        raise Refused(errors)
    assert checked_on is not None
    return NationalRegisterCheck.objects.create(
        driver=driver, checked_on=checked_on, result=result, checked_by=actor
    )


@transaction.atomic
def grant_licence(
    *,
    actor: User,
    driver: Driver,
    badge_type: str,
    today: date,
    override_reason: str = "",
) -> LicensingDecision:
    """Grant a licence (or renew one: the driver has held a licence before).

    Refuses with `LicenceRefused` (every unmet condition) unless the rule allows it. With an
    `override_reason`, a designated senior licensing officer (the actor, who is named on the
    decision) may grant against the DBS and training conditions: the overridden conditions are
    kept, the override is written to the access log and listed in the override report. Refuses
    with `Refused` an override by anyone else, of a missing or stale national register
    check (never waived), or with a reason of no substance (`rules.override_reason_problem`).
    """
    if badge_type not in BadgeType.values:
        raise Refused({"badge_type": "Select the badge type"})
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    driver = selectors.with_records().get(pk=driver.pk)
    policy = config.policy()
    outcome = rules.licence_decision(selectors.facts_of(driver), policy, today)
    override_reason = override_reason.strip()
    if not outcome.allowed:
        if not override_reason:
            raise LicenceRefused(outcome)
        if not selectors.is_senior_officer(actor):
            raise Refused(
                {"override_reason": "Only a senior licensing officer may override the rules"}
            )
        if any(code in NOT_OVERRIDABLE for code in outcome.codes):
            raise Refused(
                {
                    "override_reason": "The national register must be checked before any "
                    "grant: record the check first"
                }
            )
        problem = rules.override_reason_problem(override_reason)
        if problem:
            raise Refused({"override_reason": problem})
    renewal = driver.licences.exists()
    starts, expires = rules.new_licence_period(selectors.latest_licence_end(driver), policy, today)
    licence = Licence.objects.create(
        driver=driver, badge_type=badge_type, starts_on=starts, expires_on=expires
    )
    if driver.badge_type != badge_type:
        driver.badge_type = badge_type
        driver.save(update_fields=["badge_type"])
    overridden = not outcome.allowed
    decision = LicensingDecision.objects.create(
        driver=driver,
        kind=DecisionKind.RENEW if renewal else DecisionKind.GRANT,
        decided_on=today,
        decided_by=actor,
        reason=override_reason,
        licence=licence,
        overridden_conditions=[u.code for u in outcome.unmet] if overridden else [],
        override_officer=actor if overridden else None,
    )
    _audit(
        actor, decision, AuditObjectType.LICENSING_DECISION, f"{decision.kind} of a driver licence"
    )
    if overridden:
        _audit(
            actor,
            decision,
            AuditObjectType.LICENCE_OVERRIDE,
            f"rule overridden ({', '.join(outcome.codes)}): {override_reason}",
        )
    return decision


@transaction.atomic
def refuse_application(
    *, actor: User, driver: Driver, reason: str, today: date
) -> LicensingDecision:
    """Record a refusal of a driver's application; it waits to be recorded on the NR3S."""
    if not reason.strip():
        raise Refused({"reason": "Enter the reasons for the refusal"})
    decision = LicensingDecision.objects.create(
        driver=driver,
        kind=DecisionKind.REFUSE,
        decided_on=today,
        decided_by=actor,
        reason=reason.strip(),
    )
    _audit(actor, decision, AuditObjectType.LICENSING_DECISION, "refusal of a driver licence")
    return decision


@transaction.atomic
def revoke_licence(*, actor: User, driver: Driver, reason: str, today: date) -> LicensingDecision:
    """Revoke the driver's current licences; the revocation waits to be recorded on the NR3S.

    Refuses without reasons or when the driver holds no current licence.
    """
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter the reasons for the revocation"
    current = Licence.objects.filter(
        driver=driver, status=LicenceStatus.CURRENT, expires_on__gte=today
    )
    if not current.exists():
        errors.setdefault("reason", "The driver holds no current licence to revoke")
    if errors:
        raise Refused(errors)
    latest = current.order_by("-expires_on").first()
    current.update(status=LicenceStatus.REVOKED)
    decision = LicensingDecision.objects.create(
        driver=driver,
        kind=DecisionKind.REVOKE,
        decided_on=today,
        decided_by=actor,
        reason=reason.strip(),
        licence=latest,
    )
    _audit(actor, decision, AuditObjectType.LICENSING_DECISION, "revocation of a driver licence")
    return decision


@transaction.atomic
def mark_recorded_on_register(
    *, actor: User, decision: LicensingDecision, today: date
) -> LicensingDecision:
    """Note that a refusal or revocation has been entered on the national register (NR3S)."""
    if decision.kind not in (DecisionKind.REFUSE, DecisionKind.REVOKE):
        raise Refused({"decision": "Only refusals and revocations go on the register"})
    if decision.register_recorded_on is None:
        decision.register_recorded_on = today
        decision.register_recorded_by = actor
        decision.save(update_fields=["register_recorded_on", "register_recorded_by"])
        _audit(
            actor,
            decision,
            AuditObjectType.NATIONAL_REGISTER_ENTRY,
            "recorded on the national register",
        )
    return decision


@transaction.atomic
def designate_senior_officer(*, user: User, on: date, note: str = "") -> SeniorLicensingOfficer:
    """Designate a licensing officer as senior (may override the licensing rules)."""
    if not allows(user, Action.LICENSING_SENIOR):
        raise Refused({"user": "Only a licensing officer can be designated senior"})
    senior, _ = SeniorLicensingOfficer.objects.get_or_create(
        user=user, defaults={"designated_on": on, "note": note}
    )
    return senior


@transaction.atomic
def remove_senior_officer(*, user: User) -> None:
    """End a senior designation: the user can no longer override the licensing rules."""
    SeniorLicensingOfficer.objects.filter(user=user).delete()
