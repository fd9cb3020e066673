"""Lambert solver against published cases, and landing on r2 when the solution is propagated."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro.lambert import lambert, time_of_flight
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import AU_KM, GM_EARTH_KM3_PER_S2, GM_SUN_KM3_PER_S2

MU_VALLADO = 398600.4418  # km^3/s^2, as used in Vallado's and Curtis's examples

VALLADO_R1 = np.array([15945.34, 0.0, 0.0])
VALLADO_R2 = np.array([12214.83899, 10249.46731, 0.0])
VALLADO_TOF_S = 76.0 * 60.0

CURTIS_R1 = np.array([5000.0, 10000.0, 2100.0])
CURTIS_R2 = np.array([-14600.0, 2500.0, 7000.0])
CURTIS_TOF_S = 3600.0


def _random_positions(rng, low_km, high_km, n):
    direction = rng.normal(size=(3, n))
    direction /= np.linalg.norm(direction, axis=0)
    return direction * rng.uniform(low_km, high_km, n)


def test_vallado_example_7_5():
    """Vallado, Fundamentals of Astrodynamics and Applications, Example 7-5."""
    v1, v2 = lambert(VALLADO_R1, VALLADO_R2, VALLADO_TOF_S, MU_VALLADO)
    np.testing.assert_allclose(v1, [2.058913, 2.915965, 0.0], atol=2e-6)
    np.testing.assert_allclose(v2, [-3.451565, 0.910315, 0.0], atol=2e-6)


def test_curtis_example_5_2():
    """Curtis, Orbital Mechanics for Engineering Students, Example 5.2."""
    v1, v2 = lambert(CURTIS_R1, CURTIS_R2, CURTIS_TOF_S, MU_VALLADO)
    np.testing.assert_allclose(v1, [-5.9925, 1.9254, 3.2456], atol=1e-4)
    np.testing.assert_allclose(v2, [-3.3125, -4.1966, -0.38529], atol=1e-4)


@pytest.mark.parametrize(("r1", "r2", "tof"), [(VALLADO_R1, VALLADO_R2, VALLADO_TOF_S),
                                               (CURTIS_R1, CURTIS_R2, CURTIS_TOF_S)])
def test_published_cases_land_on_r2_within_a_millimetre(r1, r2, tof):
    v1, v2 = lambert(r1, r2, tof, MU_VALLADO)
    pos, vel = propagate_state(r1, v1, tof, MU_VALLADO)
    assert np.linalg.norm(pos - r2) < 1e-6  # km
    assert np.linalg.norm(vel - v2) < 1e-9  # km/s


@pytest.mark.parametrize("options", [{}, {"prograde": False},
                                     {"revolutions": 1, "branch": "left"},
                                     {"revolutions": 1, "branch": "right"},
                                     {"revolutions": 2, "branch": "left"}])
def test_many_earth_orbit_problems_land_on_r2_within_a_millimetre(options):
    rng = np.random.default_rng(11)
    n = 4000
    r1 = _random_positions(rng, 6600.0, 50000.0, n)
    r2 = _random_positions(rng, 6600.0, 50000.0, n)
    tof = rng.uniform(600.0, 86400.0, n) * (1 + 7 * options.get("revolutions", 0))
    v1, v2 = lambert(r1, r2, tof, GM_EARTH_KM3_PER_S2, **options)
    solved = np.isfinite(v1[0])
    assert solved.mean() > (0.99 if not options.get("revolutions") else 0.8)
    pos, vel = propagate_state(r1[:, solved], v1[:, solved], tof[solved], GM_EARTH_KM3_PER_S2)
    miss_km = np.linalg.norm(pos - r2[:, solved], axis=0)
    assert miss_km.max() < 2e-6
    assert np.percentile(miss_km, 99) < 1e-6
    np.testing.assert_allclose(vel, v2[:, solved], atol=1e-6)


def test_heliocentric_problems_land_on_r2():
    rng = np.random.default_rng(5)
    n = 4000
    r1 = _random_positions(rng, 0.5 * AU_KM, 3.0 * AU_KM, n)
    r2 = _random_positions(rng, 0.5 * AU_KM, 3.0 * AU_KM, n)
    tof = rng.uniform(30.0, 1000.0, n) * 86400.0
    v1, _ = lambert(r1, r2, tof, GM_SUN_KM3_PER_S2)
    pos, _ = propagate_state(r1, v1, tof, GM_SUN_KM3_PER_S2)
    miss_km = np.linalg.norm(pos - r2, axis=0)
    assert np.median(miss_km) < 1e-6  # a millimetre at 1-3 AU
    assert miss_km.max() < 1e-3  # a metre in the worst (hundreds of km/s) cases


def test_direction_of_motion_follows_the_pole():
    rng = np.random.default_rng(2)
    r1 = _random_positions(rng, 7000.0, 30000.0, 500)
    r2 = _random_positions(rng, 7000.0, 30000.0, 500)
    pole = np.array([0.0, 0.0, 1.0])
    for prograde in (True, False):
        v1, _ = lambert(r1, r2, 5000.0, GM_EARTH_KM3_PER_S2, prograde=prograde)
        h_z = np.cross(r1, v1, axis=0).T @ pole
        assert np.all(h_z > 0) if prograde else np.all(h_z < 0)
    tilted = np.array([0.0, 1.0, 0.0])
    v1, _ = lambert(r1, r2, 5000.0, GM_EARTH_KM3_PER_S2, pole=tilted)
    assert np.all(np.cross(r1, v1, axis=0).T @ tilted > 0)


def test_batch_matches_single_calls_and_shapes():
    rng = np.random.default_rng(3)
    r1 = _random_positions(rng, 7000.0, 30000.0, 6).reshape(3, 2, 3)
    r2 = _random_positions(rng, 7000.0, 30000.0, 6).reshape(3, 2, 3)
    tof = rng.uniform(1000.0, 20000.0, (2, 3))
    v1, v2 = lambert(r1, r2, tof, GM_EARTH_KM3_PER_S2)
    assert v1.shape == v2.shape == (3, 2, 3)
    for i in range(2):
        for j in range(3):
            s1, s2 = lambert(r1[:, i, j], r2[:, i, j], tof[i, j], GM_EARTH_KM3_PER_S2)
            assert s1.shape == (3,)
            np.testing.assert_allclose(s1, v1[:, i, j], rtol=1e-13)
            np.testing.assert_allclose(s2, v2[:, i, j], rtol=1e-13)
    # one origin to many targets broadcasts
    w1, _ = lambert(r1[:, 0, 0], r2.reshape(3, -1), 5000.0, GM_EARTH_KM3_PER_S2)
    assert w1.shape == (3, 6)


def test_units_scale_freely():
    """The same problem in km/s and in AU/day gives the same velocity."""
    v_km, _ = lambert(CURTIS_R1, CURTIS_R2, CURTIS_TOF_S, MU_VALLADO)
    v_au, _ = lambert(CURTIS_R1 / AU_KM, CURTIS_R2 / AU_KM, CURTIS_TOF_S / 86400.0,
                      MU_VALLADO * 86400.0 ** 2 / AU_KM ** 3)
    np.testing.assert_allclose(v_au * AU_KM / 86400.0, v_km, rtol=1e-12)


def test_unsolvable_problems_give_nan():
    r1 = np.array([[7000.0, 7000.0, 7000.0, 7000.0],
                   [0.0, 0.0, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.0]])
    r2 = np.array([[0.0, -9000.0, 0.0, 0.0],
                   [8000.0, 0.0, 8000.0, 8000.0],
                   [0.0, 0.0, 0.0, 0.0]])
    tof = np.array([0.0, 3000.0, -100.0, 3000.0])
    v1, v2 = lambert(r1, r2, tof, GM_EARTH_KM3_PER_S2)
    assert np.all(np.isnan(v1[:, :3])) and np.all(np.isnan(v2[:, :3]))  # tof 0, 180 deg, tof<0
    assert np.all(np.isfinite(v1[:, 3]))
    # one revolution cannot be flown in 3000 s at these radii
    m1, _ = lambert(r1[:, 3], r2[:, 3], 3000.0, GM_EARTH_KM3_PER_S2, revolutions=1)
    assert np.all(np.isnan(m1))


def test_time_of_flight_forms_agree_at_their_seams():
    """Battin, Lagrange and Lancaster forms of T(x) meet continuously."""
    lam = np.array([-0.7, -0.2, 0.0, 0.4, 0.9])[:, None]
    for seam in (0.01, 0.2):
        for side in (1.0, -1.0):
            x = 1.0 + side * seam
            below = time_of_flight(np.full(lam.shape, x - 1e-9), lam)
            above = time_of_flight(np.full(lam.shape, x + 1e-9), lam)
            np.testing.assert_allclose(below, above, rtol=1e-7)


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        lambert(CURTIS_R1, CURTIS_R2, 3600.0, MU_VALLADO, revolutions=-1)
    with pytest.raises(ValueError):
        lambert(CURTIS_R1, CURTIS_R2, 3600.0, MU_VALLADO, revolutions=1, branch="middle")
    with pytest.raises(ValueError):
        lambert(CURTIS_R1[:2], CURTIS_R2[:2], 3600.0, MU_VALLADO)


def test_the_parabolic_time_of_flight_is_solved():
    """At exactly the parabolic time of flight (Izzo's x = 1) the closed-form derivatives are
    0/0; the solver still returns the parabola (zero energy) that lands on r2."""
    r1 = np.array([1.0, 0.0, 0.0])
    r2 = np.array([1.4142135623730951, 1.414213562373095, 0.0])
    tof = 1.2627266770802639
    v1, v2 = lambert(r1, r2, tof, 1.0)
    assert np.all(np.isfinite(v1)) and np.all(np.isfinite(v2))
    assert 0.5 * v1 @ v1 - 1.0 / np.linalg.norm(r1) == pytest.approx(0.0, abs=1e-12)
    pos, vel = propagate_state(r1, v1, tof, 1.0)
    assert np.linalg.norm(pos - r2) < 1e-12 and np.linalg.norm(vel - v2) < 1e-12
