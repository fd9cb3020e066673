"""Lambert throughput, porkchop grid, transfer sampling and OEM interpolation speed.

Run: `.venv/bin/python -m pytest benchmarks/bench_trajectories.py --benchmark-only -p no:xvfb
-o python_files="bench_*.py"`. Throughputs are stored in each benchmark's extra_info.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from spaceviz.core.astro.lambert import lambert
from spaceviz.core.astro.oem import OemData, interpolate_segment, parse_oem, write_oem
from spaceviz.core.astro.time import parse_time
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import AU_KM, GM_SUN_KM3_PER_S2
from spaceviz.core.mission.trajectories import plan_transfer, porkchop
from spaceviz.core.scenario.world import World

N_LAMBERT = 40_000
GRID = 200


@pytest.fixture(scope="module")
def problems():
    rng = np.random.default_rng(1)
    direction = rng.normal(size=(2, 3, N_LAMBERT))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    radius = rng.uniform(0.7, 3.0, (2, 1, N_LAMBERT)) * AU_KM
    r1, r2 = direction * radius
    tof_s = rng.uniform(60.0, 900.0, N_LAMBERT) * 86400.0
    return r1, r2, tof_s


def test_lambert_40000_problems(benchmark, problems):
    r1, r2, tof_s = problems
    v1, _ = benchmark(lambert, r1, r2, tof_s, GM_SUN_KM3_PER_S2)
    assert np.isfinite(v1).all()
    benchmark.extra_info["problems_per_s"] = N_LAMBERT / benchmark.stats.stats.mean


def test_propagate_40000_states(benchmark, problems):
    r1, r2, tof_s = problems
    v1, _ = lambert(r1, r2, tof_s, GM_SUN_KM3_PER_S2)
    pos, _ = benchmark(propagate_state, r1, v1, tof_s, GM_SUN_KM3_PER_S2)
    assert np.median(np.linalg.norm(pos - r2, axis=0)) < 1e-6
    benchmark.extra_info["states_per_s"] = N_LAMBERT / benchmark.stats.stats.mean


@pytest.fixture(scope="module")
def world():
    return World()


def test_porkchop_200x200_earth_mars(benchmark, world):
    """The grid the app and `spaceviz porkchop` draw: departure x time of flight, patched
    conics from a 400 km parking orbit to a 400 km Mars orbit."""
    departs = np.linspace(parse_time("2020-06-01"), parse_time("2020-09-30"), GRID)
    flights = np.linspace(120.0, 330.0, GRID)
    grid = benchmark(porkchop, world.place("Earth"), world.place("Mars"), departs, flights,
                     world.ephemeris)
    assert 8.0 < grid.best("c3_km2_s2")[2] < 14.0
    benchmark.extra_info["cells_per_s"] = GRID * GRID / benchmark.stats.stats.mean


def test_porkchop_200x200_earth_moon(benchmark, world):
    """Earth-centred: every cell tries six parking-orbit sweeps (240,000 Lambert problems)."""
    t0 = parse_time("2030-01-01")
    grid = benchmark(porkchop, world.place("Earth"), world.place("Moon"),
                     t0 + np.linspace(0, 30, GRID), np.linspace(2.0, 10.0, GRID),
                     world.ephemeris)
    assert 3.5 < grid.best()[2] < 4.5
    benchmark.extra_info["cells_per_s"] = GRID * GRID / benchmark.stats.stats.mean


def test_transfer_state_10000_times(benchmark, world):
    t0, t1 = parse_time("2020-07-30"), parse_time("2021-02-18")
    leg = plan_transfer(world.place("Earth"), world.place("Mars"), t0, t1, world.ephemeris)
    times = np.linspace(t0, t1, 10_000)
    pos, _ = benchmark(leg.state, times)
    assert pos.shape == (3, 10_000)


def test_oem_interpolation_100000_times(benchmark, world):
    t0, t1 = parse_time("2020-07-30"), parse_time("2021-02-18")
    leg = plan_transfer(world.place("Earth"), world.place("Mars"), t0, t1, world.ephemeris)
    times = np.linspace(t0 + 0.01, t1 - 0.01, 2000)
    pos_km, vel_km_s = leg.relative_state(times)
    out = io.StringIO()
    write_oem(out, "bench", [OemData(times, pos_km, vel_km_s, "Sun")], "ICRF", "bench")
    segment = parse_oem(out.getvalue()).segments[0]
    queries = np.linspace(times[0], times[-1], 100_000)
    p, _ = benchmark(interpolate_segment, segment, queries)
    assert p.shape == (3, 100_000)
