"""Two-body (Kepler) motion of state vectors with universal variables, vectorised.

Units are the caller's, consistently (km, km/s, s with km^3/s^2, or AU, AU/day, days with
AU^3/day^2). Arrays are (3, ...) with the samples on the trailing axes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.lambert import align_vectors

HYPERBOLIC_Z_LIMIT = 4.0
"""Largest |z| = |alpha chi^2| (a change of hyperbolic anomaly of 2 rad) propagated in one step
on a hyperbola; longer arcs are split into equal time steps, as the universal-variable terms
otherwise cancel badly (millimetres lost at 100 km/s)."""


def stumpff(z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Stumpff functions C(z), S(z) for any real z (series near 0, closed forms elsewhere)."""
    z = np.asarray(z, dtype=np.float64)
    c = np.empty_like(z)
    s = np.empty_like(z)
    small = np.abs(z) < 1.0
    zs = z[small]
    c_sum, s_sum = np.zeros_like(zs), np.zeros_like(zs)
    c_term, s_term = np.full_like(zs, 0.5), np.full_like(zs, 1.0 / 6.0)
    for k in range(12):  # |z| < 1: the 12th terms are below 1e-25
        c_sum += c_term
        s_sum += s_term
        c_term = c_term * -zs / ((2 * k + 3) * (2 * k + 4))
        s_term = s_term * -zs / ((2 * k + 4) * (2 * k + 5))
    c[small], s[small] = c_sum, s_sum
    ell = z >= 1.0
    q = np.sqrt(z[ell])
    c[ell] = 2.0 * np.sin(0.5 * q) ** 2 / z[ell]
    s[ell] = (q - np.sin(q)) / q ** 3
    hyp = z <= -1.0
    q = np.sqrt(-z[hyp])
    c[hyp] = 2.0 * np.sinh(0.5 * q) ** 2 / -z[hyp]
    s[hyp] = (np.sinh(q) - q) / q ** 3
    return c, s


def propagate_state(pos: ArrayLike, vel: ArrayLike, dt: ArrayLike, mu: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Two-body (Kepler) propagation of state vectors by dt with universal variables.

    pos (3,) or (3, ...), vel likewise, dt (...) broadcast together; units consistent with mu
    (km, km/s, s and km^3/s^2, or AU, AU/day, days and AU^3/day^2). Works for ellipses,
    parabolas and hyperbolas, forwards and backwards. Kepler's equation in the universal
    anomaly is solved by Laguerre-Conway iterations (elliptic dt reduced modulo the period).
    Returns position and velocity shaped (3,) + broadcast shape.
    """
    pos = np.asarray(pos, dtype=np.float64)
    vel = np.asarray(vel, dtype=np.float64)
    dt = np.asarray(dt, dtype=np.float64)
    shape = np.broadcast_shapes(pos.shape[1:], vel.shape[1:], dt.shape)
    r0 = np.broadcast_to(align_vectors(pos, shape), (3,) + shape).reshape(3, -1)
    v0 = np.broadcast_to(align_vectors(vel, shape), (3,) + shape).reshape(3, -1)
    dt = np.broadcast_to(dt, shape).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r, v, z = _universal(r0, v0, dt, float(mu))
        # Far along a hyperbola the universal-variable terms cancel badly (|z| large):
        # take equal time steps short enough that each keeps |z| near HYPERBOLIC_Z_LIMIT.
        far = np.flatnonzero(z < -HYPERBOLIC_Z_LIMIT)
        if far.size:
            steps = np.ceil(np.sqrt(-z[far] / HYPERBOLIC_Z_LIMIT)).astype(np.int64)
            h = dt[far] / steps
            rr, vv = r0[:, far], v0[:, far]
            for k in range(int(steps.max())):
                m = k < steps
                rr[:, m], vv[:, m], _ = _universal(rr[:, m], vv[:, m], h[m], float(mu))
            r[:, far], v[:, far] = rr, vv
    return r.reshape((3,) + shape), v.reshape((3,) + shape)


def _kepler_terms(x, alpha, sigma0, one_minus, r0n, target):
    """Universal Kepler residual F(chi) = sqrt(mu) (t(chi) - dt), its first two derivatives and
    the rounding noise of F (below which further steps are pointless)."""
    z = alpha * x * x
    c, s = stumpff(z)
    t1, t2, t3 = sigma0 * x * x * c, one_minus * x ** 3 * s, r0n * x
    f = t1 + t2 + t3 - target
    df = sigma0 * x * (1.0 - z * s) + one_minus * x * x * c + r0n  # = r > 0
    ddf = sigma0 * (1.0 - z * c) + one_minus * x * (1.0 - z * s)
    noise = 4.0 * np.finfo(np.float64).eps * (np.abs(t1) + np.abs(t2) + np.abs(t3)
                                              + np.abs(target))
    return f, df, ddf, noise


def _solve_universal(guess, alpha, sigma0, one_minus, r0n, target):
    """chi with F(chi) = 0: Laguerre-Conway steps kept inside a bracket (bisection fallback).

    F increases monotonically (dF/dchi = r > 0), so [lo, hi] with F(lo) <= 0 <= F(hi) always
    holds the root; the bracket's far end is found by doubling from the guess.
    """
    sign = np.sign(target)
    start = np.where(guess * sign > 0, guess, sign * np.abs(target) / r0n)
    far = start.copy()
    for _ in range(200):  # double until F(far) lies beyond the root
        f, _, _, _ = _kepler_terms(far, alpha, sigma0, one_minus, r0n, target)
        short = (f * sign < 0) & np.isfinite(f)
        if not np.any(short):
            break
        far = np.where(short, 2.0 * far, far)
    lo = np.where(sign >= 0, 0.0, far)
    hi = np.where(sign >= 0, far, 0.0)
    chi = np.where((start > lo) & (start < hi), start, 0.5 * (lo + hi))
    chi = np.where(sign == 0, 0.0, chi)
    active = sign != 0
    n = 5.0
    for _ in range(200):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        x = chi[idx]
        f, df, ddf, noise = _kepler_terms(x, alpha[idx], sigma0[idx], one_minus[idx], r0n[idx],
                                          target[idx])
        below = np.where(np.isfinite(f), f < 0, x < 0)
        lo[idx] = np.where(below, x, lo[idx])
        hi[idx] = np.where(below, hi[idx], x)
        root = np.sqrt(np.abs((n - 1.0) ** 2 * df * df - n * (n - 1.0) * f * ddf))
        x_new = x - n * f / (df + np.copysign(root, df))
        inside = (x_new >= lo[idx]) & (x_new <= hi[idx])
        x_new = np.where(inside, x_new, 0.5 * (lo[idx] + hi[idx]))
        settled = np.abs(f) <= noise
        x_new = np.where(settled, x, x_new)
        chi[idx] = x_new
        tol = 1e-15 * np.maximum(np.abs(x_new), 1e-300)
        done = settled | (np.abs(x_new - x) <= tol) | (hi[idx] - lo[idx] <= tol)
        active[idx[done]] = False
    return chi


def _universal(r0, v0, dt, mu):
    sqrt_mu = np.sqrt(mu)
    r0n = np.linalg.norm(r0, axis=0)
    sigma0 = np.sum(r0 * v0, axis=0) / sqrt_mu
    alpha = 2.0 / r0n - np.sum(v0 * v0, axis=0) / mu  # 1/a
    elliptic = alpha > 1e-12 / r0n
    period = np.where(elliptic, 2.0 * np.pi / np.sqrt(mu * np.abs(alpha) ** 3), np.inf)
    dt_red = np.where(elliptic, dt - period * np.round(dt / period), dt)
    chi = np.where(elliptic, sqrt_mu * alpha * dt_red, sqrt_mu * dt_red / r0n)
    hyper = alpha < -1e-12 / r0n
    if np.any(hyper):
        a = 1.0 / alpha[hyper]
        sign = np.sign(dt_red[hyper])
        arg = (-2.0 * mu * alpha[hyper] * dt_red[hyper]) / (
            np.sum(r0[:, hyper] * v0[:, hyper], axis=0)
            + sign * np.sqrt(-mu * a) * (1.0 - r0n[hyper] * alpha[hyper]))
        guess = sign * np.sqrt(-a) * np.log(arg)
        chi[hyper] = np.where(np.isfinite(guess) & (dt_red[hyper] != 0), guess, chi[hyper])
    one_minus = 1.0 - alpha * r0n
    target = sqrt_mu * dt_red
    chi = _solve_universal(chi, alpha, sigma0, one_minus, r0n, target)
    z = alpha * chi * chi
    c, s = stumpff(z)
    f = 1.0 - chi * chi / r0n * c
    g = dt_red - chi ** 3 * s / sqrt_mu
    r = f * r0 + g * v0
    rn = np.linalg.norm(r, axis=0)
    fdot = sqrt_mu / (rn * r0n) * (alpha * chi ** 3 * s - chi)
    gdot = 1.0 - chi * chi / rn * c
    return r, fdot * r0 + gdot * v0, z


