"""The scale section: the city beside other areas, from the published comparator figures."""

from __future__ import annotations

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.model import ScaleFigures, Section


class ScaleBuilder(BuilderBase):
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
