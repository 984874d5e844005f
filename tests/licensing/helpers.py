"""Test data for taxi licensing. Synthetic names only."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from safehub.accounts.models import User
from safehub.licensing.choices import BadgeType, RegisterResult
from safehub.licensing.models import Driver, DriverDbsCheck, Licence, NationalRegisterCheck
from safehub.licensing.services import DriverDetails, record_dbs, record_training, save_driver
from safehub.policy.roles import Role
from safehub.workforce.choices import DbsLevel, DbsResult
from safehub.workforce.rules import last_valid_day
from safehub.workforce.services import DbsDetails, TrainingDetails
from tests.factories import make_user
from tests.workforce.helpers import FAR_FUTURE, certificate, make_course

_seq = itertools.count(1)


def make_driver(**overrides: Any) -> Driver:
    n = next(_seq)
    data: dict[str, Any] = {
        "badge_number": f"D9{n:06d}",
        "given_name": "Test",
        "family_name": f"Driver{n}",
        "badge_type": BadgeType.PRIVATE_HIRE,
    }
    data.update(overrides)
    return save_driver(details=DriverDetails(**data))


def give_dbs(
    driver: Driver,
    issued_on: date,
    level: str = DbsLevel.ENHANCED_BARRED,
    *,
    update_service: bool = False,
) -> DriverDbsCheck:
    details = DbsDetails(
        level=level,
        certificate_number=certificate(),
        issued_on=issued_on,
        result=DbsResult.CLEAR,
        update_service=update_service,
        update_service_id="C7654321" if update_service else "",
    )
    return record_dbs(actor=None, driver=driver, details=details, today=FAR_FUTURE)


def give_training(driver: Driver, completed_on: date) -> None:
    record_training(
        actor=None,
        driver=driver,
        details=TrainingDetails(course_id=make_course().pk, completed_on=completed_on),
        today=FAR_FUTURE,
    )


def give_register_check(driver: Driver, checked_on: date, by: User | None = None) -> None:
    NationalRegisterCheck.objects.create(
        driver=driver,
        checked_on=checked_on,
        result=RegisterResult.NO_MATCH,
        checked_by=by or make_user(Role.LICENSING_OFFICER),
    )


def give_licence(driver: Driver, starts_on: date) -> Licence:
    return Licence.objects.create(
        driver=driver,
        badge_type=driver.badge_type,
        starts_on=starts_on,
        expires_on=last_valid_day(starts_on, 36),
    )


def compliant_driver(today: date) -> Driver:
    """A driver who meets every condition on `today`."""
    driver = make_driver()
    give_dbs(driver, date(today.year - 1, 1, 1))
    give_training(driver, date(today.year - 1, 1, 1))
    give_register_check(driver, today)
    return driver


LICENSING_KINDS = frozenset({"driver", "driver_dbs_check"})


def licensing_target(kind: str) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix (drivers have no owner or restriction)."""
    driver = make_driver()
    if kind == "driver":
        return {"public_id": driver.public_id}
    check = give_dbs(driver, date(2025, 1, 1), update_service=True)
    return {"public_id": driver.public_id, "check_id": check.public_id}
