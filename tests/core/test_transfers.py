"""Lambert transfers against published solutions; ships exactly at their ends."""

import numpy as np
import pytest

from spaceviz.core.session import Session
from spaceviz.core.ships import central_body
from spaceviz.core.transfers import lambert, propagate_state

MU_EARTH = 398600.4418  # km^3/s^2


@pytest.mark.parametrize(("r1", "r2", "tof_s", "mu", "v1_expected", "v2_expected"), [
    # Curtis, Orbital Mechanics for Engineering Students, Example 5.2
    ([5000, 10000, 2100], [-14600, 2500, 7000], 3600, 398600,
     [-5.9925, 1.9254, 3.2456], [-3.3125, -4.1966, -0.38529]),
    # Vallado, Fundamentals of Astrodynamics, Example 7-5
    ([15945.34, 0, 0], [12214.83899, 10249.46731, 0], 76 * 60, MU_EARTH,
     [2.058913, 2.915965, 0], [-3.451565, 0.910315, 0]),
])
def test_lambert_matches_published_solutions(r1, r2, tof_s, mu, v1_expected, v2_expected):
    v1, v2 = lambert(np.array(r1, float), np.array(r2, float), tof_s, mu)
    np.testing.assert_allclose(v1[:, 0], v1_expected, atol=5e-4)
    np.testing.assert_allclose(v2[:, 0], v2_expected, atol=5e-4)


def test_lambert_is_vectorised_and_lands_on_r2():
    rng = np.random.default_rng(4)
    r1 = rng.normal(size=(3, 500)) * 1e4
    r2 = rng.normal(size=(3, 500)) * 1e4
    tof = rng.uniform(1800, 40000, 500)
    v1, _ = lambert(r1, r2, tof, MU_EARTH)
    finite = np.all(np.isfinite(v1), axis=0)
    assert finite.mean() > 0.99
    for k in np.flatnonzero(finite)[:40]:
        r, _ = propagate_state(r1[:, k], v1[:, k], [tof[k]], MU_EARTH)
        assert np.linalg.norm(r[:, 0] - r2[:, k]) < 1e-3  # 1 m after the whole transfer


def test_bad_times_give_nan():
    v1, _ = lambert(np.array([7000.0, 0, 0]), np.array([0, 8000.0, 0]), -5.0, MU_EARTH)
    assert np.isnan(v1).all()


def test_universal_propagation_keeps_energy_on_a_hyperbola():
    r0, v0 = np.array([7000.0, 0, 0]), np.array([0, 12.0, 0.5])  # above escape speed
    r, v = propagate_state(r0, v0, np.linspace(0, 50000, 7), MU_EARTH)
    energy = 0.5 * (v * v).sum(axis=0) - MU_EARTH / np.linalg.norm(r, axis=0)
    np.testing.assert_allclose(energy, energy[0], rtol=1e-9)
    assert energy[0] > 0


@pytest.fixture(scope="module")
def session():
    return Session.load()


def test_ship_is_exactly_at_both_ends_of_its_transfer(session):
    world = session.world
    ship = world.ships["Prospector-1"]
    leg = ship.leg
    assert leg.central == "Sun"
    depart, arrive = leg.depart_tdb, leg.arrive_tdb
    np.testing.assert_allclose(world.position("Prospector-1", depart + 1e-9),
                               world.position("Earth", depart + 1e-9), atol=1e-9)
    in_flight = world.position("Prospector-1", arrive - 1e-9)
    assert np.linalg.norm(in_flight - world.position("Psyche", arrive)) < 1e-6
    np.testing.assert_array_equal(world.position("Prospector-1", depart - 10),
                                  world.position("Earth", depart - 10))
    np.testing.assert_array_equal(world.position("Prospector-1", arrive + 10),
                                  world.position("Psyche", arrive + 10))
    assert 6.0 < leg.departure_dv_km_s < 8.0 and leg.c3_km2_s2 == pytest.approx(
        leg.departure_dv_km_s ** 2)


def test_central_body_is_the_earth_inside_the_earth_moon_system(session):
    world = session.world
    assert central_body(world, "Shackleton ice mine", "Earth") == "Earth"
    assert central_body(world, "Moon", "Earth") == "Earth"
    assert central_body(world, "Earth", "Psyche") == "Sun"


def test_a_loaded_ship_carries_its_cargo_into_the_operations_model(session):
    tanker = session.world.ships["Polar Tanker"]
    t_mid = 0.5 * (tanker.leg.depart_tdb + tanker.leg.arrive_tdb)
    ships = session.report(t_mid)["ships"]
    assert ships["Polar Tanker"]["cargo_kg"] == 50_000 and ships["Polar Tanker"]["status"] == "in transit"
    after = session.report(tanker.leg.arrive_tdb + 1)["ships"]["Polar Tanker"]
    assert after["delivered_kg"] == 50_000 and after["cargo_kg"] == 0
    assert tanker.carrying(t_mid) and not tanker.carrying(tanker.leg.arrive_tdb + 1)


def test_departures_and_arrivals_are_timeline_events(session):
    names = {e.name for e in session.events}
    assert "Prospector-1 departs Earth" in names and "Prospector-1 arrives at Psyche" in names
