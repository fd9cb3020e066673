"""Porkchop grids: shape, and the 2020 Earth-Mars window where the missions flew."""

import numpy as np
import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.mission.porkchop import porkchop
from spaceviz.core.scenario.world import World


@pytest.fixture(scope="module")
def mars_2020():
    departures = np.linspace(parse_time("2020-05-01"), parse_time("2020-10-01"), 120)
    flights = np.linspace(120.0, 400.0, 100)
    return porkchop(World(), "Earth", "Mars", departures, flights)


def test_grid_shape(mars_2020):
    assert mars_2020.total_dv_km_s.shape == (120, 100)
    assert np.isfinite(mars_2020.total_dv_km_s).mean() > 0.95


def test_minimum_is_the_2020_window(mars_2020):
    # Perseverance, Tianwen-1 and Hope launched 2020-07-19..30 and arrived 2021-02-09..18.
    depart, arrive, total = mars_2020.best()
    assert parse_time("2020-07-10") < depart < parse_time("2020-08-10")
    assert parse_time("2021-01-20") < arrive < parse_time("2021-03-01")
    assert 5.5 < total < 7.5
    # Minimum departure C3 in the window: about 8-14 km^2/s^2 (Mars 2020 launched at ~14).
    assert 7.0 < np.nanmin(mars_2020.c3_km2_s2) < 15.0
