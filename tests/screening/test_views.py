"""The web screening journey, end to end through the views, and its refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehub.audit.models import AccessEvent
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.screening import registry
from safehub.screening.models import Screening, ScreeningDraft
from tests.factories import lowest_option, make_screening, make_user

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Nova",
    "family_name": "Brackenbury",
    "date_of_birth-day": "4",
    "date_of_birth-month": "2",
    "date_of_birth-year": "2011",
    "sex": "female",
    "ethnicity": "white_british",
    "nhs_number": "943 476 5919",
    "postcode": "cv1 5rr",
}


def start_draft(client: Client, tool: str = "wm-cse-2014") -> str:
    response = client.post("/screening/", {"tool": tool})
    assert response.status_code == 302
    return response["Location"].split("/")[3]


def answer_all_groups(client: Client, draft: str, tool_id: str, positive: dict[str, str]) -> None:
    tool = registry.get_tool(tool_id)
    for number, group in enumerate(tool.groups, start=1):
        data: dict[str, Any] = {
            i.id: positive.get(i.id, lowest_option(i)) for i in group.indicators
        }
        response = client.post(f"/screening/draft/{draft}/questions/{number}/", data)
        assert response.status_code == 302, response.content.decode()[:500]


SHARING = {"sharing_basis": "safeguarding", "family_aware": "yes"}


def test_referrer_screens_a_new_child_and_a_referral_reaches_the_mash(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    response = client.post(f"/screening/draft/{draft}/child/", CHILD)
    assert response.status_code == 302
    # No known child with these details: straight to the questions.
    assert client.get(response["Location"]).status_code == 302
    answer_all_groups(client, draft, "wm-cse-2014", {"missing_repeat": "current"})
    page = client.get(f"/screening/draft/{draft}/check/")
    assert b"Check your answers" in page.content
    response = client.post(
        f"/screening/draft/{draft}/check/", {"notes": "Seen getting into cars", **SHARING}
    )
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert response["Location"] == f"/screening/{screening.public_id}/"
    assert screening.final_category == "significant_risk"
    assert screening.person.nhs_number == "9434765919"
    assert screening.person.addresses.get().postcode == "CV1 5RR"
    referral = Referral.objects.get()
    assert referral.screening == screening and referral.referrer == referrer
    result = client.get(response["Location"])
    assert b"Significant risk" in result.content
    assert b"A referral has gone to the MASH" in result.content
    submissions = client.get("/screening/submissions/")
    assert b"Brackenbury" in submissions.content
    assert b"awaiting triage" in submissions.content


def test_a_screening_that_refers_without_the_sharing_basis_is_refused(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    answer_all_groups(client, draft, "wm-cse-2014", {"missing_repeat": "current"})
    page = client.get(f"/screening/draft/{draft}/check/")
    assert b"On what basis are you sharing this with the MASH?" in page.content
    response = client.post(f"/screening/draft/{draft}/check/", {"notes": "Seen in cars"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'href="#sharing_basis">Select the basis on which you are sharing' in content
    assert 'href="#family_aware">Say whether the child&#x27;s family knows' in content
    assert "sharing_basis:" not in content  # no internal field name in a message
    assert not Screening.objects.exists() and not Referral.objects.exists()
    assert not Person.objects.exists()
    # What was typed is kept; with the answers given, the screening goes through.
    assert "Seen in cars" in content
    response = client.post(f"/screening/draft/{draft}/check/", {"notes": "Seen in cars", **SHARING})
    assert response.status_code == 302
    assert Referral.objects.get().sharing_basis == "safeguarding"


def test_a_significant_risk_result_is_not_shown_in_a_green_panel(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    answer_all_groups(client, draft, "wm-cse-2014", {"missing_repeat": "current"})
    response = client.post(f"/screening/draft/{draft}/check/", SHARING)
    result = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" not in result
    assert 'govuk-tag govuk-tag--red" data-testid="result-tag">Significant risk' in result
    assert '<h1 class="govuk-heading-l" data-testid="result-heading">Significant risk' in result


def test_a_no_concerns_result_keeps_the_green_panel(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    answer_all_groups(client, draft, "wm-cse-2014", {})
    response = client.post(f"/screening/draft/{draft}/check/", {})
    result = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in result and "result-tag" not in result


def test_no_current_risk_creates_no_referral(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    answer_all_groups(client, draft, "wm-cse-2014", {})
    client.post(f"/screening/draft/{draft}/check/", {})
    assert Screening.objects.get().final_category == "no_current_risk"
    assert not Referral.objects.exists()


def test_second_tool_works_through_the_same_journey(client_for, referrer) -> None:
    client = client_for(referrer)
    draft = start_draft(client, "cse-domains-2014")
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    answer_all_groups(client, draft, "cse-domains-2014", {"older_partner": "yes"})
    client.post(f"/screening/draft/{draft}/check/", SHARING)
    screening = Screening.objects.get()
    assert (screening.tool_id, screening.final_category) == ("cse-domains-2014", "high")
    assert Referral.objects.count() == 1


def test_known_child_is_offered_as_a_match(client_for, referrer) -> None:
    existing = make_screening(make_user(Role.REFERRER)).screening.person
    client = client_for(referrer)
    draft = start_draft(client)
    details = dict(
        CHILD,
        given_name=existing.given_name,
        family_name=existing.family_name.upper(),
        **{
            "date_of_birth-day": str(existing.date_of_birth.day),
            "date_of_birth-month": str(existing.date_of_birth.month),
            "date_of_birth-year": str(existing.date_of_birth.year),
        },
    )
    details.pop("nhs_number")
    client.post(f"/screening/draft/{draft}/child/", details)
    page = client.get(f"/screening/draft/{draft}/known-child/")
    assert page.status_code == 200 and b"Is this the child" in page.content
    assert AccessEvent.objects.filter(action="search", person_id=existing.pk).exists()
    client.post(f"/screening/draft/{draft}/known-child/", {"person": str(existing.public_id)})
    answer_all_groups(client, draft, "wm-cse-2014", {})
    client.post(f"/screening/draft/{draft}/check/", {})
    assert Person.objects.count() == 1
    assert existing.screenings.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", b"last digit does not match"),
        ("date_of_birth-year", "2099", b"today or in the past"),
        ("date_of_birth-month", "13", b"must be a real date"),
        ("given_name", "", b"Enter the child&#x27;s first name"),
        ("upn", "A12345678901", b"13 characters"),
        ("postcode", "NOT A CODE", b"full UK postcode"),
    ],
)
def test_bad_child_details_are_refused_next_to_the_field(
    client_for, referrer, field: str, value: str, message: bytes
) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    response = client.post(f"/screening/draft/{draft}/child/", dict(CHILD, **{field: value}))
    assert response.status_code == 200
    assert b"There is a problem" in response.content and message in response.content
    assert not Person.objects.exists()


def test_missing_and_unknown_answers_are_refused_and_nothing_is_stored(
    client_for, referrer
) -> None:
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    response = client.post(f"/screening/draft/{draft}/questions/1/", {})
    assert response.status_code == 200 and b"Select an answer" in response.content
    response = client.post(
        f"/screening/draft/{draft}/questions/1/", {"disclosed_exploitation": "perhaps"}
    )
    assert response.status_code == 200
    assert b"Select one of the answers for: The child has told someone" in response.content
    # Submitting with questions unanswered is refused too.
    response = client.post(f"/screening/draft/{draft}/check/", {})
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert not Screening.objects.exists() and not Person.objects.exists()


def test_a_mark_on_a_negative_answer_is_cleared_not_refused(client_for, referrer) -> None:
    # The mark's radio stays checked in the browser when the answer goes back to "No": the
    # page must not trap the user, so the mark is dropped (see tests/screening/test_group_page).
    client = client_for(referrer)
    draft = start_draft(client)
    client.post(f"/screening/draft/{draft}/child/", CHILD)
    response = client.post(
        f"/screening/draft/{draft}/questions/1/",
        {"disclosed_exploitation": "no", "disclosed_exploitation__mark": "evidence"},
    )
    assert response.status_code == 302
    assert ScreeningDraft.objects.get().data["marks"] == {}


def test_referrer_cannot_see_another_referrers_result(client_for, referrer) -> None:
    other = make_screening(make_user(Role.REFERRER), missing_repeat="current").screening
    response = client_for(referrer).get(f"/screening/{other.public_id}/")
    assert response.status_code == 403
    assert b"Brackenbury" not in response.content


def test_referrer_cannot_open_the_childs_record_even_for_own_submission(
    client_for, referrer
) -> None:
    own = make_screening(referrer, missing_repeat="current").screening
    client = client_for(referrer)
    assert client.get(f"/screening/{own.public_id}/").status_code == 200
    assert client.get(f"/people/{own.person.public_id}/").status_code == 403
    assert client.get(f"/referrals/{own.referral.public_id}/").status_code == 403
    assert client.get("/referrals/").status_code == 403


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.SYSTEM_ADMIN, Role.LICENSING_OFFICER])
def test_roles_without_screening_cannot_start_one(client_for, role: Role) -> None:
    client = client_for(make_user(role))
    assert client.get("/screening/").status_code == 403
    assert client.post("/screening/", {"tool": "wm-cse-2014"}).status_code == 403
    assert client.get("/screening/submissions/").status_code == 403


def test_my_submissions_lists_only_my_own(client_for, referrer) -> None:
    make_screening(referrer)
    someone_else = make_screening(make_user(Role.REFERRER)).screening
    page = client_for(referrer).get("/screening/submissions/")
    assert page.status_code == 200
    assert someone_else.person.family_name.encode() not in page.content


def test_result_view_is_audited(client_for, referrer) -> None:
    screening = make_screening(referrer).screening
    client_for(referrer).get(f"/screening/{screening.public_id}/")
    event = AccessEvent.objects.filter(action="view", object_type="screening").get()
    assert event.person_id == screening.person_id and event.user_id == referrer.pk
    assert event.request_id


def test_anonymous_users_are_sent_to_sign_in(client) -> None:
    response = client.get("/screening/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_unknown_draft_is_not_found(client_for, referrer) -> None:
    assert client_for(referrer).get("/screening/draft/nope/check/").status_code == 404
