"""The front door's matcher, question and record: which children are offered, how the answer
is asked, and what is kept of it (never a name)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from safehub.people.front_door import (
    NONE_LABEL,
    NONE_OF_THESE,
    RESTRICTED_LABEL,
    Journey,
    MatchForm,
    offer,
)
from safehub.people.matching import Candidate, score
from safehub.people.models import MatchCheck, Person
from safehub.people.search import is_likely_match, query_for_child
from safehub.people.selectors import MatchCheckCounts, match_check_outcomes
from safehub.people.services import MatchAnswer, record_match_check
from safehub.policy.roles import Role
from tests.factories import make_user
from tests.intelligence.helpers import make_poi
from tests.people.front_door_helpers import KAY_BORN, make_kay

NHS = "9434765919"
KAY = Candidate(
    given_name="Katherine",
    family_name="Brierley-Test",
    known_as="Kay",
    date_of_birth=KAY_BORN,
    nhs_number=NHS,
)


def offered(given: str, family: str, born: date | None = KAY_BORN, **ids: str) -> bool:
    return is_likely_match(score(query_for_child(given, family, born, **ids), KAY))


# --- the query and the threshold (pure) -------------------------------------------------------


def test_a_form_s_names_become_the_matcher_s_words() -> None:
    query = query_for_child(" Kay ", "Brierly-Test", KAY_BORN, nhs_number="943 476 5919")
    assert query.names == ("kay", "brierly-test")
    assert query.name_parts == ("kay", "brierly-test", "brierly", "test")
    assert (query.date_of_birth, query.nhs_number, query.upn) == (KAY_BORN, NHS, None)
    # A family name typed with a space is two words; an identifier that is not valid is left
    # out rather than compared.
    spaced = query_for_child("Kay", "Brierley Test", KAY_BORN, nhs_number="123", upn="X1")
    assert spaced.names == ("kay", "brierley", "test")
    assert (spaced.nhs_number, spaced.upn) == (None, None)


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'", max_size=30),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'", max_size=30),
)
def test_case_and_spacing_never_change_what_is_offered(given_name: str, family: str) -> None:
    plain = query_for_child(given_name, family, KAY_BORN)
    shouted = query_for_child(f"  {given_name.upper()} ", family.upper(), KAY_BORN)
    assert plain == shouted
    assert all(word and " " not in word and word == word.lower() for word in plain.names)


@pytest.mark.parametrize(
    ("given_name", "family", "born", "ids"),
    [
        ("Kay", "Brierly-Test", KAY_BORN, {}),  # also-known-as, one letter out: 94
        ("Katherine", "Brierley-Test", date(2011, 12, 3), {}),  # day and month swapped: 90
        ("Kate", "Brierley", KAY_BORN, {}),  # short form, one half of the name: 94
        ("Katherine", "Brierley-Test", date(2012, 3, 12), {}),  # one part of the date: 75
        ("Jade", "Brierley-Test", date(2010, 1, 1), {"nhs_number": NHS}),  # NHS and family
    ],
)
def test_likely_matches_are_offered(given_name: str, family: str, born: date, ids: dict) -> None:
    assert offered(given_name, family, born, **ids)


@pytest.mark.parametrize(
    ("given_name", "family", "born", "ids"),
    [
        ("Jade", "Smith", KAY_BORN, {}),  # the date of birth alone: 40
        ("Jade", "Brierley-Test", KAY_BORN, {}),  # a twin or sibling: 70
        ("Katherine", "Brierley-Test", date(2008, 7, 1), {}),  # a namesake: 60
        ("Jade", "Smith", date(2010, 1, 1), {"nhs_number": NHS}),  # someone else's name
    ],
)
def test_coincidences_are_not_offered(given_name: str, family: str, born: date, ids: dict) -> None:
    assert not offered(given_name, family, born, **ids)


# --- offering (the database, the policy) -----------------------------------------------------


@pytest.mark.django_db
def test_kay_brierly_test_is_offered_katherine_with_the_reasons() -> None:
    kay = make_kay()
    make_kay(given_name="Jade", known_as="")  # her twin: not offered
    found = offer(
        make_user(Role.REFERRER),
        given_name="Kay",
        family_name="Brierly-Test",
        date_of_birth=KAY_BORN,
    )
    assert [o.person for o in found] == [kay]
    assert found[0].reasons == [
        "family name differs by one letter",
        "Kay is a recorded also-known-as",
        "date of birth matches",
    ]
    assert not found[0].masked


@pytest.mark.django_db
def test_at_most_five_are_offered() -> None:
    for _ in range(7):
        make_kay()
    found = offer(
        make_user(Role.REFERRER),
        given_name="Katherine",
        family_name="Brierley-Test",
        date_of_birth=KAY_BORN,
    )
    assert len(found) == 5


@pytest.mark.django_db
def test_a_restricted_child_is_offered_masked_and_a_grant_unmasks() -> None:
    from safehub.people.models import AccessGrant

    kay = make_kay()
    Person.objects.filter(pk=kay.pk).update(is_restricted=True)
    referrer = make_user(Role.REFERRER)
    typed = {"given_name": "Kay", "family_name": "Brierly-Test", "date_of_birth": KAY_BORN}
    assert [o.masked for o in offer(referrer, **typed)] == [True]
    AccessGrant.objects.create(person=kay, user=referrer, kind="explicit", reason="Named worker")
    assert [o.masked for o in offer(referrer, **typed)] == [False]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REFERRER, Role.MASH_OFFICER, Role.CSE_MANAGER])
def test_a_person_of_interest_is_never_offered_outside_the_police(role: Role) -> None:
    adult = make_poi().person
    typed = {
        "given_name": adult.given_name,
        "family_name": adult.family_name,
        "date_of_birth": adult.date_of_birth,
    }
    assert offer(make_user(role), **typed) == []


# --- the question ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_question_lists_each_child_then_or_none_of_these() -> None:
    kay = make_kay()
    found = offer(
        make_user(Role.REFERRER),
        given_name="Kay",
        family_name="Brierly-Test",
        date_of_birth=KAY_BORN,
    )
    form = MatchForm(offered=found, journey=Journey.REFERRAL)
    options = form.fields["person"].options  # type: ignore[attr-defined]
    assert [(o.value, o.label, o.divider) for o in options] == [
        (str(kay.public_id), "Katherine Brierley-Test, born 12 March 2011", ""),
        (NONE_OF_THESE, NONE_LABEL, "or"),
    ]
    assert options[0].hint == (
        "Family name differs by one letter; Kay is a recorded also-known-as; date of birth matches"
    )
    html = str(form)
    assert '<h1 class="govuk-fieldset__heading">Is this the child you are referring?</h1>' in html
    assert '<div class="govuk-radios__divider">or</div>' in html
    assert html.index(str(kay.public_id)) < html.index("govuk-radios__divider")


@pytest.mark.django_db
def test_a_masked_child_is_only_the_access_message() -> None:
    kay = make_kay()
    Person.objects.filter(pk=kay.pk).update(is_restricted=True)
    found = offer(
        make_user(Role.REFERRER),
        given_name="Kay",
        family_name="Brierly-Test",
        date_of_birth=KAY_BORN,
    )
    html = str(MatchForm(offered=found, journey=Journey.SCREENING))
    assert RESTRICTED_LABEL in html and str(kay.public_id) in html
    for detail in ("Katherine", "Brierley", "2011", "also-known-as"):
        assert detail not in html


@pytest.mark.django_db
def test_no_answer_is_refused_and_an_answer_is_counted() -> None:
    kay = make_kay()
    found = offer(
        make_user(Role.REFERRER),
        given_name="Kay",
        family_name="Brierly-Test",
        date_of_birth=KAY_BORN,
    )
    shown = str(kay.public_id)
    empty = MatchForm({"shown": shown}, offered=found, journey=Journey.REFERRAL)
    assert not empty.is_valid()
    assert empty.error_list == [("person", "Select the child, or select ‘None of these’")]
    chosen = MatchForm({"person": shown, "shown": shown}, offered=found, journey="referral")
    assert chosen.is_valid() and chosen.chosen == kay
    assert chosen.answer() == MatchAnswer(journey="referral", shown=1, chosen=True)
    none = MatchForm({"person": NONE_OF_THESE, "shown": shown}, offered=found, journey="referral")
    assert none.is_valid() and none.chosen is None
    assert none.answer() == MatchAnswer(journey="referral", shown=1, chosen=False)


@pytest.mark.django_db
def test_none_of_these_is_refused_when_a_child_was_not_shown() -> None:
    make_kay()
    found = offer(
        make_user(Role.REFERRER),
        given_name="Kay",
        family_name="Brierly-Test",
        date_of_birth=KAY_BORN,
    )
    # The page was made before this child was found: they are asked about first.
    form = MatchForm({"person": NONE_OF_THESE, "shown": ""}, offered=found, journey="missing")
    assert not form.is_valid()
    assert "found another child" in form.errors["person"][0]
    # The page shown again carries the children offered now.
    assert form["shown"].value() == str(found[0].person.public_id)


# --- the record ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_check_keeps_who_when_which_journey_how_many_and_the_child_only() -> None:
    kay = make_kay()
    user = make_user(Role.REFERRER)
    check = record_match_check(
        actor=user, answer=MatchAnswer(journey="referral", shown=2, chosen=True), person=kay
    )
    row = model_to_dict(check)
    assert set(row) == {
        "id",
        "checked_by",
        "checked_at",
        "journey",
        "candidates_shown",
        "outcome",
        "person",
    }
    assert (row["checked_by"], row["journey"], row["candidates_shown"], row["outcome"]) == (
        user.pk,
        "referral",
        2,
        "chosen",
    )
    assert row["person"] == kay.pk
    assert not any("Kay" in str(v) or "Brierl" in str(v) for v in row.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        MatchAnswer(journey="search", shown=1, chosen=True),
        MatchAnswer(journey="referral", shown=-1, chosen=False),
        MatchAnswer(journey="referral", shown=0, chosen=True),
    ],
)
def test_a_check_that_cannot_be_true_is_refused(answer: MatchAnswer) -> None:
    with pytest.raises(ValueError):
        record_match_check(actor=make_user(), answer=answer, person=make_kay())
    assert not MatchCheck.objects.exists()


@pytest.mark.django_db
def test_the_outcomes_are_counted_per_journey() -> None:
    user, kay = make_user(Role.REFERRER), make_kay()
    for journey, shown, chosen in [
        ("screening", 1, True),
        ("screening", 2, False),
        ("screening", 0, False),
        ("referral", 1, False),
        ("referral", 1, False),
    ]:
        answer = MatchAnswer(journey=journey, shown=shown, chosen=chosen)
        record_match_check(actor=user, answer=answer, person=kay)
    assert match_check_outcomes() == [
        MatchCheckCounts("screening", chosen=1, none_of_these=1, new_unmatched=1),
        MatchCheckCounts("referral", none_of_these=2),
        MatchCheckCounts("missing"),
    ]
    assert match_check_outcomes()[0].total == 3
    later = timezone.now() + timedelta(minutes=1)
    assert [c.total for c in match_check_outcomes(since=later)] == [0, 0, 0]
    assert [c.total for c in match_check_outcomes(until=later)] == [3, 2, 0]
