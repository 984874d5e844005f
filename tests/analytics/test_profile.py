"""The problem profile on a hand-made snapshot whose answers are known."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from safehub.analytics.profile import Audience, build_profile
from safehub.analytics.snapshot import SCHEMAS, Snapshot, empty, table_from_rows
from safehub.suppression import SUPPRESSED, WITHHELD

AS_OF = date(2026, 6, 30)
START = date(2025, 7, 1)
HOTEL = (430_500.0, 272_500.0)
PARK = (433_900.0, 275_900.0)


def hand_made() -> Snapshot:
    rows = {
        # c1 and c2 are one child known to two agencies (one linkage cluster).
        "children": [
            ("c1", "K1", "social_care", "female", "white_british", 14, False, "Oakfield"),
            ("c2", "K1", "police", "not_known", "not_stated", 14, False, ""),
            ("c3", "K3", "social_care", "male", "not_stated", 15, True, "Beechwood"),
            ("c4", "K4", "social_care", "female", "asian_pakistani", 16, False, "Oakfield"),
        ],
        "screenings": [
            ("c1", date(2025, 9, 1), "wm-cse-2014", "significant_risk", True, "school"),
            ("c2", date(2025, 10, 1), "wm-cse-2014", "at_risk", True, "police"),
            ("c3", date(2026, 1, 5), "wm-cse-2014", "at_risk", True, "health"),
            # Before the period, and not at risk: neither counts.
            ("c4", date(2024, 1, 5), "wm-cse-2014", "at_risk", True, "school"),
            ("c4", date(2026, 2, 1), "wm-cse-2014", "no_current_risk", False, "school"),
        ],
        "screening_indicators": [
            ("c1", date(2025, 9, 1), "missing_repeat"),
            ("c2", date(2025, 10, 1), "missing_repeat"),
            ("c3", date(2026, 1, 5), "missing_repeat"),
            ("c3", date(2026, 1, 5), "older_boyfriend"),
        ],
        "cases": [("c3", date(2026, 1, 10), "open")],
        "missing": [
            ("c3", datetime(2026, 2, 6, 22, 0), datetime(2026, 2, 7, 2, 15), "care", "L1"),
            ("c3", datetime(2026, 3, 6, 21, 0), datetime(2026, 3, 7, 2, 40), "care", "L1"),
            ("c1", datetime(2026, 3, 9, 20, 0), datetime(2026, 3, 9, 23, 5), "home", None),
        ],
        "persons_of_interest": [
            ("poi1", "a1", "PN0001", "male", "not_stated", 31, "active"),
            ("poi2", "a2", "", "female", "white_british", 45, "active"),
            ("poi3", "a3", "PN0003", "male", "not_stated", 50, "closed"),
        ],
        "locations": [
            ("L1", "hotel", "Alder Parkway Hotel", "SH1", *HOTEL),
            ("L2", "park", "Allesley Common", "SH5", *PARK),
        ],
        "vehicles": [("V1", "XJ68 VSX", True, "a2"), ("V2", "AB12 CDE", False, None)],
        "associations": [
            ("i1", "seen_with", date(2025, 9, 2), None, "a1", "c1", None, None, "1", "B"),
            ("i2", "seen_with", date(2026, 1, 2), None, "a1", "c3", None, None, "2", "C"),
            ("i3", "associate", date(2025, 8, 2), None, "a1", "a2", None, None, "3", "D"),
            ("i4", "seen_at_location", date(2026, 2, 2), None, "a1", None, "L1", None, "2", "C"),
            ("i5", "uses_vehicle", date(2026, 2, 3), None, "a2", None, None, "V1", "2", "C"),
        ],
        "disruptions": [("cawn", "a1", None, "c1", date(2026, 4, 1), "served")],
    }
    tables = {name: table_from_rows(name, rows.get(name, [])) for name in SCHEMAS}
    return Snapshot(AS_OF, tables, "database", {"children": ["people"]}, "Linked.")


@pytest.fixture(scope="module")
def full():
    return build_profile(hand_made(), start_on=START, audience=Audience.FULL)


@pytest.fixture(scope="module")
def aggregate():
    return build_profile(hand_made(), start_on=START, audience=Audience.AGGREGATE)


def rows(profile, table_id):
    table = profile.table(table_id)
    assert table is not None, table_id
    return {str(row[0]): row[1:] for row in table.rows}


def test_sections_follow_a_police_problem_profile(full) -> None:
    assert [s.id for s in full.sections] == [
        "summary",
        "scale",
        "victims",
        "perpetrators",
        "locations",
        "networks",
        "gaps",
        "quality",
    ]


def test_victims_are_counted_once_across_agencies(full) -> None:
    # c1 and c2 are one child (cluster K1); c3 is another; c4 was not at risk in the period.
    assert (
        "2 children identified in the period (3 agency records"
        in full.section("victims").findings[0]
    )
    assert rows(full, "victims-by-sex") == {"Female": [1], "Male": [1]}
    # The cluster's known facts win over an agency's "not known".
    assert rows(full, "victims-by-ethnicity") == {
        "White: English, Welsh, Scottish, Northern Irish or British": [1],
        "Not stated or not known": [1],
    }
    assert rows(full, "victims-by-age") == {"14": [1], "15": [1]}
    assert rows(full, "victims-looked-after") == {
        "Looked after": [1],
        "Not known to be looked after": [1],
    }
    # Indicators in the screening tool's own words (an unknown one from its code).
    assert rows(full, "victim-indicators") == {
        "Repeatedly goes missing or is absent, by day or night": [2],
        "Older boyfriend": [1],
    }
    assert rows(full, "victims-missing") == {
        "Missing once or twice": [2],
    }


def test_perpetrators_profile_counts_active_persons_of_interest(full) -> None:
    assert rows(full, "poi-by-sex") == {"Male": [1], "Female": [1]}
    assert rows(full, "poi-linked-children") == {"2 to 4 children": [1], "No linked child": [1]}
    findings = " ".join(full.section("perpetrators").findings)
    assert "2 active persons of interest" in findings
    assert "links 1 pairs" in findings
    assert "1 keep a vehicle on the council's taxi" in findings
    assert rows(full, "disruption-by-kind") == {"Child abduction warning notice": [1]}


def test_locations_find_the_repeat_hotel_and_its_times(full) -> None:
    repeats = rows(full, "repeat-locations")
    assert repeats == {"Alder Parkway Hotel": ["Hotel or B&B", 3]}
    hours = rows(full, "events-by-hour")
    assert hours["02:00"] == [2] and sum(v[0] for v in hours.values()) == 2
    hotspots = full.table("hotspots")
    assert hotspots is not None
    if hotspots.rows:
        assert "Alder Parkway Hotel" in hotspots.rows[0][1]
    assert "<svg" in full.section("locations").figure


def test_network_links_children_persons_places_and_vehicles(full) -> None:
    kinds = {node.kind for node in full.network_nodes}
    assert kinds == {"child", "person_of_interest", "location", "vehicle"}
    # c1 and c2 are one node: the cluster.
    assert len([n for n in full.network_nodes if n.kind == "child"]) == 2
    central = full.table("central-figures")
    assert central is not None and central.rows[0][1] == "Person of interest"
    # Persons of interest are labelled by their police reference (analysts only).
    assert central.rows[0][0] == "Person of interest PN0001"
    assert len(full.network.components) == 1
    networks = next(s for s in full.sections if s.id == "networks")
    assert "in 1 connected group and 2 communities." in networks.findings[0]


def test_intelligence_gaps_are_counted(full) -> None:
    gaps = rows(full, "intelligence-gaps")
    assert gaps["Persons of interest with no recorded ethnicity"] == [1, "50%"]
    assert gaps["Intelligence from a source graded 3 (not reliable)"] == [1, "20%"]
    assert gaps["Intelligence assessed D or E (not known, or suspected false)"] == [1, "20%"]
    assert gaps["Active persons of interest with no disruption recorded"] == [1, "50%"]
    assert gaps["Children identified with no link to a person of interest"] == [0, "0%"]


def test_aggregate_version_suppresses_small_numbers_and_hides_places(aggregate) -> None:
    assert rows(aggregate, "victims-by-sex") == {"Female": [SUPPRESSED], "Male": [SUPPRESSED]}
    ids = {table.id for table in aggregate.tables()}
    assert {"hotspots", "repeat-locations", "central-figures", "victims-by-school"}.isdisjoint(ids)
    assert aggregate.network is None and aggregate.hotspots is None
    assert aggregate.section("locations").figure == ""
    assert aggregate.section("networks").figure == ""
    text = repr([t.rows for t in aggregate.tables()]) + repr(
        [s.findings for s in aggregate.sections]
    )
    for secret in ("Alder Parkway", "Oakfield", "XJ68", "Allesley", "PN0001"):
        assert secret not in text
    for row in aggregate.table("intelligence-gaps").rows:
        assert row[1] in (0, SUPPRESSED, WITHHELD) or row[1] >= 5


def test_empty_snapshot_builds_a_profile_that_says_so() -> None:
    tables = {name: empty(name) for name in SCHEMAS}
    result = build_profile(Snapshot(AS_OF, tables, "database"), start_on=START)
    assert "0 children identified" in result.section("victims").findings[0]
    assert result.section("networks").findings == [
        "No intelligence links people, places or vehicles yet."
    ]


def test_the_board_cannot_work_a_small_number_out_from_a_share() -> None:
    """Six persons of interest, five with no recorded ethnicity: the one with an ethnicity
    must not be derivable from "83% not recorded" or "5 of 6"."""
    snapshot = hand_made()
    pois = [(f"p{n}", f"x{n}", "", "male", "not_stated", 30, "active") for n in range(5)]
    pois.append(("p5", "x5", "", "male", "white_british", 40, "active"))
    snapshot.tables["persons_of_interest"] = table_from_rows("persons_of_interest", pois)
    board = build_profile(snapshot, start_on=START, audience=Audience.AGGREGATE)
    gap = rows(board, "intelligence-gaps")["Persons of interest with no recorded ethnicity"]
    assert gap == [WITHHELD, "not shown (small numbers)"]
    assert "83%" not in repr(board.sections)
    analyst = build_profile(snapshot, start_on=START, audience=Audience.FULL)
    gap = rows(analyst, "intelligence-gaps")["Persons of interest with no recorded ethnicity"]
    assert gap == [5, "83%"]
