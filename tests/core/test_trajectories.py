"""The trajectory engine: patched-conic transfers against published mission figures and
textbook formulas, flight plans, OEM arcs and porkchops (every grid cell is the same solve as
a single leg)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from spaceviz.core.astro.bodies import BODIES
from spaceviz.core.astro.ephemeris import default_ephemeris
from spaceviz.core.astro.oem import read_oem
from spaceviz.core.astro.time import parse_time
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import (
    AU_KM,
    AU_PER_DAY_TO_KM_PER_S,
    GM_EARTH_KM3_PER_S2,
    GM_SUN_KM3_PER_S2,
)
from spaceviz.core.errors import UserError
from spaceviz.core.mission.trajectories import (
    ECLIPTIC_POLE_ICRF,
    FlightPlan,
    OemArc,
    Place,
    TransferError,
    orbit_burn_km_s,
    orbit_radius_km,
    plan_transfer,
    porkchop,
    porkchop_rows,
    surface_to_orbit_km_s,
)

OEM_DIR = Path(__file__).parent.parent / "data" / "oem"
ONE_METRE_AU = 1e-3 / AU_KM
EPH = default_ephemeris()

# Mars 2020 (Perseverance): launched 2020-07-30, landed 2021-02-18.
MARS2020_DEPART = "2020-07-30T11:50:00Z"
MARS2020_ARRIVE = "2021-02-18T20:55:00Z"


def body(name: str) -> Place:
    system = "Earth" if name in ("Earth", "Moon") else "Sun"
    return Place(name, lambda t, n=name: EPH.state(n, t), system, name, orbit_radius_km(name))


def helio(name: str) -> Place:
    """A body seen from the Sun (Earth leaving for Mars)."""
    return Place(name, lambda t, n=name: EPH.state(n, t), "Sun", name, orbit_radius_km(name))


def lunar_south_pole() -> Place:
    """A place 1737.4 km 'below' the Moon's centre (south pole), on its surface."""
    offset = np.array([0.0, 0.0, -1737.4]) / AU_KM

    def state(t):
        pos, vel = EPH.state("Moon", t)
        return pos + offset.reshape((3,) + (1,) * (pos.ndim - 1)), vel

    return Place("South pole", state, "Earth", "Moon", orbit_radius_km("Moon"), surface=True)


def asteroid(name="Rock", shift_au=(0.3, 0.2, 0.0)) -> Place:
    """A small body (no gravity well) on Mars' path, shifted."""
    def state(t):
        pos, vel = EPH.state("Mars", t)
        return pos + np.reshape(shift_au, (3,) + (1,) * (pos.ndim - 1)), vel

    return Place(name, state, "Sun")


# --------------------------------------------------------------------------- burn formulas

def test_orbit_burn_is_the_vis_viva_difference():
    # Departure from a 400 km circular orbit with v_inf = 3 km/s (Curtis, eq. 8.40):
    r = 6378.137 + 400.0
    expected = math.sqrt(9.0 + 2 * GM_EARTH_KM3_PER_S2 / r) - math.sqrt(GM_EARTH_KM3_PER_S2 / r)
    assert float(orbit_burn_km_s(3.0, GM_EARTH_KM3_PER_S2, r)) == pytest.approx(expected, rel=1e-12)
    assert orbit_radius_km("Earth") == pytest.approx(6778.137)
    assert orbit_radius_km("Moon") == pytest.approx(1837.4)


def test_surface_to_low_lunar_orbit():
    """Ideal ascent from the Moon's surface to a 100 km orbit: a Hohmann-type ellipse from the
    surface radius, by hand: 1.703 km/s at the surface and 0.023 km/s to circularise. Apollo's
    Lunar Module ascent budget, with gravity losses, was about 1.85 km/s (NASA SP-4009)."""
    gm, r0, r1 = BODIES["Moon"].gm_km3_per_s2, 1737.4, 1837.4
    vp = math.sqrt(2 * gm * r1 / (r0 * (r0 + r1)))
    by_hand = vp + math.sqrt(gm / r1) - vp * r0 / r1
    value = surface_to_orbit_km_s(gm, r0, r1)
    assert value == pytest.approx(by_hand, rel=1e-12)
    assert 1.70 < value < 1.75 < 1.85


# --------------------------------------------------------------------------- transfers

def test_mars_2020_transfer():
    """Perseverance: launch C3 about 14.5 km^2/s^2 (JPL Mars 2020 press kit); arrival v_inf
    about 2.6 km/s. From a 400 km parking orbit the departure burn is the vis-viva difference;
    the arrival is a capture into a 400 km circular Mars orbit."""
    t0, t1 = parse_time(MARS2020_DEPART), parse_time(MARS2020_ARRIVE)
    leg = plan_transfer(helio("Earth"), body("Mars"), t0, t1, EPH)
    assert leg.central == "Sun" and leg.revolutions == 0
    assert 12.0 < leg.c3_km2_s2 < 17.0
    assert leg.departure_dv_km_s == pytest.approx(
        float(orbit_burn_km_s(math.sqrt(leg.c3_km2_s2), GM_EARTH_KM3_PER_S2, 6778.137)))
    assert 3.6 < leg.departure_dv_km_s < 4.0
    assert 2.3 < leg.arrival_v_inf_km_s < 2.9
    assert leg.arrival_dv_km_s == pytest.approx(
        float(orbit_burn_km_s(leg.arrival_v_inf_km_s, BODIES["Mars"].gm_km3_per_s2,
                              BODIES["Mars"].radius_km + 400.0)))
    assert leg.tof_days == pytest.approx(t1 - t0)
    # the transfer orbit is prograde about the ecliptic pole
    assert np.cross(leg.r1_km, leg.v1_km_s) @ ECLIPTIC_POLE_ICRF > 0


def test_the_arc_runs_from_end_to_end():
    t0, t1 = parse_time(MARS2020_DEPART), parse_time(MARS2020_ARRIVE)
    leg = plan_transfer(helio("Earth"), body("Mars"), t0, t1, EPH)
    assert np.linalg.norm(leg.state(t0)[0] - EPH.position("Earth", t0)) < ONE_METRE_AU
    assert np.linalg.norm(leg.state(t1)[0] - EPH.position("Mars", t1)) < ONE_METRE_AU
    times = np.array([t0, 0.5 * (t0 + t1), t1])
    pos, vel = leg.state(times)
    assert pos.shape == vel.shape == (3, 3)
    for k, t in enumerate(times):
        np.testing.assert_allclose(leg.state(t)[0], pos[:, k], rtol=0, atol=1e-15)
    # mid-flight the ship is between the orbits of Earth and Mars
    assert 1.0 < np.linalg.norm(pos[:, 1] - EPH.position("Sun", times[1])) < 1.67


def test_trans_lunar_injection_matches_apollo():
    """4.5 days from a 400 km parking orbit to the Moon: TLI about 3.1 km/s with C3 about -2
    km^2/s^2 (Apollo 11: 3.04 km/s from 190 km, C3 -1.4; NASA SP-4029); lunar orbit
    insertion into 100 km about 0.85 km/s (Apollo 11 LOI: 0.89 km/s)."""
    t0 = parse_time("2030-01-01")
    leg = plan_transfer(body("Earth"), body("Moon"), t0, t0 + 4.5, EPH)
    assert leg.central == "Earth" and leg.parking1 and not leg.parking2
    assert np.linalg.norm(leg.r1_km) == pytest.approx(6778.137)
    assert -2.5 < leg.c3_km2_s2 < -1.0
    assert 3.0 < leg.departure_dv_km_s < 3.2
    assert 0.7 < leg.arrival_dv_km_s < 1.0
    assert leg.arrival_dv_km_s == pytest.approx(float(orbit_burn_km_s(
        leg.arrival_v_inf_km_s, BODIES["Moon"].gm_km3_per_s2, 1837.4)))
    moon_pos = EPH.position("Moon", t0 + 4.5)
    assert np.linalg.norm(leg.state(t0 + 4.5)[0] - moon_pos) < ONE_METRE_AU


def test_from_the_lunar_surface_to_earth():
    """Ascent (ideal 1.73 km/s) plus trans-Earth injection from low lunar orbit (Apollo 11:
    about 1.0 km/s), then a capture into low Earth orbit (about 3.1 km/s without aerobraking)."""
    t0 = parse_time("2030-02-01")
    leg = plan_transfer(lunar_south_pole(), body("Earth"), t0, t0 + 4.5, EPH)
    ascent = surface_to_orbit_km_s(BODIES["Moon"].gm_km3_per_s2, 1737.4, 1837.4)
    assert leg.central == "Earth" and leg.parking2
    assert 0.6 < leg.departure_dv_km_s - ascent < 1.2
    assert 2.9 < leg.arrival_dv_km_s < 3.3
    back = plan_transfer(body("Earth"), lunar_south_pole(), t0 + 20, t0 + 24.5, EPH)
    assert 2.3 < back.arrival_dv_km_s < 2.9  # capture into LLO, then landing
    site = lunar_south_pole().state(t0 + 24.5)[0]
    assert np.linalg.norm(back.state(t0 + 24.5)[0] - site) < ONE_METRE_AU


def test_a_small_body_is_a_rendezvous():
    t0 = parse_time("2030-03-01")
    leg = plan_transfer(helio("Earth"), asteroid(), t0, t0 + 300, EPH)
    assert leg.arrival_dv_km_s == pytest.approx(leg.arrival_v_inf_km_s, rel=1e-12)


def test_transfer_errors():
    t0 = parse_time("2030-01-01")
    with pytest.raises(TransferError, match="after departure"):
        plan_transfer(body("Earth"), body("Mars"), t0, t0, EPH)
    with pytest.raises(TransferError, match="goes nowhere"):
        plan_transfer(body("Earth"), body("Earth"), t0, t0 + 3, EPH)
    with pytest.raises(TransferError, match="both on the Moon"):
        plan_transfer(lunar_south_pole(), lunar_south_pole(), t0, t0 + 1, EPH)
    with pytest.raises(TransferError, match="3-revolution"):
        plan_transfer(helio("Earth"), body("Venus"), t0, t0 + 60, EPH, revolutions=3)
    assert issubclass(TransferError, UserError)


def test_a_descent_from_lunar_orbit_is_an_arc_about_the_moon():
    """Both ends on the Moon's side: the arc is about the Moon, from a point of the 100 km
    orbit to the surface point itself; in an hour it costs within 5% of the ideal descent
    (half an ellipse: 56.5 min), 1.73 km/s (surface_to_orbit_km_s; Acta Astronautica 177
    (2020) Table 4 gives 2.18 km/s with gravity losses and a 5% reserve)."""
    t0 = parse_time("2030-01-01")
    leg = plan_transfer(body("Moon"), lunar_south_pole(), t0, t0 + 1.0 / 24.0, EPH)
    ideal = surface_to_orbit_km_s(BODIES["Moon"].gm_km3_per_s2, 1737.4, 1837.4)
    assert leg.central == "Moon" and leg.parking1 and not leg.parking2
    assert ideal <= leg.total_dv_km_s < 1.05 * ideal
    pole = lunar_south_pole().state(leg.arrive_tdb)[0]
    assert np.linalg.norm(leg.state(leg.arrive_tdb)[0] - pole) < ONE_METRE_AU


def test_revolutions_and_branches():
    """A 500-day Earth -> Venus leg: one revolution on either branch lands on Venus; left
    without asking, the engine flies the cheapest of every arc it can find and says which."""
    t0 = parse_time("2030-01-01")
    venus = EPH.position("Venus", t0 + 500)
    legs = {side: plan_transfer(helio("Earth"), body("Venus"), t0, t0 + 500, EPH,
                                revolutions=1, branch=side) for side in ("left", "right")}
    for leg in legs.values():
        assert leg.revolutions == 1
        assert np.linalg.norm(leg.state(t0 + 500)[0] - venus) < ONE_METRE_AU
    assert legs["left"].departure_dv_km_s != pytest.approx(legs["right"].departure_dv_km_s)
    zero = plan_transfer(helio("Earth"), body("Venus"), t0, t0 + 500, EPH, revolutions=0)
    cheapest = plan_transfer(helio("Earth"), body("Venus"), t0, t0 + 500, EPH)
    candidates = [zero.total_dv_km_s] + [leg.total_dv_km_s for leg in legs.values()]
    assert cheapest.total_dv_km_s <= min(candidates) + 1e-9


# --------------------------------------------------------------------------- flight plans

def test_a_plan_with_two_legs_waits_in_parking_orbit_and_carries_cargo():
    t0, t1 = parse_time(MARS2020_DEPART), parse_time(MARS2020_ARRIVE)
    t2, t3 = parse_time("2021-11-01"), parse_time("2022-07-01")
    out = plan_transfer(helio("Earth"), helio("Mars"), t0, t1, EPH)
    back = plan_transfer(helio("Mars"), helio("Earth"), t2, t3, EPH)
    plan = FlightPlan("Hauler", [out, back], [0.0, 5000.0])
    times = np.array([t0 - 10, 0.5 * (t0 + t1), t1 + 10, 0.5 * (t2 + t3), t3 + 10])
    pos, _ = plan.state(times)
    # Waiting at a planet: on its parking orbit, not at its centre.
    for k, name in ((0, "Earth"), (2, "Mars"), (4, "Earth")):
        gap_km = np.linalg.norm(pos[:, k] - EPH.position(name, times[k])) * AU_KM
        assert gap_km == pytest.approx(orbit_radius_km(name), rel=1e-9)
    np.testing.assert_allclose(pos[:, 3], back.state(times[3])[0], atol=1e-15)
    np.testing.assert_array_equal(plan.leg_index(times), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(plan.cargo_at(times), [0, 0, 0, 5000, 0])
    np.testing.assert_array_equal(plan.in_flight(times), [False, True, False, True, False])
    assert [plan.waiting_at(t) for t in times] == ["Earth", None, "Mars", None, "Earth"]
    events = plan.events()
    assert [e.kind for e in events] == ["departure", "arrival", "departure", "arrival"]
    assert [e.t_tdb for e in events] == [t0, t1, t2, t3]
    assert events[1].name == "Hauler arrives at Mars" and events[1].target == "Hauler"


def test_waiting_in_the_earth_parking_orbit_is_continuous_with_the_injection():
    t0 = parse_time("2030-01-01")
    leg = plan_transfer(body("Earth"), body("Moon"), t0, t0 + 4.5, EPH)
    plan = FlightPlan("Tug", [leg])
    before, after = plan.state(np.array([t0 - 1e-7, t0 + 1e-7]))[0].T
    assert np.linalg.norm(before - after) * AU_KM < 2.0  # km, over 17 ms at ~11 km/s
    earlier = plan.state(t0 - 0.3)[0]
    assert np.linalg.norm(earlier - EPH.position("Earth", t0 - 0.3)) * AU_KM == pytest.approx(
        6778.137, rel=1e-9)


def test_plans_refuse_overlapping_legs_and_replan_in_order():
    t0 = parse_time("2030-01-01")
    a = plan_transfer(helio("Earth"), helio("Mars"), t0, t0 + 250, EPH)
    b = plan_transfer(helio("Mars"), helio("Earth"), t0 + 200, t0 + 500, EPH)
    with pytest.raises(UserError, match="departs before"):
        FlightPlan("Clash", [a, b])
    with pytest.raises(UserError, match="cargo"):
        FlightPlan("Clash", [a], [1.0, 2.0])
    with pytest.raises(UserError, match="no legs"):
        FlightPlan("Empty", [])
    c = plan_transfer(helio("Mars"), helio("Earth"), t0 + 300, t0 + 600, EPH)
    plan = FlightPlan("Shuttle", [a, c])
    moved = plan.replanned(0, t0 + 10, t0 + 270, EPH)
    assert moved.legs[0].depart_tdb == t0 + 10 and moved.legs[1] is c
    with pytest.raises(UserError, match="after its next leg departs"):
        plan.replanned(0, t0, t0 + 320, EPH)


# --------------------------------------------------------------------------- OEM arcs

def test_oem_arc_heliocentric():
    arc = OemArc.from_file(OEM_DIR / "heliocentric_lagrange.oem", EPH)
    assert arc.name == "Prospector-1"
    t0 = arc.depart_tdb
    assert t0 == parse_time("jd:2462502.5") and arc.arrive_tdb == t0 + 20
    times = np.linspace(t0, t0 + 20, 401)
    pos, vel = arc.state(times)
    r, v = propagate_state([1.2e8, -9.0e7, -3.9e7], [20.0, 22.0, 9.5], (times - t0) * 86400.0,
                           GM_SUN_KM3_PER_S2)
    sun_pos, sun_vel = EPH.state("Sun", times)
    assert np.max(np.linalg.norm(pos - (r / AU_KM + sun_pos), axis=0)) < ONE_METRE_AU
    expected_vel = v / AU_PER_DAY_TO_KM_PER_S + sun_vel
    assert np.max(np.abs(vel - expected_vel)) * AU_PER_DAY_TO_KM_PER_S < 1e-6  # km/s
    outside, _ = arc.state(np.array([t0 - 1, t0 + 21]))
    assert np.all(np.isnan(outside))


def test_oem_arc_geocentric_eme2000_two_segments():
    arc = OemArc(read_oem(OEM_DIR / "geocentric_two_segments.oem"), EPH)
    first, second = arc.segments
    times = np.concatenate([np.linspace(first.t_tdb[0], first.t_tdb[-1], 50),
                            np.linspace(second.t_tdb[0], second.t_tdb[-1], 50)])
    pos, _ = arc.state(times)
    r, _ = propagate_state([6800.0, 1200.0, 300.0], [-1.1, 6.4, 3.7],
                           (times - first.t_tdb[0]) * 86400.0, GM_EARTH_KM3_PER_S2)
    earth_pos, _ = EPH.state("Earth", times)
    assert np.max(np.linalg.norm(pos - (r / AU_KM + earth_pos), axis=0)) < ONE_METRE_AU
    gap, _ = arc.state(0.5 * (first.t_tdb[-1] + second.t_tdb[0]))
    assert np.all(np.isnan(gap))


def test_a_plan_of_an_oem_arc_holds_its_ends():
    arc = OemArc.from_file(OEM_DIR / "heliocentric_lagrange.oem", EPH)
    plan = FlightPlan("Prospector-1", [arc], [1200.0])
    t = arc.depart_tdb + 3.3
    np.testing.assert_array_equal(plan.state(t)[0], arc.state(t)[0])
    assert plan.cargo_at(t) == 1200.0
    np.testing.assert_allclose(plan.state(arc.depart_tdb - 5)[0], arc.state(arc.depart_tdb)[0])
    assert plan.events()[0].name == "Prospector-1: trajectory begins"


# --------------------------------------------------------------------------- porkchop

def test_porkchop_mars_2020_window():
    """The minimum-C3 launch of the 2020 window is near 2020-07-20 at about 13 km^2/s^2
    (Mars 2020, Tianwen-1 and Hope launched 2020-07-19..30); every cell is a single leg."""
    departs = np.linspace(parse_time("2020-06-01"), parse_time("2020-09-30"), 120)
    flights = np.linspace(120.0, 330.0, 110)
    grid = porkchop(helio("Earth"), body("Mars"), departs, flights, EPH)
    assert grid.c3_km2_s2.shape == (120, 110) and grid.central == "Sun"
    t_dep, t_arr, c3 = grid.best("c3_km2_s2")
    assert 8.0 < c3 < 14.0
    assert abs(t_dep - parse_time("2020-07-20")) < 21
    assert parse_time("2020-12-15") < t_arr < parse_time("2021-03-15")
    i, j = 57, 63
    leg = plan_transfer(helio("Earth"), body("Mars"), departs[i], departs[i] + flights[j], EPH,
                        revolutions=0)
    assert grid.c3_km2_s2[i, j] == pytest.approx(leg.c3_km2_s2, rel=1e-9)
    assert grid.departure_dv_km_s[i, j] == pytest.approx(leg.departure_dv_km_s, rel=1e-9)
    assert grid.arrival_dv_km_s[i, j] == pytest.approx(leg.arrival_dv_km_s, rel=1e-9)
    rows = porkchop_rows(grid)
    assert len(rows) == 120 * 110 and rows[1][2] == pytest.approx(flights[1])
    assert rows[110][0] == pytest.approx(departs[1])


@pytest.mark.parametrize(("origin", "target"), [("Earth", "Moon"), ("Moon", "Earth")])
def test_porkchop_between_earth_and_moon(origin, target):
    """Either way between the Earth and the Moon the grid is solvable (a parking orbit at the
    central body's end, never a zero radius), and a cell equals the single leg."""
    t0 = parse_time("2030-01-01")
    departs = t0 + np.linspace(0, 28, 29)
    flights = np.linspace(2.0, 10.0, 17)
    grid = porkchop(body(origin), body(target), departs, flights, EPH)
    assert grid.central == "Earth"
    assert np.isfinite(grid.total_dv_km_s).mean() > 0.9
    _, _, best = grid.best()
    assert 3.5 < best < 4.5  # TLI + LOI (or TEI + capture) about 3.9 km/s
    leg = plan_transfer(body(origin), body(target), departs[3], departs[3] + flights[5], EPH,
                        revolutions=0)
    assert grid.total_dv_km_s[3, 5] == pytest.approx(leg.total_dv_km_s, rel=1e-9)
