"""The CSE problem profile: built from a snapshot, in the order a police problem profile uses.

summary, scale, victims, perpetrators, locations, networks, intelligence gaps, data quality.

`build_profile` runs the questions in `queries` on an engine (DuckDB by default, Spark for a
region), then the hotspot and network analysis on the results. Two audiences:

- `FULL`, for police analysts and intelligence officers: every table, the hotspot cells and
  the link chart, with drill-down to the records (which their own pages audit);
- `AGGREGATE`, for board members and the CSE manager: counts only, small numbers suppressed
  (`suppression`), no place names, no schools, no network members, no hotspot cells.

Every table carries the sources it came from and a note on its quality, shown beside it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from safehub.analytics import charts
from safehub.analytics.engines import DuckDBEngine, Engine, SparkEngine
from safehub.analytics.queries import Q
from safehub.analytics.snapshot import Snapshot
from safehub.analytics.suppression import (
    WITHHELD,
    is_small,
    share,
    suppress,
    suppress_column,
)
from safehub.intelligence.choices import DisruptionKind, LocationKind
from safehub.people.choices import Ethnicity, Sex
from safehub.screening import registry


class Audience(StrEnum):
    FULL = "full"
    AGGREGATE = "aggregate"


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
AGE_ORDER = ["Under 10", "10 to 12", "13", "14", "15", "16", "17", "18 or over", "Not known"]
ADULT_AGE_ORDER = [
    "Under 18",
    "18 to 24",
    "25 to 34",
    "35 to 44",
    "45 to 54",
    "55 or over",
    "Not known",
]


@dataclass
class Table:
    """One table of figures, with the sources it came from and a note on its quality."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    sources: list[str] = field(default_factory=list)
    note: str = ""
    chart: str = ""  # an SVG of the same figures, shown beside the table
    # Rows may link to a record (analysts only): the URL per row, or "".
    links: list[str] = field(default_factory=list)
    link_column: int = 0  # which cell of a row carries the link

    def rows_with_links(self) -> list[tuple[str, list[Any]]]:
        """Each row with the URL its first cell links to ("" for none)."""
        links = self.links + [""] * (len(self.rows) - len(self.links))
        return list(zip(links, self.rows, strict=False))


@dataclass
class Section:
    id: str
    title: str
    findings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figure: str = ""  # a larger SVG (hotspot map, link chart)
    figure_caption: str = ""


@dataclass
class Profile:
    as_of: date
    start_on: date
    end_on: date
    audience: Audience
    engine: str
    origin: str
    sections: list[Section]
    seconds: float = 0.0
    # For exports and drill-down (analysts only): the network and hotspot results.
    network: Any = None
    network_nodes: list[Any] = field(default_factory=list)
    network_edges: list[Any] = field(default_factory=list)
    hotspots: Any = None

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables() if t.id == table_id), None)


# Where a key leads, for analysts: (kind, key) -> URL or None. Supplied by the view.
Linker = Callable[[str, str], str | None]


def _no_links(_kind: str, _key: str) -> str | None:
    return None


@dataclass
class ScaleFigures:
    """What the scale section shows, worked out by `analytics.comparators` from the
    published figures (the view passes it in, so the profile itself needs no database)."""

    findings: list[str]
    tables: list[Table]


def build_profile(
    snapshot: Snapshot,
    *,
    start_on: date,
    end_on: date | None = None,
    audience: Audience = Audience.FULL,
    engine: str = "duckdb",
    spark: Any = None,
    scale: ScaleFigures | None = None,
    link: Linker = _no_links,
) -> Profile:
    started = time.perf_counter()
    end_on = end_on or snapshot.as_of
    runner: Engine
    if engine == "spark":
        runner = SparkEngine(snapshot, start_on, end_on, spark)
    else:
        runner = DuckDBEngine(snapshot, start_on, end_on)
    try:
        builder = _Builder(snapshot, runner, audience, link, start_on, end_on)
        sections = builder.build(scale)
    finally:
        runner.close()
    profile = Profile(
        as_of=snapshot.as_of,
        start_on=start_on,
        end_on=end_on,
        audience=audience,
        engine=runner.name,
        origin=snapshot.origin,
        sections=sections,
        network=builder.network if audience == Audience.FULL else None,
        network_nodes=builder.nodes if audience == Audience.FULL else [],
        network_edges=builder.edges if audience == Audience.FULL else [],
        hotspots=builder.hotspot_result if audience == Audience.FULL else None,
    )
    profile.seconds = time.perf_counter() - started
    return profile


def _label(code: str) -> str:
    """A code from the snapshot as words ("white_british" → "White british")."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Not recorded"


def _choice_label(choices: Any) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, _label(code)))


def _indicator_label(code: Any) -> str:
    """An indicator's wording from the screening tools ("missing_repeat" → its question)."""
    for tool in registry.list_tools():
        for indicator in tool.indicators():
            if indicator.id == code:
                return indicator.label
    return _label(code)


def _plural(count: int, singular: str, plural: str) -> str:
    """ "1 connected group", "3 connected groups"."""
    return f"{count} {singular if count == 1 else plural}"


def _ordered(rows: list[dict[str, Any]], key: str, order: Sequence[str]) -> list[dict[str, Any]]:
    rank = {value: index for index, value in enumerate(order)}
    return sorted(rows, key=lambda row: rank.get(row[key], len(rank)))


class _Builder:
    def __init__(
        self,
        snapshot: Snapshot,
        engine: Engine,
        audience: Audience,
        link: Linker,
        start_on: date,
        end_on: date,
    ) -> None:
        self.snapshot = snapshot
        self.engine = engine
        self.audience = audience
        self.link = link if audience == Audience.FULL else _no_links
        self.start_on = start_on
        self.end_on = end_on
        self.full = audience == Audience.FULL
        self.network: Any = None
        self.nodes: list[Any] = []
        self.edges: list[Any] = []
        self.hotspot_result: Any = None
        self.facts: dict[str, Any] = {}
        self._places: dict[str, dict[str, Any]] = {}
        # A network node's record, for drill-down: node id -> (kind, key).
        self._record_of: dict[str, tuple[str, str]] = {}

    def q(self, name: str) -> list[dict[str, Any]]:
        return self.engine.query(Q[name])

    def one(self, name: str) -> dict[str, Any]:
        rows = self.q(name)
        return {k: (v or 0) for k, v in rows[0].items()} if rows else {}

    def count(self, value: int) -> int | str:
        return value if self.full else suppress(int(value))

    def num(self, value: int) -> str:
        """A count for a sentence: with thousands separators, or suppressed for the board."""
        shown = self.count(value)
        return f"{shown:,}" if isinstance(shown, int) else shown

    def share(self, part: int, whole: int) -> str:
        """A percentage; for the board, not when the part, the whole or the rest is small
        (with the whole published, any of them would reveal a small number)."""
        if not self.full and self._reveals(int(part), int(whole)):
            return "not shown (small numbers)"
        return share(int(part), int(whole))

    @staticmethod
    def _reveals(part: int, whole: int) -> bool:
        return is_small(part) or is_small(whole) or is_small(whole - part)

    def count_of(self, part: int, whole: int) -> int | str:
        """A count out of a published whole: for the board, withheld when the rest is small."""
        if not self.full and whole and not is_small(part) and is_small(whole - part):
            return WITHHELD
        return self.count(part)

    def breakdown(
        self,
        table_id: str,
        title: str,
        rows: list[dict[str, Any]],
        label_key: str,
        count_key: str,
        heading: str,
        count_heading: str,
        sources: list[str],
        note: str = "",
        labeller: Callable[[Any], str] = _label,
    ) -> Table:
        labels = [labeller(row[label_key]) for row in rows]
        counts = [int(row[count_key] or 0) for row in rows]
        shown: list[int | str] = list(counts) if self.full else suppress_column(counts)
        return Table(
            id=table_id,
            title=title,
            columns=[heading, count_heading],
            rows=[[label, value] for label, value in zip(labels, shown, strict=True)],
            sources=sources,
            note=note,
            chart=charts.bar_chart(title, labels, shown) if rows else "",
        )

    def build(self, scale: ScaleFigures | None) -> list[Section]:
        victims = self.victims()
        perpetrators = self.perpetrators()
        locations = self.locations()
        networks = self.networks()
        gaps = self.gaps()
        quality = self.quality()
        scale_section = self.scale(scale)
        summary = self.summary()
        return [summary, scale_section, victims, perpetrators, locations, networks, gaps, quality]

    # --- summary ---------------------------------------------------------------------------

    def summary(self) -> Section:
        f = self.facts
        period = f"{self.start_on:%d %B %Y} to {self.end_on:%d %B %Y}"
        findings = [
            f"From {period}, {self.num(f['victims'])} children were identified as victims of "
            "or at risk of sexual exploitation (an at-risk screening, a CSE case or a child "
            "abduction warning notice), counted once each across agencies.",
            f"Police intelligence names {self.num(f['pois'])} active persons of interest; "
            f"{self.share(f['poi_no_ethnicity'], f['pois'])} of them have no recorded ethnicity.",
        ]
        if self.full and f.get("hotspots") is not None:
            findings.append(
                f"{_plural(f['hotspots'], 'place stands', 'places stand')} out as significant "
                "hotspots (Getis-Ord Gi*, corrected for multiple testing)."
            )
        if self.full and f.get("communities") is not None:
            findings.append(
                "The intelligence network has "
                f"{_plural(f['components'], 'connected group', 'connected groups')}; the "
                f"strongest community links {f['top_community_children']} children to "
                f"{f['top_community_pois']} persons of interest."
            )
        return Section("summary", "Summary", findings=findings)

    # --- scale ---------------------------------------------------------------------------

    def scale(self, scale: ScaleFigures | None) -> Section:
        if scale is None:
            return Section(
                "scale",
                "Scale",
                findings=[
                    "The published comparator figures have not been imported, so the "
                    "city cannot be set beside other areas yet."
                ],
            )
        return Section(
            "scale",
            "Scale",
            findings=scale.findings,
            tables=scale.tables,
        )

    # --- victims ---------------------------------------------------------------------------

    def victims(self) -> Section:
        src = self.snapshot.sources
        sources = src.get("screenings", []) + src.get("cases", []) + src.get("children", [])
        total = self.one("victims_total")
        complete = self.one("victim_completeness")
        self.facts["victims"] = int(total.get("children", 0))
        self.facts["victim_records"] = int(total.get("records", 0))
        self.facts["victim_no_ethnicity"] = int(complete.get("no_ethnicity", 0))
        tables: list[Table] = []
        months = self.q("victims_by_month")
        month_labels = [f"{MONTHS[int(r['month']) - 1]} {int(r['year'])}" for r in months]
        month_counts = [int(r["children"]) for r in months]
        shown = month_counts if self.full else suppress_column(month_counts)
        tables.append(
            Table(
                "victims-by-month",
                "Children identified, by month first identified",
                ["Month", "Children"],
                [[m, c] for m, c in zip(month_labels, shown, strict=True)],
                sources,
                chart=charts.column_chart("Children identified by month", month_labels, shown)
                if months
                else "",
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-age",
                "Age on the profile date",
                _ordered(self.q("victims_by_age"), "band", AGE_ORDER),
                "band",
                "children",
                "Age",
                "Children",
                sources,
                labeller=str,
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-sex",
                "Sex",
                self.q("victims_by_sex"),
                "sex",
                "children",
                "Sex",
                "Children",
                sources,
                labeller=_choice_label(Sex),
            )
        )
        tables.append(
            self.breakdown(
                "victims-by-ethnicity",
                "Ethnicity",
                self.q("victims_by_ethnicity"),
                "ethnicity",
                "children",
                "Ethnic group",
                "Children",
                sources,
                note=f"Not stated for {self.share(complete['no_ethnicity'], complete['children'])}"
                " of these children.",
                labeller=_choice_label(Ethnicity),
            )
        )
        looked_after = self.q("victims_looked_after")
        tables.append(
            self.breakdown(
                "victims-looked-after",
                "Looked-after children",
                looked_after,
                "looked_after",
                "children",
                "Looked after",
                "Children",
                sources,
                note="Looked after: missing from care, or looked after in the social care record.",
                labeller=lambda value: "Looked after" if value else "Not known to be looked after",
            )
        )
        tables.append(
            self.breakdown(
                "victims-missing",
                "Missing history",
                self.q("victims_missing"),
                "history",
                "children",
                "Missing episodes up to the profile date",
                "Children",
                src.get("missing", []),
                labeller=str,
            )
        )
        if self.full:
            tables.append(
                self.breakdown(
                    "victims-by-school",
                    "School",
                    self.q("victims_by_school")[:15],
                    "school",
                    "children",
                    "School",
                    "Children",
                    sources,
                    note="The fifteen schools with most children identified (analysts only).",
                    labeller=str,
                )
            )
        indicators = self.q("victim_indicators")[:12]
        tables.append(
            self.breakdown(
                "victim-indicators",
                "Indicators most often present in their screenings",
                indicators,
                "indicator",
                "children",
                "Indicator",
                "Children",
                src.get("screenings", []),
                labeller=_indicator_label,
            )
        )
        records = self.facts["victim_records"]
        findings = [
            f"{self.num(self.facts['victims'])} children identified in the period "
            f"({self.num(records)} agency records before de-duplication)."
        ]
        return Section("victims", "Victims and children at risk", findings=findings, tables=tables)

    # --- perpetrators ----------------------------------------------------------------------

    def perpetrators(self) -> Section:
        sources = self.snapshot.sources.get("persons_of_interest", [])
        total = self.one("poi_total")
        self.facts["pois"] = int(total.get("persons", 0))
        self.facts["poi_no_ethnicity"] = int(total.get("no_ethnicity", 0))
        tables = [
            self.breakdown(
                "poi-by-age",
                "Persons of interest by age",
                _ordered(self.q("poi_by_age"), "band", ADULT_AGE_ORDER),
                "band",
                "persons",
                "Age",
                "Persons of interest",
                sources,
                labeller=str,
            ),
            self.breakdown(
                "poi-by-sex",
                "Persons of interest by sex",
                self.q("poi_by_sex"),
                "sex",
                "persons",
                "Sex",
                "Persons of interest",
                sources,
                labeller=_choice_label(Sex),
            ),
            self.breakdown(
                "poi-by-ethnicity",
                "Persons of interest by ethnicity",
                self.q("poi_by_ethnicity"),
                "ethnicity",
                "persons",
                "Ethnic group",
                "Persons of interest",
                sources,
                note=(
                    "No ethnicity recorded for "
                    f"{self.share(self.facts['poi_no_ethnicity'], self.facts['pois'])} of persons"
                    " of interest: national inquiries found this gap in most profiles."
                ),
                labeller=_choice_label(Ethnicity),
            ),
            self.breakdown(
                "poi-linked-children",
                "Children each person of interest is linked to",
                self.q("poi_children"),
                "linked",
                "persons",
                "Linked children",
                "Persons of interest",
                sources,
                labeller=str,
            ),
            self.breakdown(
                "disruption-by-kind",
                "Disruption in the period",
                self.q("disruptions_by_kind"),
                "kind",
                "actions",
                "Action",
                "Actions",
                self.snapshot.sources.get("disruptions", []),
                labeller=_choice_label(DisruptionKind),
            ),
        ]
        links = int(self.one("poi_links").get("links", 0))
        taxi = int(self.one("poi_taxi").get("persons", 0))
        findings = [
            f"{self.num(self.facts['pois'])} active persons of interest; intelligence links "
            f"{self.num(links)} pairs of them to each other.",
            f"{self.num(taxi)} keep a vehicle on the council's taxi and private hire register.",
        ]
        return Section("perpetrators", "Perpetrators", findings=findings, tables=tables)

    # --- locations -------------------------------------------------------------------------

    def _points(self) -> list[Any]:
        from safehub.analytics.geo import bng_to_latlng
        from safehub.analytics.hotspots import Point

        places = {row["location_key"]: row for row in self.q("locations")}
        events = [
            event
            for event in self.q("events")
            if event["location_key"] in places
            and places[event["location_key"]]["easting"] is not None
            and places[event["location_key"]]["northing"] is not None
        ]
        if not events:
            return []
        eastings = [places[e["location_key"]]["easting"] for e in events]
        northings = [places[e["location_key"]]["northing"] for e in events]
        lats, lngs = bng_to_latlng(eastings, northings)
        points = []
        for event, lat, lng in zip(events, lats, lngs, strict=True):
            when = event["at"]
            timed = isinstance(when, datetime) and event["what"] != "intelligence"
            points.append(
                Point(
                    lat=float(lat),
                    lng=float(lng),
                    when=when if isinstance(when, datetime) else None,
                    place=event["location_key"],
                    timed=timed,
                )
            )
        self._places = places
        return points

    def _study_area(self) -> set[str]:
        """The H3 cells of the box around every known place: the area tested for hotspots,
        so quiet parts of the city count as quiet rather than being left out."""
        import h3

        from safehub.analytics.geo import bng_to_latlng

        mapped = [p for p in self._places.values() if p["easting"] is not None]
        if not mapped:
            return set()
        lats, lngs = bng_to_latlng([p["easting"] for p in mapped], [p["northing"] for p in mapped])
        south, north = float(min(lats)) - 0.005, float(max(lats)) + 0.005
        west, east = float(min(lngs)) - 0.008, float(max(lngs)) + 0.008
        box = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
        return set(h3.polygon_to_cells(box, 9))

    def locations(self) -> Section:
        from safehub.analytics.hotspots import by_hour, by_weekday, find_hotspots, repeat_locations

        sources = self.snapshot.sources.get("locations", []) + self.snapshot.sources.get(
            "missing", []
        )
        self._places = {}
        points = self._points()
        tables: list[Table] = [
            self.breakdown(
                "location-kinds",
                "Places by type",
                self.q("location_kinds"),
                "kind",
                "events",
                "Type of place",
                "Events (missing children found, intelligence)",
                sources,
                labeller=_choice_label(LocationKind),
            )
        ]
        hours = by_hour(points)
        days = by_weekday(points)
        hours_shown = hours if self.full else suppress_column(hours)
        days_shown = days if self.full else suppress_column(days)
        tables.append(
            Table(
                "events-by-hour",
                "Time of day (missing children found)",
                ["Hour", "Events"],
                [[f"{h:02d}:00", c] for h, c in zip(range(24), hours_shown, strict=True)],
                sources,
                note="Intelligence records carry a date only, so they count by day, not by hour.",
                chart=charts.column_chart(
                    "Events by hour of day", [f"{h:02d}" for h in range(24)], hours_shown
                ),
            )
        )
        tables.append(
            Table(
                "events-by-weekday",
                "Day of the week",
                ["Day", "Events"],
                [[d, c] for d, c in zip(WEEKDAYS, days_shown, strict=True)],
                sources,
                chart=charts.column_chart("Events by day of week", WEEKDAYS, days_shown),
            )
        )
        section = Section("locations", "Locations", tables=tables)
        if not self.full:
            districts: Counter[str] = Counter()
            for point in points:
                districts[self._places[point.place]["postcode_district"] or "Not known"] += 1
            ordered = districts.most_common()
            tables.append(
                self.breakdown(
                    "events-by-district",
                    "Events by postcode district",
                    [{"district": d, "events": n} for d, n in ordered],
                    "district",
                    "events",
                    "Postcode district",
                    "Events",
                    sources,
                    labeller=str,
                )
            )
            section.findings = [
                f"{self.num(len(points))} events at known places in the period; "
                "the hotspot map is for police analysts."
            ]
            return section
        result = find_hotspots(points, area=self._study_area())
        self.hotspot_result = result
        # A cell is listed when it is a peak: significant on its own events, not only for
        # being next to a busy cell (those are drawn on the map, not listed).
        significant = [cell for cell in result.cells if cell.peak]
        self.facts["hotspots"] = len(significant)
        rows = []
        links = []
        for rank, cell in enumerate(significant[:20], start=1):
            names = ", ".join(
                f"{self._places.get(place, {}).get('label', place)} ({count})"
                for place, count in cell.top_places[:3]
            )
            rows.append([rank, names, int(cell.count), round(cell.z, 2), f"{cell.q:.3f}"])
            top = cell.top_places[0][0] if cell.top_places else ""
            links.append(self.link("location", top) or "" if top else "")
        tables.insert(
            0,
            Table(
                "hotspots",
                "Significant hotspots (H3 cells, Getis-Ord Gi*)",
                ["Rank", "Places in the cell (events)", "Events", "Gi* z", "q (BH)"],
                rows,
                sources,
                note=(
                    f"H3 resolution {result.resolution} (cells about {result.cell_edge_m:.0f} m "
                    "across an edge), neighbours within one ring; significance after "
                    "Benjamini–Hochberg correction at 5%. A hotspot shows where events were "
                    "recorded, which depends on where police look as well as where harm happens."
                ),
                links=links,
                link_column=1,
            ),
        )
        repeats = repeat_locations(points)
        tables.append(
            Table(
                "repeat-locations",
                "Repeat locations (two or more events)",
                ["Place", "Type", "Events"],
                [
                    [
                        self._places[place]["label"],
                        _choice_label(LocationKind)(self._places[place]["kind"]),
                        count,
                    ]
                    for place, count in repeats[:25]
                ],
                sources,
                links=[self.link("location", place) or "" for place, _ in repeats[:25]],
            )
        )
        from safehub.analytics.linkchart import hotspot_svg

        section.figure = hotspot_svg(result)
        section.figure_caption = (
            "Hotspot map: H3 cells shaded by Gi* z-score; significant cells outlined and "
            "numbered by rank. The table lists the same cells."
        )
        section.findings = [
            f"{len(points)} events at {len({p.place for p in points})} known places; "
            f"{len(significant)} significant hotspot cells; {len(repeats)} repeat locations."
        ]
        return section

    # --- networks --------------------------------------------------------------------------

    def networks(self) -> Section:
        from safehub.analytics.networks import Edge, Node, analyse

        sources = self.snapshot.sources.get("associations", [])
        child_cluster = {r["child_key"]: r["cluster_key"] for r in self.q("child_keys")}
        poi_rows = self.q("poi_keys")
        poi_of = {r["person_key"]: r["poi_key"] for r in poi_rows}
        poi_label = {r["person_key"]: r["label"] or r["poi_key"][-4:] for r in poi_rows}
        places = getattr(self, "_places", {}) or {r["location_key"]: r for r in self.q("locations")}
        vehicles = {r["vehicle_key"]: r for r in self.q("keepers")}
        nodes: dict[str, Any] = {}
        edges: list[Any] = []

        def person_node(key: str) -> str:
            if key in child_cluster:
                node_id = f"child:{child_cluster[key]}"
                nodes.setdefault(node_id, Node(node_id, "child", f"Child {key[-4:]}"))
                self._record_of.setdefault(node_id, ("person", key))
            elif key in poi_of:
                node_id = f"poi:{key}"
                self._record_of[node_id] = ("person_of_interest", poi_of[key])
                nodes.setdefault(
                    node_id,
                    Node(node_id, "person_of_interest", f"Person of interest {poi_label[key]}"),
                )
            else:
                node_id = f"person:{key}"
                nodes.setdefault(node_id, Node(node_id, "person", f"Person {key[-4:]}"))
            return node_id

        def place_node(key: str) -> str:
            node_id = f"location:{key}"
            label = places.get(key, {}).get("label") or "Place"
            nodes.setdefault(node_id, Node(node_id, "location", str(label)))
            return node_id

        def vehicle_node(key: str) -> str:
            node_id = f"vehicle:{key}"
            label = vehicles.get(key, {}).get("label") or "Vehicle"
            nodes.setdefault(node_id, Node(node_id, "vehicle", str(label)))
            return node_id

        for row in self.q("edges"):
            ends = []
            if row["person_key"]:
                ends.append(person_node(row["person_key"]))
            if row["other_person_key"]:
                ends.append(person_node(row["other_person_key"]))
            if row["location_key"]:
                ends.append(place_node(row["location_key"]))
            if row["vehicle_key"]:
                ends.append(vehicle_node(row["vehicle_key"]))
            for index in range(len(ends) - 1):
                edges.append(Edge(ends[index], ends[index + 1], row["kind"]))
        for key, vehicle in vehicles.items():
            node_id = f"vehicle:{key}"
            if node_id in nodes and vehicle["keeper_key"]:
                edges.append(Edge(person_node(vehicle["keeper_key"]), node_id, "keeper"))
        self.nodes = list(nodes.values())
        self.edges = edges
        if not self.nodes:
            return Section(
                "networks",
                "Networks",
                findings=["No intelligence links people, places or vehicles yet."],
            )
        result = analyse(self.nodes, edges)
        self.network = result
        top = result.communities[0] if result.communities else None
        self.facts["components"] = len(result.components)
        self.facts["communities"] = len(result.communities)
        self.facts["top_community_children"] = top.children if top else 0
        self.facts["top_community_pois"] = top.persons_of_interest if top else 0
        shown = [c for c in result.communities[:10] if c.size > 1]
        columns: list[list[int | str]] = [
            [c.children for c in shown],
            [c.persons_of_interest for c in shown],
            [c.locations for c in shown],
            [c.vehicles for c in shown],
        ]
        if not self.full:
            # Each column with primary and secondary suppression, as in any breakdown.
            columns = [suppress_column([int(v) for v in column]) for column in columns]
        community_rows: list[list[Any]] = [
            [c.id, *(column[i] for column in columns), c.score] for i, c in enumerate(shown)
        ]
        tables = [
            Table(
                "communities",
                "Communities (Leiden), strongest first",
                ["Community", "Children", "Persons of interest", "Places", "Vehicles", "Score"],
                community_rows if self.full else [row[:5] for row in community_rows],
                sources,
                note=(
                    "Score: the number of children linked to persons of interest in the "
                    f"community. Modularity {result.modularity:.2f}."
                ),
            )
        ]
        section = Section("networks", "Networks", tables=tables)
        section.findings = [
            f"{len(self.nodes)} people, places and vehicles in "
            f"{_plural(len(result.components), 'connected group', 'connected groups')} and "
            f"{_plural(len(result.communities), 'community', 'communities')}."
        ]
        if not self.full:
            tables[0].columns = tables[0].columns[:5]
            return section
        labels = {node.id: node for node in self.nodes}
        central = []
        central_links = []
        for node_id, value in result.central_by_betweenness[:10]:
            node = labels[node_id]
            metrics = result.metrics[node_id]
            central.append(
                [
                    node.label,
                    _label(node.kind),
                    metrics.degree,
                    round(value, 3),
                    metrics.children_linked,
                    metrics.community,
                ]
            )
            central_links.append(self._node_link(node) or "")
        tables.append(
            Table(
                "central-figures",
                "Central figures (betweenness)",
                ["Who or what", "Kind", "Links", "Betweenness", "Children linked", "Community"],
                central,
                sources,
                note="Exact betweenness."
                if result.exact_betweenness
                else "Betweenness estimated from a sample of paths (large network).",
                links=central_links,
            )
        )
        from safehub.analytics.linkchart import network_svg

        section.figure = network_svg(self.nodes, edges, result, href=self._node_link)
        section.figure_caption = (
            "Link chart: children (blue circles), persons of interest (red diamonds), other "
            "adults (grey circles), places (green squares) and vehicles (orange triangles), "
            "haloed by community. Select a node to see its links."
        )
        return section

    def _node_link(self, node: Any) -> str | None:
        kind, _, key = node.id.partition(":")
        if kind in {"location", "vehicle"}:
            return self.link(kind, key)
        if node.id in self._record_of:
            return self.link(*self._record_of[node.id])
        return None

    # --- intelligence gaps -----------------------------------------------------------------

    def gaps(self) -> Section:
        grading = self.one("grading")
        located = self.one("location_gaps")
        unlinked = int(self.one("victims_without_poi").get("children", 0))
        unscreened = int(self.one("named_unscreened").get("children", 0))
        undisrupted = int(self.one("poi_undisrupted").get("persons", 0))
        graded = int(grading.get("associations", 0))
        pois = self.facts.get("pois", 0)
        gaps = [
            (
                "Persons of interest with no recorded ethnicity",
                self.facts.get("poi_no_ethnicity", 0),
                pois,
            ),
            (
                "Children identified with no link to a person of interest",
                unlinked,
                self.facts.get("victims", 0),
            ),
            ("Children named in intelligence who have never been screened", unscreened, 0),
            ("Active persons of interest with no disruption recorded", undisrupted, pois),
            (
                "Intelligence from a source graded 3 (not reliable)",
                int(grading.get("unreliable_source", 0)),
                graded,
            ),
            (
                "Intelligence assessed D or E (not known, or suspected false)",
                int(grading.get("weak_assessment", 0)),
                graded,
            ),
            (
                "Places with no map reference",
                int(located.get("unmapped", 0)),
                int(located.get("places", 0)),
            ),
        ]
        rows = [
            [gap, self.count_of(part, whole), self.share(part, whole) if whole else ""]
            for gap, part, whole in gaps
        ]
        table = Table(
            "intelligence-gaps",
            "Intelligence gaps",
            ["Gap", "Number", "Share"],
            rows,
            self.snapshot.sources.get("associations", []),
        )
        return Section("gaps", "Intelligence gaps", tables=[table])

    # --- data quality ----------------------------------------------------------------------

    def quality(self) -> Section:
        counts = {row["name"]: int(row["n"]) for row in self.q("table_rows")}
        dedup = self.one("dedup")
        rows = [
            [
                name.replace("_", " ").capitalize(),
                ", ".join(self.snapshot.sources.get(name, [])) or "None",
                self.count(counts.get(name, 0)),
            ]
            for name in (
                "children",
                "screenings",
                "cases",
                "missing",
                "persons_of_interest",
                "locations",
                "vehicles",
                "associations",
                "disruptions",
            )
        ]
        victims = self.facts.get("victims", 0)
        findings = [
            self.snapshot.linkage_note,
            f"{self.num(int(dedup.get('records', 0)))} children's records are "
            f"{self.num(int(dedup.get('children', 0)))} children once de-duplicated.",
            "Ethnicity is not stated for "
            f"{self.share(self.facts.get('victim_no_ethnicity', 0), victims)} of the children "
            "identified.",
            f"Built from a snapshot of the {self.snapshot.origin} taken on "
            f"{self.snapshot.as_of:%d %B %Y}.",
        ]
        table = Table(
            "data-sources",
            "What fed this profile",
            ["Records", "Sources", "Rows in the snapshot"],
            rows,
        )
        return Section("quality", "Data quality", findings=findings, tables=[table])
