"""Screenings with the `wm-cse-2014` tool, the referrals they made and the cases in progress.

Answers are scored by the application's own rules, so the computed result in the extracts is
exactly what Safehub would compute.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from safehub.demo.city.model import Chunk, HealthEncounter, Person, ScreeningRecord
from safehub.screening import registry, rules

TOOL_ID = "wm-cse-2014"
EXPLOITED_PART_A = (
    "controlling_relationship",
    "vehicles_unknown_adults",
    "unexplained_goods",
    "risky_areas",
    "online_grooming",
    "hotels_taxis_takeaways",
)
EXPLOITED_PART_B = (
    "whereabouts_unknown",
    "education_disengaged",
    "unknown_contacts",
    "behaviour_change",
    "older_partner",
    "alcohol_misuse",
)
INNOCENT_PART_B = (
    "family_breakdown",
    "behaviour_change",
    "education_disengaged",
    "self_harm",
    "alcohol_misuse",
    "drug_misuse",
    "unexplained_injuries",
)
SCREENERS = ("school", "school", "school", "health", "social_care", "police")


def _blank_answers() -> dict[str, str]:
    tool = registry.get_tool(TOOL_ID)
    return {i.id: ("no" if "no" in i.option_ids() else "not_present") for i in tool.indicators()}


def _screen(
    chunk: Chunk, rng: random.Random, child: Person, on: date, answers: dict[str, str]
) -> ScreeningRecord:
    tool = registry.get_tool(TOOL_ID)
    if child.looked_after:
        answers["looked_after"] = "yes"
    if child.sen == "E":
        answers["learning_disability"] = "yes"
    result = rules.score(tool, answers, screening_date=on, date_of_birth=child.dob)
    record = ScreeningRecord(
        sid=f"S{chunk.index:02d}{len(chunk.screenings) + 1:05d}",
        pid=child.pid,
        screening_date=on,
        answers=answers,
        category=result.category.id,
        rule=result.rule_id,
        indicators=tuple(result.indicators),
        by_role=rng.choice(SCREENERS),
    )
    chunk.screenings.append(record)
    return record


def _exploited_answers(rng: random.Random) -> dict[str, str]:
    answers = _blank_answers()
    answers["missing_repeat"] = "current"
    for indicator in rng.sample(EXPLOITED_PART_A, rng.randint(1, 3)):
        answers[indicator] = "current"
    for indicator in rng.sample(EXPLOITED_PART_B, rng.randint(2, 4)):
        answers[indicator] = "yes"
    if rng.random() < 0.1:
        answers["disclosed_exploitation"] = "yes"
    return answers


def _innocent_answers(rng: random.Random, most: int) -> dict[str, str]:
    answers = _blank_answers()
    for indicator in rng.sample(INNOCENT_PART_B, rng.randint(0, most)):
        answers[indicator] = "yes"
    return answers


def build_screenings(chunk: Chunk, rng: random.Random, year: int, in_progress: int) -> None:
    """Screen exploited children (most of them), some controls, and a background sample.

    The last `in_progress` screenings fall in the final days before the city's 'today' and make
    referrals still awaiting triage.
    """
    as_of = date(year + 1, 7, 31)
    start = date(year, 9, 1)
    people = {p.pid: p for p in chunk.people if p.kind == "child"}
    for pid, story in chunk.stories.items():
        child = people[pid]
        if story["role"] == "exploited" and rng.random() < 0.75:
            first = story["first_missing"]
            assert isinstance(first, datetime)
            on = first.date() + timedelta(days=rng.randint(5, 28))
            if on < as_of - timedelta(days=7):
                _screen(chunk, rng, child, on, _exploited_answers(rng))
        elif story["role"] == "control" and "screened" in story["reasons"]:  # type: ignore[operator]
            began = story["began"]
            assert isinstance(began, date)
            answers = _innocent_answers(rng, 4)
            if rng.random() < 0.4:
                answers["missing_repeat"] = "historic"
            _screen(
                chunk,
                rng,
                child,
                min(began + timedelta(days=rng.randint(10, 80)), as_of - timedelta(days=8)),
                answers,
            )
    older = [p for p in people.values() if p.role == "background" and p.dob.year <= year - 8]
    for child in older:
        if rng.random() < 0.006:
            on = start + timedelta(days=rng.randrange((as_of - start).days - 8))
            _screen(chunk, rng, child, on, _innocent_answers(rng, 3))
    for child in rng.sample(older, min(in_progress, len(older))):
        answers = _innocent_answers(rng, 2)
        for indicator in rng.sample(INNOCENT_PART_B, 3):
            answers[indicator] = "yes"
        _screen(chunk, rng, child, as_of - timedelta(days=rng.randrange(0, 5)), answers)
    _refer(chunk, rng, as_of)


def _refer(chunk: Chunk, rng: random.Random, as_of: date) -> None:
    """Referrals for every screening whose result makes one; cases for those decided."""
    tool = registry.get_tool(TOOL_ID)
    for record in chunk.screenings:
        if not tool.category(record.category).creates_referral:
            continue
        age = (as_of - record.screening_date).days
        record.referral_received = datetime.combine(
            record.screening_date, datetime.min.time()
        ) + timedelta(hours=rng.randint(9, 17), minutes=rng.randrange(60))
        if age < 5:
            record.referral_status = "awaiting_triage"
            continue
        if age < 8:
            record.referral_status = "in_triage"
            continue
        record.referral_status = "decided"
        if record.category == "significant_risk":
            record.case_type = "cse"
            record.case_status = "open" if rng.random() < 0.85 else "closed"
        elif rng.random() < 0.6:
            record.case_type = rng.choice(("child_in_need", "child_in_need", "child_protection"))
            record.case_status = "open" if rng.random() < 0.5 else "closed"


def build_health(chunk: Chunk, rng: random.Random, year: int) -> None:
    """Background health encounters (GP, emergency department, sexual health)."""
    start = date(year, 9, 1)
    for child in chunk.people:
        if child.kind != "child":
            continue
        roll = rng.random()
        if roll < 0.05:
            setting, reason = "emergency_department", rng.choice(("injury", "illness", "injury"))
        elif roll < 0.052 and child.dob.year <= year - 14:
            setting, reason = "sexual_health", rng.choice(("contraception", "sti_test"))
        elif roll < 0.25:
            setting, reason = "gp", rng.choice(("illness", "review", "vaccination"))
        else:
            continue
        chunk.encounters.append(
            HealthEncounter(child.pid, start + timedelta(days=rng.randrange(330)), setting, reason)
        )
