"""The locations section: places by type, time of day and day of the week, and for
analysts the hotspots (Getis-Ord Gi* on H3 cells), the repeat locations and the map."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from safehub.analytics import charts
from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.labels import WEEKDAYS, _choice_label
from safehub.analytics.profile.model import Section, Table
from safehub.intelligence.choices import LocationKind
from safehub.suppression import suppress_column


class LocationsBuilder(BuilderBase):
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
