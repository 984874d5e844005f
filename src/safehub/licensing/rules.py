"""The licensing rules: may a driver licence be granted or renewed today, and what expires soon.

`licence_decision` is the rule the council resolved on: "all hackney carriage and private hire
drivers are required to have DBS checks and CSE training as part of the conditions of their
licences", with the DfT Statutory Standards (2020) on how a DBS check stays valid and the
national register check before a grant. It is pure: the service gathers the facts, calls it
and refuses what it refuses. Each unmet condition is listed with a message saying exactly what
is missing; a grant needs all of them met, or a senior officer's recorded override.

Configuration (`SAFEHUB_LICENSING`, see `safehub.licensing.config`) sets the periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from safehub.licensing.choices import AlertKind, RegisterResult
from safehub.workforce.choices import DbsLevel
from safehub.workforce.rules import (
    DbsFacts,
    DbsPolicy,
    Standing,
    TrainingFacts,
    dbs_standing,
    due_soon,
    fmt,
    last_valid_day,
    training_standing,
)


@dataclass(frozen=True)
class LicensingPolicy:
    dbs: DbsPolicy = DbsPolicy()
    national_register_max_age_days: int = 90
    licence_months: int = 36
    alert_days: int = 60


@dataclass(frozen=True)
class RegisterCheckFacts:
    checked_on: date
    result: str  # RegisterResult


@dataclass(frozen=True)
class DriverFacts:
    """Everything the rules need about a driver, and nothing more."""

    dbs_checks: tuple[DbsFacts, ...] = ()
    training: tuple[TrainingFacts, ...] = ()
    register_checks: tuple[RegisterCheckFacts, ...] = ()
    licence_expires_on: date | None = None


@dataclass(frozen=True)
class UnmetCondition:
    code: str
    message: str


@dataclass(frozen=True)
class LicenceOutcome:
    """The rule's answer: allowed only when `unmet` is empty."""

    unmet: tuple[UnmetCondition, ...]

    @property
    def allowed(self) -> bool:
        return not self.unmet

    @property
    def codes(self) -> list[str]:
        return [u.code for u in self.unmet]


REQUIRED_DBS = DbsLevel.ENHANCED_BARRED


def driver_dbs(facts: DriverFacts, policy: LicensingPolicy, on: date) -> Standing:
    """The driver's DBS standing: enhanced with barred lists, valid by certificate or service,
    and no longer valid once an Update Service status check finds a change (see
    workforce.rules.dbs_standing, which staff and councillors are held to as well)."""
    return dbs_standing(facts.dbs_checks, REQUIRED_DBS, policy.dbs, on)


def register_standing(facts: DriverFacts, policy: LicensingPolicy, on: date) -> Standing:
    """Is a national register check recorded within the configured days before `on`?

    A "match" still counts as a check made: what was found is for the officer's decision.
    Refuses with register_missing or register_stale.
    """
    made = [c for c in facts.register_checks if c.checked_on <= on]
    if not made:
        return Standing(
            False,
            code="register_missing",
            message="No check of the national register of refusals and revocations (NR3S) "
            "is recorded.",
        )
    latest = max(made, key=lambda c: c.checked_on)
    until = latest.checked_on + timedelta(days=policy.national_register_max_age_days)
    if until >= on:
        return Standing(True, valid_until=until)
    return Standing(
        False,
        valid_until=until,
        code="register_stale",
        message=f"The last national register (NR3S) check was on {fmt(latest.checked_on)}, "
        f"more than {policy.national_register_max_age_days} days ago: check it again.",
    )


def licence_decision(facts: DriverFacts, policy: LicensingPolicy, on: date) -> LicenceOutcome:
    """May a licence be granted or renewed on `on`? Refused unless every condition is met.

    1. An enhanced DBS check with barred lists, valid under the policy: issued within
       `dbs.valid_months`, or the driver subscribes to the Update Service and the latest
       status check (no older than `dbs.update_check_months`) found no change.
    2. CSE/safeguarding training complete and in date on `on`.
    3. A national register (NR3S) check within `national_register_max_age_days` before `on`.
    """
    unmet = []
    for standing in (
        driver_dbs(facts, policy, on),
        training_standing(facts.training, on),
        register_standing(facts, policy, on),
    ):
        if not standing.valid:
            unmet.append(UnmetCondition(standing.code, standing.message))
    return LicenceOutcome(tuple(unmet))


def new_licence_period(
    current_expires_on: date | None, policy: LicensingPolicy, on: date
) -> tuple[date, date]:
    """(starts, expires) of a grant or renewal decided on `on`.

    A renewal before the current licence ends runs on from the day after it ends, so no days
    are lost or doubled; otherwise the licence starts on the day of the decision.
    """
    start = on
    if current_expires_on is not None and current_expires_on >= on:
        start = current_expires_on + timedelta(days=1)
    return start, last_valid_day(start, policy.licence_months)


@dataclass(frozen=True)
class ExpiryAlert:
    kind: str  # AlertKind
    valid_until: date | None
    expired: bool
    message: str


LABELS = {
    AlertKind.DBS: (
        "The DBS certificate counted until {}.",
        "The DBS certificate counts until {}.",
    ),
    AlertKind.UPDATE_SERVICE: (
        "An Update Service status check was due by {}.",
        "The next Update Service status check is due by {}.",
    ),
    AlertKind.TRAINING: (
        "CSE/safeguarding training expired on {}.",
        "CSE/safeguarding training expires on {}.",
    ),
    AlertKind.LICENCE: ("The licence expired on {}.", "The licence expires on {}."),
}


def _alert(kind: AlertKind, until: date | None, on: date, days: int) -> ExpiryAlert | None:
    if until is None:
        return None
    expired_text, due_text = LABELS[kind]
    if until < on:
        return ExpiryAlert(kind, until, True, expired_text.format(fmt(until)))
    if due_soon(until, on, days):
        return ExpiryAlert(kind, until, False, due_text.format(fmt(until)))
    return None


def expiry_alerts(facts: DriverFacts, policy: LicensingPolicy, on: date) -> list[ExpiryAlert]:
    """What has expired, or expires within `alert_days` of `on`, for a driver.

    The DBS certificate and its Update Service check are reported apart: a subscriber's
    certificate may be old while the status checks keep it valid; then what falls due is the
    next status check. Missing records are not alerts (the licensing rule names them).
    """
    days = policy.alert_days
    dbs = driver_dbs(facts, policy, on)
    dbs_alert: ExpiryAlert | None
    if dbs.code == "dbs_update_changed":
        dbs_alert = ExpiryAlert(AlertKind.DBS, dbs.valid_until, True, dbs.message)
    elif dbs.route == "update_service" or dbs.code == "dbs_update_overdue":
        dbs_alert = _alert(AlertKind.UPDATE_SERVICE, dbs.valid_until, on, days)
    else:
        dbs_alert = _alert(AlertKind.DBS, dbs.valid_until, on, days)
    training = training_standing(facts.training, on)
    alerts = [
        dbs_alert,
        _alert(AlertKind.TRAINING, training.valid_until, on, days),
        _alert(AlertKind.LICENCE, facts.licence_expires_on, on, days),
    ]
    return [a for a in alerts if a is not None]


# The conditions' refusal codes in words, for pages and reports (the codes stay in the data).
CONDITION_LABELS = {
    "dbs_missing": "No DBS check",
    "dbs_level": "DBS check below enhanced with barred lists",
    "dbs_expired": "DBS certificate too old",
    "dbs_update_overdue": "Update Service status check overdue",
    "dbs_update_changed": "Update Service status check found a change",
    "training_missing": "No CSE/safeguarding training",
    "training_expired": "CSE/safeguarding training expired",
    "register_missing": "No national register check",
    "register_stale": "National register check out of date",
}


def condition_label(code: str) -> str:
    """The words for a refusal code; an unknown code is named as such, never shown raw."""
    return CONDITION_LABELS.get(code, "Another condition")


OVERRIDE_REASON_MIN_LENGTH = 20
# Words that say nothing about why the rules were overridden.
PLACEHOLDER_WORDS = frozenset(
    "ok okay n a na n/a none nil override overridden yes agreed approved fine test x see above "
    "as per discussed urgent tbc".split()
)


def override_reason_problem(reason: str) -> str:
    """Why `reason` is not a reason of substance for overriding the rules, or "" if it is.

    Refuses fewer than `OVERRIDE_REASON_MIN_LENGTH` characters, fewer than three different
    words, repeated characters, and text made only of placeholders ("ok", "n/a", "override").
    """
    text = " ".join(reason.split())
    words = [w.strip(".,;:!?()'\"-").lower() for w in text.split()]
    words = [w for w in words if w]
    letters = {ch.lower() for ch in text if ch.isalnum()}
    if (
        len(text) < OVERRIDE_REASON_MIN_LENGTH
        or len(set(words)) < 3
        or len(letters) < 6
        or set(words) <= PLACEHOLDER_WORDS
    ):
        return (
            "Enter why the licence is granted although conditions are not met, in at least "
            f"{OVERRIDE_REASON_MIN_LENGTH} characters: a placeholder such as “ok” or “n/a” "
            "is not a reason"
        )
    return ""


def any_match(checks: Sequence[RegisterCheckFacts]) -> bool:
    return any(c.result == RegisterResult.MATCH for c in checks)
