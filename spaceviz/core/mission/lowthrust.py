"""Low-thrust (electric) arcs: Edelbaum spirals between circular orbits, tangential-thrust
escape and capture spirals, and Sims-Flanagan heliocentric legs.

Every arc is one piece of an electric leg about one central body, with its state, mass and
throttle at any time inside it:

- `EdelbaumArc`: a quasi-circular spiral between two circular orbits of radii r0, r1 whose
  planes differ by di, flown at constant thrust with the optimal out-of-plane steering of
  Edelbaum (1961): dv = sqrt(v0^2 - 2 v0 v1 cos(pi/2 di) + v1^2) (from 400 km, 28.5 deg to
  GEO: 5.90 km/s; from 300 km: 5.95 km/s, as hapsira/poliastro's `change_a_inc`). Along the
  way, with D the delta-v flown so far, v(D) = sqrt(v0^2 - 2 v0 D cos b0 + D^2) and the plane
  has turned by (2/pi)[atan((D - v0 cos b0)/(v0 sin b0)) + pi/2 - b0] about the line of nodes
  of the two planes (Kechichian 1997); the mass follows the rocket equation, so the time to
  fly D is (m0 - m(D)) / mass flow.
- `SpiralArc`: thrust along the velocity from a circular orbit, out to escape (energy 0) or
  to a radius; a capture is the same spiral flown backwards in time (found by integrating
  backwards from the final circular orbit with the mass growing, for the mass at its start).
  While the thrust is below `SPIRAL_SWITCH_RATIO` of the local gravity the orbit stays circular
  to that precision and the spiral is flown in closed form (dv = v0 - v); beyond it the
  equations of motion are integrated (scipy DOP853), so the escape ends with the non-circular
  last turns: dv ~ v0 (1 - 0.808 eps^(1/4)), eps = a r0^2 / mu.
- `SimsFlanaganArc`: a heliocentric leg cut into N segments of equal duration, each segment's
  thrust replaced by one impulse at its middle no larger than full thrust can give over the
  segment (Sims & Flanagan 1999); Kepler arcs in between. The throttles (and the direction of
  a launcher's excess velocity) are found with scipy's SLSQP to maximise the final mass while
  meeting the target's position and velocity (to about a metre and a mm/s), then polished
  with Newton steps. Positions are continuous; velocity steps at the impulses. The mass falls
  linearly over each segment (the flow of the thrust it stands for).

Frames and units: states relative to the arc's central body, ICRF axes, km and km/s, times
TDB Julian dates (float64); masses kg; thrust N; specific impulse s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import SECONDS_PER_DAY
from spaceviz.core.errors import UserError
from spaceviz.core.memo import SolutionMemo, source_digest
from spaceviz.core.mission.propulsion import G0_M_S2, Engine, burn_time_s, dv_for_propellant

SPIRAL_SWITCH_RATIO = 1e-3
"""Thrust/gravity ratio below which a tangential spiral is flown in closed form (circular to
that precision); above it the equations of motion are integrated."""
MOON_SOI_KM = 66_100.0
"""The Moon's sphere of influence about the Earth, a (m/M)^(2/5) (Laplace): lunar capture
spirals start, and lunar escape spirals end, on a circle of this radius about the Moon."""
THRUSTING_THROTTLE = 0.01
SLSQP_HEAT = 40
"""SLSQP iterations each initial guess of a Sims-Flanagan solve gets before the best goes on."""
SLSQP_ITERATIONS = (150, 100)
"""Most SLSQP iterations of the two stages of a Sims-Flanagan solve (energy-optimal, then
propellant-optimal): a Dawn-like leg needs about 50 and 100+; a truncated second stage still
ends feasible after the Newton polish, a few percent short of the optimum."""
"""A segment thrusts when its throttle is above this fraction of full thrust."""


class LowThrustError(UserError):
    """An electric leg that cannot be flown (too little thrust for the dates, no solution)."""


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=0)


def _in_plane(direction: np.ndarray, pole: np.ndarray, fallback: np.ndarray | None = None
              ) -> np.ndarray:
    """Unit projection of a direction onto the plane of `pole` (a fallback direction, else
    any in-plane one, when it is nearly along the pole)."""
    for d in (direction, fallback, np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])):
        if d is None:
            continue
        p = d - (d @ pole) * pole
        if np.linalg.norm(p) > 0.1 * np.linalg.norm(d):
            return p / np.linalg.norm(p)
    raise AssertionError("unreachable")


def edelbaum_dv_km_s(gm_km3_s2: float, r0_km: ArrayLike, r1_km: ArrayLike, di_rad: ArrayLike):
    """Edelbaum's delta-v (km/s) between circular orbits of radii r0 and r1 (km) whose planes
    differ by di (rad), at constant low thrust: sqrt(v0^2 - 2 v0 v1 cos(pi di / 2) + v1^2).
    A float for scalars, an array for arrays."""
    v0 = np.sqrt(gm_km3_s2 / np.asarray(r0_km, dtype=np.float64))
    v1 = np.sqrt(gm_km3_s2 / np.asarray(r1_km, dtype=np.float64))
    dv = np.sqrt(np.maximum(v0 * v0 - 2.0 * v0 * v1 * np.cos(0.5 * np.pi * np.asarray(di_rad))
                            + v1 * v1, 0.0))
    return float(dv) if dv.ndim == 0 else dv


class HermiteCurve:
    """A cubic Hermite curve through samples y (..., N) with slopes dydx (..., N) at
    increasing x (N,): value at any x inside, vectorised (numpy only, so a plan read from the
    solution cache needs no SciPy at start-up)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, dydx: np.ndarray):
        self.x = np.asarray(x, dtype=np.float64)
        self.y = np.asarray(y, dtype=np.float64)
        self.dydx = np.asarray(dydx, dtype=np.float64)

    def __call__(self, xq: ArrayLike) -> np.ndarray:
        xq = np.asarray(xq, dtype=np.float64)
        i = np.clip(np.searchsorted(self.x, xq, side="right") - 1, 0, len(self.x) - 2)
        h = self.x[i + 1] - self.x[i]
        t = (xq - self.x[i]) / h
        t2, t3 = t * t, t * t * t
        h00, h10 = 2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + t
        h01, h11 = -2 * t3 + 3 * t2, t3 - t2
        return (h00 * self.y[..., i] + h10 * h * self.dydx[..., i]
                + h01 * self.y[..., i + 1] + h11 * h * self.dydx[..., i + 1])


def cumulative_simpson_uniform(values: np.ndarray, step: float) -> np.ndarray:
    """The running integral of samples on a uniform grid (0 at the first sample): each
    interval by the parabola through it and its next neighbour (the last through its
    previous one), as Simpson's rule does piece by piece."""
    f = np.asarray(values, dtype=np.float64)
    if len(f) < 3:
        return np.concatenate([[0.0], np.cumsum(0.5 * step * (f[1:] + f[:-1]))])
    pieces = np.empty(len(f) - 1)
    pieces[:-1] = step / 12.0 * (5.0 * f[:-2] + 8.0 * f[1:-1] - f[2:])
    pieces[-1] = step / 12.0 * (-f[-3] + 8.0 * f[-2] + 5.0 * f[-1])
    return np.concatenate([[0.0], np.cumsum(pieces)])


def _angle_spline(tau_end_s: float, rate) -> HermiteCurve:
    """Angle swept (rad) as a function of time (s) from 0 to tau_end for an angular rate
    `rate(tau)` (rad/s): Simpson on a grid fine enough for about 0.3 rad a step, then a cubic
    Hermite curve through the angles and rates."""
    count = 2049
    for _ in range(2):
        tau = np.linspace(0.0, tau_end_s, count)
        omega = rate(tau)
        theta = cumulative_simpson_uniform(omega, tau[1] - tau[0])
        needed = int(theta[-1] / 0.3) + 1
        if needed <= count or count >= 400_001:
            break
        count = min(needed | 1, 400_001)
    return HermiteCurve(tau, theta, omega)


class ThrustArc:
    """One arc of an electric leg about `central` from `depart_tdb` to `arrive_tdb` (TDB JD):
    `relative_state(t)` (ICRF km, km/s relative to the central body, (3, N)), `mass_kg(t)`
    and `throttle(t)` (0..1 of full thrust), (N,) for N times; masses at its ends (kg) and
    the delta-v it flies (km/s)."""

    central: str
    depart_tdb: float
    arrive_tdb: float
    mass_start_kg: float
    mass_end_kg: float
    dv_km_s: float
    method: str = ""

    @property
    def propellant_kg(self) -> float:
        return self.mass_start_kg - self.mass_end_kg

    def thrust_days(self) -> float:
        """Days of thrust (any throttle above THRUSTING_THROTTLE) on this arc."""
        return self.arrive_tdb - self.depart_tdb

    def relative_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def mass_kg(self, t_tdb: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def throttle(self, t_tdb: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def sample_count(self, minimum: int) -> int:
        """Samples that draw the arc smoothly: `minimum`, or more for a spiral of many turns."""
        return minimum


# --------------------------------------------------------------------------- Edelbaum


class EdelbaumArc(ThrustArc):
    """A quasi-circular low-thrust spiral (Edelbaum) about `central` from a circular orbit of
    radius r0_km in the plane of `pole0` to one of radius r1_km in the plane of `pole1` (unit
    ICRF vectors), starting at `depart_tdb` with `mass_kg`, at `throttle` of the engine's full
    thrust. The ship ends towards `end_dir`, else starts towards `start_dir` (ICRF directions,
    projected onto the planes). The plane turns about the line of nodes of the two planes."""

    method = "Edelbaum"

    def __init__(self, central: str, gm_km3_s2: float, depart_tdb: float, r0_km: float,
                 r1_km: float, pole0: np.ndarray, pole1: np.ndarray, mass_kg: float,
                 engine: Engine, throttle: float = 1.0, *, start_dir: np.ndarray | None = None,
                 end_dir: np.ndarray | None = None):
        self.central, self.gm = central, gm_km3_s2
        self.r0, self.r1 = r0_km, r1_km
        self.pole0, self.pole1 = _unit(np.asarray(pole0, float)), _unit(np.asarray(pole1, float))
        self.v0, self.v1 = math.sqrt(gm_km3_s2 / r0_km), math.sqrt(gm_km3_s2 / r1_km)
        self.di = math.acos(min(max(float(self.pole0 @ self.pole1), -1.0), 1.0))
        self.dv_km_s = edelbaum_dv_km_s(gm_km3_s2, r0_km, r1_km, self.di)
        self.ve = engine.exhaust_velocity_km_s
        self.mdot = engine.mass_flow_kg_s * throttle
        self._throttle = throttle
        self.mass_start_kg = float(mass_kg)
        self.mass_end_kg = self.mass_start_kg * math.exp(-self.dv_km_s / self.ve)
        self.duration_s = float(burn_time_s(self.mass_start_kg - self.mass_end_kg,
                                            engine.thrust_n * throttle, engine.isp_s))
        self.depart_tdb = float(depart_tdb)
        self.arrive_tdb = self.depart_tdb + self.duration_s / SECONDS_PER_DAY
        dv = self.dv_km_s
        self.cos_b0 = ((self.v0 ** 2 + dv * dv - self.v1 ** 2) / (2.0 * self.v0 * dv)
                       if dv > 0 else 1.0)
        self.cos_b0 = min(max(self.cos_b0, -1.0), 1.0)
        self.sin_b0 = math.sqrt(max(1.0 - self.cos_b0 ** 2, 0.0))
        self.b0 = math.atan2(self.sin_b0, self.cos_b0)
        reference = start_dir if start_dir is not None else end_dir
        if self.di > 1e-9:
            self.node = _unit(np.cross(self.pole0, self.pole1))
        else:
            self.node = _in_plane(np.asarray(reference if reference is not None else [1, 0, 0],
                                             float), self.pole0)
        self._theta = _angle_spline(self.duration_s, lambda tau: self._speed(tau) ** 3 / self.gm)
        self.theta_offset = 0.0
        if end_dir is not None:
            end = self._angle_of(np.asarray(end_dir, float), self.pole1)
            self.theta_offset = end - float(self._theta(self.duration_s))
        elif start_dir is not None:
            self.theta_offset = self._angle_of(np.asarray(start_dir, float), self.pole0)

    def _angle_of(self, direction: np.ndarray, pole: np.ndarray) -> float:
        d = _in_plane(direction, pole)
        return math.atan2(float(d @ np.cross(pole, self.node)), float(d @ self.node))

    def _flown(self, tau_s: np.ndarray) -> np.ndarray:
        """Delta-v flown (km/s) after tau seconds of thrust."""
        return -self.ve * np.log1p(-self.mdot * tau_s / self.mass_start_kg)

    def _speed(self, tau_s: np.ndarray) -> np.ndarray:
        d = self._flown(tau_s)
        return np.sqrt(np.maximum(self.v0 ** 2 - 2.0 * self.v0 * d * self.cos_b0 + d * d, 1e-30))

    def _tau(self, t_tdb: ArrayLike) -> np.ndarray:
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        return np.clip((t - self.depart_tdb) * SECONDS_PER_DAY, 0.0, self.duration_s)

    def plane_turned_rad(self, tau_s: ArrayLike) -> np.ndarray:
        """Angle (rad) the orbit plane has turned after tau seconds (0 to di)."""
        tau = np.asarray(tau_s, dtype=np.float64)
        if self.sin_b0 < 1e-12:
            return np.zeros_like(tau)
        d = self._flown(tau)
        x = (d - self.v0 * self.cos_b0) / (self.v0 * self.sin_b0)
        return (2.0 / math.pi) * (np.arctan(x) + 0.5 * math.pi - self.b0)

    def relative_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        tau = self._tau(t_tdb)
        v = self._speed(tau)
        r = self.gm / (v * v)
        turned = self.plane_turned_rad(tau)
        if self.di > 1e-9:
            toward = (self.pole1 - self.pole0 * math.cos(self.di)) / math.sin(self.di)
            pole = np.outer(self.pole0, np.cos(turned)) + np.outer(toward, np.sin(turned))
        else:
            pole = np.repeat(self.pole0[:, None], tau.size, axis=1)
        e2 = np.cross(pole, self.node[:, None], axis=0)
        theta = self.theta_offset + self._theta(tau)
        c, s = np.cos(theta), np.sin(theta)
        radial = self.node[:, None] * c + e2 * s
        along = -self.node[:, None] * s + e2 * c
        return radial * r, along * v

    def mass_kg(self, t_tdb: ArrayLike) -> np.ndarray:
        return self.mass_start_kg - self.mdot * self._tau(t_tdb)

    def throttle(self, t_tdb: ArrayLike) -> np.ndarray:
        tau = self._tau(t_tdb)
        return np.full(tau.shape, self._throttle)

    def sample_count(self, minimum: int) -> int:
        turns = float(self._theta(self.duration_s)) / (2.0 * math.pi)
        return int(min(max(minimum, 48 * turns), 50_000))


# --------------------------------------------------------------------------- spirals


@dataclass(frozen=True)
class _SpiralSolution:
    """A planar outward tangential-thrust spiral in the variable tau (s) from a circular orbit
    (angle 0) with mass `mass_circle_kg` there, the mass changing at `mass_rate` kg/s along
    tau (negative: an escape; positive: a capture computed backwards in time)."""

    gm: float
    radius_km: float
    mass_circle_kg: float
    mass_rate: float
    accel_thrust: float  # thrust in kN (km/s^2 times kg)
    tau_switch: float
    tau_end: float
    theta: HermiteCurve  # angle swept on the closed-form part
    dense: HermiteCurve | None  # the integrated part, or None

    def mass(self, tau: np.ndarray) -> np.ndarray:
        return self.mass_circle_kg + self.mass_rate * tau

    def flown_km_s(self, tau: np.ndarray) -> np.ndarray:
        """Delta-v (km/s) flown along tau on the closed-form part: the thrust over the mass."""
        m = self.mass(tau)
        return (self.accel_thrust / abs(self.mass_rate)) * np.abs(np.log(m / self.mass_circle_kg))

    def state(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """2-D position (km) and velocity (km/s), (2, N), along tau."""
        tau = np.clip(tau, 0.0, self.tau_end)
        pos = np.empty((2, tau.size))
        vel = np.empty((2, tau.size))
        closed = tau <= self.tau_switch
        if np.any(closed):
            t = tau[closed]
            v = math.sqrt(self.gm / self.radius_km) - self.flown_km_s(t)
            r = self.gm / (v * v)
            phi = self.theta(t)
            pos[:, closed] = r * np.array([np.cos(phi), np.sin(phi)])
            vel[:, closed] = v * np.array([-np.sin(phi), np.cos(phi)])
        if np.any(~closed):
            y = self.dense(tau[~closed])
            pos[:, ~closed], vel[:, ~closed] = y[:2], y[2:]
        return pos, vel


def _spiral_out(gm: float, radius_km: float, mass_circle_kg: float, thrust_n: float,
                isp_s: float, mass_grows: bool, stop_radius_km: float | None,
                switch_ratio: float = SPIRAL_SWITCH_RATIO) -> _SpiralSolution:
    """An outward tangential-thrust spiral (see `_solve_spiral`), remembered: the same
    spiral (to the last bit of every input) is integrated once."""
    key = tuple(None if v is None else float(v) for v in (
        gm, radius_km, mass_circle_kg, thrust_n, isp_s, stop_radius_km, switch_ratio)) + (
        bool(mass_grows),)
    solution = _SPIRALS.get(key)
    if solution is None:
        solution = _solve_spiral(gm, radius_km, mass_circle_kg, thrust_n, isp_s, mass_grows,
                                 stop_radius_km, switch_ratio)
        _SPIRALS.put(key, solution)
    return solution


def _solve_spiral(gm: float, radius_km: float, mass_circle_kg: float, thrust_n: float,
                  isp_s: float, mass_grows: bool, stop_radius_km: float | None,
                  switch_ratio: float) -> _SpiralSolution:
    """An outward tangential-thrust spiral from a circular orbit of `radius_km` about a body
    of `gm` to escape (stop_radius None) or to `stop_radius_km`: closed form while the thrust
    is below `switch_ratio` of gravity, then integrated. Mass along tau decreases (an escape)
    or grows (a capture integrated backwards in time)."""
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    thrust_kn = thrust_n / 1000.0
    mdot = thrust_n / (isp_s * G0_M_S2)
    rate = mdot if mass_grows else -mdot
    ve = isp_s * G0_M_S2 / 1000.0
    v_c = math.sqrt(gm / radius_km)

    def mass(tau):
        return mass_circle_kg + rate * tau

    def speed(tau):
        return v_c - ve * np.abs(np.log(mass(tau) / mass_circle_kg))

    # Closed form until the thrust reaches switch_ratio of gravity, or the stop radius.
    dv_limit = v_c * 0.999 if stop_radius_km is None else v_c - math.sqrt(gm / stop_radius_km)
    if dv_limit <= 0:
        raise LowThrustError("a spiral outward must end above the circular orbit it leaves")
    mass_at_limit = mass_circle_kg * math.exp(dv_limit / ve if mass_grows else -dv_limit / ve)
    tau_limit = abs(mass_at_limit - mass_circle_kg) / mdot

    def excess(tau):
        v = speed(tau)
        return (thrust_kn / mass(tau)) * gm / v ** 4 - switch_ratio

    if excess(0.0) >= 0:
        tau_switch = 0.0
    elif excess(tau_limit) < 0:
        tau_switch = tau_limit
    else:
        tau_switch = brentq(excess, 0.0, tau_limit, xtol=1e-6, rtol=1e-14)
    theta = _angle_spline(max(tau_switch, 1e-9), lambda tau: speed(tau) ** 3 / gm)
    closed_only = stop_radius_km is not None and tau_switch >= tau_limit
    if closed_only:
        return _SpiralSolution(gm, radius_km, mass_circle_kg, rate, thrust_kn, tau_limit,
                               tau_limit, theta, None)
    v_s = float(speed(tau_switch))
    r_s = gm / v_s ** 2
    phi = float(theta(tau_switch))
    y0 = [r_s * math.cos(phi), r_s * math.sin(phi), -v_s * math.sin(phi), v_s * math.cos(phi)]

    def rhs(tau, y):
        x, yy, vx, vy = y
        r3 = (x * x + yy * yy) ** 1.5
        v = math.hypot(vx, vy)
        a = thrust_kn / mass(tau) / v
        return [vx, vy, -gm * x / r3 + a * vx, -gm * yy / r3 + a * vy]

    if stop_radius_km is None:
        def event(tau, y):
            return 0.5 * (y[2] ** 2 + y[3] ** 2) - gm / math.hypot(y[0], y[1])
    else:
        def event(tau, y):
            return math.hypot(y[0], y[1]) - stop_radius_km
    event.terminal = True
    event.direction = 1.0
    # Generous bound: ten times the closed-form estimate of the remaining flight, and never
    # past burning the whole mass (an escape).
    bound = tau_switch + 10.0 * v_s * mass(tau_switch) / thrust_kn
    if not mass_grows:
        bound = min(bound, 0.999 * mass_circle_kg / mdot)
    sol = solve_ivp(rhs, (tau_switch, bound), y0, method="DOP853", rtol=1e-10, atol=1e-9,
                    events=event, dense_output=True)
    if sol.status != 1 or not sol.t_events[0].size:
        raise LowThrustError("the spiral does not reach its end: the engine runs out of "
                             "mass first")
    # The integrated part kept as a cubic Hermite curve through the solver's own steps, with
    # the equations of motion as slopes (numpy only: a remembered spiral needs no SciPy).
    tau_end = float(sol.t_events[0][0])
    steps = np.concatenate([sol.t[sol.t < tau_end], [tau_end]])
    states = np.concatenate([sol.y[:, sol.t < tau_end], sol.y_events[0][0][:, None]], axis=1)
    slopes = np.stack([rhs(tau, y) for tau, y in zip(steps, states.T, strict=True)], axis=1)
    return _SpiralSolution(gm, radius_km, mass_circle_kg, rate, thrust_kn, tau_switch,
                           tau_end, theta, HermiteCurve(steps, states, slopes))


_SPIRALS = SolutionMemo("spirals", source_digest(__file__))


class SpiralArc(ThrustArc):
    """Tangential constant thrust about `central` between a circular orbit of `radius_km` in
    the plane of `pole` and an outer end (escape, or `outer_radius_km`). `mode` 'escape':
    from the circle outwards, starting at `depart_tdb` with `mass_kg`; 'capture': from the
    outer end in to the circle, starting at `depart_tdb` with `mass_kg` (solved backwards).
    The outer end points along `outer_dir` (ICRF, projected onto the plane), or the circle's
    start along `inner_dir`."""

    method = "tangential spiral"

    def __init__(self, central: str, gm_km3_s2: float, depart_tdb: float, radius_km: float,
                 pole: np.ndarray, mass_kg: float, engine: Engine, throttle: float = 1.0, *,
                 mode: str = "escape", outer_radius_km: float | None = None,
                 outer_dir: np.ndarray | None = None, inner_dir: np.ndarray | None = None,
                 switch_ratio: float = SPIRAL_SWITCH_RATIO):
        self.central, self.mode = central, mode
        self._throttle = throttle
        thrust = engine.thrust_n * throttle
        self.mdot = engine.mass_flow_kg_s * throttle
        pole = _unit(np.asarray(pole, float))
        ve = engine.exhaust_velocity_km_s
        if mode == "escape":
            sol = _spiral_out(gm_km3_s2, radius_km, mass_kg, thrust, engine.isp_s, False,
                              outer_radius_km, switch_ratio)
        else:
            # The capture's final mass: the rocket equation on the closed-form delta-v first,
            # then corrected until the backward integration starts with `mass_kg`.
            v_out = 0.0 if outer_radius_km is None else math.sqrt(gm_km3_s2 / outer_radius_km)
            m_end = mass_kg * math.exp(-(math.sqrt(gm_km3_s2 / radius_km) - v_out) / ve)
            previous = None
            for _ in range(12):  # secant steps on the mass at the circle
                sol = _spiral_out(gm_km3_s2, radius_km, m_end, thrust, engine.isp_s, True,
                                  outer_radius_km, switch_ratio)
                miss = float(sol.mass(np.array([sol.tau_end]))[0]) - mass_kg
                if abs(miss) < 1e-9 * mass_kg:
                    break
                slope = 1.0
                if previous is not None and previous[0] != m_end:
                    slope = (miss - previous[1]) / (m_end - previous[0])
                previous = (m_end, miss)
                m_end -= miss / (slope if slope > 0.1 else 1.0)
        self.solution = sol
        self.duration_s = sol.tau_end
        self.depart_tdb = float(depart_tdb)
        self.arrive_tdb = self.depart_tdb + self.duration_s / SECONDS_PER_DAY
        ends = sol.mass(np.array([0.0, sol.tau_end]))
        self.mass_start_kg, self.mass_end_kg = ((float(ends[0]), float(ends[1])) if mode == "escape"
                                                else (float(ends[1]), float(ends[0])))
        self.dv_km_s = float(dv_for_propellant(self.mass_start_kg,
                                               self.mass_start_kg - self.mass_end_kg, engine.isp_s))
        # In tau the spiral turns counter-clockwise about its own pole; a capture runs it
        # backwards in time, so its tau-pole is the orbit's pole reversed.
        self.pole = pole if mode == "escape" else -pole
        if outer_dir is not None:
            self.orient_outer(outer_dir)
        else:
            self.e1 = _in_plane(np.asarray(inner_dir if inner_dir is not None else [1, 0, 0],
                                           float), self.pole)
            self.e2 = np.cross(self.pole, self.e1)

    def orient_outer(self, direction: ArrayLike) -> None:
        """Turn the spiral in its plane so that its outer end points along `direction` (ICRF,
        projected onto the plane)."""
        sol = self.solution
        outer = sol.state(np.array([sol.tau_end]))[0][:, 0]
        angle = math.atan2(outer[1], outer[0])
        d = _in_plane(np.asarray(direction, float), self.pole)
        self.e1 = d * math.cos(angle) - np.cross(self.pole, d) * math.sin(angle)
        self.e2 = np.cross(self.pole, self.e1)

    def _tau(self, t_tdb: ArrayLike) -> np.ndarray:
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        elapsed = np.clip((t - self.depart_tdb) * SECONDS_PER_DAY, 0.0, self.duration_s)
        return elapsed if self.mode == "escape" else self.duration_s - elapsed

    def relative_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        pos2, vel2 = self.solution.state(self._tau(t_tdb))
        pos = np.outer(self.e1, pos2[0]) + np.outer(self.e2, pos2[1])
        vel = np.outer(self.e1, vel2[0]) + np.outer(self.e2, vel2[1])
        return pos, (vel if self.mode == "escape" else -vel)

    def mass_kg(self, t_tdb: ArrayLike) -> np.ndarray:
        return self.solution.mass(self._tau(t_tdb))

    def throttle(self, t_tdb: ArrayLike) -> np.ndarray:
        return np.full(self._tau(t_tdb).shape, self._throttle)

    def sample_count(self, minimum: int) -> int:
        sol = self.solution
        turns = float(sol.theta(sol.tau_switch)) / (2.0 * math.pi) + 20.0
        return int(min(max(minimum, 48 * turns), 50_000))


# --------------------------------------------------------------------------- Sims-Flanagan


class SimsFlanaganArc(ThrustArc):
    """A solved Sims-Flanagan leg about `central` (see `sims_flanagan`): N segments of equal
    duration from `depart_tdb` to `arrive_tdb`, throttles `throttles` (N,) of full thrust,
    one impulse at the middle of each; `piece_start_*` the states (km, km/s, (3, N+1)) that
    begin each Kepler piece (the departure, then just after each impulse); masses at the
    segment boundaries `node_mass_kg` (N+1,). `arrival_error_km` and `arrival_error_km_s` are
    the miss at the target after propagating the whole leg."""

    method = "Sims-Flanagan"

    def __init__(self, central: str, gm: float, depart_tdb: float, arrive_tdb: float,
                 piece_times_tdb: np.ndarray, piece_start_pos: np.ndarray,
                 piece_start_vel: np.ndarray, throttles: np.ndarray, node_mass_kg: np.ndarray,
                 mdot_kg_s: float, dv_km_s: float, v_inf_km_s: np.ndarray,
                 arrival_error_km: float, arrival_error_km_s: float,
                 decision: np.ndarray | None = None):
        self.central, self.gm = central, gm
        self.depart_tdb, self.arrive_tdb = float(depart_tdb), float(arrive_tdb)
        self.piece_times = piece_times_tdb
        self.piece_pos, self.piece_vel = piece_start_pos, piece_start_vel
        self.throttles = throttles
        self.node_mass = node_mass_kg
        self.mdot = mdot_kg_s
        self.mass_start_kg, self.mass_end_kg = float(node_mass_kg[0]), float(node_mass_kg[-1])
        self.dv_km_s = dv_km_s
        self.v_inf_km_s = v_inf_km_s
        self.arrival_error_km = arrival_error_km
        self.arrival_error_km_s = arrival_error_km_s
        self.segment_days = (self.arrive_tdb - self.depart_tdb) / throttles.size
        self.decision = decision  # the solver's variables: a warm start for a nearby leg

    def relative_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        t = np.clip(np.atleast_1d(np.asarray(t_tdb, dtype=np.float64)), self.depart_tdb,
                    self.arrive_tdb)
        piece = np.clip(np.searchsorted(self.piece_times, t, side="right") - 1, 0,
                        self.piece_pos.shape[1] - 1)
        dt_s = (t - self.piece_times[piece]) * SECONDS_PER_DAY
        return propagate_state(self.piece_pos[:, piece], self.piece_vel[:, piece], dt_s, self.gm)

    def _segment(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        t = np.clip(np.atleast_1d(np.asarray(t_tdb, dtype=np.float64)), self.depart_tdb,
                    self.arrive_tdb)
        k = np.clip(((t - self.depart_tdb) / self.segment_days).astype(int), 0,
                    self.throttles.size - 1)
        return k, (t - (self.depart_tdb + k * self.segment_days)) * SECONDS_PER_DAY

    def mass_kg(self, t_tdb: ArrayLike) -> np.ndarray:
        k, into_s = self._segment(t_tdb)
        return self.node_mass[k] - self.mdot * self.throttles[k] * into_s

    def throttle(self, t_tdb: ArrayLike) -> np.ndarray:
        return self.throttles[self._segment(t_tdb)[0]]

    def thrust_days(self) -> float:
        return float(np.count_nonzero(self.throttles > THRUSTING_THROTTLE) * self.segment_days)

    def sample_count(self, minimum: int) -> int:
        return max(minimum, 8 * self.throttles.size)


def _kepler(r0: np.ndarray, v0: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Kepler propagation with mu = 1 of (3, B) states by dt: a lean elliptic solver (Newton
    on the change of eccentric anomaly, a fixed number of steps) for the optimiser's inner
    loop; any state that is not clearly elliptic, or does not converge, goes through the
    general universal-variable propagator."""
    r0n = np.sqrt(np.sum(r0 * r0, axis=0))
    energy = 2.0 / r0n - np.sum(v0 * v0, axis=0)  # 1/a
    with np.errstate(all="ignore"):
        a = 1.0 / energy
        sqrt_a = np.sqrt(a)
        mean = dt / (a * sqrt_a)
        c0 = 1.0 - r0n / a
        s0 = np.sum(r0 * v0, axis=0) / sqrt_a
        x = mean.copy()
        for _ in range(10):
            sin_x, cos_x = np.sin(x), np.cos(x)
            f = x - c0 * sin_x + s0 * (1.0 - cos_x) - mean
            x = x - f / (1.0 - c0 * cos_x + s0 * sin_x)
        sin_x, cos_x = np.sin(x), np.cos(x)
        residual = x - c0 * sin_x + s0 * (1.0 - cos_x) - mean
        rn = a * (1.0 - c0 * cos_x + s0 * sin_x)
        f = 1.0 - a / r0n * (1.0 - cos_x)
        g = dt - a * sqrt_a * (x - sin_x)
        fdot = -sqrt_a * sin_x / (rn * r0n)
        gdot = 1.0 - a / rn * (1.0 - cos_x)
        r = f * r0 + g * v0
        v = fdot * r0 + gdot * v0
    bad = ~((energy > 1e-6) & (np.abs(residual) < 1e-12 * np.maximum(1.0, np.abs(mean)))
            & np.isfinite(r).all(axis=0) & np.isfinite(v).all(axis=0))
    if np.any(bad):
        r[:, bad], v[:, bad] = propagate_state(r0[:, bad], v0[:, bad], np.full(int(bad.sum()), dt), 1.0)
    return r, v


class _SimsFlanaganProblem:
    """The transcription in units of the departure distance, the circular speed there, and the
    initial mass; decision vector: N throttle vectors (3N,), then the launcher's excess
    velocity (3,) when one is allowed."""

    def __init__(self, gm, r0, v0, rf, vf, tof_s, mass_kg, engine: Engine, segments: int,
                 v_inf_max_km_s: float, min_mass_kg: float = 0.0):
        self.L = float(np.linalg.norm(r0))
        self.V = math.sqrt(gm / self.L)
        self.T = self.L / self.V
        self.m0 = mass_kg
        self.r0, self.v0 = r0 / self.L, v0 / self.V
        self.rf, self.vf = rf / self.L, vf / self.V
        self.n = segments
        self.dt = tof_s / self.T / segments
        self.ve = engine.exhaust_velocity_km_s / self.V
        # Full-throttle mass flow over one segment, in units of the initial mass.
        self.c = engine.mass_flow_kg_s * self.T * self.dt / mass_kg
        self.w_max = v_inf_max_km_s / self.V
        self.floor = min_mass_kg / mass_kg  # the final mass may not fall below it
        self.size = 3 * segments + (3 if self.w_max > 0 else 0)
        self._residual_key = self._jacobian_key = None

    def run(self, z: np.ndarray, keep: bool = False):
        """Propagate a batch of decision vectors z (size, B): final positions, velocities and
        masses (3, B), (3, B), (B,); with keep, also every piece's start state and mass."""
        batch = z.shape[1]
        r = np.repeat(self.r0[:, None], batch, axis=1)
        v = np.repeat(self.v0[:, None], batch, axis=1)
        if self.w_max > 0:
            v = v + z[3 * self.n:3 * self.n + 3]
        m = np.ones(batch)
        pieces = [(r[:, 0].copy(), v[:, 0].copy())] if keep else None
        masses = [1.0] if keep else None
        r, v = _kepler(r, v, 0.5 * self.dt)
        for k in range(self.n):
            u = z[3 * k:3 * k + 3]
            norm = np.linalg.norm(u, axis=0)
            dm = np.minimum(self.c * norm, 0.999 * m)  # never more than the ship (the
            m_next = m - dm                             # optimiser may try it on the way)
            safe = np.where(norm > 1e-12, norm, 1.0)
            factor = np.where(norm > 1e-12, self.ve * -np.log1p(-dm / m) / safe,
                              self.ve * self.c / m)
            v = v + factor * u
            m = m_next
            if keep:
                pieces.append((r[:, 0].copy(), v[:, 0].copy()))
                masses.append(float(m[0]))
            step = self.dt if k < self.n - 1 else 0.5 * self.dt
            r, v = _kepler(r, v, step)
        if keep:
            return r, v, m, pieces, masses
        return r, v, m

    def residual(self, z: np.ndarray) -> np.ndarray:
        """The miss at the target (6,): position then velocity, in the problem's units."""
        key = z.tobytes()
        if key != self._residual_key:
            r, v, _ = self.run(z[:, None])
            self._residual = np.concatenate([r[:, 0] - self.rf, v[:, 0] - self.vf])
            self._residual_key = key
        return self._residual

    def jacobian(self, z: np.ndarray) -> np.ndarray:
        """The residual's Jacobian (6, size) by forward differences, every column propagated
        together through the segments."""
        key = z.tobytes()
        if key != self._jacobian_key:
            h = 1e-7
            batch = np.repeat(z[:, None], self.size + 1, axis=1)
            batch[np.arange(self.size), np.arange(1, self.size + 1)] += h
            r, v, _ = self.run(batch)
            values = np.concatenate([r - self.rf[:, None], v - self.vf[:, None]])
            self._jacobian = (values[:, 1:] - values[:, :1]) / h
            self._jacobian_key = key
        return self._jacobian

    def throttles(self, z: np.ndarray) -> np.ndarray:
        return np.linalg.norm(z[:3 * self.n].reshape(self.n, 3), axis=1)


def _lambert_guesses(problem: _SimsFlanaganProblem) -> list[np.ndarray]:
    """Initial throttles: the zero-revolution Lambert arc's two impulses spread as thrust from
    each end, then the cheapest multi-revolution arc's (up to three) when it is cheaper."""
    from spaceviz.core.astro.lambert import lambert

    p = problem
    pole = np.cross(p.r0, p.v0)
    pole /= np.linalg.norm(pole)
    arcs = []
    for revolutions, branch in ((0, "left"), (1, "left"), (1, "right"), (2, "left"),
                                (2, "right"), (3, "left"), (3, "right")):
        v1, v2 = lambert(p.r0, p.rf, p.dt * p.n, 1.0, prograde=True, revolutions=revolutions,
                         branch=branch, pole=pole)
        v1, v2 = np.reshape(v1, 3), np.reshape(v2, 3)
        cost = float(np.linalg.norm(v1 - p.v0) + np.linalg.norm(p.vf - v2))
        if np.isfinite(cost):
            arcs.append((cost, revolutions, v1, v2))
    guesses = []
    if arcs and arcs[0][1] == 0:
        guesses.append(_spread(p, arcs[0][2], arcs[0][3]))
    multi = [a for a in arcs if a[1] > 0]
    if multi and (not guesses or min(multi, key=lambda a: a[0])[0] < arcs[0][0]):
        best = min(multi, key=lambda a: a[0])
        guesses.append(_spread(p, best[2], best[3]))
    return guesses


def _spread(p: _SimsFlanaganProblem, v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Throttles giving the impulses v1 - v0 (from the start) and vf - v2 (to the end) as
    thrust spread over the segments nearest each end, full throttle first."""
    z = np.zeros(p.size)
    kicks = [(v1 - p.v0, range(p.n)), (p.vf - v2, range(p.n - 1, -1, -1))]
    if p.w_max > 0:
        w = v1 - p.v0
        w = w * min(1.0, p.w_max / max(np.linalg.norm(w), 1e-12))
        z[3 * p.n:] = w
        kicks[0] = (v1 - p.v0 - w, range(p.n))
    per_segment = p.ve * p.c  # velocity one full-throttle segment gives (at the initial mass)
    used = np.zeros(p.n)
    for kick, order in kicks:
        left = float(np.linalg.norm(kick))
        if left < 1e-12:
            continue
        direction = kick / left
        for k in order:
            if left <= 0:
                break
            room = 1.0 - used[k]
            if room <= 0:
                continue
            throttle = min(room, left / per_segment)
            z[3 * k:3 * k + 3] += throttle * direction
            used[k] += throttle
            left -= throttle * per_segment
    return z


def _solve(problem: _SimsFlanaganProblem, z0: np.ndarray, smooth: float | None,
           iterations: int) -> tuple[np.ndarray, bool]:
    """SLSQP from z0: minimise the propellant (the sum of throttles, smoothed by `smooth`;
    with smooth None the sum of squared throttles) subject to the end conditions."""
    from scipy.optimize import minimize

    p = problem
    n3 = 3 * p.n

    def objective(z):
        u = z[:n3].reshape(p.n, 3)
        if smooth is None:
            return float(np.sum(u * u)), np.concatenate([2.0 * u.ravel(), np.zeros(p.size - n3)])
        norm = np.sqrt(np.sum(u * u, axis=1) + smooth * smooth)
        grad = (u / norm[:, None]).ravel()
        return float(np.sum(norm)), np.concatenate([grad, np.zeros(p.size - n3)])

    def bounds_fun(z):
        """Throttles of at most 1; the mass kept above its floor (the propellant aboard);
        the launcher's excess speed within its C3."""
        u = z[:n3].reshape(p.n, 3)
        norm = np.sqrt(np.sum(u * u, axis=1) + 1e-12)
        out = np.append(1.0 - np.sum(u * u, axis=1), 1.0 - p.floor - p.c * np.sum(norm))
        if p.w_max > 0:
            w = z[n3:]
            out = np.append(out, p.w_max ** 2 - w @ w)
        return out

    def bounds_jac(z):
        u = z[:n3].reshape(p.n, 3)
        norm = np.sqrt(np.sum(u * u, axis=1) + 1e-12)
        jac = np.zeros((p.n + 1 + (1 if p.w_max > 0 else 0), p.size))
        rows = np.repeat(np.arange(p.n), 3)
        jac[rows, np.arange(n3)] = -2.0 * u.ravel()
        jac[p.n, :n3] = -p.c * (u / norm[:, None]).ravel()
        if p.w_max > 0:
            jac[p.n + 1, n3:] = -2.0 * z[n3:]
        return jac

    result = minimize(objective, z0, jac=True, method="SLSQP",
                      constraints=[{"type": "eq", "fun": p.residual, "jac": p.jacobian},
                                   {"type": "ineq", "fun": bounds_fun, "jac": bounds_jac}],
                      options={"maxiter": iterations, "ftol": 1e-9})
    return result.x, result.status == 0


def _polish(problem: _SimsFlanaganProblem, z: np.ndarray) -> np.ndarray:
    """Newton steps (least-norm) on the end conditions, keeping throttles within 1."""
    p = problem
    for _ in range(8):
        residual = p.residual(z)
        if np.max(np.abs(residual)) < 1e-13:
            break
        step = np.linalg.lstsq(p.jacobian(z), -residual, rcond=None)[0]
        z = z + step
        u = z[:3 * p.n].reshape(p.n, 3)
        norm = np.linalg.norm(u, axis=1)
        u[norm > 1.0] /= norm[norm > 1.0, None]
    return z


def _search(problem: _SimsFlanaganProblem, tolerance_km: float, tolerance_km_s: float,
            initial: np.ndarray | None = None):
    """A feasible solution, (z, throttles, miss km, miss km/s), or None. A warm start
    (`initial`) goes straight to the propellant-optimal stage. Otherwise the initial guesses
    (Lambert-shaped with zero and several revolutions; no thrust when there is only one of
    those) race through a few energy-optimal iterations; the one nearest to meeting the target goes on, then the
    propellant-optimal stage and Newton steps."""
    p = problem

    def finish(z):
        z = _polish(p, z)
        residual = p.residual(z)
        miss_km = float(np.linalg.norm(residual[:3])) * p.L
        miss_km_s = float(np.linalg.norm(residual[3:])) * p.V
        throttles = p.throttles(z)
        final = 1.0 - p.c * float(np.sum(throttles))  # of the initial mass
        if (miss_km < tolerance_km and miss_km_s < tolerance_km_s
                and np.all(throttles <= 1.0 + 1e-9) and final >= p.floor - 1e-9):
            return z, throttles, miss_km, miss_km_s
        return None

    if initial is not None and initial.size == p.size:
        found = finish(_solve(p, initial, 1e-3, SLSQP_ITERATIONS[1])[0])
        if found is not None:
            return found
    racers = []
    guesses = _lambert_guesses(p)
    for guess in guesses if len(guesses) > 1 else (*guesses, np.zeros(p.size)):
        z, converged = _solve(p, guess, None, SLSQP_HEAT)
        racers.append((not converged, float(np.max(np.abs(p.residual(z)))), z))
    racers.sort(key=lambda r: (r[0], r[1]))
    for unfinished, _, z in racers[:2]:
        if unfinished:
            z, converged = _solve(p, z, None, SLSQP_ITERATIONS[0])  # energy-optimal
            if not converged and np.max(np.abs(p.residual(z))) > 1e-2:
                continue  # far from meeting the target (Newton finishes the nearly there)
        better, _ = _solve(p, z, 1e-3, SLSQP_ITERATIONS[1])  # then the propellant itself
        candidates = [c for c in (finish(better), finish(z)) if c is not None]
        if candidates:
            return min(candidates, key=lambda c: float(np.sum(c[1])))
    return None


def sims_flanagan(central: str, gm_km3_s2: float, depart_tdb: float, arrive_tdb: float,
                  r0_km: np.ndarray, v0_km_s: np.ndarray, rf_km: np.ndarray,
                  vf_km_s: np.ndarray, mass_kg: float, engine: Engine, *, segments: int = 40,
                  v_inf_max_km_s: float = 0.0, tolerance_km: float = 1.0,
                  tolerance_km_s: float = 1e-6, initial: SimsFlanaganArc | None = None,
                  min_mass_kg: float = 0.0) -> SimsFlanaganArc:
    """A Sims-Flanagan leg about `central` from the state (r0, v0) at depart_tdb to (rf, vf)
    at arrive_tdb (km, km/s relative to the central body; TDB JD) for a ship of `mass_kg` with
    `engine` at up to full thrust, maximising the final mass. With `v_inf_max_km_s` the
    departure velocity may add a launcher's excess velocity up to that speed, in the best
    direction. `initial`, a solved leg from the same departure with as many segments, starts
    the search (a warm start). The mass never falls below `min_mass_kg` (the ship without its
    propellant). Raises LowThrustError when no solution meets the end within
    the tolerances (km, km/s) with throttles of at most 1 (too little thrust for the dates)."""
    tof_s = (arrive_tdb - depart_tdb) * SECONDS_PER_DAY
    if not tof_s > 0:
        raise LowThrustError("arrival must be after departure")
    problem = _SimsFlanaganProblem(gm_km3_s2, np.asarray(r0_km, float), np.asarray(v0_km_s, float),
                                   np.asarray(rf_km, float), np.asarray(vf_km_s, float), tof_s,
                                   mass_kg, engine, segments, v_inf_max_km_s, min_mass_kg)
    from threadpoolctl import threadpool_limits

    # The optimiser's dense algebra is small: threads only contend (six times slower on a
    # busy two-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        best = _search(problem, tolerance_km, tolerance_km_s,
                       initial.decision if initial is not None else None)
    if best is None:
        raise LowThrustError("no low-thrust trajectory meets the target on these dates with "
                             "this thrust")

    z, throttles, miss_km, miss_km_s = best
    _, _, _, pieces, masses = problem.run(z[:, None], keep=True)
    pos = np.stack([piece[0] for piece in pieces], axis=1) * problem.L
    vel = np.stack([piece[1] for piece in pieces], axis=1) * problem.V
    segment_days = (arrive_tdb - depart_tdb) / segments
    times = np.concatenate([[depart_tdb], depart_tdb + (np.arange(segments) + 0.5) * segment_days])
    node_mass = np.array(masses) * mass_kg
    w = z[3 * segments:] * problem.V if problem.w_max > 0 else np.zeros(3)
    dv = float(dv_for_propellant(node_mass[0], node_mass[0] - node_mass[-1], engine.isp_s))
    return SimsFlanaganArc(central, gm_km3_s2, depart_tdb, arrive_tdb, times, pos, vel,
                           np.minimum(throttles, 1.0), node_mass, engine.mass_flow_kg_s, dv, w,
                           miss_km, miss_km_s, z)
