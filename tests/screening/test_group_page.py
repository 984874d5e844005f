"""A screening question page never traps the user: a mark is cleared when its answer goes back
to "Not present", and messages name questions by their labels, never by internal ids."""

from __future__ import annotations

import pytest
from django.test import Client

from safehub.accounts.models import User
from safehub.screening.models import ScreeningDraft
from safehub.screening.registry import get_tool
from safehub.screening.rules import marks_for_answers

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Tamsin",
    "family_name": "Oakenshaw",
    "date_of_birth-day": "1",
    "date_of_birth-month": "6",
    "date_of_birth-year": "2012",
    "sex": "female",
}


def part_a(client: Client) -> tuple[str, dict[str, str]]:
    """A draft at page 2 (Part A) and a complete, valid set of answers for that page."""
    draft = client.post("/screening/", {"tool": "wm-cse-2014"})["Location"].split("/")[3]
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    client.post(f"/screening/draft/{draft}/questions/1/", {"disclosed_exploitation": "no"})
    tool = get_tool("wm-cse-2014", 1)
    answers = {i.id: "not_present" for i in tool.group("part_a").indicators}
    return f"/screening/draft/{draft}/questions/2/", answers


def test_changing_yes_back_to_not_present_clears_the_mark(client_for, referrer: User) -> None:
    client = client_for(referrer)
    page, answers = part_a(client)
    # First "Yes" with an evidence mark...
    client.post(page, dict(answers, missing_repeat="current", missing_repeat__mark="evidence"))
    assert ScreeningDraft.objects.get().data["marks"] == {"missing_repeat": "evidence"}
    # ...then back to "Not present": the mark's radio is still checked in the browser.
    response = client.post(
        page, dict(answers, missing_repeat="not_present", missing_repeat__mark="evidence")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ScreeningDraft.objects.get().data
    assert draft["answers"]["missing_repeat"] == "not_present"
    assert draft["marks"] == {}


def test_error_messages_use_the_question_label_not_its_id(client_for, referrer: User) -> None:
    client = client_for(referrer)
    page, answers = part_a(client)
    response = client.post(
        page,
        dict(
            answers,
            missing_repeat="sometimes",
            controlling_relationship="current",
            controlling_relationship__mark="bad",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select one of the answers for: Repeatedly goes missing" in html
    assert "Choose evidence or professional concern" in html
    for text in ("missing_repeat:", "controlling_relationship:", "not one of"):
        assert text not in html
    unanswered = client.post(page, {k: v for k, v in answers.items() if k != "missing_repeat"})
    assert "missing_repeat:" not in unanswered.content.decode()


def test_marks_only_stay_on_positive_answers() -> None:
    answers = {"a": "current", "b": "not_present", "c": "no", "d": "yes"}
    marks = {"a": "evidence", "b": "concern", "c": "evidence", "d": "concern", "e": "evidence"}
    assert marks_for_answers(answers, marks) == {"a": "evidence", "d": "concern"}
