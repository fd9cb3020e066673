"""Two-body transfers: a vectorised Lambert solver and a universal-variable propagator.

Units are the caller's (km and seconds with mu in km^3/s^2, or AU and days with AU^3/day^2);
arrays are (3, N). Both work for every conic (elliptic and hyperbolic transfers), zero
revolutions, prograde or retrograde.
"""

from __future__ import annotations

import numpy as np

BISECTION_STEPS = 100


def stumpff_c(z: np.ndarray) -> np.ndarray:
    """Stumpff C(z) = (1 - cos sqrt z) / z, with its series near 0 and the hyperbolic branch."""
    z = np.asarray(z, dtype=np.float64)
    out = np.full_like(z, 0.5)
    pos, neg = z > 1e-8, z < -1e-8
    sz = np.sqrt(z[pos])
    out[pos] = (1.0 - np.cos(sz)) / z[pos]
    sn = np.sqrt(-z[neg])
    out[neg] = (np.cosh(sn) - 1.0) / (-z[neg])
    small = ~(pos | neg)
    out[small] = 0.5 - z[small] / 24.0
    return out


def stumpff_s(z: np.ndarray) -> np.ndarray:
    """Stumpff S(z) = (sqrt z - sin sqrt z) / sqrt(z)^3, with series and hyperbolic branch."""
    z = np.asarray(z, dtype=np.float64)
    out = np.full_like(z, 1.0 / 6.0)
    pos, neg = z > 1e-8, z < -1e-8
    sz = np.sqrt(z[pos])
    out[pos] = (sz - np.sin(sz)) / sz ** 3
    sn = np.sqrt(-z[neg])
    out[neg] = (np.sinh(sn) - sn) / sn ** 3
    small = ~(pos | neg)
    out[small] = 1.0 / 6.0 - z[small] / 120.0
    return out


def lambert(r1: np.ndarray, r2: np.ndarray, tof, mu: float, prograde: bool = True):
    """Velocities (v1, v2), each (3, N), of the zero-revolution conic from r1 to r2 in `tof`.

    Universal variables (Bate, Mueller & White; Curtis ch. 5): the transfer's z is found by
    bisection, which is robust for every geometry and vectorises over N problems at once.
    Problems with tof <= 0 or a 180-degree transfer (plane undefined) give NaN.
    """
    r1 = np.asarray(r1, dtype=np.float64).reshape(3, -1)
    r2 = np.asarray(r2, dtype=np.float64).reshape(3, -1)
    tof = np.broadcast_to(np.asarray(tof, dtype=np.float64), (r1.shape[1],))
    n1 = np.linalg.norm(r1, axis=0)
    n2 = np.linalg.norm(r2, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _lambert(r1, r2, n1, n2, tof, mu, prograde)


def _lambert(r1, r2, n1, n2, tof, mu, prograde):
    cos_dnu = np.clip(np.einsum("ij,ij->j", r1, r2) / (n1 * n2), -1.0, 1.0)
    cross_z = np.cross(r1, r2, axis=0)[2]
    dnu = np.arccos(cos_dnu)
    long_way = (cross_z < 0) if prograde else (cross_z >= 0)
    dnu = np.where(long_way, 2 * np.pi - dnu, dnu)
    A = np.sin(dnu) * np.sqrt(n1 * n2 / (1.0 - cos_dnu))

    def y_of(z):
        return n1 + n2 + A * (z * stumpff_s(z) - 1.0) / np.sqrt(stumpff_c(z))

    def time_of(z):
        y = y_of(z)
        return ((y / stumpff_c(z)) ** 1.5 * stumpff_s(z) + A * np.sqrt(np.maximum(y, 0))) / np.sqrt(mu)

    # The flight time grows with z up to one full orbit (z = 4 pi^2); where y(z) < 0 the
    # geometry needs a larger z. Bisection on [-(4 pi)^2, 4 pi^2) covers hyperbolic and
    # elliptic transfers alike.
    upper = np.full_like(tof, 4 * np.pi ** 2 - 1e-9)
    lower = np.full_like(tof, -16 * np.pi ** 2)
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lower + upper)
        y = y_of(mid)
        with np.errstate(invalid="ignore"):
            too_long = (y >= 0) & (time_of(mid) > tof)
        upper = np.where(too_long, mid, upper)
        lower = np.where(too_long, lower, mid)
    z = 0.5 * (lower + upper)
    y = y_of(z)
    f = 1.0 - y / n1
    g = A * np.sqrt(y / mu)
    g_dot = 1.0 - y / n2
    v1 = (r2 - f * r1) / g
    v2 = (g_dot * r2 - r1) / g
    invalid = (tof <= 0) | (np.abs(A) < 1e-12) | ~np.isfinite(g) | (g == 0)
    v1[:, invalid] = np.nan
    v2[:, invalid] = np.nan
    return v1, v2


def propagate_state(r0: np.ndarray, v0: np.ndarray, dt, mu: float):
    """Position and velocity (3, T) after times dt (T,) from one state (3,), any conic.

    Kepler's problem in universal variables: Newton on chi (vectorised over times), then the
    Lagrange f and g coefficients."""
    r0 = np.asarray(r0, dtype=np.float64).reshape(3)
    v0 = np.asarray(v0, dtype=np.float64).reshape(3)
    dt = np.atleast_1d(np.asarray(dt, dtype=np.float64))
    n0 = np.linalg.norm(r0)
    vr0 = float(r0 @ v0) / n0
    alpha = 2.0 / n0 - float(v0 @ v0) / mu  # 1/a
    sqrt_mu = np.sqrt(mu)
    chi = sqrt_mu * np.abs(alpha) * dt if alpha > 1e-12 else np.sign(dt) * np.sqrt(mu) * np.abs(dt) / n0
    for _ in range(60):
        z = alpha * chi * chi
        c, s = stumpff_c(z), stumpff_s(z)
        f_chi = (n0 * vr0 / sqrt_mu * chi * chi * c + (1 - alpha * n0) * chi ** 3 * s
                 + n0 * chi - sqrt_mu * dt)
        df = n0 * vr0 / sqrt_mu * chi * (1 - z * s) + (1 - alpha * n0) * chi * chi * c + n0
        step = f_chi / df
        chi = chi - step
        if np.all(np.abs(step) < 1e-12 * np.maximum(1.0, np.abs(chi))):
            break
    z = alpha * chi * chi
    c, s = stumpff_c(z), stumpff_s(z)
    f = 1 - chi * chi / n0 * c
    g = dt - chi ** 3 / sqrt_mu * s
    r = f[None, :] * r0[:, None] + g[None, :] * v0[:, None]
    n = np.linalg.norm(r, axis=0)
    f_dot = sqrt_mu / (n * n0) * (alpha * chi ** 3 * s - chi)
    g_dot = 1 - chi * chi / n * c
    v = f_dot[None, :] * r0[:, None] + g_dot[None, :] * v0[:, None]
    return r, v
