"""The linkage model's settings, in one place: what is compared, how, and how candidate pairs
are found. The same settings render to DuckDB and to Spark SQL (Splink translates the level
creators; the few hand-written conditions use functions both engines share).

Every comparison is over the columns made by `features.linkage_row`. Tuning: see
docs/linkage.md.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

# Training: pairs sampled to estimate u (capped: uncapped training on millions of records
# runs out of memory) and the seed that makes the estimate repeatable.
U_MAX_PAIRS = 2_000_000
U_SEED = 2015
# Pairs used per expectation-maximisation session: blocking on date of birth alone gives
# hundreds of millions of pairs at region scale.
EM_MAX_PAIRS = 2_000_000
# Share of true matches the deterministic rules are thought to find (for the prior).
DETERMINISTIC_RECALL = 0.8


def _name_comparison(column: str, other: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts="Exact match"),
            cll.JaroWinklerLevel(column, 0.92).configure(
                label_for_charts="Nearly the same (one letter out)"
            ),
            *(
                [
                    cll.ArrayIntersectLevel("given_keys", 1).configure(
                        label_for_charts="Nickname or short form of the same name"
                    )
                ]
                if column == "given_name"
                else []
            ),
            cll.ColumnsReversedLevel("given_name", "family_name").configure(
                label_for_charts="Given and family names swapped"
            ),
            cll.JaroWinklerLevel(column, 0.8).configure(label_for_charts="Similar"),
            cll.ElseLevel().configure(label_for_charts="Different"),
        ],
    )


def _dob_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Exact match"),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) "
                "and substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
                "and substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                label_for_charts="Day and month swapped",
                base_dialect_str="duckdb",
            ),
            cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One digit different"),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)",
                label_for_charts="Same year only",
                base_dialect_str="duckdb",
            ),
            cll.ElseLevel().configure(label_for_charts="Different"),
        ],
    )


def _postcode_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_description="Postcode and address history",
        comparison_levels=[
            cll.NullLevel("postcodes"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.ArrayIntersectLevel("postcodes", 1).configure(
                label_for_charts="A postcode in common in the address history"
            ),
            cll.ExactMatchLevel("postcode_district").configure(
                label_for_charts="Same postcode district"
            ),
            cll.ElseLevel().configure(label_for_charts="Different"),
        ],
    )


def _exact_comparison(column: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts="Same"),
            cll.ElseLevel().configure(label_for_charts="Different"),
        ],
    )


# Candidate pairs: a pair is scored when any one rule holds. Each rule is cheap (an equi-join)
# and together they catch the errors agencies make: nicknames (given_key), typos (the other
# rules still agree), swapped names, missing or swapped dates of birth, moves. Same family
# name and name key is narrowed by birth year or postcode district: alone it made 58 million
# pairs of the region's 1.9 million records (common names), nine in ten of all candidates,
# and found no true link at the city scale that the narrowed rules and the others miss.
BLOCKING_RULES: list[Any] = [
    block_on("nhs_number"),
    block_on("upn"),
    block_on("dob", "given_key"),
    block_on("dob", "family_name"),
    block_on("dob", "postcode"),
    block_on("family_name", "given_key", "birth_year"),
    block_on("family_name", "given_key", "postcode_district"),
    block_on("postcode", "given_key"),
    "l.given_name = r.family_name and l.family_name = r.given_name",
]

# Rules whose pairs are almost always the same person: used to estimate the prior.
DETERMINISTIC_RULES: list[Any] = [
    block_on("nhs_number"),
    block_on("upn"),
    block_on("dob", "given_name", "family_name"),
]

# Expectation maximisation runs once per rule; a comparison is trained in the sessions
# whose rule does not fix it.
EM_TRAINING_RULES: list[Any] = [
    block_on("dob"),
    block_on("family_name", "given_key"),
]


def comparisons() -> list[Any]:
    return [
        _name_comparison("given_name", "family_name", "Given name"),
        _name_comparison("family_name", "given_name", "Family name"),
        _dob_comparison(),
        _exact_comparison("sex", "Sex"),
        _postcode_comparison(),
        _exact_comparison("nhs_number", "NHS number"),
        _exact_comparison("upn", "Unique Pupil Number"),
        _exact_comparison("school_urn", "School"),
    ]


def settings_creator() -> SettingsCreator:
    """Untrained settings: one table of all sources' records, deduplicated together."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source"],
    )


# Column order and types of the table handed to Splink (Spark needs an explicit schema).
COLUMNS: list[tuple[str, str]] = [
    ("unique_id", "bigint"),
    ("source", "string"),
    ("given_name", "string"),
    ("family_name", "string"),
    ("given_key", "string"),
    ("given_keys", "array<string>"),
    ("dob", "string"),
    ("birth_year", "string"),
    ("sex", "string"),
    ("postcode", "string"),
    ("postcode_district", "string"),
    ("postcodes", "array<string>"),
    ("nhs_number", "string"),
    ("upn", "string"),
    ("school_urn", "string"),
]
