"""Grant, renewal, refusal, revocation, overrides and the national register, via the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.licensing import selectors, services
from safehub.licensing.choices import BadgeType, DecisionKind, LicenceStatus
from safehub.licensing.models import Licence, LicensingDecision
from safehub.policy.roles import Role
from safehub.refusals import Refused
from safehub.workforce.choices import DbsLevel, DbsResult, StatusCheckResult
from safehub.workforce.services import DbsDetails, TrainingDetails
from tests.factories import make_user
from tests.licensing.helpers import (
    compliant_driver,
    give_dbs,
    give_licence,
    give_register_check,
    give_training,
    make_driver,
)
from tests.workforce.helpers import make_course

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 31)


@pytest.fixture
def officer() -> User:
    return make_user(Role.LICENSING_OFFICER)


@pytest.fixture
def senior() -> User:
    user = make_user(Role.LICENSING_OFFICER)
    services.designate_senior_officer(user=user, on=TODAY)
    return user


def test_a_compliant_driver_is_granted_a_three_year_licence(officer: User) -> None:
    driver = compliant_driver(TODAY)
    decision = services.grant_licence(
        actor=officer, driver=driver, badge_type=BadgeType.HACKNEY, today=TODAY
    )
    assert decision.kind == DecisionKind.GRANT and not decision.is_override
    assert (decision.licence.starts_on, decision.licence.expires_on) == (TODAY, date(2029, 7, 30))
    driver.refresh_from_db()
    assert driver.badge_type == BadgeType.HACKNEY
    assert AccessEvent.objects.filter(
        user_id=officer.pk, object_type="licensing_decision", object_id=str(decision.public_id)
    ).exists()


def test_renewal_before_expiry_continues_the_licence(officer: User) -> None:
    driver = compliant_driver(TODAY)
    old = give_licence(driver, date(2023, 8, 10))  # ends 9 August 2026
    decision = services.grant_licence(
        actor=officer, driver=driver, badge_type=driver.badge_type, today=TODAY
    )
    assert decision.kind == DecisionKind.RENEW
    assert decision.licence.starts_on == old.expires_on + timedelta(days=1)


def test_renewal_with_expired_training_is_refused_with_the_reason(officer: User) -> None:
    driver = make_driver()
    give_licence(driver, date(2023, 8, 10))
    give_dbs(driver, date(2025, 1, 1))
    give_training(driver, date(2023, 7, 31))  # expired on 30 July 2026
    give_register_check(driver, TODAY)
    with pytest.raises(services.LicenceRefused) as refused:
        services.grant_licence(
            actor=officer, driver=driver, badge_type=driver.badge_type, today=TODAY
        )
    assert refused.value.outcome.codes == ["training_expired"]
    assert "expired on 30 July 2026" in str(refused.value)
    assert Licence.objects.filter(driver=driver).count() == 1
    assert not LicensingDecision.objects.exists()


def test_the_rule_cannot_be_skipped_by_a_plain_officer_with_a_reason(officer: User) -> None:
    driver = make_driver()
    with pytest.raises(Refused) as refused:
        services.grant_licence(
            actor=officer,
            driver=driver,
            badge_type=driver.badge_type,
            today=TODAY,
            override_reason="I know him",
        )
    assert "senior licensing officer" in refused.value.errors["override_reason"]
    assert not Licence.objects.exists()


def test_a_senior_officer_needs_a_reason_to_override(senior: User) -> None:
    with pytest.raises(services.LicenceRefused):
        services.grant_licence(
            actor=senior,
            driver=make_driver(),
            badge_type="hackney",
            today=TODAY,
            override_reason="  ",
        )


def test_a_senior_officer_overrides_with_a_reason_audited_and_reported(senior: User) -> None:
    driver = make_driver()
    give_dbs(driver, date(2025, 1, 1))
    give_register_check(driver, TODAY)
    decision = services.grant_licence(
        actor=senior,
        driver=driver,
        badge_type=driver.badge_type,
        today=TODAY,
        override_reason="Booked on the course next week; licence conditional",
    )
    assert decision.is_override and decision.override_officer == senior
    assert decision.overridden_conditions == ["training_missing"]
    audit = AccessEvent.objects.get(object_type="licence_override")
    assert audit.user_id == senior.pk and "training_missing" in audit.reason
    assert list(selectors.overrides()) == [decision]


@pytest.mark.parametrize(
    "reason",
    [
        "ok",
        "n/a",
        "Override",
        "override override override",
        "aaaaaaaaaaaaaaaaaaaaaaaaa",
        "ok ok ok ok ok ok ok ok ok",
        "Too short a reason",
        "N/A - override - approved",
    ],
)
def test_an_override_needs_a_reason_of_substance(senior: User, reason: str) -> None:
    driver = make_driver()
    give_dbs(driver, date(2025, 1, 1))
    give_register_check(driver, TODAY)
    with pytest.raises(Refused) as refused:
        services.grant_licence(
            actor=senior,
            driver=driver,
            badge_type=driver.badge_type,
            today=TODAY,
            override_reason=reason,
        )
    assert "at least 20 characters" in refused.value.errors["override_reason"]
    assert not Licence.objects.filter(driver=driver).exists()
    assert not LicensingDecision.objects.exists()
    assert not AccessEvent.objects.filter(object_type="licence_override").exists()


def test_a_renewal_after_a_status_check_found_a_change_is_refused(officer: User) -> None:
    driver = make_driver()
    give_licence(driver, date(2024, 1, 1))
    give_training(driver, date(2025, 1, 1))
    give_register_check(driver, TODAY)
    check = give_dbs(driver, date(2025, 1, 1), update_service=True)  # 19 months old
    services.record_status_check(
        actor=officer,
        check=check,
        checked_on=TODAY,
        result=StatusCheckResult.CHANGED,
        today=TODAY,
    )
    with pytest.raises(services.LicenceRefused) as refused:
        services.grant_licence(
            actor=officer, driver=driver, badge_type=driver.badge_type, today=TODAY
        )
    assert refused.value.outcome.codes == ["dbs_update_changed"]
    assert "a new certificate is needed" in str(refused.value)
    assert Licence.objects.filter(driver=driver).count() == 1


def test_a_compliant_grant_by_a_senior_officer_is_not_an_override(senior: User) -> None:
    decision = services.grant_licence(
        actor=senior,
        driver=compliant_driver(TODAY),
        badge_type="dual",
        today=TODAY,
        override_reason="not needed",
    )
    assert not decision.is_override and decision.overridden_conditions == []


def test_senior_designation_is_for_licensing_officers_only() -> None:
    with pytest.raises(Refused):
        services.designate_senior_officer(user=make_user(Role.WORKFORCE_ADMIN), on=TODAY)


def test_refusal_and_revocation_go_to_the_national_register_list(officer: User) -> None:
    applicant, licensed = make_driver(), make_driver()
    give_licence(licensed, date(2025, 1, 1))
    refusal = services.refuse_application(
        actor=officer, driver=applicant, reason="Not fit and proper", today=TODAY
    )
    revocation = services.revoke_licence(
        actor=officer, driver=licensed, reason="Conviction reported", today=TODAY
    )
    assert set(selectors.register_pending()) == {refusal, revocation}
    assert Licence.objects.get(driver=licensed).status == LicenceStatus.REVOKED
    services.mark_recorded_on_register(actor=officer, decision=refusal, today=TODAY)
    assert list(selectors.register_pending()) == [revocation]
    refusal.refresh_from_db()
    assert refusal.register_recorded_on == TODAY and refusal.register_recorded_by == officer


def test_refusals_need_reasons_and_revocations_a_licence(officer: User) -> None:
    driver = make_driver()
    with pytest.raises(Refused):
        services.refuse_application(actor=officer, driver=driver, reason=" ", today=TODAY)
    with pytest.raises(Refused) as no_licence:
        services.revoke_licence(actor=officer, driver=driver, reason="x", today=TODAY)
    assert "no current licence" in no_licence.value.errors["reason"]
    assert not LicensingDecision.objects.exists()


def test_grants_are_not_put_on_the_register(officer: User) -> None:
    decision = services.grant_licence(
        actor=officer, driver=compliant_driver(TODAY), badge_type="hackney", today=TODAY
    )
    with pytest.raises(Refused):
        services.mark_recorded_on_register(actor=officer, decision=decision, today=TODAY)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "platinum"}, "level"),
        ({"certificate_number": "12345"}, "certificate_number"),
        ({"issued_on": None}, "issued_on"),
        ({"issued_on": TODAY + timedelta(days=1)}, "issued_on"),
        ({"result": "details of the conviction"}, "result"),
        ({"update_service": True, "update_service_id": ""}, "update_service_id"),
    ],
)
def test_bad_dbs_details_are_refused_and_nothing_is_stored(change: dict, field: str) -> None:
    data = {
        "level": DbsLevel.ENHANCED_BARRED,
        "certificate_number": "001234567890",
        "issued_on": TODAY,
        "result": DbsResult.CLEAR,
    }
    data.update(change)
    driver = make_driver()
    with pytest.raises(Refused) as refused:
        services.record_dbs(actor=None, driver=driver, details=DbsDetails(**data), today=TODAY)
    assert field in refused.value.errors
    assert not driver.dbs_checks.exists()


def test_status_checks_only_for_subscribed_certificates() -> None:
    driver = make_driver()
    plain = give_dbs(driver, date(2025, 1, 1))
    with pytest.raises(Refused):
        services.record_status_check(
            actor=None,
            check=plain,
            checked_on=TODAY,
            result=StatusCheckResult.NO_CHANGE,
            today=TODAY,
        )
    subscribed = give_dbs(driver, date(2025, 1, 1), update_service=True)
    with pytest.raises(Refused):
        services.record_status_check(
            actor=None,
            check=subscribed,
            checked_on=date(2024, 1, 1),
            result=StatusCheckResult.NO_CHANGE,
            today=TODAY,
        )
    services.record_status_check(
        actor=None,
        check=subscribed,
        checked_on=TODAY,
        result=StatusCheckResult.NO_CHANGE,
        today=TODAY,
    )
    assert subscribed.status_checks.count() == 1


def test_training_expiry_comes_from_the_course_unless_given() -> None:
    driver = make_driver()
    record = services.record_training(
        actor=None,
        driver=driver,
        details=TrainingDetails(
            course_id=make_course(months=12).pk, completed_on=date(2026, 1, 15)
        ),
        today=TODAY,
    )
    assert record.expires_on == date(2027, 1, 14)
    with pytest.raises(Refused) as refused:
        services.record_training(
            actor=None,
            driver=driver,
            details=TrainingDetails(course_id=None, completed_on=None),
            today=TODAY,
        )
    assert set(refused.value.errors) == {"course", "completed_on"}


def test_register_checks_need_a_date_and_a_result(officer: User) -> None:
    driver = make_driver()
    with pytest.raises(Refused) as refused:
        services.record_register_check(
            actor=officer, driver=driver, checked_on=None, result="maybe", today=TODAY
        )
    assert set(refused.value.errors) == {"checked_on", "result"}
    assert not driver.national_register_checks.exists()


def test_duplicate_badge_numbers_are_refused() -> None:
    make_driver(badge_number="D1234567")
    with pytest.raises(Refused) as refused:
        make_driver(badge_number="D1234567")
    assert "badge_number" in refused.value.errors


def test_expiry_alerts_leave_out_unlicensed_drivers() -> None:
    licensed = make_driver()
    give_licence(licensed, date(2023, 9, 1))  # ends 31 August 2026: due within 60 days
    unlicensed = make_driver()
    give_training(unlicensed, date(2023, 8, 1))
    rows = selectors.expiry_alerts(TODAY)
    assert [r.driver for r in rows] == [licensed]
    assert [a.kind for a in rows[0].alerts] == ["licence"]


def test_senior_designation_command() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    user = make_user(Role.LICENSING_OFFICER, username="senior.one")
    call_command("designate_senior_officer", "senior.one", stdout=StringIO())
    assert selectors.is_senior_officer(user)
    out = StringIO()
    call_command("designate_senior_officer", "--list", stdout=out)
    assert "senior.one" in out.getvalue()
    call_command("designate_senior_officer", "senior.one", "--remove", stdout=StringIO())
    assert not selectors.is_senior_officer(user)
    make_user(Role.BOARD_MEMBER, username="not.licensing")
    with pytest.raises(CommandError):
        call_command("designate_senior_officer", "not.licensing", stdout=StringIO())
    assert AccessEvent.objects.filter(object_type="senior_licensing_officer").count() == 2


def test_the_settings_change_what_the_service_refuses(officer: User) -> None:
    from django.test import override_settings

    driver = make_driver()
    give_dbs(driver, date(2025, 1, 1))
    give_training(driver, date(2025, 1, 1))
    give_register_check(driver, TODAY - timedelta(days=120))
    with pytest.raises(services.LicenceRefused) as refused:
        services.grant_licence(actor=officer, driver=driver, badge_type="hackney", today=TODAY)
    assert refused.value.outcome.codes == ["register_stale"]
    with override_settings(SAFEHUB_LICENSING={"national_register_max_age_days": 180}):
        decision = services.grant_licence(
            actor=officer, driver=driver, badge_type="hackney", today=TODAY
        )
    assert not decision.is_override


def test_an_override_never_waives_the_national_register_check(senior: User) -> None:
    driver = make_driver()
    give_dbs(driver, date(2025, 1, 1))
    with pytest.raises(Refused) as refused:
        services.grant_licence(
            actor=senior,
            driver=driver,
            badge_type=driver.badge_type,
            today=TODAY,
            override_reason="Urgent",
        )
    assert "national register must be checked" in refused.value.errors["override_reason"]
    assert not Licence.objects.exists()
