"""The licensing rule at every boundary: the day before, of and after each expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.licensing.choices import AlertKind, RegisterResult
from safehub.licensing.rules import (
    DriverFacts,
    LicensingPolicy,
    RegisterCheckFacts,
    expiry_alerts,
    licence_decision,
    new_licence_period,
)
from safehub.workforce.choices import CourseKind, DbsLevel, StatusCheckResult
from safehub.workforce.rules import DbsFacts, DbsPolicy, StatusCheck, TrainingFacts, last_valid_day

POLICY = LicensingPolicy()
ISSUED = date(2023, 7, 31)  # 36 months: counts until 30 July 2026
EXPIRY = date(2026, 7, 30)
BEFORE, ON, AFTER = EXPIRY - timedelta(days=1), EXPIRY, EXPIRY + timedelta(days=1)
GOOD_DBS = DbsFacts(DbsLevel.ENHANCED_BARRED, date(2025, 1, 1))
GOOD_TRAINING = TrainingFacts(
    "CSE awareness", CourseKind.CSE_AWARENESS, date(2025, 1, 1), date(2027, 12, 31)
)
GOOD_REGISTER = RegisterCheckFacts(date(2026, 7, 1), RegisterResult.NO_MATCH)


def facts(**overrides: object) -> DriverFacts:
    data: dict[str, object] = {
        "dbs_checks": (GOOD_DBS,),
        "training": (GOOD_TRAINING,),
        "register_checks": (GOOD_REGISTER,),
    }
    data.update(overrides)
    return DriverFacts(**data)  # type: ignore[arg-type]


def test_everything_in_order_is_allowed() -> None:
    outcome = licence_decision(facts(), POLICY, AFTER)
    assert outcome.allowed and outcome.unmet == ()


# --- the DBS certificate, without the Update Service ---


@pytest.mark.parametrize(("day", "allowed"), [(BEFORE, True), (ON, True), (AFTER, False)])
def test_certificate_counts_for_the_configured_period(day: date, allowed: bool) -> None:
    outcome = licence_decision(
        facts(dbs_checks=(DbsFacts(DbsLevel.ENHANCED_BARRED, ISSUED),)), POLICY, day
    )
    assert outcome.allowed is allowed
    if not allowed:
        assert outcome.codes == ["dbs_expired"]
        assert "31 July 2023" in outcome.unmet[0].message
        assert "not subscribed to the DBS Update Service" in outcome.unmet[0].message


def test_a_certificate_period_is_configurable() -> None:
    policy = LicensingPolicy(dbs=DbsPolicy(valid_months=48))
    check = DbsFacts(DbsLevel.ENHANCED_BARRED, ISSUED)
    assert licence_decision(facts(dbs_checks=(check,)), policy, AFTER).allowed


def test_no_dbs_check_is_named() -> None:
    outcome = licence_decision(facts(dbs_checks=()), POLICY, ON)
    assert outcome.codes == ["dbs_missing"]
    assert outcome.unmet[0].message == "No DBS check is recorded."


@pytest.mark.parametrize("level", [DbsLevel.BASIC, DbsLevel.STANDARD, DbsLevel.ENHANCED])
def test_anything_below_enhanced_with_barred_lists_is_refused(level: str) -> None:
    outcome = licence_decision(facts(dbs_checks=(DbsFacts(level, date(2026, 1, 1)),)), POLICY, ON)
    assert outcome.codes == ["dbs_level"]
    assert "enhanced with barred lists" in outcome.unmet[0].message


def test_a_certificate_issued_after_the_day_does_not_count() -> None:
    later = DbsFacts(DbsLevel.ENHANCED_BARRED, AFTER)
    assert licence_decision(facts(dbs_checks=(later,)), POLICY, ON).codes == ["dbs_missing"]


# --- the Update Service: a status check every 6 months keeps an old certificate valid ---

OLD = date(2019, 5, 1)
CHECKED = date(2026, 1, 31)  # 6 months: counts until 30 July 2026


def subscriber(*checks: StatusCheck) -> DbsFacts:
    return DbsFacts(DbsLevel.ENHANCED_BARRED, OLD, update_service=True, status_checks=checks)


@pytest.mark.parametrize(("day", "allowed"), [(BEFORE, True), (ON, True), (AFTER, False)])
def test_status_checks_are_needed_at_the_configured_interval(day: date, allowed: bool) -> None:
    check = subscriber(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE))
    outcome = licence_decision(facts(dbs_checks=(check,)), POLICY, day)
    assert outcome.allowed is allowed
    if not allowed:
        assert outcome.codes == ["dbs_update_overdue"]
        assert "every 6 months" in outcome.unmet[0].message
        assert "31 January 2026" in outcome.unmet[0].message


def test_the_interval_is_configurable() -> None:
    policy = LicensingPolicy(dbs=DbsPolicy(update_check_months=12))
    check = subscriber(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE))
    assert licence_decision(facts(dbs_checks=(check,)), policy, AFTER).allowed


def test_a_subscriber_never_checked_is_refused() -> None:
    outcome = licence_decision(facts(dbs_checks=(subscriber(),)), POLICY, ON)
    assert outcome.codes == ["dbs_update_overdue"]
    assert "none is recorded" in outcome.unmet[0].message


def test_a_status_check_finding_a_change_needs_a_new_certificate() -> None:
    check = subscriber(
        StatusCheck(date(2025, 12, 1), StatusCheckResult.NO_CHANGE),
        StatusCheck(date(2026, 6, 1), StatusCheckResult.CHANGED),
    )
    outcome = licence_decision(facts(dbs_checks=(check,)), POLICY, ON)
    assert outcome.codes == ["dbs_update_changed"]


RECENT = date(2025, 1, 1)  # by certificate alone it counts until 31 December 2027
FOUND = date(2026, 6, 1)  # the status check that found a change
REGISTERED = (RegisterCheckFacts(date(2026, 5, 1), RegisterResult.NO_MATCH),)


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(FOUND - timedelta(days=1), True), (FOUND, False), (FOUND + timedelta(days=1), False)],
)
def test_a_change_found_refuses_even_a_recent_certificate(day: date, allowed: bool) -> None:
    check = DbsFacts(
        DbsLevel.ENHANCED_BARRED,
        RECENT,
        update_service=True,
        status_checks=(
            StatusCheck(date(2025, 7, 1), StatusCheckResult.NO_CHANGE),
            StatusCheck(FOUND, StatusCheckResult.CHANGED),
        ),
    )
    outcome = licence_decision(facts(dbs_checks=(check,), register_checks=REGISTERED), POLICY, day)
    assert outcome.allowed is allowed
    if not allowed:
        assert outcome.codes == ["dbs_update_changed"]
        assert outcome.unmet[0].message == (
            "The Update Service status check on 1 June 2026 of the DBS certificate issued on "
            "1 January 2025 found a change: a new certificate is needed."
        )


def test_a_new_certificate_after_the_change_counts_again() -> None:
    changed = DbsFacts(
        DbsLevel.ENHANCED_BARRED,
        RECENT,
        update_service=True,
        status_checks=(StatusCheck(FOUND, StatusCheckResult.CHANGED),),
    )
    new = DbsFacts(DbsLevel.ENHANCED_BARRED, FOUND + timedelta(days=20))
    driver = facts(dbs_checks=(changed, new), register_checks=REGISTERED)
    assert licence_decision(driver, POLICY, FOUND + timedelta(days=19)).codes == [
        "dbs_update_changed"
    ]
    assert licence_decision(driver, POLICY, FOUND + timedelta(days=20)).allowed


def test_a_change_found_is_an_expired_dbs_alert() -> None:
    check = DbsFacts(
        DbsLevel.ENHANCED_BARRED,
        RECENT,
        update_service=True,
        status_checks=(StatusCheck(FOUND, StatusCheckResult.CHANGED),),
    )
    (alert,) = expiry_alerts(facts(dbs_checks=(check,)), POLICY, FOUND)
    assert (alert.kind, alert.expired, alert.valid_until) == (
        AlertKind.DBS,
        True,
        FOUND - timedelta(days=1),
    )
    assert "a new certificate is needed" in alert.message


def test_a_recent_certificate_counts_even_if_the_service_check_is_overdue() -> None:
    recent = DbsFacts(DbsLevel.ENHANCED_BARRED, date(2025, 1, 1), update_service=True)
    assert licence_decision(facts(dbs_checks=(recent,)), POLICY, ON).allowed


# --- CSE/safeguarding training ---


@pytest.mark.parametrize(("day", "allowed"), [(BEFORE, True), (ON, True), (AFTER, False)])
def test_training_counts_until_its_expiry_day(day: date, allowed: bool) -> None:
    record = TrainingFacts("CSE awareness", CourseKind.CSE_AWARENESS, ISSUED, EXPIRY)
    outcome = licence_decision(facts(training=(record,)), POLICY, day)
    assert outcome.allowed is allowed
    if not allowed:
        assert outcome.codes == ["training_expired"]
        assert outcome.unmet[0].message == (
            "The CSE/safeguarding training (CSE awareness) completed on 31 July 2023 "
            "expired on 30 July 2026."
        )


def test_no_training_is_named() -> None:
    outcome = licence_decision(facts(training=()), POLICY, ON)
    assert outcome.codes == ["training_missing"]


def test_a_course_of_another_kind_does_not_count() -> None:
    record = TrainingFacts("First aid", CourseKind.OTHER, date(2026, 1, 1), date(2029, 1, 1))
    assert licence_decision(facts(training=(record,)), POLICY, ON).codes == ["training_missing"]


@pytest.mark.parametrize(
    "kind",
    [CourseKind.SAFEGUARDING_1, CourseKind.SAFEGUARDING_2, CourseKind.SAFEGUARDING_3],
)
def test_safeguarding_courses_count(kind: str) -> None:
    record = TrainingFacts("Safeguarding", kind, date(2026, 1, 1), date(2029, 1, 1))
    assert licence_decision(facts(training=(record,)), POLICY, ON).allowed


# --- the national register (NR3S) check before a grant ---

REGISTER_CHECKED = EXPIRY - timedelta(days=90)


@pytest.mark.parametrize(("day", "allowed"), [(BEFORE, True), (ON, True), (AFTER, False)])
def test_a_register_check_counts_for_the_configured_days(day: date, allowed: bool) -> None:
    check = RegisterCheckFacts(REGISTER_CHECKED, RegisterResult.NO_MATCH)
    outcome = licence_decision(facts(register_checks=(check,)), POLICY, day)
    assert outcome.allowed is allowed
    if not allowed:
        assert outcome.codes == ["register_stale"]


def test_no_register_check_is_named() -> None:
    outcome = licence_decision(facts(register_checks=()), POLICY, ON)
    assert outcome.codes == ["register_missing"]
    assert "national register" in outcome.unmet[0].message


def test_a_match_on_the_register_is_still_a_check_made() -> None:
    check = RegisterCheckFacts(date(2026, 7, 1), RegisterResult.MATCH)
    assert licence_decision(facts(register_checks=(check,)), POLICY, ON).allowed


def test_every_missing_condition_is_listed() -> None:
    outcome = licence_decision(DriverFacts(), POLICY, ON)
    assert outcome.codes == ["dbs_missing", "training_missing", "register_missing"]


# --- licence periods ---


def test_a_renewal_before_expiry_runs_on_from_the_old_licence() -> None:
    assert new_licence_period(EXPIRY, POLICY, BEFORE) == (AFTER, date(2029, 7, 30))


def test_a_licence_granted_after_expiry_starts_on_the_day() -> None:
    assert new_licence_period(EXPIRY, POLICY, AFTER) == (AFTER, date(2029, 7, 30))


def test_a_first_grant_starts_on_the_day() -> None:
    assert new_licence_period(None, POLICY, ON) == (ON, date(2029, 7, 29))


# --- expiry alerts (60 days ahead by default) ---


def alert_kinds(driver: DriverFacts, on: date) -> dict[str, bool]:
    return {a.kind: a.expired for a in expiry_alerts(driver, POLICY, on)}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (EXPIRY - timedelta(days=61), {}),
        (EXPIRY - timedelta(days=60), {AlertKind.TRAINING: False}),
        (ON, {AlertKind.TRAINING: False}),
        (AFTER, {AlertKind.TRAINING: True}),
    ],
)
def test_training_alerts_start_60_days_ahead(day: date, expected: dict[str, bool]) -> None:
    record = TrainingFacts("CSE awareness", CourseKind.CSE_AWARENESS, ISSUED, EXPIRY)
    far = DbsFacts(DbsLevel.ENHANCED_BARRED, date(2026, 6, 1))
    assert alert_kinds(facts(training=(record,), dbs_checks=(far,)), day) == expected


def test_alerts_for_dbs_service_check_and_licence() -> None:
    driver = facts(
        dbs_checks=(subscriber(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE)),),
        licence_expires_on=EXPIRY,
    )
    assert alert_kinds(driver, BEFORE) == {
        AlertKind.UPDATE_SERVICE: False,
        AlertKind.LICENCE: False,
    }
    certificate = facts(dbs_checks=(DbsFacts(DbsLevel.ENHANCED_BARRED, ISSUED),))
    assert alert_kinds(certificate, AFTER) == {AlertKind.DBS: True}


def test_alert_days_are_configurable() -> None:
    record = TrainingFacts("CSE awareness", CourseKind.CSE_AWARENESS, ISSUED, EXPIRY)
    short = LicensingPolicy(alert_days=7)
    assert expiry_alerts(facts(training=(record,)), short, EXPIRY - timedelta(days=8)) == []
    assert expiry_alerts(facts(training=(record,)), short, EXPIRY - timedelta(days=7))


# --- properties ---

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
levels = st.sampled_from(list(DbsLevel))
status = st.builds(StatusCheck, days, st.sampled_from(list(StatusCheckResult)))
dbs = st.builds(DbsFacts, levels, days, st.booleans(), st.lists(status, max_size=3).map(tuple))
training = st.builds(
    lambda kind, done, length: TrainingFacts("Course", kind, done, done + timedelta(days=length)),
    st.sampled_from(list(CourseKind)),
    days,
    st.integers(0, 2000),
)
register = st.builds(RegisterCheckFacts, days, st.sampled_from(list(RegisterResult)))
drivers = st.builds(
    DriverFacts,
    st.lists(dbs, max_size=3).map(tuple),
    st.lists(training, max_size=3).map(tuple),
    st.lists(register, max_size=2).map(tuple),
)
KNOWN = {
    "dbs_missing",
    "dbs_level",
    "dbs_expired",
    "dbs_update_overdue",
    "dbs_update_changed",
    "training_missing",
    "training_expired",
    "register_missing",
    "register_stale",
}


@given(drivers, days)
def test_refusals_name_at_most_one_reason_per_condition(driver: DriverFacts, on: date) -> None:
    outcome = licence_decision(driver, POLICY, on)
    assert set(outcome.codes) <= KNOWN
    prefixes = [c.split("_")[0] for c in outcome.codes]
    assert len(prefixes) == len(set(prefixes))
    assert outcome.allowed == (not outcome.unmet)
    assert all(u.message for u in outcome.unmet)


@given(drivers, days, dbs, training, register)
def test_more_records_never_turn_an_allowed_grant_into_a_refusal(
    driver: DriverFacts,
    on: date,
    extra_dbs: DbsFacts,
    extra_training: TrainingFacts,
    extra_register: RegisterCheckFacts,
) -> None:
    if not licence_decision(driver, POLICY, on).allowed:
        return
    more = DriverFacts(
        driver.dbs_checks + (extra_dbs,),
        driver.training + (extra_training,),
        driver.register_checks + (extra_register,),
    )
    assert licence_decision(more, POLICY, on).allowed


@given(days, st.integers(0, 4000))
def test_a_certificate_alone_counts_exactly_for_its_period(issued: date, offset: int) -> None:
    on = issued + timedelta(days=offset)
    driver = facts(dbs_checks=(DbsFacts(DbsLevel.ENHANCED_BARRED, issued),))
    allowed = "dbs_expired" not in licence_decision(driver, POLICY, on).codes
    assert allowed == (on <= last_valid_day(issued, 36))


@given(drivers, days)
def test_alerts_fall_within_the_window_or_are_expired(driver: DriverFacts, on: date) -> None:
    for alert in expiry_alerts(driver, POLICY, on):
        assert alert.valid_until is not None
        if alert.expired:
            assert alert.valid_until < on
        else:
            assert on <= alert.valid_until <= on + timedelta(days=POLICY.alert_days)


@given(st.lists(dbs, min_size=1, max_size=3), days)
def test_a_changed_latest_certificate_never_meets_the_dbs_condition(
    checks: list[DbsFacts], on: date
) -> None:
    """Whatever its age, when the latest qualifying certificate's latest status check found a
    change, the DBS condition fails with dbs_update_changed."""
    found = on - timedelta(days=1)
    issued = min(found, max(c.issued_on for c in checks))
    changed = DbsFacts(
        DbsLevel.ENHANCED_BARRED,
        issued,
        update_service=True,
        status_checks=(StatusCheck(found, StatusCheckResult.CHANGED),),
    )
    older = tuple(c for c in checks if c.issued_on < issued)
    outcome = licence_decision(facts(dbs_checks=(*older, changed)), POLICY, on)
    dbs_codes = [c for c in outcome.codes if c.startswith("dbs_")]
    assert dbs_codes in ([], ["dbs_update_changed"])
    if not dbs_codes:
        # Only an older certificate, valid on its own, can still meet the condition.
        assert any(c.issued_on < issued for c in older)
