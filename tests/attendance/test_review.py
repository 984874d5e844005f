"""The rules review: per rule, the alerts and what officers did with them (and why they
dismissed them); alert rates per school, year group, sex and ethnic group with small numbers
suppressed; who may open it; and that it names no one."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.attendance import review
from safehub.attendance.models import AlertFinding, AttendanceAlert
from safehub.attendance.services import dismiss_alert, escalate_alert
from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from tests.attendance.helpers import FIRST_MONDAY, PRESENT, make_ewo, make_school, store_weeks
from tests.factories import make_user
from tests.missing.helpers import make_child

ClientFor = Callable[[User], Client]
START, END = FIRST_MONDAY, FIRST_MONDAY + timedelta(weeks=12, days=4)
BORN = date(2011, 5, 17)  # Year 10 in the school year 2025/26


def pupil(school: Agency, actor: User, *, linked: bool = True, **details: str) -> str:
    """A pupil with two register weeks in the period; linked to a Safehub record or not."""
    if not linked:
        return store_weeks(school, [PRESENT] * 2)
    child = make_child(actor, given_name="Zelda", date_of_birth=BORN, **details)
    return store_weeks(school, [PRESENT] * 2, person=child)


def hand_made_alert(
    upn: str, school: Agency, *rules: str, first_week: date = FIRST_MONDAY
) -> AttendanceAlert:
    """An alert with a finding of each rule, first fired the week of `first_week`."""
    alert = AttendanceAlert.objects.create(upn=upn, school=school, as_of=END)
    for rule in rules:
        AlertFinding.objects.create(
            alert=alert,
            rule=rule,
            first_week=first_week,
            last_week=first_week,
            run_start=first_week,
            sentence="hand-made finding",
        )
    return alert


@pytest.fixture
def alerts(db: None) -> dict[str, AttendanceAlert]:
    """Seven hand-made alerts at two schools, each decided differently."""
    ours, theirs = make_school(), make_school()
    officer = make_ewo(ours, theirs)
    made = {
        "fall_and_part_day": hand_made_alert("ALERTPUPIL001", ours, "sharp_fall", "part_day"),
        "fall": hand_made_alert("ALERTPUPIL002", ours, "sharp_fall"),
        "part_day": hand_made_alert("ALERTPUPIL003", ours, "part_day"),
        "off_roll": hand_made_alert("ALERTPUPIL004", ours, "off_roll"),
        "before": hand_made_alert(
            "ALERTPUPIL005", ours, "sharp_fall", first_week=FIRST_MONDAY - timedelta(weeks=1)
        ),
        "late": hand_made_alert("ALERTPUPIL006", theirs, "late_after_registers"),
        "old": hand_made_alert("ALERTPUPIL007", theirs, "late_after_registers"),
    }
    dismiss_alert(
        actor=officer, alert=made["fall_and_part_day"], category="illness", reason="Operation"
    )
    dismiss_alert(actor=officer, alert=made["fall"], category="illness", reason="Flu")
    dismiss_alert(actor=officer, alert=made["before"], category="holiday", reason="Away")
    dismiss_alert(
        actor=officer, alert=made["late"], category="late_but_in_school", reason="Bus times"
    )
    escalate_alert(actor=officer, alert=made["part_day"])
    # Dismissed before the reasons were a list: only the officer's words, no category.
    AttendanceAlert.objects.filter(pk=made["old"].pk).update(
        status="dismissed", dismissal_reason="Known to the family support worker"
    )
    return made


def counts_of(result: review.RulesReview, rule: str) -> review.RuleCounts:
    return next(c for c in result.rules if c.rule == rule)


def reasons_of(result: review.RulesReview, counts: review.RuleCounts) -> dict[str, int]:
    return {value: n for (value, _), n in zip(result.reasons, counts.reasons, strict=True) if n}


@pytest.mark.django_db
def test_alerts_and_dismissals_are_counted_per_rule_with_their_reasons(
    alerts: dict[str, AttendanceAlert],
) -> None:
    result = review.rules_review(START, END)
    fall = counts_of(result, "sharp_fall")
    assert (fall.alerts, fall.only_rule, fall.active, fall.dismissed, fall.escalated) == (
        2,
        1,
        0,
        2,
        0,
    )
    assert reasons_of(result, fall) == {"illness": 2}  # the earlier week's alert is not counted
    part_day = counts_of(result, "part_day")
    assert (part_day.alerts, part_day.only_rule, part_day.dismissed, part_day.escalated) == (
        2,
        1,
        1,
        1,
    )
    off_roll = counts_of(result, "off_roll")
    assert (off_roll.alerts, off_roll.active, off_roll.dismissed) == (1, 1, 0)
    late = counts_of(result, "late_after_registers")
    assert reasons_of(result, late) == {"late_but_in_school": 1, review.NOT_GIVEN: 1}
    # Rules that opened nothing are listed with noughts, so none is forgotten.
    assert counts_of(result, "children_missing_education").alerts == 0
    every = result.any_rule
    assert (every.alerts, every.active, every.dismissed, every.escalated) == (6, 1, 4, 1)
    assert reasons_of(result, every) == {
        "illness": 2,
        "late_but_in_school": 1,
        review.NOT_GIVEN: 1,
    }
    # A period with none of the first weeks in it counts nothing.
    later = review.rules_review(END + timedelta(days=3), END + timedelta(weeks=4))
    assert later.any_rule.alerts == 0 and review.NOT_GIVEN not in dict(later.reasons)


@pytest.fixture
def pupils(db: None) -> dict[str, list[str]]:
    """School A: 10 girls and 10 boys (White British); school B: 8 boys (Indian) and one
    pupil not matched to a Safehub record. Ten of school A's pupils are alerted, six of them
    by the sharp fall rule."""
    actor = make_user(Role.MASH_OFFICER)
    a = make_school()
    b = make_school()
    Agency.objects.filter(pk=a.pk).update(name="Ash Grove School")
    Agency.objects.filter(pk=b.pk).update(name="Birch Lane School")
    girls = [pupil(a, actor, sex="female", ethnicity="white_british") for _ in range(10)]
    boys = [pupil(a, actor, sex="male", ethnicity="white_british") for _ in range(10)]
    others = [pupil(b, actor, sex="male", ethnicity="asian_indian") for _ in range(8)]
    others.append(pupil(b, actor, linked=False))
    alerted = girls[:5] + boys[:5]
    for n, upn in enumerate(alerted):
        hand_made_alert(upn, a, "sharp_fall" if n % 5 < 3 else "part_day")
    return {"girls": girls, "boys": boys, "others": others}


def rows(result: review.RulesReview, key: str) -> dict[str, tuple[object, object, str]]:
    breakdown = next(b for b in result.breakdowns if b.key == key)
    return {r.group: (r.pupils, r.alerted, r.rate) for r in breakdown.rows}


@pytest.mark.django_db
def test_alert_rates_per_group_with_small_numbers_suppressed(pupils: dict) -> None:
    result = review.rules_review(START, END)
    assert (result.pupils, result.alerted) == (29, 10)
    assert rows(result, "school") == {
        "Ash Grove School": (20, 10, "50.0%"),
        "Birch Lane School": (9, 0, "0.0%"),
    }
    # One pupil of unknown sex is "fewer than 5"; the next smallest count is withheld too, so
    # it cannot be worked out from the total; their rates are not shown.
    assert rows(result, "sex") == {
        "Female": ("withheld", 5, "not shown"),
        "Male": (18, 5, "27.8%"),
        "Not known": ("fewer than 5", 0, "not shown"),
    }
    assert rows(result, "ethnicity") == {
        "White: English, Welsh, Scottish, Northern Irish or British": (20, 10, "50.0%"),
        "Asian or Asian British: Indian": ("withheld", 0, "not shown"),
        "Not known": ("fewer than 5", 0, "not shown"),
    }
    assert rows(result, "year_group") == {
        "Year 10": ("withheld", 10, "not shown"),
        "Not known": ("fewer than 5", 0, "not shown"),
    }


@pytest.mark.django_db
def test_the_rates_of_one_rule(pupils: dict) -> None:
    result = review.rules_review(START, END, "sharp_fall")
    assert (result.pupils, result.alerted) == (29, 6)
    assert rows(result, "school")["Ash Grove School"] == (20, 6, "30.0%")
    # Three girls and three boys: both small, so each is suppressed and nothing more.
    assert rows(result, "sex")["Female"] == ("withheld", "fewer than 5", "not shown")
    assert rows(result, "sex")["Male"] == (18, "fewer than 5", "not shown")


def test_year_groups_follow_the_school_year() -> None:
    on = date(2026, 3, 1)  # the school year 2025/26
    assert review.year_group(date(2014, 8, 31), on) == "Year 7"  # 11 on 31 August 2025
    assert review.year_group(date(2014, 9, 1), on) == "Year 6"
    assert review.year_group(date(2020, 9, 1), on) == "Reception"
    assert review.year_group(date(2023, 1, 1), on) == "Not known"
    assert review.year_group(None, on) == "Not known"


@pytest.mark.django_db
def test_the_default_period_is_the_school_year_of_the_latest_registers() -> None:
    store_weeks(make_school(), [PRESENT] * 3)
    latest = FIRST_MONDAY + timedelta(weeks=2)
    assert review.default_period(date(2030, 1, 1)) == (date(2025, 9, 1), latest + timedelta(4))


# --- the page ------------------------------------------------------------------------------

URL = reverse("attendance:rules_review")
CSV_URL = reverse("attendance:rules_review_csv")
PERIOD = {
    "start-day": str(START.day),
    "start-month": str(START.month),
    "start-year": str(START.year),
    "end-day": str(END.day),
    "end-month": str(END.month),
    "end-year": str(END.year),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_and_the_cse_manager_may_open_it(
    client_for: ClientFor, role: Role
) -> None:
    client = client_for(make_user(role))
    allowed = role in (Role.SYSTEM_ADMIN, Role.CSE_MANAGER)
    assert client.get(URL).status_code == (200 if allowed else 403)
    assert client.get(CSV_URL).status_code == (200 if allowed else 403)


@pytest.mark.django_db
def test_the_page_counts_and_names_no_one_and_is_audited(
    client_for: ClientFor, alerts: dict, pupils: dict
) -> None:
    admin = make_user(Role.SYSTEM_ADMIN)
    page = client_for(admin).get(URL, PERIOD)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Attendance rules: how they are doing" in body
    assert "Register weeks from 8 September 2025 to 5 December 2025" in body
    assert 'data-testid="dismissal-reasons"' in body
    assert "Illness or medical reasons the school knows about" in body
    assert "Ash Grove School" in body and "27.8%" in body and "fewer than 5" in body
    # No name, date of birth, UPN or officer's words anywhere on it.
    upns = [a.upn for a in AttendanceAlert.objects.all()] + pupils["girls"] + pupils["others"]
    for text in ["Zelda", "Quorington", "17 May 2011", "Operation", "family support", *upns]:
        assert text not in body
    event = AccessEvent.objects.get(user_id=admin.pk, object_type="attendance_rules_review")
    assert event.action == "view" and event.person_id is None
    assert "2025-09-08 to 2025-12-05" in event.reason


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused_and_the_default_shown(
    client_for: ClientFor, alerts: dict
) -> None:
    client = client_for(make_user(Role.CSE_MANAGER))
    start, end = review.default_period(timezone.localdate())
    shown = f"Register weeks from {start:%-d %B %Y} to {end:%-d %B %Y}"
    body = client.get(URL, {**PERIOD, "end-year": "2024"}).content.decode()
    assert "The end of the period must be the same as or after its start" in body
    assert shown in body
    not_a_date = {"start-day": "31", "start-month": "2", "start-year": "2026"}
    body = client.get(URL, not_a_date).content.decode()
    assert "The start of the period must be a real date" in body and shown in body


@pytest.mark.django_db
def test_the_tables_download_as_csv_and_the_download_is_audited(
    client_for: ClientFor, alerts: dict, pupils: dict
) -> None:
    manager = make_user(Role.CSE_MANAGER)
    client = client_for(manager)
    response = client.get(CSV_URL, PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:6] == [
        "Rule",
        "Alerts",
        "Only rule on the alert",
        "Open or acknowledged",
        "Dismissed",
        "Escalated",
    ]
    fall = next(r for r in table if r[0] == "Sharp fall in attendance")
    assert fall[1:6] == ["8", "7", "6", "2", "0"]  # two hand-made alerts, six of the pupils'

    assert table[-1][:6] == ["Any rule", "16", "", "11", "4", "1"]
    rates = client.get(CSV_URL, {**PERIOD, "table": "rates", "rule": "sharp_fall"})
    lines = list(csv.reader(io.StringIO(rates.content.decode())))
    assert ["School", "Ash Grove School", "20", "6", "30.0%", "Sharp fall in attendance"] in lines
    assert ["Sex", "Not known", "fewer than 5", "0", "not shown", "Sharp fall in attendance"] in (
        lines
    )
    exports = AccessEvent.objects.filter(user_id=manager.pk, action="export")
    assert exports.count() == 2 and all(e.person_id is None for e in exports)
