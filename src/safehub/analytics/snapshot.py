"""A snapshot of everything the problem profile counts: plain Arrow tables with one schema.

The profile never reads the application database directly: it reads a snapshot, so the same
queries run on DuckDB in the web process and on Spark for a region (`analytics.engines`).
Two producers fill the same schema:

- `from_database(as_of)`: Safehub's own records (people, screenings, cases, missing episodes,
  intelligence, disruption, and the linkage clusters used to de-duplicate children);
- `from_extracts(folder, as_of)`: the agencies' extract files of a synthetic city (what
  `safehub build_city --out` writes), read straight into DuckDB. The benchmarks use it for a
  region that is never loaded into a database; it has no linkage clusters, so each agency
  record counts as one child there.

The database producer reads each app's records through that app's selectors (for example
`people.selectors.people_for_profile`, `intelligence.selectors.associations_up_to`), never
its models; only the missing episodes are still read from their model.

Keys are opaque strings: public ids (UUIDs) from the database, prefixed source ids from the
extracts. No table holds a name, a date of birth or an address line: ages are computed on the
snapshot date and only the age is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMAS: dict[str, pa.Schema] = {
    # Every child the profile may count, whether or not at risk.
    "children": pa.schema(
        [
            ("child_key", pa.string()),
            ("cluster_key", pa.string()),  # the same child across agencies (linkage)
            ("source", pa.string()),
            ("sex", pa.string()),
            ("ethnicity", pa.string()),
            ("age", pa.int32()),  # on the snapshot date; null when the birth date is unknown
            ("looked_after", pa.bool_()),
            ("school", pa.string()),
        ]
    ),
    "screenings": pa.schema(
        [
            ("child_key", pa.string()),
            ("screened_on", pa.date32()),
            ("tool_id", pa.string()),
            ("category", pa.string()),
            ("at_risk", pa.bool_()),  # the outcome asks for a referral
            ("screened_by", pa.string()),  # the screening agency's type
        ]
    ),
    "screening_indicators": pa.schema(
        [("child_key", pa.string()), ("screened_on", pa.date32()), ("indicator", pa.string())]
    ),
    "cases": pa.schema(
        [("child_key", pa.string()), ("opened_on", pa.date32()), ("status", pa.string())]
    ),
    "missing": pa.schema(
        [
            ("child_key", pa.string()),
            ("reported_at", pa.timestamp("s")),
            ("found_at", pa.timestamp("s")),
            ("missing_from", pa.string()),  # home or care
            ("location_key", pa.string()),  # where found, when it was a known location
        ]
    ),
    "persons_of_interest": pa.schema(
        [
            ("poi_key", pa.string()),
            ("person_key", pa.string()),
            ("label", pa.string()),  # the police reference: the analyst's view only
            ("sex", pa.string()),
            ("ethnicity", pa.string()),  # "not_stated" when not recorded
            ("age", pa.int32()),
            ("status", pa.string()),
        ]
    ),
    "locations": pa.schema(
        [
            ("location_key", pa.string()),
            ("kind", pa.string()),
            ("label", pa.string()),  # premises name or postcode: the analyst's view only
            ("postcode_district", pa.string()),
            ("easting", pa.float64()),
            ("northing", pa.float64()),
        ]
    ),
    "vehicles": pa.schema(
        [
            ("vehicle_key", pa.string()),
            ("label", pa.string()),  # the registration mark: the analyst's view only
            ("licensed", pa.bool_()),  # on the council's taxi and private hire register
            ("keeper_key", pa.string()),
        ]
    ),
    "associations": pa.schema(
        [
            ("association_key", pa.string()),
            ("kind", pa.string()),
            ("recorded_on", pa.date32()),
            ("occurred_at", pa.timestamp("s")),
            ("person_key", pa.string()),
            ("other_person_key", pa.string()),
            ("location_key", pa.string()),
            ("vehicle_key", pa.string()),
            ("source_evaluation", pa.string()),
            ("intelligence_assessment", pa.string()),
        ]
    ),
    "disruptions": pa.schema(
        [
            ("kind", pa.string()),
            ("person_key", pa.string()),
            ("location_key", pa.string()),
            ("child_key", pa.string()),
            ("occurred_on", pa.date32()),
            ("outcome", pa.string()),
        ]
    ),
}


@dataclass
class Snapshot:
    """The profile's input: one Arrow table per name in SCHEMAS, and where they came from."""

    as_of: date
    tables: dict[str, pa.Table]
    origin: str  # "database" or "extracts"
    # For the data-quality notes: which sources fed each table.
    sources: dict[str, list[str]] = field(default_factory=dict)
    linkage_note: str = ""

    def rows(self, name: str) -> int:
        return self.tables[name].num_rows

    def write_parquet(self, folder: Path) -> Path:
        """Write the tables as Parquet files (one per table), e.g. for a Spark cluster."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in self.tables.items():
            pq.write_table(table, folder / f"{name}.parquet")
        meta = {"as_of": self.as_of.isoformat(), "origin": self.origin, "sources": self.sources}
        (folder / "snapshot.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return folder


def age_on(born: date | None, on: date) -> int | None:
    """The age on the snapshot date (screening's rule), None when unknown or not yet born."""
    from safehub.screening.rules import age_on as screening_age_on

    if born is None or on < born:
        return None
    return screening_age_on(born, on)


def postcode_district(postcode: str) -> str:
    """The outward code ("SH1 7NU" → "SH1"): small areas are never shown to the board."""
    text = (postcode or "").strip().upper()
    if " " in text:
        return text.split(" ", 1)[0]
    return text[:-3] if len(text) > 4 else text


def table_from_rows(name: str, rows: Iterable[tuple[Any, ...]]) -> pa.Table:
    schema = SCHEMAS[name]
    columns: list[list[Any]] = [[] for _ in schema.names]
    for row in rows:
        for index, value in enumerate(row):
            columns[index].append(value)
    return pa.Table.from_arrays(
        [pa.array(values, type=schema.field(i).type) for i, values in enumerate(columns)],
        schema=schema,
    )


def empty(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


# --- from the application database ----------------------------------------------------------


def _referral_categories() -> set[tuple[str, str]]:
    """(tool id, category id) pairs whose outcome creates a referral: 'at risk'."""
    from safehub.screening.registry import list_tools

    return {
        (tool.id, category.id)
        for tool in list_tools()
        for category in tool.categories
        if category.creates_referral
    }


def from_database(as_of: date | None = None) -> Snapshot:
    """Read Safehub's records into a snapshot (read-only; run inside one transaction for a
    consistent view on PostgreSQL)."""
    from django.db import transaction

    as_of = as_of or date.today()
    with transaction.atomic():
        return _from_database(as_of)


def _from_database(as_of: date) -> Snapshot:
    from safehub.cases import selectors as cases
    from safehub.intelligence import selectors as intelligence
    from safehub.linkage import selectors as linkage
    from safehub.missing.models import MissingEpisode
    from safehub.people import selectors as people
    from safehub.screening import selectors as screening

    person_key: dict[int, str] = {}
    born: dict[int, date | None] = {}
    facts: dict[int, tuple[str, str, str]] = {}
    for pk, public_id, dob, sex, ethnicity, school in people.people_for_profile():
        person_key[pk] = str(public_id)
        born[pk] = dob
        facts[pk] = (sex, ethnicity, school or "")

    # The same child across agencies: people whose identity records share a linkage cluster.
    cluster_of: dict[int, str] = {}
    for person_id, cluster_id in linkage.people_in_clusters():
        cluster_of.setdefault(person_id, str(cluster_id))

    at_risk = _referral_categories()
    screening_rows = []
    indicator_rows = []
    involved: set[int] = set()
    for person_id, on, tool_id, category, indicators, agency_type in screening.screenings_up_to(
        as_of
    ):
        key = person_key[person_id]
        involved.add(person_id)
        screening_rows.append(
            (key, on, tool_id, category, (tool_id, category) in at_risk, agency_type or "")
        )
        indicator_rows += [(key, on, str(code)) for code in indicators or []]

    case_rows = []
    for person_id, opened_at, status in cases.cases_opened_up_to(as_of):
        involved.add(person_id)
        case_rows.append((person_key[person_id], opened_at.date(), status))

    location_keys = intelligence.location_references()
    missing_rows = []
    in_care: set[int] = set()
    for person_id, reported, found, missing_from, place in MissingEpisode.objects.filter(
        reported_at__date__lte=as_of
    ).values_list("person_id", "reported_at", "found_at", "missing_from", "found_place"):
        involved.add(person_id)
        if missing_from == "care":
            in_care.add(person_id)
        missing_rows.append(
            (
                person_key[person_id],
                _naive(reported),
                _naive(found),
                missing_from,
                _found_location(place, location_keys),
            )
        )

    association_rows = []
    for row in intelligence.associations_up_to(as_of):
        public_id, kind, recorded, occurred, person_id, other_id, location, vehicle = row[:8]
        association_rows.append(
            (
                str(public_id),
                kind,
                recorded,
                _naive(occurred),
                person_key.get(person_id) if person_id else None,
                person_key.get(other_id) if other_id else None,
                str(location) if location else None,
                str(vehicle) if vehicle else None,
                row[8],
                row[9],
            )
        )

    poi_rows = []
    poi_people: set[int] = set()
    for public_id, person_id, status, reference in intelligence.persons_of_interest_for_profile():
        poi_people.add(person_id)
        sex, ethnicity, _ = facts[person_id]
        poi_rows.append(
            (
                str(public_id),
                person_key[person_id],
                reference or "",
                sex,
                ethnicity,
                age_on(born[person_id], as_of),
                status,
            )
        )

    disruption_rows = []
    for kind, subject, location, child, on, outcome in intelligence.disruptions_up_to(as_of):
        if child:
            involved.add(child)
        disruption_rows.append(
            (
                kind,
                person_key.get(subject) if subject else None,
                str(location) if location else None,
                person_key.get(child) if child else None,
                on,
                outcome,
            )
        )

    # Children: everyone under 18 on the day, and anyone a child's record is about (a child
    # screened at 17 still counts after their birthday); never a person of interest.
    child_rows = []
    for pk, key in person_key.items():
        if pk in poi_people:
            continue
        age = age_on(born[pk], as_of)
        if not ((age is not None and age < 18) or pk in involved):
            continue
        sex, ethnicity, school = facts[pk]
        child_rows.append(
            (key, cluster_of.get(pk, key), "safehub", sex, ethnicity, age, pk in in_care, school)
        )

    location_rows = [
        (
            str(public_id),
            kind,
            name or postcode,
            postcode_district(postcode),
            float(easting) if easting is not None else None,
            float(northing) if northing is not None else None,
        )
        for public_id, kind, name, postcode, easting, northing in (
            intelligence.locations_for_profile()
        )
    ]
    vehicle_rows = [
        (str(public_id), vrm, licensed is not None, person_key.get(keeper) if keeper else None)
        for public_id, vrm, licensed, keeper in intelligence.vehicles_for_profile()
    ]
    tables = {
        "children": table_from_rows("children", child_rows),
        "screenings": table_from_rows("screenings", screening_rows),
        "screening_indicators": table_from_rows("screening_indicators", indicator_rows),
        "cases": table_from_rows("cases", case_rows),
        "missing": table_from_rows("missing", missing_rows),
        "persons_of_interest": table_from_rows("persons_of_interest", poi_rows),
        "locations": table_from_rows("locations", location_rows),
        "vehicles": table_from_rows("vehicles", vehicle_rows),
        "associations": table_from_rows("associations", association_rows),
        "disruptions": table_from_rows("disruptions", disruption_rows),
    }
    sources = {
        "children": ["people (all agencies)", "record linkage clusters"],
        "screenings": ["screenings (all agencies)"],
        "cases": ["children's social care CSE cases"],
        "missing": ["missing episodes (police and children's social care)"],
        "persons_of_interest": ["police intelligence"],
        "locations": ["police intelligence"],
        "vehicles": ["police intelligence", "taxi and private hire licensing register"],
        "associations": ["police intelligence"],
        "disruptions": ["police disruption records"],
    }
    note = (
        f"{len(cluster_of):,} people are in linkage clusters; children in one cluster count once."
        if cluster_of
        else "No record linkage has run: each person record counts as one child."
    )
    return Snapshot(as_of, tables, "database", sources, note)


def _naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _found_location(place: str, location_keys: dict[str, str]) -> str | None:
    """Imported police reports name a found location as "Police location <reference>"."""
    text = (place or "").strip()
    prefix = "Police location "
    if text.startswith(prefix):
        return location_keys.get(text[len(prefix) :].strip())
    return None


# --- from a synthetic city's extract files --------------------------------------------------

EXTRACT_MACROS = """
CREATE MACRO dob_of(dob) AS try_strptime(dob, '%d/%m/%Y')::DATE;
CREATE MACRO age_of(dob) AS (
    SELECT CASE WHEN dob_of(dob) IS NULL THEN NULL
           ELSE date_diff('year', dob_of(dob), as_of)
                - CASE WHEN strftime(dob_of(dob), '%m%d') > strftime(as_of, '%m%d')
                       THEN 1 ELSE 0 END
           END
    FROM params);
CREATE MACRO sex_of(s) AS CASE s WHEN 'F' THEN 'female' WHEN 'M' THEN 'male'
                                 ELSE 'not_known' END;
CREATE MACRO key_or_null(prefix, value) AS
    CASE WHEN coalesce(value, '') = '' THEN NULL ELSE prefix || value END;
"""

# One query per snapshot table, over views of the extract files (all columns text).
EXTRACT_SQL = {
    "children": """
        SELECT 'sc:' || sc_id, 'sc:' || sc_id, 'social_care', sex_of(sex),
               coalesce(nullif(ethnicity, ''), 'not_stated'), age_of(date_of_birth)::INTEGER,
               legal_status = 'looked_after', ''
        FROM sc_children
        UNION ALL
        SELECT 'pol:' || police_id, 'pol:' || police_id, 'police', sex_of(sex), 'not_stated',
               age_of(date_of_birth)::INTEGER, false, ''
        FROM police_persons
        WHERE age_of(date_of_birth) < 18
    """,
    "screenings": """
        SELECT 'sc:' || s.sc_id, strptime(s.screening_date, '%d/%m/%Y')::DATE, s.tool_id,
               s.computed_category, a.category IS NOT NULL, s.screened_by
        FROM sc_screenings s
        LEFT JOIN at_risk_categories a
          ON a.tool_id = s.tool_id AND a.category = s.computed_category
    """,
    "screening_indicators": """
        SELECT 'sc:' || sc_id, strptime(screening_date, '%d/%m/%Y')::DATE, indicator
        FROM (SELECT sc_id, screening_date,
                     unnest(string_split(computed_indicators, ';')) AS indicator
              FROM sc_screenings)
        WHERE indicator <> ''
    """,
    "cases": """
        SELECT 'sc:' || sc_id, strptime(opened_on, '%d/%m/%Y')::DATE, status
        FROM sc_cases WHERE case_type = 'cse'
    """,
    "missing": """
        SELECT 'pol:' || police_id, strptime(reported_at, '%d/%m/%Y %H:%M'),
               try_strptime(found_at, '%d/%m/%Y %H:%M'), missing_from,
               key_or_null('loc:', found_location_id)
        FROM police_missing
    """,
    "associations": """
        SELECT 'int:' || intel_ref, category, strptime(recorded_on, '%d/%m/%Y')::DATE,
               NULL::TIMESTAMP, key_or_null('pol:', subject_police_id),
               key_or_null('pol:', other_police_id), key_or_null('loc:', location_id),
               key_or_null('veh:', vrm), '2', 'C'
        FROM police_intelligence
    """,
    "persons_of_interest": """
        SELECT 'poi:' || police_id, 'pol:' || police_id, police_id, sex_of(sex), 'not_stated',
               age_of(date_of_birth)::INTEGER, 'active'
        FROM police_persons
        WHERE police_id IN (SELECT subject_police_id FROM police_intelligence)
          AND coalesce(age_of(date_of_birth) >= 18, true)
    """,
    "locations": """
        SELECT 'loc:' || location_id,
               CASE location_type WHEN 'address' THEN 'house' ELSE location_type END,
               coalesce(nullif(name, ''), postcode), split_part(postcode, ' ', 1),
               try_cast(easting AS DOUBLE), try_cast(northing AS DOUBLE)
        FROM police_locations
    """,
    "vehicles": """
        SELECT 'veh:' || v.vrm, v.vrm, l.vrm IS NOT NULL, key_or_null('pol:', v.keeper_police_id)
        FROM police_vehicles v
        LEFT JOIN (SELECT DISTINCT vrm FROM licensed_vehicles) l ON l.vrm = v.vrm
    """,
}


def from_extracts(folder: Path, as_of: date | None = None) -> Snapshot:
    """Read a city's extracts (`build_city --out FOLDER`) into a snapshot with DuckDB."""
    import duckdb

    root = Path(folder)
    extracts = root / "extracts" if (root / "extracts").is_dir() else root
    if as_of is None:
        manifest = root / "manifest.json"
        as_of = (
            date.fromisoformat(json.loads(manifest.read_text())["as_of"])
            if manifest.exists()
            else date.today()
        )
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    views = {
        "sc_children": "social_care/children.csv",
        "sc_screenings": "social_care/screenings.csv",
        "sc_cases": "social_care/cases.csv",
        "police_persons": "police/persons.csv",
        "police_missing": "police/missing_reports.csv",
        "police_intelligence": "police/intelligence.csv",
        "police_locations": "police/locations.csv",
        "police_vehicles": "police/vehicles.csv",
        "licensed_vehicles": "licensing/vehicles.csv",
    }
    for view, relative in views.items():
        con.read_csv(str(extracts / relative), header=True, all_varchar=True).create_view(view)
    con.execute("CREATE TABLE params AS SELECT ?::DATE AS as_of", [as_of])
    con.execute(EXTRACT_MACROS)
    at_risk = sorted(_referral_categories_plain())
    con.register(
        "at_risk_categories",
        pa.table({"tool_id": [t for t, _ in at_risk], "category": [c for _, c in at_risk]}),
    )

    def fetch(name: str) -> pa.Table:
        table = con.sql(EXTRACT_SQL[name]).to_arrow_table()
        return table.rename_columns(SCHEMAS[name].names).cast(SCHEMAS[name])

    children = fetch("children")
    screenings = fetch("screenings")
    indicators = fetch("screening_indicators")
    cases = fetch("cases")
    missing = fetch("missing")
    associations = fetch("associations")
    pois = fetch("persons_of_interest")
    locations = fetch("locations")
    vehicles = fetch("vehicles")
    con.close()
    tables = {
        "children": children,
        "screenings": screenings,
        "screening_indicators": indicators,
        "cases": cases,
        "missing": missing,
        "persons_of_interest": pois,
        "locations": locations,
        "vehicles": vehicles,
        "associations": associations,
        "disruptions": empty("disruptions"),
    }
    sources = {
        "children": ["social care extract", "police persons extract"],
        "screenings": ["social care extract"],
        "cases": ["social care extract"],
        "missing": ["police missing reports extract"],
        "persons_of_interest": ["police persons and intelligence extracts"],
        "locations": ["police locations extract"],
        "vehicles": ["police vehicles extract", "licensing vehicles extract"],
        "associations": ["police intelligence extract"],
        "disruptions": [],
    }
    return Snapshot(
        as_of,
        tables,
        "extracts",
        sources,
        "Read from extract files: no linkage clusters, each agency record counts as one child.",
    )


def _referral_categories_plain() -> set[tuple[str, str]]:
    """As `_referral_categories`, reading the shipped tool definitions without Django."""
    try:
        return _referral_categories()
    except Exception:  # noqa: BLE001 - outside Django (a Spark worker, a bench) read the YAML
        import yaml

        found: set[tuple[str, str]] = set()
        tools = Path(__file__).resolve().parent.parent / "screening" / "tools"
        for path in tools.glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for category in data.get("categories", []):
                if category.get("creates_referral"):
                    found.add((data["id"], category["id"]))
        return found
