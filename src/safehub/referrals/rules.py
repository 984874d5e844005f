"""Triage clocks: working days and hours, RAG timescales and the statutory deadlines.

Pure functions over plain values. Working time excludes weekends and England and Wales bank
holidays; the office day and the RAG timescales come from settings (see `TriageClockSettings`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class RagTimescale:
    hours: float
    working_hours: bool  # False: the clock runs through nights, weekends and holidays (Red)


@dataclass(frozen=True)
class TriageClockSettings:
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 0)
    rag: dict[str, RagTimescale] = field(
        default_factory=lambda: {
            "red": RagTimescale(2, working_hours=False),
            "amber": RagTimescale(6, working_hours=True),
            "green": RagTimescale(24, working_hours=True),
        }
    )
    decision_working_days: int = 1
    assessment_working_days: int = 45
    icpc_working_days: int = 15


@lru_cache(maxsize=1)
def england_and_wales_bank_holidays() -> frozenset[date]:
    """Bank holidays from the packaged GOV.UK data (no network needed)."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    calendar = BankHolidays(use_cached_holidays=True)
    days = calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return frozenset(d["date"] for d in days)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date `days` working days after `start` (start itself does not count). Refuses
    negative counts."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after `start` up to and including `end` (0 if end is not after start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            count += 1
    return count


def add_working_hours(
    start: datetime, hours: float, holidays: Collection[date], config: TriageClockSettings
) -> datetime:
    """When `hours` of office time have passed after `start` (an aware datetime).

    Time outside the office day, at weekends and on bank holidays does not count. A start
    outside office hours counts from the next opening.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(LONDON)
    remaining = timedelta(hours=hours)
    day = local.date()
    moment = local
    while True:
        opens = datetime.combine(day, config.day_starts, LONDON)
        closes = datetime.combine(day, config.day_ends, LONDON)
        if is_working_day(day, holidays) and moment < closes:
            begin = max(moment, opens)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
        moment = datetime.combine(day, config.day_starts, LONDON)


def rag_due(
    received_at: datetime, rating: str, holidays: Collection[date], config: TriageClockSettings
) -> datetime:
    """When a referral rated `rating` must have its MASH response. Red runs in elapsed time
    (through nights and weekends); Amber and Green in office hours. Refuses unknown ratings."""
    timescale = config.rag.get(rating)
    if timescale is None:
        raise ValueError(f"unknown RAG rating {rating!r}")
    if not timescale.working_hours:
        return received_at + timedelta(hours=timescale.hours)
    return add_working_hours(received_at, timescale.hours, holidays, config)


def end_of_working_day(day: date, config: TriageClockSettings) -> datetime:
    return datetime.combine(day, config.day_ends, LONDON)


def decision_due(
    received_at: datetime, holidays: Collection[date], config: TriageClockSettings
) -> datetime:
    """Working Together: a decision on the response within 1 working day of the referral
    (by the end of the next working day)."""
    received = received_at.astimezone(LONDON).date()
    return end_of_working_day(
        add_working_days(received, config.decision_working_days, holidays), config
    )


def assessment_due(
    referral_date: date, holidays: Collection[date], config: TriageClockSettings
) -> date:
    """An assessment completes within 45 working days of the referral."""
    return add_working_days(referral_date, config.assessment_working_days, holidays)


def icpc_due(strategy_date: date, holidays: Collection[date], config: TriageClockSettings) -> date:
    """An initial child protection conference within 15 working days of the strategy
    discussion that started the section 47 enquiry."""
    return add_working_days(strategy_date, config.icpc_working_days, holidays)


def deadline_status(due: datetime, now: datetime, done_at: datetime | None = None) -> str:
    """'met', 'missed', 'overdue', 'due_today' or 'upcoming' for a deadline."""
    if done_at is not None:
        return "met" if done_at <= due else "missed"
    if now > due:
        return "overdue"
    if due.astimezone(LONDON).date() == now.astimezone(LONDON).date():
        return "due_today"
    return "upcoming"


# Risk as the task list counts it (safehub.tasks RISK_ numbers): 3 high, 2 medium, 1 low.
RAG_RISK = {"red": 3, "amber": 2, "green": 1}
# A case opened from a MASH decision starts at the risk the MASH gave the referral.
RAG_CASE_RISK_LEVEL = {"red": "high", "amber": "medium", "green": "low"}


def referral_risk(rag: str, screening_severity: int | None) -> int:
    """How urgent a referral is by risk, 3 (most) to 1. The MASH's RAG rating decides once
    given. Before that, the screening's result does (its category severity: 3 significant,
    2 at risk, 1 lower), and a referral with neither is counted as Amber, so that an unknown
    risk is never buried under referrals rated Green. Refuses (ValueError) an unknown rating."""
    if rag:
        if rag not in RAG_RISK:
            raise ValueError(f"unknown RAG rating {rag!r}")
        return RAG_RISK[rag]
    if screening_severity is None:
        return 2
    return max(1, min(3, screening_severity))


def needs_immediate_attention(rag: str, screening_severity: int | None) -> bool:
    """A referral nobody has rated yet whose screening found significant risk: the MASH should
    look now, before its turn by waiting time."""
    return not rag and screening_severity is not None and screening_severity >= 3


def next_clock(
    received_at: datetime, rag: str, holidays: Collection[date], config: TriageClockSettings
) -> datetime:
    """The nearest of a referral's due clocks: the decision, and the RAG response once rated."""
    due = decision_due(received_at, holidays, config)
    if rag:
        due = min(due, rag_due(received_at, rag, holidays, config))
    return due


def queue_urgency_key(
    risk: int, next_due: datetime, received_at: datetime
) -> tuple[int, datetime, datetime]:
    """The MASH queue's default order: the higher risk first, then the nearest due clock, then
    the longest waiting."""
    return (-risk, next_due, received_at)
