"""Orbit propagation and MPCORB loading, ours vs skyfield, as pytest-benchmark functions.

Run: `.venv/bin/python -m pytest benchmarks/bench_orbits.py --benchmark-only -p no:xvfb`
The MPCORB file has BENCH_MPCORB_LINES lines (default 1,400,000; skyfield needs ~30 s each
round at that size). benchmarks/run_orbits.py prints the same comparisons as ratios.
"""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb, write_mpcorb
from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
from spaceviz.core.astro.orbits import propagate, propagate_positions
from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2

T = 2462502.5  # 2030-01-01 TDB
N_OBJECTS = 1000
MPCORB_LINES = int(os.environ.get("BENCH_MPCORB_LINES", "1400000"))


def skyfield_orbits(records):
    """One skyfield KeplerOrbit per record, built like skyfield.data.mpc.mpcorb_orbit."""
    from skyfield.data.spice import inertial_frames
    from skyfield.keplerlib import _CONVERT_GM, _KeplerOrbit

    from spaceviz.core.astro.time import timescale

    ts = timescale()
    gm_km3_s2 = GM_SUN_AU3_PER_DAY2 / _CONVERT_GM
    rotation = inertial_frames["ECLIPJ2000"].T
    orbits = []
    for r in records:  # skyfield builds one object at a time
        orbit = _KeplerOrbit._from_mean_anomaly(
            r["a_au"] * (1 - r["e"] ** 2), r["e"], np.degrees(r["i_rad"]),
            np.degrees(r["node_rad"]), np.degrees(r["peri_rad"]), np.degrees(r["M_rad"]),
            ts.tt_jd(r["epoch_tdb"]), gm_km3_s2, 10, None)
        orbit._rotation = rotation
        orbits.append(orbit)
    return ts, orbits


@pytest.fixture(scope="module")
def belt():
    return synthetic_belt(N_OBJECTS, seed=7)


@pytest.fixture(scope="module")
def sky(belt):
    return skyfield_orbits(belt.records)


def test_propagate_1000_objects_ours(benchmark, belt, sky):
    elements = belt.elements()
    pos, _ = benchmark(propagate, elements, T)
    ts, orbits = sky
    expected = np.stack([o._at(ts.tt_jd(T))[0] for o in orbits], axis=1)
    diff = float(np.abs(pos - expected).max())
    benchmark.extra_info["max_position_difference_au"] = diff
    assert diff < 1e-9


def test_propagate_1000_objects_skyfield(benchmark, sky):
    ts, orbits = sky
    t = ts.tt_jd(T)
    benchmark.pedantic(lambda: [o._at(t) for o in orbits], rounds=3, iterations=1)


def test_propagate_one_object_10000_times_ours(benchmark, belt):
    times = T + np.linspace(0.0, 3652.5, 10_000)
    pos, _ = benchmark(propagate, belt.elements()[0], times)
    assert pos.shape == (3, 10_000)


def test_propagate_one_object_10000_times_skyfield(benchmark, sky):
    ts, orbits = sky
    t = ts.tt_jd(T + np.linspace(0.0, 3652.5, 10_000))
    benchmark(orbits[0]._at, t)


def test_propagate_1_4_million_positions_ours(benchmark):
    elements = synthetic_belt(1_400_000, seed=1).elements()
    pos = benchmark.pedantic(propagate_positions, args=(elements, T), rounds=3, iterations=1)
    assert pos.shape == (3, 1_400_000)


@pytest.fixture(scope="module")
def mpcorb_bytes():
    out = io.BytesIO()
    write_mpcorb(synthetic_belt(MPCORB_LINES, seed=1).records, out, number_unnumbered=True)
    return out.getvalue()


def test_load_mpcorb_ours(benchmark, mpcorb_bytes):
    catalog = benchmark.pedantic(parse_mpcorb, args=(mpcorb_bytes,), rounds=3, iterations=1)
    assert len(catalog) == MPCORB_LINES and catalog.summary.skipped == 0


def test_load_mpcorb_skyfield_pandas(benchmark, mpcorb_bytes):
    from skyfield.data.mpc import load_mpcorb_dataframe

    body = mpcorb_bytes[mpcorb_bytes.index(b"-----"):].split(b"\n", 1)[1]  # skip the header
    frame = benchmark.pedantic(lambda: load_mpcorb_dataframe(io.BytesIO(body)), rounds=1,
                               iterations=1)
    assert len(frame) == MPCORB_LINES
