"""Two-body propagation of state vectors (universal variables) against closed-form Kepler
motion on ellipses and hyperbolas, and its conservation laws."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import GM_EARTH_KM3_PER_S2

MU = GM_EARTH_KM3_PER_S2


def _kepler_ellipse(a, e, t):
    n = np.sqrt(MU / a ** 3)
    mean = n * t
    ecc = mean.copy()
    for _ in range(50):
        ecc = ecc - (ecc - e * np.sin(ecc) - mean) / (1 - e * np.cos(ecc))
    rate = n / (1 - e * np.cos(ecc))
    root = np.sqrt(1 - e * e)
    pos = np.stack([a * (np.cos(ecc) - e), a * root * np.sin(ecc), np.zeros_like(t)])
    vel = np.stack([-a * np.sin(ecc) * rate, a * root * np.cos(ecc) * rate, np.zeros_like(t)])
    return pos, vel


def _kepler_hyperbola(a, e, t):
    n = np.sqrt(MU / (-a) ** 3)
    mean = n * t
    anomaly = np.arcsinh(mean / e)
    for _ in range(100):
        anomaly = anomaly - (e * np.sinh(anomaly) - anomaly - mean) / (e * np.cosh(anomaly) - 1)
    rate = n / (e * np.cosh(anomaly) - 1)
    root = np.sqrt(e * e - 1)
    pos = np.stack([a * (np.cosh(anomaly) - e), -a * root * np.sinh(anomaly), np.zeros_like(t)])
    vel = np.stack([a * np.sinh(anomaly) * rate, -a * root * np.cosh(anomaly) * rate,
                    np.zeros_like(t)])
    return pos, vel


@pytest.mark.parametrize("e", [0.0, 0.1, 0.7, 0.97])
def test_propagation_matches_kepler_on_ellipses(e):
    a = 26000.0
    rp = a * (1 - e)
    t = np.linspace(-3e5, 3e5, 301)  # several periods both ways
    pos, vel = propagate_state([rp, 0.0, 0.0], [0.0, np.sqrt(MU * (1 + e) / rp), 0.0], t, MU)
    ref_pos, ref_vel = _kepler_ellipse(a, e, t)
    assert pos.shape == (3, 301)
    np.testing.assert_allclose(pos, ref_pos, atol=2e-6 * (1 + 10 * e))  # km
    np.testing.assert_allclose(vel, ref_vel, atol=1e-9 * (1 + 1000 * e))


@pytest.mark.parametrize("e", [1.05, 1.5, 4.0])
def test_propagation_matches_kepler_on_hyperbolas(e):
    a = -20000.0
    rp = a * (1 - e)
    t = np.linspace(-2e5, 2e5, 201)
    pos, vel = propagate_state([rp, 0.0, 0.0], [0.0, np.sqrt(MU * (1 + e) / rp), 0.0], t, MU)
    ref_pos, ref_vel = _kepler_hyperbola(a, e, t)
    scale = np.linalg.norm(ref_pos, axis=0)
    assert np.all(np.linalg.norm(pos - ref_pos, axis=0) < 1e-12 * scale + 1e-6)
    np.testing.assert_allclose(vel, ref_vel, atol=1e-9)


def test_propagation_conserves_energy_and_momentum_and_reverses():
    rng = np.random.default_rng(4)
    n = 2000
    r0 = rng.normal(size=(3, n)) * 20000.0 + 1.0
    v0 = rng.normal(size=(3, n)) * 5.0  # ellipses, parabola-like and hyperbolas
    dt = rng.uniform(-2e5, 2e5, n)
    r, v = propagate_state(r0, v0, dt, MU)

    def energy(r, v):
        return 0.5 * np.sum(v * v, axis=0) - MU / np.linalg.norm(r, axis=0)

    np.testing.assert_allclose(energy(r, v), energy(r0, v0), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.cross(r, v, axis=0), np.cross(r0, v0, axis=0),
                               rtol=1e-9, atol=1e-6)
    back_r, back_v = propagate_state(r, v, -dt, MU)
    assert np.max(np.linalg.norm(back_r - r0, axis=0) / np.linalg.norm(r0, axis=0)) < 1e-10


def test_propagation_of_zero_time_is_the_start():
    r0, v0 = np.array([7000.0, 10.0, -30.0]), np.array([0.1, 7.4, 1.0])
    r, v = propagate_state(r0, v0, 0.0, MU)
    np.testing.assert_array_equal(r, r0)
    np.testing.assert_array_equal(v, v0)
