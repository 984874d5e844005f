"""Builds the whole profile: runs the queries on an engine and puts the sections together
in the order a police problem profile uses."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from safehub.analytics.engines import DuckDBEngine, Engine, SparkEngine
from safehub.analytics.profile.gaps import GapsBuilder
from safehub.analytics.profile.locations import LocationsBuilder
from safehub.analytics.profile.model import (
    Audience,
    Linker,
    Profile,
    ScaleFigures,
    Section,
    _no_links,
)
from safehub.analytics.profile.networks import NetworksBuilder
from safehub.analytics.profile.perpetrators import PerpetratorsBuilder
from safehub.analytics.profile.quality import QualityBuilder
from safehub.analytics.profile.scale import ScaleBuilder
from safehub.analytics.profile.summary import SummaryBuilder
from safehub.analytics.profile.victims import VictimsBuilder
from safehub.analytics.snapshot import Snapshot


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


class _Builder(
    SummaryBuilder,
    ScaleBuilder,
    VictimsBuilder,
    PerpetratorsBuilder,
    LocationsBuilder,
    NetworksBuilder,
    GapsBuilder,
    QualityBuilder,
):
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
