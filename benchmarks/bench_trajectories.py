"""Lambert throughput, porkchop grid, transfer sampling and OEM interpolation speed.

Run: `.venv/bin/python -m pytest benchmarks/bench_trajectories.py --benchmark-only -p no:xvfb
-o python_files="bench_*.py"`. Throughputs are stored in each benchmark's extra_info.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from spaceviz.core.astro.lambert import lambert
from spaceviz.core.astro.oem import interpolate_segment, parse_oem, write_oem
from spaceviz.core.astro.time import parse_time
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import AU_KM, GM_SUN_KM3_PER_S2
from spaceviz.core.mission.trajectories import Transfer, ephemeris_state_of, porkchop

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


def test_porkchop_200x200_earth_mars(benchmark):
    state_of = ephemeris_state_of()
    departs = np.linspace(parse_time("2020-06-01"), parse_time("2020-09-30"), GRID)
    arrives = np.linspace(parse_time("2021-01-01"), parse_time("2021-04-30"), GRID)
    grid = benchmark(porkchop, state_of, "Earth", "Mars", departs, arrives)
    assert 8.0 < grid.best()[2] < 14.0
    benchmark.extra_info["cells_per_s"] = GRID * GRID / benchmark.stats.stats.mean


def test_transfer_state_10000_times(benchmark):
    state_of = ephemeris_state_of()
    t0, t1 = parse_time("2020-07-30"), parse_time("2021-02-18")
    leg = Transfer.solve(state_of, "Earth", "Mars", t0, t1)
    times = np.linspace(t0 - 30, t1 + 30, 10_000)
    pos, _ = benchmark(leg.state, times)
    assert pos.shape == (3, 10_000)


def test_oem_interpolation_100000_times(benchmark):
    state_of = ephemeris_state_of()
    t0, t1 = parse_time("2020-07-30"), parse_time("2021-02-18")
    leg = Transfer.solve(state_of, "Earth", "Mars", t0, t1)
    times = np.linspace(t0 + 0.01, t1 - 0.01, 2000)
    pos, vel = leg.arc_state(times)
    sun_pos, sun_vel = state_of("Sun", times)
    out = io.StringIO()
    write_oem(out, "bench", times, (pos - sun_pos) * AU_KM,
              (vel - sun_vel) * AU_KM / 86400.0, "Sun", "ICRF", "bench")
    segment = parse_oem(out.getvalue()).segments[0]
    queries = np.linspace(times[0], times[-1], 100_000)
    p, _ = benchmark(interpolate_segment, segment, queries)
    assert p.shape == (3, 100_000)
