"""The register's shared rules: periods, levels, groups and the coverage arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from safehub.licensing import config as licensing_config
from safehub.workforce import config
from safehub.workforce.choices import DbsLevel, StaffKind, StatusCheckResult
from safehub.workforce.rules import (
    CHILD_FACING,
    COUNCILLOR,
    OTHER_STAFF,
    REGULATED,
    CoverageFacts,
    DbsFacts,
    DbsPolicy,
    StatusCheck,
    add_months,
    coverage,
    dbs_standing,
    last_valid_day,
    level_meets,
    staff_group,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 7, 31), 36, date(2026, 7, 30)),
        (date(2024, 1, 31), 1, date(2024, 2, 28)),  # 29 Feb 2024 is the month's last day
        (date(2024, 2, 29), 12, date(2025, 2, 27)),
        (date(2025, 12, 15), 6, date(2026, 6, 14)),
    ],
)
def test_last_valid_day(start: date, months: int, expected: date) -> None:
    assert last_valid_day(start, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 240))
def test_add_months_lands_in_the_right_month_never_later_in_it(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day <= start.day
    assert last_valid_day(start, months) < end or months == 0


def test_higher_levels_satisfy_lower_requirements() -> None:
    assert level_meets(DbsLevel.ENHANCED_BARRED, DbsLevel.BASIC)
    assert level_meets(DbsLevel.ENHANCED, DbsLevel.ENHANCED)
    assert not level_meets(DbsLevel.ENHANCED, DbsLevel.ENHANCED_BARRED)
    assert not level_meets(DbsLevel.BASIC, DbsLevel.STANDARD)


@pytest.mark.parametrize(
    ("kind", "regulated", "child_facing", "group"),
    [
        (StaffKind.COUNCILLOR, False, False, COUNCILLOR),
        (StaffKind.COUNCILLOR, True, True, COUNCILLOR),
        (StaffKind.STAFF, True, True, REGULATED),
        (StaffKind.STAFF, False, True, CHILD_FACING),
        (StaffKind.STAFF, False, False, OTHER_STAFF),
    ],
)
def test_groups(kind: str, regulated: bool, child_facing: bool, group: str) -> None:
    assert (
        staff_group(kind, regulated_activity=regulated, works_with_children=child_facing) == group
    )


def test_a_councillor_needs_a_basic_check_by_default() -> None:
    basic = DbsFacts(DbsLevel.BASIC, date(2025, 1, 1))
    required = config.required_dbs()[COUNCILLOR]
    assert dbs_standing([basic], required, DbsPolicy(), date(2026, 1, 1)).valid
    regulated = config.required_dbs()[REGULATED]
    assert dbs_standing([basic], regulated, DbsPolicy(), date(2026, 1, 1)).code == "dbs_level"


def test_a_status_check_that_found_a_change_ends_a_staff_members_recent_certificate() -> None:
    """The Update Service says the certificate no longer reflects the record: a new one is
    needed, however recent the certificate is, for staff as for licensed drivers."""
    changed = StatusCheck(date(2025, 6, 1), StatusCheckResult.CHANGED)
    check = DbsFacts(DbsLevel.ENHANCED_BARRED, date(2025, 1, 1), True, (changed,))
    required = config.required_dbs()[REGULATED]
    before = dbs_standing([check], required, DbsPolicy(), date(2025, 5, 31))
    after = dbs_standing([check], required, DbsPolicy(), date(2025, 7, 1))
    assert before.valid
    assert not after.valid
    assert after.code == "dbs_update_changed"
    assert after.valid_until == date(2025, 5, 31)
    assert "1 June 2025" in after.message and "new certificate is needed" in after.message
    # A newer certificate issued after the change counts on its own.
    renewed = DbsFacts(DbsLevel.ENHANCED_BARRED, date(2025, 6, 20))
    assert dbs_standing([check, renewed], required, DbsPolicy(), date(2025, 7, 1)).valid


@override_settings(
    SAFEHUB_WORKFORCE={"required_dbs": {"councillor": "enhanced"}, "dbs_valid_months": 12}
)
def test_required_levels_and_periods_come_from_settings() -> None:
    assert config.required_dbs()[COUNCILLOR] == "enhanced"
    assert config.required_dbs()[REGULATED] == "enhanced_barred_lists"
    assert config.dbs_policy() == DbsPolicy(valid_months=12, update_check_months=6)


@pytest.mark.parametrize(
    "bad",
    [{"unknown": 1}, {"dbs_valid_months": 0}, {"required_dbs": {"councillor": "gold"}}],
)
def test_bad_workforce_settings_are_refused(bad: dict) -> None:
    with override_settings(SAFEHUB_WORKFORCE=bad), pytest.raises(ImproperlyConfigured):
        config.dbs_policy()
        config.required_dbs()


@pytest.mark.parametrize("bad", [{"unknown": 1}, {"alert_days": 0}, {"licence_months": "36"}])
def test_bad_licensing_settings_are_refused(bad: dict) -> None:
    with override_settings(SAFEHUB_LICENSING=bad), pytest.raises(ImproperlyConfigured):
        licensing_config.policy()


def test_licensing_defaults() -> None:
    policy = licensing_config.policy()
    assert policy.dbs == DbsPolicy(valid_months=36, update_check_months=6)
    assert (policy.alert_days, policy.licence_months, policy.national_register_max_age_days) == (
        60,
        36,
        90,
    )


def test_coverage_counts_and_shares() -> None:
    people = [
        CoverageFacts("a", "North", True, True),
        CoverageFacts("a", "North", True, False),
        CoverageFacts("a", "South", False, False),
        CoverageFacts("b", "All", False, True),
        CoverageFacts("ignored", "x", True, True),
    ]
    rows = coverage(people, {"a": "Group A", "b": "Group B", "c": "Group C"})
    a, b, c = rows
    assert (a.people, a.dbs, a.training, a.both) == (3, 2, 1, 1)
    assert a.dbs_share == 66.7 and a.both_share == 33.3
    assert list(a.sections) == ["North", "South"]
    assert a.sections["North"].people == 2
    assert (b.people, b.training_share) == (1, 100.0)
    assert c.people == 0 and c.dbs_share is None


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=50))
def test_coverage_never_counts_more_than_the_people(flags: list[tuple[bool, bool]]) -> None:
    people = [CoverageFacts("g", "s", d, t) for d, t in flags]
    (row,) = coverage(people, {"g": "G"})
    assert row.people == len(flags)
    assert row.both <= min(row.dbs, row.training) <= row.people
    assert sum(s.people for s in row.sections.values()) == row.people
