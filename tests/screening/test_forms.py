"""The screening pages' forms: the question page made from the tool, the choice of tool and the
approval of a lower result, on the one form system."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from safehub.accounts.models import User
from safehub.policy.roles import Role
from safehub.screening import registry
from safehub.screening.forms import NO_TOOL, QuestionPageForm, ToolForm
from safehub.screening.judgement import record_judgement
from tests.factories import make_screening, make_user

TOOL = registry.get_tool("wm-cse-2014", 1)
PART_A = TOOL.group("part_a")
NEGATIVE = {"no", "not_present"}


def posted(values: dict[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data[name] = value
    return data


def all_not_present() -> dict[str, str]:
    return {i.id: "not_present" for i in PART_A.indicators}


def test_each_indicator_is_a_question_with_its_guidance_and_its_mark_beneath() -> None:
    html = str(QuestionPageForm(tool=TOOL, group=PART_A, answers={"missing_repeat": "current"}))
    first, second = PART_A.indicators[0], PART_A.indicators[1]
    assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{first.label}' in html
    assert f'id="{first.id}-hint" class="govuk-hint">{first.guidance}' in html
    # The first radio's id is the question's, for the error summary's link.
    assert f'id="{first.id}" name="{first.id}" type="radio" value="not_present"' in html
    current = 'id="missing_repeat-current" name="missing_repeat" type="radio" value="current"'
    assert f"{current} checked" in html
    assert 'id="missing_repeat__mark-evidence" name="missing_repeat__mark"' in html
    assert 'id="missing_repeat__mark-concern" name="missing_repeat__mark"' in html
    assert html.count("If yes, what is it based on? (optional)") == len(PART_A.indicators)
    # The mark sits in its question's form group, before the next question.
    mark = html.index(f'name="{first.id}__mark"')
    assert html.index(f'name="{first.id}"') < mark < html.index(f'name="{second.id}"')
    assert html.count('<div class="govuk-form-group') == len(PART_A.indicators)


def test_a_refused_page_names_each_question_by_its_label_in_page_order() -> None:
    form = QuestionPageForm(
        posted(
            dict(
                all_not_present(),
                missing_repeat="perhaps",
                controlling_relationship="current",
                controlling_relationship__mark="bad",
                online_grooming="",
            )
        ),
        tool=TOOL,
        group=PART_A,
    )
    assert not form.is_valid()
    label = {i.id: i.label for i in PART_A.indicators}
    assert form.error_list == [
        ("missing_repeat", f"Select one of the answers for: {label['missing_repeat']}"),
        (
            "controlling_relationship",
            "Choose evidence or professional concern, or neither, for: "
            + label["controlling_relationship"],
        ),
        ("online_grooming", f"Select an answer for: {label['online_grooming']}"),
    ]


def test_what_was_posted_is_kept_in_the_draft_even_when_refused() -> None:
    draft_answers = {"disclosed_exploitation": "yes", "online_grooming": "current"}
    draft_marks = {"disclosed_exploitation": "concern", "online_grooming": "evidence"}
    form = QuestionPageForm(
        posted(dict(all_not_present(), missing_repeat="current", online_grooming="")),
        tool=TOOL,
        group=PART_A,
        answers=draft_answers,
        marks=draft_marks,
    )
    answers, marks = form.kept()
    assert not form.is_valid()
    assert answers["disclosed_exploitation"] == "yes"  # another page's answer stays
    assert "online_grooming" not in answers  # unanswered now: gone, with its mark
    assert answers["missing_repeat"] == "current"
    assert marks == {"disclosed_exploitation": "concern"}


ANSWERS = st.sampled_from(["", "not_present", "current", "historic", "perhaps"])
MARKS = st.sampled_from(["", "evidence", "concern", "bad"])


PAGE_SIZE = len(PART_A.indicators)


@given(st.lists(st.tuples(ANSWERS, MARKS), min_size=PAGE_SIZE, max_size=PAGE_SIZE))
def test_a_page_is_accepted_exactly_when_every_answer_and_kept_mark_is_one_of_the_tools(
    given_values: list[tuple[str, str]],
) -> None:
    data: dict[str, str] = {}
    for indicator, (answer, mark) in zip(PART_A.indicators, given_values, strict=True):
        data[indicator.id], data[f"{indicator.id}__mark"] = answer, mark
    form = QuestionPageForm(posted(data), tool=TOOL, group=PART_A)
    answers, marks = form.kept()
    options = {o.id for o in PART_A.indicators[0].options}
    expected_valid = all(
        data[i.id] in options
        and (data[i.id] in NEGATIVE or data[f"{i.id}__mark"] in ("", "evidence", "concern"))
        for i in PART_A.indicators
    )
    assert form.is_valid() == expected_valid
    # A mark is only ever kept on a positive answer, and every message names a question.
    assert all(answers.get(i) not in NEGATIVE for i in marks)
    assert {name for name, _ in form.error_list} <= {i.id for i in PART_A.indicators}
    assert all(":" in message and "_" not in message for _, message in form.error_list)


def test_the_tool_is_chosen_from_the_latest_of_each() -> None:
    tools = registry.list_tools()
    html = str(ToolForm(tools=tools))
    assert 'id="tool" name="tool" type="radio"' in html
    for tool in tools:
        assert f"{tool.description} (version {tool.version})" in html
    for data in ({}, {"tool": "no-such-tool"}):
        refused = ToolForm(posted(data), tools=tools)
        assert not refused.is_valid() and refused.error_list == [("tool", NO_TOOL)]
    chosen = ToolForm(posted({"tool": "wm-cse-2014"}), tools=tools)
    assert chosen.is_valid() and chosen.chosen().id == "wm-cse-2014"


@pytest.mark.django_db
def test_a_refused_approval_is_shown_at_the_top_of_the_page(client_for, referrer: User) -> None:
    screening = make_screening(referrer, missing_repeat="current").screening
    record_judgement(
        actor=referrer,
        screening=screening,
        category_id="at_risk",
        reason="Disclosed to the school nurse this morning",
    )
    manager: Client = client_for(make_user(Role.CSE_MANAGER))
    decision = {"screening": str(screening.public_id), "decision": "refuse"}
    assert manager.post("/screening/approvals/", decision).status_code == 302
    again = manager.post("/screening/approvals/", decision)
    html = again.content.decode()
    assert again.status_code == 200 and "<title>Error: Results to approve" in html
    assert "<li>No lower result is waiting for approval</li>" in html
    screening.refresh_from_db()
    assert screening.final_category == "significant_risk"
