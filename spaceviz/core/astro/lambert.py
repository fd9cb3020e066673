"""Lambert's problem solved for many (r1, r2, tof) at once: Izzo's (2015) algorithm in numpy.

Izzo, D. "Revisiting Lambert's problem", Celestial Mechanics and Dynamical Astronomy 121
(2015) 1-15. Each problem is reduced to the single parameter lambda and a non-dimensional time
of flight T; x is found by Householder iterations (third order) started from Izzo's initial
guesses, and the terminal velocities follow from x and y in closed form.

Units are whatever the caller uses, consistently: positions in km with tof in s and mu in
km^3/s^2 give km/s; AU, days and AU^3/day^2 give AU/day. Arrays are (3, N) with the problems
on the trailing axis; a single problem may be given as (3,) vectors. A problem without a
solution (a 180-degree transfer whose plane is undefined, tof <= 0, too short a tof for the
requested number of revolutions) gives NaN velocities rather than an exception.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

BATTIN_DISTANCE = 0.01
"""|x - 1| below which the time of flight uses Battin's hypergeometric series."""
LAGRANGE_DISTANCE = 0.2
"""|x - 1| below which (and above BATTIN_DISTANCE) Lagrange's alpha/beta form is used."""
X_TOLERANCE = 1e-13
MAX_ITERATIONS = 30
HYPERGEOMETRIC_TOLERANCE = 1e-15


def _hypergeometric(z: np.ndarray) -> np.ndarray:
    """The Gauss hypergeometric function 2F1(3, 1; 5/2; z) for small |z| (series)."""
    total = np.ones_like(z)
    term = np.ones_like(z)
    for j in range(200):
        term = term * (3.0 + j) * (1.0 + j) / (2.5 + j) * z / (j + 1.0)
        total = total + term
        if not np.any(np.abs(term) > HYPERGEOMETRIC_TOLERANCE):
            break
    return total


def _tof_lancaster(x, lam, revolutions):
    """Non-dimensional time of flight T(x), Lancaster's form (away from x = 1)."""
    e = x * x - 1.0
    z = np.sqrt(1.0 + lam * lam * e)
    root = np.sqrt(np.abs(e))
    g = x * z - lam * e
    elliptic = e < 0
    d = np.empty_like(x)
    d[elliptic] = revolutions * np.pi + np.arccos(np.clip(g[elliptic], -1.0, 1.0))
    hyper = ~elliptic
    d[hyper] = np.log(root[hyper] * (z[hyper] - lam[hyper] * x[hyper]) + g[hyper])
    return (x - lam * z - d / root) / e


def _tof_lagrange(x, lam, revolutions):
    """Non-dimensional time of flight T(x), Lagrange's alpha/beta form (near x = 1)."""
    a = 1.0 / (1.0 - x * x)
    tof = np.empty_like(x)
    ell = a > 0
    ae, xe, le = a[ell], x[ell], lam[ell]
    alpha = 2.0 * np.arccos(xe)
    beta = np.copysign(2.0 * np.arcsin(np.sqrt(le * le / ae)), le)
    tof[ell] = 0.5 * ae * np.sqrt(ae) * ((alpha - np.sin(alpha)) - (beta - np.sin(beta))
                                          + 2.0 * np.pi * revolutions)
    hyp = ~ell
    ah, xh, lh = a[hyp], x[hyp], lam[hyp]
    alpha = 2.0 * np.arccosh(xh)
    beta = np.copysign(2.0 * np.arcsinh(np.sqrt(-lh * lh / ah)), lh)
    tof[hyp] = -0.5 * ah * np.sqrt(-ah) * ((beta - np.sinh(beta)) - (alpha - np.sinh(alpha)))
    return tof


def _tof_battin(x, lam, revolutions):
    """Non-dimensional time of flight T(x), Battin's series (very near x = 1)."""
    e = x * x - 1.0
    eta = np.sqrt(1.0 + lam * lam * e) - lam * x
    s1 = 0.5 * (1.0 - lam - x * eta)
    q = 4.0 / 3.0 * _hypergeometric(s1)
    tof = 0.5 * (eta ** 3 * q + 4.0 * lam * eta)
    if revolutions:
        tof = tof + revolutions * np.pi / np.abs(e) ** 1.5
    return tof


def time_of_flight(x: np.ndarray, lam: np.ndarray, revolutions: int = 0) -> np.ndarray:
    """Izzo's non-dimensional time of flight T(x; lambda, M), each element in its best form."""
    x = np.asarray(x, dtype=np.float64)
    lam = np.broadcast_to(np.asarray(lam, dtype=np.float64), x.shape)
    distance = np.abs(x - 1.0)
    tof = np.full(x.shape, np.nan)
    battin = distance < BATTIN_DISTANCE
    lagrange = (distance >= BATTIN_DISTANCE) & (distance < LAGRANGE_DISTANCE)
    lancaster = distance >= LAGRANGE_DISTANCE
    for mask, form in ((battin, _tof_battin), (lagrange, _tof_lagrange),
                       (lancaster, _tof_lancaster)):
        if np.any(mask):
            tof[mask] = form(x[mask], lam[mask], revolutions)
    return tof


def _derivatives(x, tof, lam):
    """dT/dx, d2T/dx2, d3T/dx3 at x (Izzo 2015, eq. 22)."""
    lam2 = lam * lam
    lam3 = lam2 * lam
    one_minus_x2 = 1.0 - x * x
    y = np.sqrt(1.0 - lam2 * one_minus_x2)
    d1 = (3.0 * tof * x - 2.0 + 2.0 * lam3 * x / y) / one_minus_x2
    d2 = (3.0 * tof + 5.0 * x * d1 + 2.0 * (1.0 - lam2) * lam3 / y ** 3) / one_minus_x2
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - lam2) * lam2 * lam3 * x / y ** 5) / one_minus_x2
    return d1, d2, d3


def _householder(x0, target_tof, lam, revolutions, active):
    """Solve T(x) = target_tof with third-order Householder steps; converged entries freeze."""
    x = x0.copy()
    active = active & np.isfinite(x)
    for _ in range(MAX_ITERATIONS):
        if not np.any(active):
            break
        xa, la, ta = x[active], lam[active], target_tof[active]
        tof = time_of_flight(xa, la, revolutions)
        d1, d2, d3 = _derivatives(xa, tof, la)
        delta = tof - ta
        d1sq = d1 * d1
        step = delta * (d1sq - 0.5 * delta * d2) / (d1 * (d1sq - delta * d2) + d3 * delta * delta / 6.0)
        singular = ~np.isfinite(step)
        if np.any(singular):
            # At x = 1 (a parabola) the closed-form derivatives are 0/0: a Newton step on a
            # central difference instead (exactly 0 when T(1) is already the target).
            h = 1e-6
            slope = (time_of_flight(xa[singular] + h, la[singular], revolutions)
                     - time_of_flight(xa[singular] - h, la[singular], revolutions)) / (2.0 * h)
            step[singular] = np.where(delta[singular] == 0.0, 0.0, delta[singular] / slope)
        x_new = xa - step
        x[active] = x_new
        still = np.abs(step) > X_TOLERANCE
        still &= np.isfinite(x_new)
        idx = np.flatnonzero(active)
        active[idx[~still]] = False
    return x


def _minimum_tof(lam, revolutions):
    """x and T at the minimum time of flight of the M-revolution family (Halley on dT/dx = 0)."""
    x = np.zeros_like(lam)
    tof = np.arccos(lam) + lam * np.sqrt(1.0 - lam * lam) + revolutions * np.pi
    for _ in range(16):
        d1, d2, d3 = _derivatives(x, tof, lam)
        step = d1 * d2 / (d2 * d2 - 0.5 * d1 * d3)
        step = np.where(d1 == 0.0, 0.0, step)
        x = x - step
        tof = time_of_flight(x, lam, revolutions)
        if not np.any(np.abs(step) > X_TOLERANCE):
            break
    return x, tof


def _initial_guess(lam, tof, revolutions, branch):
    """Izzo's starting x for the zero-revolution or the M-revolution (left/right) solution."""
    if revolutions == 0:
        t00 = np.arccos(lam) + lam * np.sqrt(1.0 - lam * lam)
        t1 = 2.0 / 3.0 * (1.0 - lam ** 3)
        long = (t00 / tof) ** (2.0 / 3.0) - 1.0
        short = 2.5 * t1 * (t1 - tof) / (tof * (1.0 - lam ** 5)) + 1.0
        middle = (tof / t00) ** (np.log(2.0) / np.log(t1 / t00)) - 1.0
        return np.where(tof >= t00, long, np.where(tof < t1, short, middle))
    if branch == "left":
        q = ((revolutions * np.pi + np.pi) / (8.0 * tof)) ** (2.0 / 3.0)
    else:
        q = ((8.0 * tof) / (revolutions * np.pi)) ** (2.0 / 3.0)
    return (q - 1.0) / (q + 1.0)


def align_vectors(vec: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(3, ...) vectors reshaped to broadcast against `shape` on their trailing axes."""
    return vec.reshape((3,) + (1,) * (len(shape) - (vec.ndim - 1)) + vec.shape[1:])


def _as_problems(r1, r2, tof):
    r1 = np.asarray(r1, dtype=np.float64)
    r2 = np.asarray(r2, dtype=np.float64)
    tof = np.asarray(tof, dtype=np.float64)
    if r1.shape[:1] != (3,) or r2.shape[:1] != (3,):
        raise ValueError("r1 and r2 must be (3,) or (3, N) arrays")
    scalar = r1.ndim == 1 and r2.ndim == 1 and tof.ndim == 0
    shape = np.broadcast_shapes(r1.shape[1:], r2.shape[1:], tof.shape)
    n = int(np.prod(shape)) if shape else 1
    r1 = np.broadcast_to(align_vectors(r1, shape), (3,) + shape).reshape(3, n)
    r2 = np.broadcast_to(align_vectors(r2, shape), (3,) + shape).reshape(3, n)
    tof = np.broadcast_to(tof, shape).reshape(n)
    return r1, r2, tof, shape, scalar


def lambert(r1: ArrayLike, r2: ArrayLike, tof: ArrayLike, mu: float, *,
            prograde: bool | ArrayLike = True, revolutions: int = 0, branch: str = "left",
            pole: ArrayLike = (0.0, 0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Velocities (v1 at r1, v2 at r2) of the conic from r1 to r2 in time tof under mu.

    r1, r2: positions (3,) or (3, ...), tof: times of flight (scalar or (...)), broadcast
    together; mu: gravitational parameter in the same units (km^3/s^2 with km and s, or
    AU^3/day^2 with AU and days). prograde (bool or per problem): the transfer's angular
    momentum has a positive component along `pole` (default +z; pass the ecliptic pole in ICRF
    for heliocentric transfers); False gives the retrograde solution. revolutions: the number of
    complete revolutions M (the same for every problem); for M > 0, branch 'left' or 'right'
    picks one of the two solutions (Izzo's x below or above the minimum-time x). Returns v1, v2
    shaped like the broadcast positions, in length units per time unit; NaN where no solution
    exists (tof <= 0, collinear r1 and r2, or tof below the M-revolution minimum).
    """
    if revolutions < 0 or int(revolutions) != revolutions:
        raise ValueError("revolutions must be a non-negative integer")
    if branch not in ("left", "right"):
        raise ValueError("branch must be 'left' or 'right'")
    revolutions = int(revolutions)
    r1, r2, tof, shape, scalar = _as_problems(r1, r2, tof)
    pole = np.asarray(pole, dtype=np.float64).reshape(3, 1)
    prograde = np.broadcast_to(np.asarray(prograde, dtype=bool), shape).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v1, v2 = _solve(r1, r2, tof, float(mu), prograde, pole, revolutions, branch)
    if scalar:
        return v1[:, 0], v2[:, 0]
    return v1.reshape((3,) + shape), v2.reshape((3,) + shape)


def _solve(r1, r2, tof, mu, prograde, pole, revolutions, branch):
    r1_norm = np.linalg.norm(r1, axis=0)
    r2_norm = np.linalg.norm(r2, axis=0)
    chord = np.linalg.norm(r2 - r1, axis=0)
    s = 0.5 * (r1_norm + r2_norm + chord)
    ir1 = r1 / r1_norm
    ir2 = r2 / r2_norm
    ih = np.cross(ir1, ir2, axis=0)
    ih = ih / np.linalg.norm(ih, axis=0)
    lam = np.sqrt(np.clip(1.0 - chord / s, 0.0, 1.0))
    # Transfer angle above 180 degrees in the requested sense: negative lambda, flipped normal.
    flip = (np.sum(ih * pole, axis=0) < 0.0) == prograde
    lam = np.where(flip, -lam, lam)
    ih = np.where(flip, -ih, ih)
    it1 = np.cross(ih, ir1, axis=0)
    it2 = np.cross(ih, ir2, axis=0)
    target = np.sqrt(2.0 * mu / s ** 3) * tof
    valid = np.isfinite(lam) & np.isfinite(target) & (target > 0) & np.all(np.isfinite(ih), axis=0)
    if revolutions > 0:
        _, t_min = _minimum_tof(lam, revolutions)
        valid &= target >= t_min
    x0 = _initial_guess(lam, target, revolutions, branch)
    x = _householder(x0, target, lam, revolutions, valid.copy())
    residual = np.abs(time_of_flight(np.where(valid, x, 0.0), lam, revolutions) - target)
    valid &= residual <= 1e-8 * np.maximum(target, 1.0)
    x = np.where(valid, x, np.nan)
    y = np.sqrt(1.0 - lam * lam * (1.0 - x * x))
    gamma = np.sqrt(0.5 * mu * s)
    rho = (r1_norm - r2_norm) / chord
    sigma = np.sqrt(np.clip(1.0 - rho * rho, 0.0, 1.0))
    radial1 = gamma * ((lam * y - x) - rho * (lam * y + x)) / r1_norm
    radial2 = -gamma * ((lam * y - x) + rho * (lam * y + x)) / r2_norm
    tangential = gamma * sigma * (y + lam * x)
    v1 = radial1 * ir1 + (tangential / r1_norm) * it1
    v2 = radial2 * ir2 + (tangential / r2_norm) * it2
    return v1, v2
