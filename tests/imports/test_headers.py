"""Repeated column names in a file are numbered, so no column is lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safehub.imports.parsing import unique_headers


def test_a_repeated_header_is_numbered_from_its_second_appearance() -> None:
    assert unique_headers(["SN1", "SNP", "SN2", "SNP", "SN3", "SNP"]) == [
        "SN1",
        "SNP",
        "SN2",
        "SNP_2",
        "SN3",
        "SNP_3",
    ]


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=12))
def test_headers_keep_their_order_and_first_names(header: list[str]) -> None:
    out = unique_headers(header)
    assert len(out) == len(header)
    assert len(set(out)) == len(out)
    assert [o.split("_")[0] for o in out] == header
