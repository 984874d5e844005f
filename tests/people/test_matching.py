"""The pure matching rules for person search. All names and identifiers are synthetic."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.people.matching import (
    MAX_QUERY_WORDS,
    Candidate,
    Query,
    normalise_name,
    parse_query,
    rank,
    score,
)
from safehub.people.validators import nhs_check_digit, upn_check_letter

TODAY = date(2025, 6, 1)
BIRTHDAY = date(2011, 3, 12)


def nhs(first_nine: str) -> str:
    check = nhs_check_digit(first_nine)
    assert check is not None
    return f"{first_nine}{check}"


def upn(body: str) -> str:
    return upn_check_letter(body) + body


NHS_A = nhs("999000001")
NHS_B = nhs("999000003")
UPN_A = upn("12345678901A")
UPN_B = upn("12345678902A")

KATHERINE = Candidate(
    given_name="Katherine",
    family_name="Brierley-Test",
    known_as="Kay",
    date_of_birth=BIRTHDAY,
    references=["SH-000123"],
)
ZARA = Candidate(given_name="Zara", family_name="Quillfeather-Example", date_of_birth=BIRTHDAY)
OLIVER = Candidate(given_name="Oliver", family_name="Exampleton", date_of_birth=date(2010, 7, 4))


def q(text: str) -> Query:
    return parse_query(text, today=TODAY)


def found(text: str, candidates: list[Candidate]) -> list[Candidate]:
    return [candidate for candidate, _match in rank(q(text), candidates)]


# --- normalise_name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Brierley-Test", "brierley-test"),
        ("Brierley - Test", "brierley-test"),
        ("Brierley–Test", "brierley-test"),
        ("  Zoë   Ó'Néill ", "zoe oneill"),
        ("KATHERINE", "katherine"),
        ("St. Exampleton", "st exampleton"),
        ("-Test-", "test"),
        ("", ""),
        ("1234", ""),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


# --- parse_query ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "12/03/2011",
        "12-3-11",
        "12.03.2011",
        "12 March 2011",
        "12 Mar 2011",
        "12th March 2011",
        "12 03 2011",
        "2011-03-12",
        "12032011",
        "20110312",
        "120311",
    ],
)
def test_parse_reads_common_uk_date_formats(typed):
    parsed = q(typed)
    assert parsed.date_of_birth == BIRTHDAY
    assert parsed.names == ()
    assert parsed.references == ()


def test_parse_reads_ambiguous_dates_day_first():
    assert q("03/12/2011").date_of_birth == date(2011, 12, 3)


def test_parse_reads_month_first_only_when_day_first_is_impossible():
    assert q("12/25/2011").date_of_birth == date(2011, 12, 25)


def test_parse_resolves_two_digit_years_to_the_most_recent_past_year():
    assert q("1/1/24").date_of_birth == date(2024, 1, 1)
    assert q("1/7/25").date_of_birth == date(1925, 7, 1)  # 1 July 2025 is after "today"
    assert q("3/4/30").date_of_birth == date(1930, 4, 3)


def test_parse_leaves_out_impossible_and_future_dates():
    for typed in ("31/02/2011", "1/1/2030", "2011-13-40"):
        parsed = q(typed)
        assert parsed.date_of_birth is None
        assert parsed.is_empty


def test_parse_reads_a_year_alone():
    parsed = q("Smith 2011")
    assert parsed.names == ("smith",)
    assert parsed.year_of_birth == 2011
    assert parsed.date_of_birth is None


def test_parse_keeps_only_the_date_when_a_year_is_also_typed():
    parsed = q("2011 12/03/2011")
    assert parsed.date_of_birth == BIRTHDAY
    assert parsed.year_of_birth is None


def test_parse_reads_an_nhs_number_with_or_without_spaces():
    spaced = f"{NHS_A[:3]} {NHS_A[3:6]} {NHS_A[6:]}"
    assert q(f"Kay {spaced}").nhs_number == NHS_A
    assert q(f"Kay {spaced}").names == ("kay",)
    assert q(NHS_A).nhs_number == NHS_A


def test_parse_does_not_take_a_number_failing_its_check_digit_as_an_nhs_number():
    wrong = NHS_A[:9] + str((int(NHS_A[9]) + 1) % 10)
    parsed = q(wrong)
    assert parsed.nhs_number is None
    assert parsed.references == (wrong,)


def test_parse_reads_a_upn_and_checks_its_letter():
    assert q(UPN_A.lower()).upn == UPN_A
    wrong_letter = ("B" if UPN_A[0] != "B" else "C") + UPN_A[1:]
    assert q(wrong_letter).upn is None
    assert q(wrong_letter).references == (wrong_letter,)


def test_parse_keeps_reference_like_words_as_references():
    parsed = q("SH-000123 Exampleton 24/12345X")
    assert parsed.references == ("SH000123", "2412345X")
    assert parsed.names == ("exampleton",)


def test_parse_keeps_hyphenated_names_whole_and_as_halves():
    parsed = q("Kay Brierly-Test 12/3/11")
    assert parsed.names == ("kay", "brierly-test")
    assert parsed.name_parts == ("kay", "brierly-test", "brierly", "test")
    assert parsed.date_of_birth == BIRTHDAY


def test_parse_normalises_names_and_drops_filler_words():
    parsed = q("Zoë O'Exampleton aka Kay dob 12/03/2011")
    assert parsed.names == ("zoe", "oexampleton", "kay")


def test_parse_keeps_a_month_word_outside_a_date_as_a_name():
    parsed = q("May Exampleton 1 May 2020")
    assert parsed.names == ("may", "exampleton")
    assert parsed.date_of_birth == date(2020, 5, 1)


def test_parse_limits_the_input():
    parsed = q(" ".join(f"name{letter}" for letter in "abcdefghijkl").replace("name", "nm"))
    assert len(parsed.names) == MAX_QUERY_WORDS
    long_word = "a" * 500
    assert q(long_word).names == ("a" * 200,)


def test_parse_of_nothing_is_an_empty_query():
    assert q("").is_empty
    assert q("   , ; ").is_empty
    assert rank(q(""), [KATHERINE]) == []


@given(st.text(max_size=400))
def test_parse_never_raises(text):
    parsed = parse_query(text, today=TODAY)
    assert len(parsed.names) <= MAX_QUERY_WORDS
    assert all(name and name == normalise_name(name).replace(" ", "-") for name in parsed.names)
    assert parsed.date_of_birth is None or parsed.date_of_birth <= TODAY


@given(
    st.text(alphabet=string.digits + "/-. ", max_size=40)
    | st.from_regex(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}", fullmatch=True)
)
def test_parse_never_gives_a_future_date_of_birth(text):
    parsed = parse_query(text, today=TODAY)
    assert parsed.date_of_birth is None or date(1900, 1, 1) <= parsed.date_of_birth <= TODAY


# --- score: the brief's worked example --------------------------------------------------------


def test_kay_brierly_test_is_a_strong_match_for_katherine_with_reasons():
    match = score(q("Kay Brierly-Test 12/3/11"), KATHERINE)
    assert match.score >= 90
    assert "Kay is a recorded also-known-as" in match.reasons
    assert "family name differs by one letter" in match.reasons
    assert "date of birth matches" in match.reasons


def test_brierley_alone_finds_katherine():
    results = rank(q("brierley"), [OLIVER, KATHERINE, ZARA])
    assert [candidate for candidate, _ in results] == [KATHERINE]
    assert results[0][1].reasons == ["matches one half of the double-barrelled family name"]


def test_her_date_of_birth_alone_finds_everyone_born_that_day():
    results = found("12/03/2011", [OLIVER, KATHERINE, ZARA])
    assert results == [KATHERINE, ZARA]  # equal scores: by family name


def test_test_brierley_finds_katherine():
    results = rank(q("Test Brierley"), [OLIVER, KATHERINE, ZARA])
    assert [candidate for candidate, _ in results] == [KATHERINE]
    assert results[0][1].reasons == ["both halves of the double-barrelled family name match"]
    assert results[0][1].score == 100


def test_a_different_child_born_the_same_day_ranks_below_her():
    results = rank(q("Kay Brierly-Test 12/3/11"), [ZARA, OLIVER, KATHERINE])
    assert [candidate for candidate, _ in results] == [KATHERINE, ZARA]
    assert results[0][1].score > results[1][1].score + 40


def test_words_match_whichever_field_fits_in_any_order():
    assert score(q("brierley kay"), KATHERINE).score == score(q("kay brierley"), KATHERINE).score
    assert found("brierley kay", [OLIVER, KATHERINE, ZARA]) == [KATHERINE]
    swapped = score(q("Brierley-Test Katherine"), KATHERINE)
    assert swapped.score == 100
    assert swapped.reasons == ["family name matches", "given name matches"]


# --- score: each rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "recorded", "reason"),
    [
        ("Kate", "Katherine", "given name Kate is a short form of Katherine"),
        ("Katherine", "Kate", "given name Kate is a short form of Katherine"),
        ("Katie", "Kate", "Katie and Kate are both short forms of Katherine"),
        ("Kathrine", "Katherine", "given name differs by one letter"),
        ("Katehrine", "Katherine", "given name has two letters the other way round"),
        ("Kadherime", "Katherine", "given name differs by two letters"),
        ("Katharinn", "Katherine", "given name sounds the same"),
    ],
)
def test_given_name_variants(typed, recorded, reason):
    candidate = Candidate(given_name=recorded, family_name="Exampleton")
    match = score(q(f"{typed} Exampleton"), candidate)
    assert reason in match.reasons
    assert 80 <= match.score < 100


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Exampletno", "family name has two letters the other way round"),
        ("Exampleten", "family name differs by one letter"),
        ("Eggsampleton", "family name sounds the same"),
        ("Exam", "family name begins with Exam"),
    ],
)
def test_family_name_variants_are_found(typed, reason):
    results = rank(q(typed), [OLIVER, KATHERINE])
    assert [candidate for candidate, _ in results] == [OLIVER]
    assert reason in results[0][1].reasons


def test_a_prefix_needs_three_letters():
    assert found("Ex", [OLIVER]) == []
    assert found("Exa", [OLIVER]) == [OLIVER]


def test_sounds_the_same_covers_other_spellings_of_a_sound():
    candidate = Candidate(given_name="Testa", family_name="Philipstest")
    match = score(q("Filipstest"), candidate)
    assert match.reasons == ["family name sounds the same"]


def test_double_barrelled_names_in_either_order_or_one_half():
    other_order = score(q("Test-Brierley"), KATHERINE)
    assert other_order.reasons == ["family name matches with its two halves in the other order"]
    one_half = score(q("Test"), KATHERINE)
    assert one_half.reasons == ["matches one half of the double-barrelled family name"]
    recorded_half = Candidate(given_name="Katherine", family_name="Brierley")
    typed_whole = score(q("Brierley-Test"), recorded_half)
    assert typed_whole.reasons == ["family name matches one half of the name searched for"]
    assert found("Brierley-Test", [recorded_half, OLIVER]) == [recorded_half]


def test_double_barrelled_name_recorded_with_a_space():
    candidate = Candidate(given_name="Testa", family_name="Brierley Test")
    assert score(q("brierley-test"), candidate).reasons == ["family name matches"]
    assert score(q("test"), candidate).reasons == [
        "matches one half of the double-barrelled family name"
    ]


def test_also_known_as_names_are_split_on_commas_and_slashes():
    candidate = Candidate(
        given_name="Oliver", family_name="Exampleton", known_as="Ollie / Olly-Test, Bramble"
    )
    for alias in ("Ollie", "Bramble", "Olly-Test"):
        match = score(q(alias), candidate)
        assert match.reasons == [f"{alias} is a recorded also-known-as"]
        assert match.score == 95
    assert (
        "Bramble is a recorded also-known-as" in score(q("bramble exampleton"), candidate).reasons
    )


def test_hyphenated_given_names_match_in_part():
    candidate = Candidate(given_name="Mary-Testa", family_name="Exampleton")
    match = score(q("Mary Exampleton"), candidate)
    assert "part of the given name matches" in match.reasons
    assert match.score >= 90


def test_day_and_month_swapped_finds_the_person():
    results = rank(q("3/12/2011"), [KATHERINE, OLIVER])
    assert [candidate for candidate, _ in results] == [KATHERINE]
    assert results[0][1].reasons == ["date of birth matches with day and month swapped"]
    full = score(q("Katherine Brierley-Test 3/12/2011"), KATHERINE)
    exact = score(q("Katherine Brierley-Test 12/3/2011"), KATHERINE)
    assert exact.score > full.score >= 85


def test_a_date_out_by_one_part_counts_for_something():
    match = score(q("Katherine Brierley-Test 12/03/2012"), KATHERINE)
    assert "date of birth differs only in the year" in match.reasons
    different = score(q("Katherine Brierley-Test 01/08/2009"), KATHERINE)
    assert "date of birth is different" in different.reasons
    assert 100 > match.score > different.score


def test_a_missing_date_of_birth_neither_adds_nor_subtracts_much():
    undated = Candidate(given_name="Katherine", family_name="Brierley-Test")
    query = q("Katherine Brierley-Test 12/03/2011")
    missing = score(query, undated)
    assert "no date of birth recorded" in missing.reasons
    assert score(query, KATHERINE).score > missing.score > score(query, OLIVER).score
    assert missing.score >= 75
    different = Candidate(
        given_name="Katherine", family_name="Brierley-Test", date_of_birth=date(2009, 8, 1)
    )
    assert missing.score > score(query, different).score


def test_smith_2011_style_queries():
    born_2011 = Candidate(given_name="Synthia", family_name="Smith", date_of_birth=date(2011, 5, 1))
    born_2009 = Candidate(given_name="Testa", family_name="Smith", date_of_birth=date(2009, 5, 1))
    undated = Candidate(given_name="Exa", family_name="Smith")
    smyth = Candidate(given_name="Samplea", family_name="Smyth", date_of_birth=date(2011, 9, 9))
    jones = Candidate(
        given_name="Sample", family_name="Jonesexample", date_of_birth=date(2011, 1, 1)
    )
    results = rank(q("Smith 2011"), [jones, born_2009, smyth, undated, born_2011])
    assert [candidate for candidate, _ in results] == [born_2011, smyth, undated, born_2009]
    assert results[0][1].score == 100
    assert results[0][1].reasons == ["family name matches", "born in 2011"]
    assert "born in 2009" in results[-1][1].reasons


def test_a_year_alone_finds_everyone_born_that_year():
    assert found("2011", [OLIVER, KATHERINE, ZARA]) == [KATHERINE, ZARA]


# --- identifiers ------------------------------------------------------------------------------


def test_a_matching_nhs_number_is_decisive():
    candidate = Candidate(given_name="Renamed", family_name="Otherexample", nhs_number=NHS_A)
    match = score(q(f"Katherine Brierley-Test {NHS_A}"), candidate)
    assert match.identified
    assert match.reasons[0] == "NHS number matches"
    assert match.score >= 95
    assert found(NHS_A, [OLIVER, candidate]) == [candidate]
    assert score(q(NHS_A), candidate).score == 100


def test_a_different_valid_nhs_number_is_strong_evidence_against():
    with_other = Candidate(
        given_name="Katherine",
        family_name="Brierley-Test",
        date_of_birth=BIRTHDAY,
        nhs_number=NHS_B,
    )
    query = q(f"Katherine Brierley-Test 12/03/2011 {NHS_A}")
    against = score(query, with_other)
    assert "NHS number is different" in against.reasons
    assert against.score == 60
    assert score(query, KATHERINE).score == 100  # no NHS number recorded: no effect


def test_an_invalid_recorded_nhs_number_is_not_evidence_against():
    invalid = NHS_B[:9] + str((int(NHS_B[9]) + 1) % 10)
    candidate = Candidate(given_name="Katherine", family_name="Brierley-Test", nhs_number=invalid)
    assert score(q(f"Katherine {NHS_A}"), candidate).reasons == ["given name matches"]


def test_a_matching_upn_is_decisive_and_a_different_one_counts_against():
    same = Candidate(given_name="Testa", family_name="Exampleton", upn=UPN_A.lower())
    other = Candidate(given_name="Testa", family_name="Exampleton", upn=UPN_B)
    assert score(q(f"{UPN_A}"), same).reasons == ["UPN matches"]
    assert score(q(f"{UPN_A}"), same).score == 100
    assert score(q(f"Testa Exampleton {UPN_A}"), other).score == 80
    assert "UPN is different" in score(q(f"Testa Exampleton {UPN_A}"), other).reasons


def test_a_matching_reference_is_strong_evidence():
    match = score(q("sh 000123"), KATHERINE)  # two words: only "000123" is reference-like
    assert not match.identified
    match = score(q("sh000123"), KATHERINE)
    assert match.identified
    assert match.reasons == ["reference matches"]
    assert found("SH-000123 Brierley", [ZARA, KATHERINE]) == [KATHERINE]


# --- rank -------------------------------------------------------------------------------------


def test_rank_drops_weak_name_matches():
    assert found("Quentinexample", [KATHERINE, ZARA, OLIVER]) == []
    # One of two words matching is not enough without other evidence.
    assert found("Katherine Quentinexample", [KATHERINE]) == []


def test_rank_orders_by_score_then_name_and_limits():
    twins = [
        Candidate(given_name=given, family_name="Exampleton", date_of_birth=BIRTHDAY)
        for given in ("Zed", "Abi", "Mo")
    ]
    results = rank(q("Exampleton"), [*twins, OLIVER])
    assert [candidate.given_name for candidate, _ in results] == ["Abi", "Mo", "Oliver", "Zed"]
    assert len(rank(q("Exampleton"), [*twins, OLIVER], limit=2)) == 2


# --- properties -------------------------------------------------------------------------------

NAME_WORDS = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10).filter(
    lambda word: word not in {"aka", "dob", "nee", "born", "known"}
)
DATES = st.dates(min_value=date(1990, 1, 1), max_value=TODAY)
CANDIDATES = st.builds(
    Candidate,
    given_name=st.text(max_size=30),
    family_name=st.text(max_size=30),
    known_as=st.text(max_size=30),
    date_of_birth=st.none() | DATES,
    nhs_number=st.sampled_from(["", NHS_A, NHS_B, "12345"]),
    upn=st.sampled_from(["", UPN_A, UPN_B]),
    references=st.lists(st.text(max_size=12), max_size=3),
)


@settings(max_examples=200)
@given(st.text(max_size=80), CANDIDATES)
def test_score_is_always_between_0_and_100(text, candidate):
    match = score(parse_query(text, today=TODAY), candidate)
    assert 0 <= match.score <= 100
    assert 0.0 <= match.name_quality <= 1.0
    assert all(isinstance(reason, str) and reason for reason in match.reasons)


@given(st.lists(NAME_WORDS, min_size=1, max_size=4, unique=True), st.randoms(), CANDIDATES)
def test_score_does_not_depend_on_word_order(words, random, candidate):
    shuffled = list(words)
    random.shuffle(shuffled)
    first = score(parse_query(" ".join(words) + " 12/03/2011", today=TODAY), candidate)
    second = score(parse_query("12/03/2011 " + " ".join(shuffled), today=TODAY), candidate)
    assert first.score == second.score
    assert sorted(first.reasons) == sorted(second.reasons)


@given(NAME_WORDS, NAME_WORDS, DATES, CANDIDATES)
def test_an_exact_copy_scores_highest(given_name, family_name, born, other):
    person = Candidate(given_name=given_name, family_name=family_name, date_of_birth=born)
    query = parse_query(f"{given_name} {family_name} {born:%d/%m/%Y}", today=TODAY)
    best = score(query, person)
    assert best.score == 100
    assert best.score >= score(query, other).score
    assert rank(query, [other, person])[0][1].score == 100


@given(
    NAME_WORDS,
    st.dates(min_value=date(1990, 1, 1), max_value=date(2024, 12, 31)).filter(
        lambda day: day.day <= 12 and day.day != day.month
    ),
)
def test_swapping_day_and_month_finds_the_person(family_name, born):
    person = Candidate(given_name="Testa", family_name=family_name, date_of_birth=born)
    elsewhere = Candidate(
        given_name="Testa", family_name=family_name, date_of_birth=born - timedelta(days=400)
    )
    swapped = f"{born.month:02d}/{born.day:02d}/{born.year}"
    results = rank(parse_query(swapped, today=TODAY), [elsewhere, person])
    assert [candidate for candidate, _ in results] == [person]
    assert results[0][1].reasons == ["date of birth matches with day and month swapped"]
    with_name = rank(parse_query(f"{family_name} {swapped}", today=TODAY), [elsewhere, person])
    assert with_name[0][0] == person
