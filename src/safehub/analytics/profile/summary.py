"""The summary section: the headline findings, from the facts the other sections gathered."""

from __future__ import annotations

from safehub.analytics.profile.base import BuilderBase
from safehub.analytics.profile.labels import _plural
from safehub.analytics.profile.model import Section


class SummaryBuilder(BuilderBase):
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
