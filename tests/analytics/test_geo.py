"""BNG to WGS84 conversion against known places."""

from __future__ import annotations

import numpy as np
import pytest

from safehub.analytics.geo import bng_point_to_latlng, bng_to_latlng


def test_charing_cross_converts_to_its_latitude_and_longitude() -> None:
    lat, lng = bng_point_to_latlng(530_034, 180_381)
    assert lat == pytest.approx(51.5074, abs=0.001)
    assert lng == pytest.approx(-0.1278, abs=0.002)


def test_vectorised_conversion_agrees_with_the_scalar_one() -> None:
    eastings, northings = [430_000, 437_000, 300_000], [272_000, 279_000, 500_000]
    lats, lngs = bng_to_latlng(eastings, northings)
    assert lats.shape == (3,)
    for i in range(3):
        assert (lats[i], lngs[i]) == pytest.approx(bng_point_to_latlng(eastings[i], northings[i]))
    # North and east on the grid are north and east on the globe.
    assert lats[1] > lats[0] and lngs[1] > lngs[0]


def test_arrays_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError):
        bng_to_latlng(np.array([1.0, 2.0]), np.array([1.0]))
