"""Pure pieces: cleaning, nickname keys, constrained clustering and stable cluster ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safehub.linkage import clustering, features


def test_nicknames_share_a_key_with_their_full_name() -> None:
    assert set(features.name_keys("kate")) & set(features.name_keys("catherine"))
    assert set(features.name_keys("sam")) & set(features.name_keys("samuel"))
    assert set(features.name_keys("sam")) & set(features.name_keys("samantha"))
    assert not set(features.name_keys("kate")) & set(features.name_keys("william"))


def test_linkage_row_drops_identifiers_that_fail_their_check() -> None:
    row = features.linkage_row(
        unique_id=1,
        source="health",
        given_name="O'Brien-Kate",
        family_name="Smith ",
        date_of_birth=None,
        sex="",
        postcode="sh1 1aa",
        previous_postcodes=["nonsense"],
        nhs_number="1234567890",
        upn="",
        school_urn="",
    )
    assert row["nhs_number"] is None and row["upn"] is None
    assert row["postcode"] == "SH1 1AA" and row["postcodes"] == ["SH1 1AA"]
    assert row["given_name"] == "obrienkate" and row["dob"] is None


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "given_name",
                "date_of_birth",
                "nhs_number",
                "upn",
                "postcode",
                "sex",
                "previous_postcodes",
            ]
        ),
        st.text(max_size=30),
    )
)
def test_clean_identity_never_raises(row: dict[str, str]) -> None:
    clean = features.clean_identity(row)
    assert set(clean.problems) <= set(features.PROBLEMS)


def test_decisions_keep_records_apart_and_together() -> None:
    links = [(1, 2, 0.99), (2, 3, 0.98), (4, 5, 0.97)]
    result = clustering.cluster([1, 2, 3, 4, 5], links, same=[(3, 4)], different=[(1, 3)])
    groups = sorted(sorted(g) for g in result.groups)
    # 3-4 decided the same; 1 and 3 kept apart, so the weaker of 1-2 / 2-3 is refused.
    assert [3, 4, 5] in groups or [2, 3, 4, 5] in groups
    assert not any({1, 3} <= set(g) for g in groups)
    assert result.refused_links == 1


def test_cluster_ids_follow_most_of_their_records() -> None:
    previous = {1: 10, 2: 10, 3: 10, 4: 20}
    labels, emptied = clustering.stable_labels([{1, 2}, {3, 4}, {5}], previous)
    assert labels[1] == labels[2] == 10
    assert labels[3] == labels[4] == 20
    assert labels[5] < 0
    assert emptied == []
    labels, emptied = clustering.stable_labels([{1, 2, 3, 4}], previous)
    assert set(labels.values()) == {10} and emptied == [20]
