"""Map coordinates: British National Grid eastings and northings to latitude and longitude.

Police extracts carry BNG eastings and northings (EPSG:27700); H3 cells and web maps want WGS84
latitude and longitude (EPSG:4326). One pyproj transformer is built once and reused, because
building it costs far more than transforming a few hundred thousand points.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from pyproj import Transformer


@cache
def _bng_to_wgs84() -> Transformer:
    # always_xy: input is (easting, northing), output (longitude, latitude) whatever the
    # authority's axis order says.
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def bng_to_latlng(
    eastings: Sequence[float] | np.ndarray, northings: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes (degrees, WGS84) for arrays of BNG eastings and northings (metres).

    Refuses arrays of different lengths (ValueError)."""
    e = np.asarray(eastings, dtype=float)
    n = np.asarray(northings, dtype=float)
    if e.shape != n.shape:
        raise ValueError("eastings and northings must have the same length")
    lngs, lats = _bng_to_wgs84().transform(e, n)
    return np.asarray(lats, dtype=float), np.asarray(lngs, dtype=float)


def bng_point_to_latlng(easting: float, northing: float) -> tuple[float, float]:
    """One BNG easting and northing as (latitude, longitude)."""
    lng, lat = _bng_to_wgs84().transform(float(easting), float(northing))
    return float(lat), float(lng)
