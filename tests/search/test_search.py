"""Person search through its public entry points: the page, the API and `search_people`.

Hand-made synthetic children with known answers. Runs on SQLite (names read and gated in
Python) and on PostgreSQL (trigram and phonetic indexes), so both fetching paths are checked.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.accounts.services import issue_api_token
from safehub.audit.models import AccessEvent, AuditAction, AuditObjectType
from safehub.linkage.choices import DecisionVia
from safehub.linkage.models import LinkDecision
from safehub.people.matching import parse_query
from safehub.people.models import AccessGrant, Person
from safehub.people.search import find_people
from safehub.policy.roles import Role
from safehub.search.selectors import SearchOutcome, search_people
from tests.conftest import sign_in
from tests.factories import make_user
from tests.intelligence.helpers import make_poi
from tests.linkage.helpers import clustered, identity

pytestmark = pytest.mark.django_db

BIRTHDAY = date(2011, 3, 12)
TODAY = date(2026, 12, 1)
SEARCHERS = {
    Role.MASH_OFFICER,
    Role.CSE_MANAGER,
    Role.CSE_PRACTITIONER,
    Role.POLICE_INTELLIGENCE,
    Role.POLICE_ANALYST,
    Role.DATA_OFFICER,
}
SCREENERS_ONLY = {Role.REFERRER, Role.EDUCATION_WELFARE}


def person(given: str, family: str, born: date | None = BIRTHDAY, **extra: Any) -> Person:
    return Person.objects.create(
        given_name=given, family_name=family, date_of_birth=born, sex="female", **extra
    )


@pytest.fixture
def city() -> dict[str, Any]:
    """Katherine (Kay) Brierley-Test with records in three agencies and a second Safehub
    record; a girl born the same day; a boy; a restricted child; an adult of interest to
    the police. All synthetic."""
    kay = person("Katherine", "Brierley-Test", known_as="Kay", nhs_number="9434765919")
    kay_again = person("Katie", "Brierley", upn="A123456789012")
    zara = person("Zara", "Okonkwo-Example")
    oliver = Person.objects.create(
        given_name="Oliver", family_name="Fernsby", date_of_birth=date(2010, 5, 1), sex="male"
    )
    hidden = person("Rhiannon", "Quillfeather", date(2012, 1, 2), is_restricted=True)
    poi = make_poi(
        person=Person.objects.create(
            given_name="Darren", family_name="Pointerby", date_of_birth=date(1980, 1, 1)
        ),
        police_reference="PNC12/3456",
    )
    social = identity(
        "social_care",
        source_key="SC-000123",
        given_name="Katherine",
        family_name="Brierley-Test",
        date_of_birth="2011-03-12",
    )
    school = identity(
        "education",
        source_key="ED-55",
        given_name="Katie",
        family_name="Brierley",
        date_of_birth="2011-03-12",
    )
    police = identity(
        "police",
        source_key="P-777",
        given_name="Kay",
        family_name="Brierley",
        date_of_birth="2011-03-12",
    )
    social.person, school.person = kay, kay_again
    social.save(update_fields=["person"])
    school.save(update_fields=["person"])
    cluster = clustered(social, school, police)
    lone = identity(
        "health",
        source_key="H-9",
        given_name="Zara",
        family_name="Okonkwo-Example",
        date_of_birth="2011-03-12",
    )
    lone.person = zara
    lone.save(update_fields=["person"])
    zara_cluster = clustered(lone)
    return {
        "kay": kay,
        "kay_again": kay_again,
        "zara": zara,
        "oliver": oliver,
        "hidden": hidden,
        "poi": poi,
        "cluster": cluster,
        "zara_cluster": zara_cluster,
    }


def found(user: User, text: str) -> SearchOutcome:
    return search_people(user, text, today=TODAY)


def names(outcome: SearchOutcome) -> list[str]:
    return [r.person.full_name if r.person else "(restricted)" for r in outcome.results]


# --- matching, through the database -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("brierley", "matches one half of the double-barrelled family name"),
        ("Kay Brierly-Test 12/3/2011", "Kay is a recorded also-known-as"),
        ("Katie Brierley-Test", "given name Katie is a short form of Katherine"),
        ("Katherine Breirley-Test", "family name has two letters the other way round"),
        ("Test-Brierley", "family name matches with its two halves in the other order"),
        ("Katherine Brierlee-Test", "family name differs by one letter"),
        ("Brie", "begins with Brie"),
        ("9434765919", "NHS number matches"),
        ("SC-000123", "reference matches"),
        ("sc000123 katherine", "reference matches"),
    ],
)
def test_mash_finds_kay_however_she_is_typed(city: dict[str, Any], typed: str, reason: str) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), typed)
    assert outcome.results, typed
    top = outcome.results[0]
    assert city["kay"] in (top.person, *top.others)  # one result for her two records
    reasons = list(top.match.reasons)
    if top.person != city["kay"]:  # her other record leads: how her own record matched too
        query = parse_query(typed, today=TODAY)
        reasons += [
            r for f in find_people(query) if f.person == city["kay"] for r in f.match.reasons
        ]
    assert any(reason in r for r in reasons), reasons


def test_a_date_of_birth_alone_finds_everyone_born_that_day(city: dict[str, Any]) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), "12/03/2011")
    shown = {p.pk for r in outcome.results if r.person for p in (r.person, *r.others)}
    assert {city["kay"].pk, city["zara"].pk} <= shown
    assert city["oliver"].pk not in shown


def test_day_and_month_swapped_still_finds_her(city: dict[str, Any]) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), "Katherine Brierley-Test 03/12/2011")
    assert outcome.results[0].person == city["kay"]
    assert any("swapped" in r for r in outcome.results[0].match.reasons)


def test_sounds_the_same_finds_a_phonetic_spelling(city: dict[str, Any]) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), "Olivar Fernsbee")
    assert names(outcome)[:1] == ["Oliver Fernsby"]


def test_a_name_nobody_has_finds_no_one(city: dict[str, Any]) -> None:
    assert found(make_user(Role.MASH_OFFICER), "Quentinexample").results == []


def test_a_year_alone_is_too_broad_and_nothing_is_logged(city: dict[str, Any]) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), "2011")
    assert outcome.problem.startswith("A year of birth on its own")
    assert not AccessEvent.objects.filter(object_type=AuditObjectType.PERSON_SEARCH).exists()


# --- one child, one result, with every agency's records ------------------------------------------


def test_the_child_with_two_safehub_records_and_three_agencies_is_one_result(
    city: dict[str, Any],
) -> None:
    outcome = found(make_user(Role.MASH_OFFICER), "brierley 12/03/2011")
    kay_results = [r for r in outcome.results if r.person in (city["kay"], city["kay_again"])]
    assert len(kay_results) == 1
    result = kay_results[0]
    others = {p.pk for p in result.others}
    assert {city["kay"].pk, city["kay_again"].pk} == others | {result.person.pk}
    sources = dict(result.sources)
    assert sources["Safehub"] == 2
    assert sources["Children's social care"] == 1
    assert sources["Education"] == 1
    assert "Police" not in sources  # police records are the police's alone


def test_the_police_see_their_own_records_among_the_sources(city: dict[str, Any]) -> None:
    outcome = found(make_user(Role.POLICE_INTELLIGENCE), "Kay Brierley 12/03/2011")
    assert dict(outcome.results[0].sources)["Police"] == 1


def test_the_result_links_to_the_record_only_where_the_policy_allows(
    city: dict[str, Any],
) -> None:
    mash = found(make_user(Role.MASH_OFFICER), "Oliver Fernsby").results[0]
    assert mash.href == reverse("people:detail", kwargs={"public_id": city["oliver"].public_id})
    police = found(make_user(Role.POLICE_ANALYST), "Oliver Fernsby").results[0]
    assert police.href == ""


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(set(Role) - SEARCHERS - SCREENERS_ONLY))
def test_roles_that_do_not_work_with_children_cannot_search(
    city: dict[str, Any], role: Role, client: Client
) -> None:
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        found(user, "brierley")
    sign_in(client, user)
    assert client.get(reverse("search:search")).status_code == 403
    response = client.post(reverse("search:search"), {"q": "brierley"})
    assert response.status_code == 403
    assert b"Brierley" not in response.content
    assert not AccessEvent.objects.filter(object_type=AuditObjectType.PERSON_SEARCH).exists()


def test_a_board_members_search_returns_nothing_about_children(
    city: dict[str, Any], client: Client
) -> None:
    sign_in(client, make_user(Role.BOARD_MEMBER))
    home = client.get(reverse("home"))
    assert reverse("search:search") not in home.content.decode()
    response = client.post(reverse("search:search"), {"q": "12/03/2011"})
    assert response.status_code == 403
    assert b"Katherine" not in response.content and b"Zara" not in response.content


@pytest.mark.parametrize("role", sorted(SCREENERS_ONLY))
def test_a_screener_finds_only_a_child_they_already_know(city: dict[str, Any], role: Role) -> None:
    user = make_user(role)
    assert "already know" in found(user, "brierley").problem
    assert "already know" in found(user, "12/03/2011").problem
    outcome = found(user, "Kay Brierly-Test 12/03/2011")
    assert names(outcome) == ["Katherine Brierley-Test"]
    result = outcome.results[0]
    assert result.sources == [] and result.others == [] and result.href == ""


def test_a_restricted_child_is_only_an_access_message(city: dict[str, Any], client: Client) -> None:
    practitioner = make_user(Role.CSE_PRACTITIONER)
    outcome = found(practitioner, "Rhiannon Quillfeather")
    assert len(outcome.results) == 1
    masked = outcome.results[0]
    assert masked.masked and masked.person is None and masked.match is None
    assert masked.break_glass_href == ""
    sign_in(client, practitioner)
    page = client.post(reverse("search:search"), {"q": "Rhiannon Quillfeather"}).content.decode()
    assert "A restricted record matches" in page
    results = page.split('data-testid="search-results"', 1)[1]
    assert "Rhiannon" not in results and "Quillfeather" not in results


def test_a_case_reader_may_use_break_glass_and_a_grant_shows_the_child(
    city: dict[str, Any],
) -> None:
    mash = make_user(Role.MASH_OFFICER)
    masked = found(mash, "Quillfeather").results[0]
    assert masked.masked
    assert masked.break_glass_href == reverse(
        "people:break_glass", kwargs={"public_id": city["hidden"].public_id}
    )
    AccessGrant.objects.create(person=city["hidden"], user=mash, kind="explicit", reason="test")
    shown = found(mash, "Quillfeather").results[0]
    assert not shown.masked and shown.person == city["hidden"]


def test_persons_of_interest_are_found_by_the_police_only(city: dict[str, Any]) -> None:
    assert found(make_user(Role.MASH_OFFICER), "Darren Pointerby").results == []
    assert found(make_user(Role.MASH_OFFICER), "PNC12/3456").results == []
    police = make_user(Role.POLICE_INTELLIGENCE)
    by_name = found(police, "Darren Pointerby").results
    assert by_name[0].person == city["poi"].person
    assert by_name[0].href == reverse(
        "intelligence:person", kwargs={"public_id": city["poi"].public_id}
    )
    by_reference = found(police, "pnc 12/3456".replace(" ", "")).results
    assert by_reference[0].person == city["poi"].person


def test_a_police_record_key_finds_the_child_for_the_police_only(city: dict[str, Any]) -> None:
    assert found(make_user(Role.MASH_OFFICER), "P-777").results == []
    police = found(make_user(Role.POLICE_ANALYST), "P-777").results
    assert police[0].person in (city["kay"], city["kay_again"])


# --- audit ---------------------------------------------------------------------------------------


def test_each_search_is_one_audit_row_without_the_words_searched_for(
    city: dict[str, Any], client: Client
) -> None:
    mash = make_user(Role.MASH_OFFICER)
    sign_in(client, mash)
    before = AccessEvent.objects.count()
    response = client.post(reverse("search:search"), {"q": "Kay Brierly-Test 12/03/2011"})
    assert response.status_code == 200
    rows = list(AccessEvent.objects.order_by("id")[before:])
    searches = [r for r in rows if r.object_type == AuditObjectType.PERSON_SEARCH]
    assert len(searches) == 1
    row = searches[0]
    assert row.action == AuditAction.SEARCH and row.user_id == mash.pk
    assert row.reason.endswith("shown") and row.person_id is None
    written = json.dumps([r.reason + r.object_id for r in rows]).lower()
    for word in ("kay", "brierly", "2011", "12/03"):
        assert word not in written


def test_the_words_are_posted_never_put_in_the_address(
    city: dict[str, Any], client: Client
) -> None:
    sign_in(client, make_user(Role.MASH_OFFICER))
    page = client.get(reverse("search:search"), {"q": "brierley"}).content.decode()
    assert 'method="post"' in page
    assert "Brierley-Test" not in page  # a query in the address is not searched
    assert not AccessEvent.objects.filter(object_type=AuditObjectType.PERSON_SEARCH).exists()


def test_an_empty_or_overlong_box_is_a_clear_error(city: dict[str, Any], client: Client) -> None:
    sign_in(client, make_user(Role.MASH_OFFICER))
    empty = client.post(reverse("search:search"), {"q": ""})
    assert empty.status_code == 400
    assert "Enter a name, a date of birth" in empty.content.decode()
    long = client.post(reverse("search:search"), {"q": "a" * 201})
    assert long.status_code == 400
    assert "200 characters or fewer" in long.content.decode()


# --- the API -------------------------------------------------------------------------------------


def api_post(user: User, body: object) -> Any:
    token = issue_api_token(user=user, name="search test")
    return Client().post(
        "/api/v1/people/search",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_api_searches_as_the_page_does(city: dict[str, Any]) -> None:
    response = api_post(make_user(Role.MASH_OFFICER), {"query": "Kay Brierly-Test 12/03/2011"})
    assert response.status_code == 200
    body = response.json()
    top = body["results"][0]
    assert top["restricted"] is False
    assert top["family_name"] in ("Brierley-Test", "Brierley")
    assert "date of birth matches" in top["reasons"]
    assert {"agency": "Children's social care", "records": 1} in top["sources"]
    row = AccessEvent.objects.get(object_type=AuditObjectType.PERSON_SEARCH)
    assert row.channel == "api"


def test_the_api_refuses_a_year_alone_and_a_board_member(city: dict[str, Any]) -> None:
    refused = api_post(make_user(Role.MASH_OFFICER), {"query": "2011"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "query"
    assert api_post(make_user(Role.BOARD_MEMBER), {"query": "brierley"}).status_code == 403


def test_the_api_shows_a_restricted_match_as_restricted_only(city: dict[str, Any]) -> None:
    body = api_post(make_user(Role.CSE_PRACTITIONER), {"query": "Quillfeather"}).json()
    assert body["results"] == [
        {
            "restricted": True,
            "person_id": None,
            "given_name": "",
            "family_name": "",
            "known_as": "",
            "date_of_birth": None,
            "score": None,
            "strength": "",
            "reasons": [],
            "sources": [],
            "also_recorded_as": [],
        }
    ]


# --- merge from the results (data officers) ---------------------------------------------


def test_a_data_officer_merges_two_results_as_one_child(
    city: dict[str, Any], client: Client
) -> None:
    officer = make_user(Role.DATA_OFFICER)
    sign_in(client, officer)
    page = client.post(reverse("search:search"), {"q": "12/03/2011"}).content.decode()
    assert 'data-testid="merge-form"' in page
    response = client.post(
        reverse("search:merge"),
        {
            "first": str(city["cluster"].public_id),
            "second": str(city["zara_cluster"].public_id),
            "note": "Same child: school confirmed",
        },
    )
    assert response.status_code == 302
    decision = LinkDecision.objects.get()
    assert decision.same_person and decision.via == DecisionVia.MERGE
    assert decision.decided_by == officer


def test_merging_a_result_with_itself_or_as_anyone_else_is_refused(
    city: dict[str, Any], client: Client
) -> None:
    cluster = str(city["cluster"].public_id)
    sign_in(client, make_user(Role.DATA_OFFICER))
    same = client.post(reverse("search:merge"), {"first": cluster, "second": cluster})
    assert same.status_code == 400
    assert "two different results" in same.content.decode()
    other = Client()
    sign_in(other, make_user(Role.MASH_OFFICER))
    zara = str(city["zara_cluster"].public_id)
    assert (
        other.post(reverse("search:merge"), {"first": cluster, "second": zara}).status_code == 403
    )
    assert not LinkDecision.objects.exists()


def test_grants_that_ran_out_do_not_show_a_restricted_child(city: dict[str, Any]) -> None:
    mash = make_user(Role.MASH_OFFICER)
    AccessGrant.objects.create(
        person=city["hidden"],
        user=mash,
        kind="break_glass",
        reason="test",
        expires_at=timezone.now() - timedelta(hours=1),
    )
    assert found(mash, "Quillfeather").results[0].masked


@pytest.mark.parametrize("role", sorted(SCREENERS_ONLY))
def test_a_screener_needs_a_name_with_an_identifier(city: dict[str, Any], role: Role) -> None:
    user = make_user(role)
    assert "already know" in found(user, "9434765919").problem
    outcome = found(user, "Katherine 9434765919")
    assert names(outcome) == ["Katherine Brierley-Test"]
    assert "NHS number matches" in outcome.results[0].match.reasons
    # Someone else's name with her number reveals nobody.
    assert found(user, "Oliver 9434765919").results == []
