"""Scoring a screening: check the answers, then apply the tool's rules in order.

Everything here is a pure function of a `ScreeningTool` (loaded from its data file), the
answers, and the dates; nothing touches the database. Thresholds live in the tool files.

The condition language
----------------------
Each rule in a tool file has one condition (`when:`), a mapping with exactly one operator:

`{always: true}`
    Always matches. The last rule of every tool is `always: true`, so each screening has a result.
`{answer: {indicator: ID, in: [VALUES]}}`
    Matches when the answer to indicator ID is one of VALUES. Counts that indicator.
`{count: {indicators: [IDS], group: GROUP, level: LEVEL, exclude: [IDS], in: [VALUES],
at_least: N}}`
    Selects the indicators that pass every filter given (`indicators`, `group`, `level`; none
    given selects all) minus `exclude`, and matches when at least N of them are answered with one
    of VALUES. Counts every selected indicator so answered, even beyond N.
`{age_at_most: N}`
    Matches when the child's age in whole years on the screening date is N or less. A tool that
    uses this anywhere needs the child's date of birth to be scored.
`{all: [CONDITIONS]}`
    Matches when every inner condition matches; counts the indicators all of them counted.
`{any: [CONDITIONS]}`
    Matches when at least one inner condition matches; counts the indicators of every inner
    condition that matched.

There is no negation and no "at most", so answering an indicator more seriously can only make
more rules match; with rules listed from most to least serious (the loader insists), a more
serious answer never lowers the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.refusals import Refused
from safehub.screening.definitions import Condition, ResultCategory, ScreeningTool

DATE_OF_BIRTH_FIELD = "child_date_of_birth"


@dataclass(frozen=True)
class AnswerError:
    """One problem with a set of answers, naming the indicator (or field) it concerns."""

    indicator_id: str
    message: str


class InvalidAnswers(Refused):
    """The answers (or the child's date of birth) cannot be scored.

    `problems` lists each problem with the indicator (or field) it concerns; `errors` maps each
    indicator or field to its message, as for every refusal (messages about the same one are
    joined).
    """

    def __init__(self, problems: list[AnswerError]) -> None:
        self.problems = list(problems)
        errors: dict[str, str] = {}
        for problem in self.problems:
            earlier = errors.get(problem.indicator_id)
            errors[problem.indicator_id] = (
                f"{earlier}; {problem.message}" if earlier else problem.message
            )
        super().__init__(errors)


@dataclass(frozen=True)
class ScreeningResult:
    """The computed result of one screening and the rule that decided it."""

    tool_id: str
    tool_version: int
    category: ResultCategory
    rule_id: str
    rule_description: str
    # The indicators the deciding rule counted, in form order.
    indicators: tuple[str, ...]
    age_at_screening: int | None

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (ids, labels and the recommended next step)."""
        return {
            "tool": self.tool_id,
            "tool_version": self.tool_version,
            "category": self.category.id,
            "category_label": self.category.label,
            "severity": self.category.severity,
            "rule": self.rule_id,
            "rule_description": self.rule_description,
            "indicators": list(self.indicators),
            "next_step": self.category.next_step,
            "creates_referral": self.category.creates_referral,
            "age_at_screening": self.age_at_screening,
        }


# Answers that say an indicator is absent: they carry no evidence mark.
NEGATIVE_ANSWERS = frozenset({"no", "not_present"})


def marks_for_answers(answers: Mapping[str, str], marks: Mapping[str, str]) -> dict[str, str]:
    """The marks (evidence or concern) that still apply to `answers`.

    A mark belongs to a positive answer only, so changing an answer back to "No" or "Not
    present" (or leaving it unanswered) clears its mark instead of refusing the page. Refuses
    nothing: invalid mark values are left for `validate_marks` to report.
    """
    return {
        indicator_id: mark
        for indicator_id, mark in marks.items()
        if indicator_id in answers and answers[indicator_id] not in NEGATIVE_ANSWERS
    }


def age_on(date_of_birth: date, on_date: date) -> int:
    """The age in whole years on `on_date`.

    Someone born on 29 February turns a year older on 1 March in a year without 29 February,
    as in English law. Refuses (ValueError) an `on_date` before the date of birth.
    """
    if on_date < date_of_birth:
        raise ValueError(f"{on_date.isoformat()} is before the date of birth")
    years = on_date.year - date_of_birth.year
    if (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def validate_answers(tool: ScreeningTool, answers: Mapping[str, str]) -> list[AnswerError]:
    """Every problem with `answers` for `tool`, or an empty list when they can be scored.

    Refuses ids that are not indicators of the tool, indicators left unanswered (every one must
    be answered) and values that are not one of the indicator's answer options.
    """
    known = {indicator.id for indicator in tool.indicators()}
    errors = [
        AnswerError(key, f"{key}: not an indicator of {tool.id} version {tool.version}")
        for key in answers
        if key not in known
    ]
    for indicator in tool.indicators():
        allowed = ", ".join(indicator.option_ids())
        if indicator.id not in answers:
            errors.append(
                AnswerError(indicator.id, f"{indicator.id}: no answer given (one of {allowed})")
            )
        elif answers[indicator.id] not in indicator.option_ids():
            value = answers[indicator.id]
            errors.append(
                AnswerError(
                    indicator.id, f"{indicator.id}: answer {value!r} is not one of {allowed}"
                )
            )
    return errors


def score(
    tool: ScreeningTool,
    answers: Mapping[str, str],
    *,
    screening_date: date,
    date_of_birth: date | None,
) -> ScreeningResult:
    """Score a complete set of answers: the first rule of the tool that matches decides.

    Refuses (InvalidAnswers, listing every problem) answers `validate_answers` rejects, a
    missing date of birth when the tool uses the child's age, and a date of birth after the
    screening date.
    """
    errors = validate_answers(tool, answers)
    age: int | None = None
    if date_of_birth is None:
        if tool.uses_age:
            errors.append(
                AnswerError(
                    DATE_OF_BIRTH_FIELD,
                    f"{DATE_OF_BIRTH_FIELD}: {tool.id} uses the child's age, "
                    "so a date of birth is required",
                )
            )
    elif date_of_birth > screening_date:
        errors.append(
            AnswerError(
                DATE_OF_BIRTH_FIELD,
                f"{DATE_OF_BIRTH_FIELD}: {date_of_birth.isoformat()} is after the "
                f"screening date {screening_date.isoformat()}",
            )
        )
    else:
        age = age_on(date_of_birth, screening_date)
    if errors:
        raise InvalidAnswers(errors)

    for rule in tool.rules:
        counted = _evaluate(tool, rule.condition, answers, age)
        if counted is not None:
            return ScreeningResult(
                tool_id=tool.id,
                tool_version=tool.version,
                category=tool.category(rule.category_id),
                rule_id=rule.id,
                rule_description=rule.description,
                indicators=tuple(ind.id for ind in tool.indicators() if ind.id in counted),
                age_at_screening=age,
            )
    # Unreachable for a loaded tool: the loader insists the last rule is `always: true`.
    raise RuntimeError(f"no rule of {tool.id} version {tool.version} matched")


# An evaluator returns the ids a matching condition counted, or None when it does not match.
_Outcome = frozenset[str] | None
_Evaluator = Callable[[ScreeningTool, Any, Mapping[str, str], "int | None"], _Outcome]


def _evaluate(
    tool: ScreeningTool, condition: Condition, answers: Mapping[str, str], age: int | None
) -> _Outcome:
    ((operator, argument),) = condition.items()
    return _EVALUATORS[operator](tool, argument, answers, age)


def _always(
    tool: ScreeningTool, arg: bool, answers: Mapping[str, str], age: int | None
) -> _Outcome:
    return frozenset() if arg is True else None


def _answer(
    tool: ScreeningTool, arg: Mapping[str, Any], answers: Mapping[str, str], age: int | None
) -> _Outcome:
    return frozenset({arg["indicator"]}) if answers.get(arg["indicator"]) in arg["in"] else None


def _count(
    tool: ScreeningTool, arg: Mapping[str, Any], answers: Mapping[str, str], age: int | None
) -> _Outcome:
    selected = tool.select_indicators(
        ids=arg.get("indicators"),
        group=arg.get("group"),
        level=arg.get("level"),
        exclude=arg.get("exclude", ()),
    )
    counted = frozenset(ind.id for ind in selected if answers.get(ind.id) in arg["in"])
    return counted if len(counted) >= arg["at_least"] else None


def _age_at_most(
    tool: ScreeningTool, arg: int, answers: Mapping[str, str], age: int | None
) -> _Outcome:
    if age is None:
        raise RuntimeError(f"{tool.id}: a rule uses the child's age but none was given")
    return frozenset() if age <= arg else None


def _all(
    tool: ScreeningTool, arg: tuple[Condition, ...], answers: Mapping[str, str], age: int | None
) -> _Outcome:
    counted: set[str] = set()
    for inner in arg:
        outcome = _evaluate(tool, inner, answers, age)
        if outcome is None:
            return None
        counted |= outcome
    return frozenset(counted)


def _any(
    tool: ScreeningTool, arg: tuple[Condition, ...], answers: Mapping[str, str], age: int | None
) -> _Outcome:
    outcomes = [_evaluate(tool, inner, answers, age) for inner in arg]
    matched = [outcome for outcome in outcomes if outcome is not None]
    return frozenset().union(*matched) if matched else None


_EVALUATORS: dict[str, _Evaluator] = {
    "always": _always,
    "answer": _answer,
    "count": _count,
    "age_at_most": _age_at_most,
    "all": _all,
    "any": _any,
}
