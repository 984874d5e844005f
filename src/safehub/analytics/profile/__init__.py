"""The CSE problem profile: built from a snapshot, in the order a police problem profile uses.

summary, scale, victims, perpetrators, locations, networks, intelligence gaps, data quality.

`build_profile` runs the questions in `queries` on an engine (DuckDB by default, Spark for a
region), then the hotspot and network analysis on the results. Two audiences:

- `FULL`, for police analysts and intelligence officers: every table, the hotspot cells and
  the link chart, with drill-down to the records (which their own pages audit);
- `AGGREGATE`, for board members and the CSE manager: counts only, small numbers suppressed
  (`suppression`), no place names, no schools, no network members, no hotspot cells.

Every table carries the sources it came from and a note on its quality, shown beside it.

One module per section builds it (`summary`, `scale`, `victims`, `perpetrators`, `locations`,
`networks`, `gaps`, `quality`); `model` holds the shapes they fill, `labels` the wording of
codes, `base` the counting and suppression every section shares, and `build` puts them
together in the profile's order.
"""

from safehub.analytics.profile.build import build_profile
from safehub.analytics.profile.model import Audience, Profile, ScaleFigures, Section, Table

__all__ = ["Audience", "Profile", "ScaleFigures", "Section", "Table", "build_profile"]
