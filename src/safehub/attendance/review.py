"""How the attendance rules are doing: the counts behind the rules review page, so the
thresholds are tuned on evidence (docs/attendance-rules.md, "How the rules are doing").

For a period of register weeks it counts, per rule, the alerts the rule was on and what the
officers did with them (still open, dismissed with which reason, escalated); and the alert
rate (pupils alerted / pupils with registers) per school, year group, sex and ethnic group,
with small numbers suppressed. Counts only: nothing here returns a name, a UPN or an
officer's own words.

A finding belongs to the period when its rule first fired (its first week) in the period: the
week a weekly scan would have raised it, whenever the scan was run. An alert belongs to the
period when one of its findings does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db.models import Max

from safehub.accounts.models import Agency
from safehub.attendance.choices import ACTIVE, AlertStatus, DismissalReason, RuleName
from safehub.attendance.models import AlertFinding, AttendanceWeek
from safehub.people.choices import Ethnicity, Sex
from safehub.suppression import suppress, suppress_column

# Small counts are suppressed by the one rule the problem profile uses (safehub.suppression).
NOT_GIVEN = "not_given"  # dismissed before the reasons were listed
NOT_KNOWN = "Not known"
T = TypeVar("T")


@dataclass(frozen=True)
class RuleCounts:
    """One rule's alerts in the period and what became of them."""

    rule: str  # a RuleName value, or "" for the alerts of any rule
    title: str
    alerts: int
    only_rule: int | None  # alerts on which this was the only rule (None for "any rule")
    active: int  # open or acknowledged
    dismissed: int
    escalated: int
    # Dismissed alerts per reason, in the order of RulesReview.reasons.
    reasons: list[int]


@dataclass(frozen=True)
class RateRow:
    """One group's alert rate, as shown: counts may be suppressed, and then so is the rate."""

    group: str
    pupils: int | str
    alerted: int | str
    rate: str  # "12.5%", or "not shown" when either count is suppressed


@dataclass(frozen=True)
class Breakdown:
    key: str  # "school", "year_group", "sex", "ethnicity"
    title: str  # "By school"
    heading: str  # the group column's heading
    rows: list[RateRow]


@dataclass(frozen=True)
class RulesReview:
    start: date
    end: date
    rule: str  # the rule the rates are for, "" for any rule
    rules: list[RuleCounts]
    any_rule: RuleCounts
    reasons: list[tuple[str, str]]  # the reasons' (value, label), in the form's order
    pupils: int | str  # pupils with registers in the period (suppressed when small)
    alerted: int | str  # of whom alerted, by `rule` or any rule (suppressed when small)
    breakdowns: list[Breakdown]


def rule_titles() -> dict[str, str]:
    return dict(RuleName.choices)


def academic_year_start(day: date) -> date:
    """1 September of the school year `day` is in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def default_period(today: date) -> tuple[date, date]:
    """The school year of the latest register week held, from 1 September to that week's
    Friday (or to `today` when no registers are held)."""
    latest = AttendanceWeek.objects.aggregate(latest=Max("week_commencing"))["latest"]
    end = latest + timedelta(days=4) if latest is not None else today
    return academic_year_start(end), end


def year_group(born: date | None, on: date) -> str:
    """The pupil's national curriculum year in the school year of `on` (Reception is the year
    a child is 4 on 31 August before it starts), or "Not known"."""
    if born is None:
        return NOT_KNOWN
    cutoff = date(academic_year_start(on).year, 8, 31)
    age = cutoff.year - born.year - ((cutoff.month, cutoff.day) < (born.month, born.day))
    group = age - 4
    if group == 0:
        return "Reception"
    if 1 <= group <= 13:
        return f"Year {group}"
    return NOT_KNOWN


def _year_order(label: str) -> tuple[int, str]:
    if label == "Reception":
        return 0, label
    if label.startswith("Year "):
        return int(label.split()[1]), label
    return 99, label


def _why_dismissed(alerts: dict[int, tuple[str, str]]) -> Counter[str]:
    return Counter(
        category or NOT_GIVEN
        for status, category in alerts.values()
        if status == AlertStatus.DISMISSED
    )


def _rule_counts(
    rule: str,
    title: str,
    alerts: dict[int, tuple[str, str]],
    rules_on: Counter[int] | None,
    reasons: list[tuple[str, str]],
) -> RuleCounts:
    statuses = Counter(status for status, _ in alerts.values())
    why = _why_dismissed(alerts)
    return RuleCounts(
        rule=rule,
        title=title,
        alerts=len(alerts),
        only_rule=None if rules_on is None else sum(rules_on[a] == 1 for a in alerts),
        active=sum(statuses[s] for s in ACTIVE),
        dismissed=statuses[AlertStatus.DISMISSED],
        escalated=statuses[AlertStatus.ESCALATED],
        reasons=[why[value] for value, _ in reasons],
    )


def _rates(groups: dict[str, tuple[int, int]], order: list[str]) -> list[RateRow]:
    """Rows in `order` of (pupils, alerted) per group, suppressed column by column."""
    labels = [g for g in order if g in groups]
    pupils = suppress_column([groups[g][0] for g in labels])
    alerted = suppress_column([groups[g][1] for g in labels])
    rows = []
    for label, p, a in zip(labels, pupils, alerted, strict=True):
        rate = "not shown"
        if isinstance(p, int) and isinstance(a, int) and p > 0:
            rate = f"{100 * a / p:.1f}%"
        rows.append(RateRow(label, p, a, rate))
    return rows


def _in_order(labels: Iterable[str]) -> list[str]:
    """The labels in their code list's order, "Not known" last, each once."""
    return list(dict.fromkeys([*(label for label in labels if label != NOT_KNOWN), NOT_KNOWN]))


def _tally(
    units: Iterable[T], alerted: set[T], group_of: dict[T, str]
) -> dict[str, tuple[int, int]]:
    """(pupils, alerted) per group label, counting each unit once."""
    pupils: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for unit in units:
        label = group_of[unit]
        pupils[label] += 1
        hit[label] += unit in alerted
    return {label: (pupils[label], hit[label]) for label in pupils}


def rules_review(start: date, end: date, rule: str = "") -> RulesReview:
    """The counts for the rules review over the register weeks from `start` to `end`; the
    alert rates are those of `rule` ("" for any rule). Counts only, nothing that names a pupil.
    Refuses (ValueError) a period that ends before it starts."""
    if end < start:
        raise ValueError("the period ends before it starts")
    titles = rule_titles()
    found = AlertFinding.objects.filter(first_week__gte=start, first_week__lte=end)
    rows = list(
        found.values_list(
            "alert_id",
            "rule",
            "alert__status",
            "alert__dismissal_category",
            "alert__upn",
            "alert__school_id",
        )
    )
    rules_on = Counter(
        AlertFinding.objects.filter(alert_id__in=found.values("alert_id")).values_list(
            "alert_id", flat=True
        )
    )
    by_rule: dict[str, dict[int, tuple[str, str]]] = {}
    every: dict[int, tuple[str, str]] = {}
    alerted_by: dict[str, set[tuple[str, int]]] = {}
    for alert_id, name, status, category, upn, school in rows:
        by_rule.setdefault(name, {})[alert_id] = (status, category)
        every[alert_id] = (status, category)
        alerted_by.setdefault(name, set()).add((upn, school))
        alerted_by.setdefault("", set()).add((upn, school))
    reasons = list(DismissalReason.choices)
    if NOT_GIVEN in _why_dismissed(every):
        reasons.append((NOT_GIVEN, "Not given (dismissed before reasons were listed)"))
    names = list(titles) + sorted(set(by_rule) - set(titles))
    counts = [
        _rule_counts(
            n,
            titles.get(n, n.replace("_", " ").capitalize()),
            by_rule.get(n, {}),
            rules_on,
            reasons,
        )
        for n in names
    ]
    any_rule = _rule_counts("", "Any rule", every, None, reasons)

    # Pupils with registers in the period: a pupil at a school (for the schools), or a UPN
    # (for the pupils' own characteristics, read from their Safehub record where linked).
    first_monday = start - timedelta(days=start.weekday())
    registers = AttendanceWeek.objects.filter(
        week_commencing__gte=first_monday, week_commencing__lte=end
    ).values_list(
        "upn",
        "school_id",
        "person_id",
        "person__sex",
        "person__ethnicity",
        "person__date_of_birth",
    )
    at_school: dict[tuple[str, int], None] = {}
    about: dict[str, tuple[str, str, str]] = {}
    for upn, school, person, sex, ethnicity, born in registers.distinct():
        at_school[(upn, school)] = None
        if person is not None or upn not in about:
            about[upn] = (
                sex or Sex.NOT_KNOWN,
                ethnicity if person is not None else "",
                year_group(born, end) if person is not None else NOT_KNOWN,
            )
    pairs = alerted_by.get(rule, set()) & set(at_school)
    pupils_alerted = {upn for upn, _ in pairs}

    schools = dict(
        Agency.objects.filter(pk__in={s for _, s in at_school}).values_list("pk", "name")
    )
    by_school = _tally(at_school, pairs, {k: schools.get(k[1], NOT_KNOWN) for k in at_school})
    sex_labels = dict(Sex.choices)
    ethnic_labels = {**dict(Ethnicity.choices), "": NOT_KNOWN}
    by_sex = _tally(
        about, pupils_alerted, {u: sex_labels.get(a[0], NOT_KNOWN) for u, a in about.items()}
    )
    by_ethnicity = _tally(
        about, pupils_alerted, {u: ethnic_labels.get(a[1], NOT_KNOWN) for u, a in about.items()}
    )
    by_year = _tally(about, pupils_alerted, {u: a[2] for u, a in about.items()})
    breakdowns = [
        Breakdown("school", "By school", "School", _rates(by_school, sorted(by_school))),
        Breakdown(
            "year_group",
            "By year group",
            "Year group",
            _rates(by_year, sorted(by_year, key=_year_order)),
        ),
        Breakdown("sex", "By sex", "Sex", _rates(by_sex, _in_order(sex_labels.values()))),
        Breakdown(
            "ethnicity",
            "By ethnic group",
            "Ethnic group",
            _rates(by_ethnicity, _in_order(ethnic_labels.values())),
        ),
    ]
    return RulesReview(
        start=start,
        end=end,
        rule=rule,
        rules=counts,
        any_rule=any_rule,
        reasons=reasons,
        pupils=suppress(len(about)),
        alerted=suppress(len(pupils_alerted)),
        breakdowns=breakdowns,
    )
