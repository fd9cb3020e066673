"""Operations model speed: 20 facilities over 10 years, and 10,000 scrubbing queries.

Run: `.venv/bin/python -m pytest benchmarks/bench_operations.py --benchmark-only -p no:xvfb`
"""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.mission.operations.simulation import simulate
from spaceviz.core.scenario.schema import FacilitySpec, ShipmentSpec
from spaceviz.core.scenario.world import Site, World

T0 = 2462502.5  # 2030-01-01 TDB
T1 = T0 + 3652.5  # ten years
WORLD = World()
SITES = [Site(f"Site {k}", body=WORLD.resolve("Moon"), lat_deg=lat, lon_deg=lon, horizon_deg=hz,
              ephemeris=WORLD.ephemeris)
         for k, (lat, lon, hz) in enumerate([(-89.9, 0.0, 0.0), (-84.7, -48.7, 3.0),
                                             (24.0, -49.0, 0.0), (8.5, 31.4, 0.0)])]


def lunar_sunlight(facilities) -> dict:
    """What the session gives the model: each lunar solar plant its site's `sunlit`."""
    sunlit = {site.name: site.sunlit for site in SITES}
    return {f.name: sunlit[f.at] for f in facilities if f.at in sunlit and f.stops_in_darkness}
RESOURCES = ["water_ice", "oxygen", "helium3", "regolith", "metals", "pgm"]


def _facilities(count: int = 20) -> list[FacilitySpec]:
    rng = np.random.default_rng(1)
    out = []
    for i in range(count):
        lunar = i < count // 2
        out.append(FacilitySpec(
            name=f"Plant {i}", at=SITES[i % len(SITES)].name if lunar else f"Asteroid {i}",
            resource=RESOURCES[i % len(RESOURCES)], rate_kg_per_day=float(rng.uniform(100, 5000)),
            start=f"jd:{T0 + float(rng.uniform(0, 1500))}", ramp_up_days=float(rng.uniform(0, 120)),
            power="solar" if i % 3 else "fission", storage_kg=float(rng.uniform(2e4, 5e5))))
    return out


def _shipments(facilities: list[FacilitySpec]) -> list[ShipmentSpec]:
    return [ShipmentSpec.model_validate({
        "name": f"Route {i}", "from": f.name, "to": "Earth", "every_days": 20.0 + 3 * i,
        "payload_kg": 60_000.0, "transit_days": 4.0 if i < 10 else 300.0})
        for i, f in enumerate(facilities)]


FACILITIES = _facilities()
SHIPMENTS = _shipments(FACILITIES)


def test_simulate_20_facilities_10_years(benchmark):
    """Model only: sunlight given as a cheap callable (no ephemeris)."""
    lit = {f.name: (lambda t: ((t - T0) % 29.53) < 14.77) for f in FACILITIES[:10]}
    sim = benchmark(simulate, FACILITIES, SHIPMENTS, t_start_tdb=T0, t_end_tdb=T1, lit=lit)
    assert sim.mined_kg.shape[0] == 20
    benchmark.extra_info["grid_points"] = int(sim.t_tdb.size)
    benchmark.extra_info["legs"] = len(sim.legs)


def test_simulate_20_facilities_10_years_with_lunar_sunlight(benchmark):
    """With the Sun's elevation computed at 4 lunar sites for every grid step."""
    sim = benchmark.pedantic(
        lambda: simulate(FACILITIES, SHIPMENTS, t_start_tdb=T0, t_end_tdb=T1,
                         lit=lunar_sunlight(FACILITIES)),
        rounds=5, iterations=1)
    assert np.all(sim.availability[10:] == 1.0)


@pytest.fixture(scope="module")
def sim():
    return simulate(FACILITIES, SHIPMENTS, t_start_tdb=T0, t_end_tdb=T1,
                    lit=lunar_sunlight(FACILITIES))


QUERIES = T0 + np.random.default_rng(2).uniform(-10.0, 3662.5, 10_000)


def test_state_at_10000_scalar_queries(benchmark, sim):
    """Scrubbing: one full state (masses, statuses, rates) per query."""

    def run():
        for t in QUERIES:
            sim.state_at(t)

    benchmark.pedantic(run, rounds=3, iterations=1)


def test_values_at_10000_times_vectorised(benchmark, sim):
    """Chart sampling: all facilities' masses at 10,000 times in one call."""
    values = benchmark(sim.values_at, QUERIES)
    assert values["mined_kg"].shape == (20, 10_000)
