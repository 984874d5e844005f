"""Scoring rules of the shipped tools: worked cases for every rule, then properties."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safehub.screening.definitions import ScreeningTool, load_tool_file
from safehub.screening.registry import DEFAULT_TOOL_DIR
from safehub.screening.rules import AnswerError, InvalidAnswers, age_on, score, validate_answers

WM = load_tool_file(DEFAULT_TOOL_DIR / "wm-cse-2014.v1.yaml")
DOMAINS = load_tool_file(DEFAULT_TOOL_DIR / "cse-domains-2014.v1.yaml")
TOOLS = {WM.id: WM, DOMAINS.id: DOMAINS}

# How serious each answer is; "turning an answer up" moves to a higher rank.
RANK = {"no": 0, "not_present": 0, "possible": 1, "historic": 1, "yes": 2, "current": 2}

BORN = date(2001, 6, 30)
AGED_15 = date(2016, 9, 1)


def baseline(tool: ScreeningTool) -> dict[str, str]:
    """Every indicator answered with its least serious option."""
    return {ind.id: min(ind.option_ids(), key=RANK.__getitem__) for ind in tool.indicators()}


def answers_for(tool: ScreeningTool, **changes: str) -> dict[str, str]:
    answers = baseline(tool)
    assert set(changes) <= set(answers), f"unknown ids in test case: {set(changes) - set(answers)}"
    answers.update(changes)
    return answers


WM_CASES = [
    # (case, answers changed from baseline, screening date, category, rule, indicators counted)
    ("nothing present", {}, AGED_15, "no_current_risk", "otherwise", ()),
    (
        "disclosure alone",
        {"disclosed_exploitation": "yes"},
        AGED_15,
        "significant_risk",
        "disclosure",
        ("disclosed_exploitation",),
    ),
    (
        "disclosure is checked before Part A",
        {"disclosed_exploitation": "yes", "missing_repeat": "current"},
        AGED_15,
        "significant_risk",
        "disclosure",
        ("disclosed_exploitation",),
    ),
    (
        "one Part A current",
        {"missing_repeat": "current"},
        AGED_15,
        "significant_risk",
        "part_a_current",
        ("missing_repeat",),
    ),
    (
        "rule 1 counts only the current Part A indicators",
        {"online_grooming": "current", "risky_areas": "current", "missing_repeat": "historic"},
        AGED_15,
        "significant_risk",
        "part_a_current",
        ("risky_areas", "online_grooming"),
    ),
    (
        "Part A historic at 15",
        {"unexplained_goods": "historic"},
        AGED_15,
        "at_risk",
        "part_a_historic",
        ("unexplained_goods",),
    ),
    (
        "Part A historic aged 13, the day before turning 14",
        {"unexplained_goods": "historic"},
        date(2015, 6, 29),
        "significant_risk",
        "part_a_historic_aged_13_or_under",
        ("unexplained_goods",),
    ),
    (
        "Part A historic on the 14th birthday",
        {"unexplained_goods": "historic"},
        date(2015, 6, 30),
        "at_risk",
        "part_a_historic",
        ("unexplained_goods",),
    ),
    (
        "Part A historic on the 13th birthday",
        {"hotels_taxis_takeaways": "historic"},
        date(2014, 6, 30),
        "significant_risk",
        "part_a_historic_aged_13_or_under",
        ("hotels_taxis_takeaways",),
    ),
    (
        "Part A historic aged 10",
        {"recurrent_sti_terminations": "historic"},
        date(2011, 7, 1),
        "significant_risk",
        "part_a_historic_aged_13_or_under",
        ("recurrent_sti_terminations",),
    ),
    (
        "Part B at 2, below the threshold",
        {"drug_misuse": "yes", "alcohol_misuse": "yes"},
        AGED_15,
        "no_current_risk",
        "otherwise",
        (),
    ),
    (
        "Part B at 3, the threshold",
        {"drug_misuse": "yes", "alcohol_misuse": "yes", "self_harm": "yes"},
        AGED_15,
        "at_risk",
        "part_b_three_or_more",
        ("drug_misuse", "alcohol_misuse", "self_harm"),
    ),
    (
        "Part B counts every yes, beyond the threshold",
        {"whereabouts_unknown": "yes", "drug_misuse": "yes", "looked_after": "yes"}
        | {"older_partner": "yes"},
        AGED_15,
        "at_risk",
        "part_b_three_or_more",
        ("whereabouts_unknown", "drug_misuse", "looked_after", "older_partner"),
    ),
    (
        "Part A historic is checked before Part B",
        {"missing_repeat": "historic", "drug_misuse": "yes", "alcohol_misuse": "yes"}
        | {"self_harm": "yes"},
        AGED_15,
        "at_risk",
        "part_a_historic",
        ("missing_repeat",),
    ),
    (
        "learning disability alone",
        {"learning_disability": "yes"},
        AGED_15,
        "no_current_risk",
        "otherwise",
        (),
    ),
    (
        "learning disability and one other Part B",
        {"learning_disability": "yes", "behaviour_change": "yes"},
        AGED_15,
        "at_risk",
        "learning_disability_and_another",
        ("behaviour_change", "learning_disability"),
    ),
    (
        "learning disability and two others reaches the Part B threshold first",
        {"learning_disability": "yes", "behaviour_change": "yes", "sexual_health": "yes"},
        AGED_15,
        "at_risk",
        "part_b_three_or_more",
        ("sexual_health", "behaviour_change", "learning_disability"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "screening_date", "category", "rule", "indicators"),
    [case[1:] for case in WM_CASES],
    ids=[case[0] for case in WM_CASES],
)
def test_wm_worked_cases(
    changes: dict[str, str],
    screening_date: date,
    category: str,
    rule: str,
    indicators: tuple[str, ...],
) -> None:
    result = score(
        WM, answers_for(WM, **changes), screening_date=screening_date, date_of_birth=BORN
    )
    assert (result.category.id, result.rule_id, result.indicators) == (category, rule, indicators)


DOMAIN_CASES = [
    ("nothing present", {}, "low", "otherwise", ()),
    (
        "one High yes",
        {"missing_overnight": "yes"},
        "high",
        "high_yes_or_two_high_possible",
        ("missing_overnight",),
    ),
    (
        "two High possible",
        {"older_partner": "possible", "sti_recurring": "possible"},
        "high",
        "high_yes_or_two_high_possible",
        ("sti_recurring", "older_partner"),
    ),
    (
        "rule 1 lists both of its branches when both match",
        {
            "injuries_assault": "yes",
            "controlling_adult": "possible",
            "sexual_offending": "possible",
        },
        "high",
        "high_yes_or_two_high_possible",
        ("injuries_assault", "sexual_offending", "controlling_adult"),
    ),
    (
        "one High possible",
        {"controlling_adult": "possible"},
        "medium",
        "high_possible_or_three_medium",
        ("controlling_adult",),
    ),
    (
        "three Medium yes",
        {"self_harm": "yes", "aggression": "yes", "missing_daytime": "yes"},
        "medium",
        "high_possible_or_three_medium",
        ("self_harm", "aggression", "missing_daytime"),
    ),
    (
        "two Medium yes alone",
        {"self_harm": "yes", "aggression": "yes"},
        "low",
        "otherwise",
        (),
    ),
    (
        "two Medium yes and two Low yes",
        {"self_harm": "yes", "aggression": "yes", "late_return": "yes"}
        | {"secretive_phone_use": "yes"},
        "medium",
        "two_medium_and_two_low",
        ("self_harm", "aggression", "secretive_phone_use", "late_return"),
    ),
    (
        "two Medium yes and one Low yes",
        {"self_harm": "yes", "aggression": "yes", "late_return": "yes"},
        "low",
        "otherwise",
        (),
    ),
    (
        "one Medium yes and two Low yes",
        {"self_harm": "yes", "late_return": "yes", "secretive_phone_use": "yes"},
        "low",
        "otherwise",
        (),
    ),
    (
        "Medium possible does not count",
        {"self_harm": "possible", "aggression": "possible", "eating_disorder": "possible"},
        "low",
        "otherwise",
        (),
    ),
]


@pytest.mark.parametrize(
    ("changes", "category", "rule", "indicators"),
    [case[1:] for case in DOMAIN_CASES],
    ids=[case[0] for case in DOMAIN_CASES],
)
def test_domain_worked_cases(
    changes: dict[str, str], category: str, rule: str, indicators: tuple[str, ...]
) -> None:
    answers = answers_for(DOMAINS, **changes)
    result = score(DOMAINS, answers, screening_date=date(2015, 4, 13), date_of_birth=None)
    assert (result.category.id, result.rule_id, result.indicators) == (category, rule, indicators)
    assert result.age_at_screening is None


def test_every_rule_of_both_tools_has_a_worked_case() -> None:
    decided = {(WM.id, case[4]) for case in WM_CASES} | {
        (DOMAINS.id, case[3]) for case in DOMAIN_CASES
    }
    every_rule = {(tool.id, rule.id) for tool in (WM, DOMAINS) for rule in tool.rules}
    assert decided == every_rule


def test_result_as_dict_is_json_ready() -> None:
    answers = answers_for(WM, missing_repeat="current")
    result = score(WM, answers, screening_date=AGED_15, date_of_birth=BORN)
    as_dict = json.loads(json.dumps(result.to_dict()))
    assert as_dict == {
        "tool": "wm-cse-2014",
        "tool_version": 1,
        "category": "significant_risk",
        "category_label": "Significant risk",
        "severity": 3,
        "rule": "part_a_current",
        "rule_description": WM.rules[1].description,
        "indicators": ["missing_repeat"],
        "next_step": (
            "Refer to the MASH now; if the child is in immediate danger, call the police on 999."
        ),
        "creates_referral": True,
        "age_at_screening": 15,
    }


def test_lowest_result_creates_no_referral() -> None:
    result = score(DOMAINS, baseline(DOMAINS), screening_date=AGED_15, date_of_birth=None)
    assert result.to_dict()["creates_referral"] is False


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2001, 6, 30), date(2015, 6, 29), 13),
        (date(2001, 6, 30), date(2015, 6, 30), 14),
        (date(2001, 6, 30), date(2001, 6, 30), 0),
        (date(2004, 2, 29), date(2005, 2, 28), 0),
        (date(2004, 2, 29), date(2005, 3, 1), 1),
        (date(2004, 2, 29), date(2008, 2, 28), 3),
        (date(2004, 2, 29), date(2008, 2, 29), 4),
        (date(2004, 12, 31), date(2005, 1, 1), 0),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_age_on_refuses_a_date_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2010, 1, 2), date(2010, 1, 1))


def test_validation_names_the_indicator_and_the_allowed_answers() -> None:
    answers = answers_for(WM, missing_repeat="maybe")
    assert validate_answers(WM, answers) == [
        AnswerError(
            "missing_repeat",
            "missing_repeat: answer 'maybe' is not one of not_present, current, historic",
        )
    ]


def test_validation_reports_unknown_and_missing_indicators_together() -> None:
    answers = answers_for(WM) | {"missing_sometimes": "yes"}
    del answers["looked_after"]
    errors = validate_answers(WM, answers)
    assert [error.indicator_id for error in errors] == ["missing_sometimes", "looked_after"]
    assert "not an indicator of wm-cse-2014" in errors[0].message
    assert errors[1].message == "looked_after: no answer given (one of yes, no)"


def test_score_refuses_invalid_answers() -> None:
    answers = answers_for(DOMAINS, late_return="current")
    with pytest.raises(InvalidAnswers) as caught:
        score(DOMAINS, answers, screening_date=AGED_15, date_of_birth=None)
    assert [error.indicator_id for error in caught.value.problems] == ["late_return"]
    assert "late_return: answer 'current' is not one of yes, possible, no" in str(caught.value)


def test_age_tool_needs_a_date_of_birth() -> None:
    with pytest.raises(InvalidAnswers) as caught:
        score(WM, baseline(WM), screening_date=AGED_15, date_of_birth=None)
    assert [error.indicator_id for error in caught.value.problems] == ["child_date_of_birth"]


@pytest.mark.parametrize("tool", [WM, DOMAINS], ids=lambda tool: tool.id)
def test_date_of_birth_after_screening_date_is_refused(tool: ScreeningTool) -> None:
    with pytest.raises(InvalidAnswers, match="after the screening date") as caught:
        score(tool, baseline(tool), screening_date=date(2015, 1, 1), date_of_birth=date(2015, 1, 2))
    assert caught.value.problems[0].indicator_id == "child_date_of_birth"


def test_screening_on_the_day_of_birth_is_age_zero() -> None:
    day = date(2015, 1, 1)
    answers = answers_for(WM, risky_areas="historic")
    result = score(WM, answers, screening_date=day, date_of_birth=day)
    assert result.age_at_screening == 0
    assert result.category.id == "significant_risk"


# Properties over every possible set of answers.


@st.composite
def screenings(
    draw: st.DrawFn, tools: tuple[ScreeningTool, ...] = (WM, DOMAINS)
) -> tuple[ScreeningTool, dict[str, str], date]:
    tool = draw(st.sampled_from(tools))
    answers = draw(
        st.fixed_dictionaries(
            {ind.id: st.sampled_from(ind.option_ids()) for ind in tool.indicators()}
        )
    )
    born = draw(st.dates(min_value=date(1995, 1, 1), max_value=date(2015, 4, 13)))
    return tool, answers, born


SCREENED_ON = date(2015, 4, 13)


@given(screenings())
def test_result_is_one_of_the_tools_categories(case: tuple[ScreeningTool, dict, date]) -> None:
    tool, answers, born = case
    result = score(tool, answers, screening_date=SCREENED_ON, date_of_birth=born)
    assert result.category in tool.categories
    assert result.rule_id in {rule.id for rule in tool.rules}
    assert result.category.id == next(r for r in tool.rules if r.id == result.rule_id).category_id


@given(screenings())
def test_listed_indicators_are_answered_above_the_lowest_option(
    case: tuple[ScreeningTool, dict, date],
) -> None:
    tool, answers, born = case
    result = score(tool, answers, screening_date=SCREENED_ON, date_of_birth=born)
    assert all(RANK[answers[indicator_id]] > 0 for indicator_id in result.indicators)
    form_order = [ind.id for ind in tool.indicators() if ind.id in result.indicators]
    assert list(result.indicators) == form_order


@given(screenings(tools=(WM,)))
def test_a_disclosure_is_always_significant_risk(case: tuple[ScreeningTool, dict, date]) -> None:
    tool, answers, born = case
    answers["disclosed_exploitation"] = "yes"
    result = score(tool, answers, screening_date=SCREENED_ON, date_of_birth=born)
    assert result.category.id == "significant_risk"


@given(screenings(), st.data())
def test_turning_an_answer_up_never_lowers_the_result(
    case: tuple[ScreeningTool, dict, date], data: st.DataObject
) -> None:
    tool, answers, born = case
    indicator = data.draw(st.sampled_from(tool.indicators()))
    higher = [o for o in indicator.option_ids() if RANK[o] > RANK[answers[indicator.id]]]
    assume(higher)
    raised = answers | {indicator.id: data.draw(st.sampled_from(higher))}
    before = score(tool, answers, screening_date=SCREENED_ON, date_of_birth=born)
    after = score(tool, raised, screening_date=SCREENED_ON, date_of_birth=born)
    assert after.category.severity >= before.category.severity


@given(screenings(), st.data())
def test_validation_rejects_any_unknown_value(
    case: tuple[ScreeningTool, dict, date], data: st.DataObject
) -> None:
    tool, answers, _ = case
    indicator = data.draw(st.sampled_from(tool.indicators()))
    value = data.draw(st.text(max_size=12).filter(lambda text: text not in indicator.option_ids()))
    errors = validate_answers(tool, answers | {indicator.id: value})
    assert [error.indicator_id for error in errors] == [indicator.id]
    assert errors[0].message.startswith(f"{indicator.id}: answer {value!r} is not one of")
