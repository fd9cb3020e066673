"""The one trajectory engine: impulsive transfers by patched conics, flight plans of ships,
OEM-backed arcs and porkchop grids, all from the same vectorised solver.

Frames and units: every public state is barycentric ICRF, positions in AU and velocities in
AU/day, times TDB Julian dates (float64; arrays (3, N) with time on the trailing axis). Arcs
are solved and propagated relative to their central body in km and km/s: the Earth when both
ends belong to the Earth-Moon system, otherwise the Sun. Delta-v in km/s, C3 in km^2/s^2.

Patched conics, as in a mission designer's first pass:
- An end at the central body itself (the Earth in an Earth-centred leg) is a point on its
  circular parking orbit; the burn is the difference from the circular velocity there, and the
  departure C3 is twice the specific orbital energy (a trans-lunar injection from 400 km: about
  3.1 km/s at C3 about -2 km^2/s^2).
- An end at another gravitating body (Earth seen from the Sun, Mars, the Moon in an Earth-centred
  leg) leaves from or is captured into a circular orbit about it (default 400 km at Earth,
  100 km at the Moon): dv = sqrt(v_inf^2 + 2 mu / r) - sqrt(mu / r), with v_inf the Lambert
  arc's velocity relative to the body. C3 = v_inf^2.
- A place on a body's surface (a lunar site) adds the ideal ascent to (or descent from) that
  orbit: a Hohmann ellipse from the surface radius, without gravity losses.
- A small body (an asteroid) has no gravity well: dv = v_inf (a rendezvous).

'Prograde' means about the ecliptic pole. Multi-revolution arcs are solved on request, or the
cheapest of the zero- and multi-revolution solutions for the given dates is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.bodies import BODIES
from spaceviz.core.astro.lambert import lambert
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import (
    AU_KM,
    AU_PER_DAY_TO_KM_PER_S,
    KM_PER_S_TO_AU_PER_DAY,
    OBLIQUITY_J2000_ARCSEC,
    SECONDS_PER_DAY,
)
from spaceviz.core.errors import UserError
from spaceviz.core.mission.events import MissionEvent

StateFunction = Callable[[ArrayLike], tuple[np.ndarray, np.ndarray]]
"""`state(t_tdb) -> (pos_au, vel_au_per_day)`, barycentric ICRF, (3,) or (3, N)."""

_EPS = math.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
ECLIPTIC_POLE_ICRF = np.array([0.0, -math.sin(_EPS), math.cos(_EPS)])
"""Unit normal of the J2000 ecliptic in ICRF axes: 'prograde' for transfers means about it."""

ORBIT_ALTITUDE_KM = {"Earth": 400.0, "Moon": 100.0, "Mars": 400.0, "Venus": 400.0,
                     "Mercury": 200.0}
"""Default altitude (km) of the circular orbit a ship leaves from or is captured into; the
other planets use a tenth of their radius."""
PARKING_SWEEPS_DEG = (140.0, 155.0, 165.0, 170.0, 174.0, 177.0)
"""Candidate angles swept from a parking point on the central body's orbit to the other end;
the cheapest is flown (a real injection burns where the transfer ellipse has its perigee).
All short of 180 degrees, where the transfer plane would be undefined."""
MAX_AUTO_REVOLUTIONS = 3
"""Most complete revolutions tried when the engine picks the cheapest arc itself."""


class TransferError(UserError):
    """A transfer that cannot be solved (arrival before departure, degenerate geometry)."""


# --------------------------------------------------------------------------- places

def orbit_radius_km(body: str) -> float:
    """Radius (km) of the default circular orbit about a body (see ORBIT_ALTITUDE_KM)."""
    radius = BODIES[body].radius_km
    return radius + ORBIT_ALTITUDE_KM.get(body, 0.1 * radius)


@dataclass(frozen=True, eq=False)
class Place:
    """Where a leg starts or ends, and what a ship does there.

    system: 'Earth' for the Earth-Moon system (Earth, Moon, lunar sites), else 'Sun'.
    body: the gravitating body a ship leaves or is captured by ('Earth', 'Moon', 'Mars', ...),
    None for a small body (a rendezvous). orbit_radius_km: its circular parking/capture orbit.
    surface: the place is on that body's surface (ascent and landing to and from the orbit).
    """

    name: str
    state: StateFunction = field(repr=False)
    system: str = "Sun"
    body: str | None = None
    orbit_radius_km: float = 0.0
    surface: bool = False

    @property
    def gm_km3_s2(self) -> float:
        return BODIES[self.body].gm_km3_per_s2 if self.body else 0.0


def circular_speed_km_s(gm_km3_s2: float, radius_km: ArrayLike) -> np.ndarray:
    """Speed (km/s) on a circular orbit of radius_km."""
    return np.sqrt(gm_km3_s2 / np.asarray(radius_km, dtype=np.float64))


def orbit_burn_km_s(v_inf_km_s: ArrayLike, gm_km3_s2: float, radius_km: float) -> np.ndarray:
    """Impulsive burn (km/s) between a circular orbit of radius_km and a hyperbola with excess
    speed v_inf (departure or capture; patched conics)."""
    v_inf = np.asarray(v_inf_km_s, dtype=np.float64)
    return np.sqrt(v_inf * v_inf + 2.0 * gm_km3_s2 / radius_km) - math.sqrt(gm_km3_s2 / radius_km)


def surface_to_orbit_km_s(gm_km3_s2: float, surface_radius_km: float, orbit_radius_km: float
                          ) -> float:
    """Ideal delta-v (km/s) from rest on a body's surface to a circular orbit (or back): a
    horizontal impulse onto an ellipse from the surface radius up to the orbit, then a
    circularisation burn there; no gravity losses or rotation (the Moon: 1.73 km/s to 100 km)."""
    r0, r1 = surface_radius_km, orbit_radius_km
    v_periapsis = math.sqrt(2.0 * gm_km3_s2 * r1 / (r0 * (r0 + r1)))
    return v_periapsis + (math.sqrt(gm_km3_s2 / r1) - v_periapsis * r0 / r1)


def end_burn_km_s(place: Place, v_inf_km_s: ArrayLike) -> np.ndarray:
    """The burn (km/s) at a non-central end with excess speed v_inf: the hyperbola from or to
    the place's circular orbit, plus ascent or landing for a surface place; v_inf itself at a
    small body."""
    v_inf = np.asarray(v_inf_km_s, dtype=np.float64)
    if place.body is None:
        return v_inf
    burn = orbit_burn_km_s(v_inf, place.gm_km3_s2, place.orbit_radius_km)
    if place.surface:
        burn = burn + surface_to_orbit_km_s(place.gm_km3_s2, BODIES[place.body].radius_km,
                                            place.orbit_radius_km)
    return burn


def central_body(origin: Place, target: Place) -> str:
    """'Earth' when both places are in the Earth-Moon system, otherwise 'Sun'."""
    return "Earth" if origin.system == target.system == "Earth" else "Sun"


# --------------------------------------------------------------------------- the solver

@dataclass(frozen=True, eq=False)
class Conics:
    """N solved transfers about `central`: the arc's central-relative endpoint states (km,
    km/s) (3, N), the ends' own velocities (the places', or the circular velocity at a parking
    point), burns (km/s) and departure C3 (km^2/s^2) (N,); NaN where no conic exists.
    `column(k)` is the k-th transfer alone: vectors (3,) and floats."""

    central: str
    r1_km: np.ndarray
    v1_km_s: np.ndarray
    r2_km: np.ndarray
    end1_v_km_s: np.ndarray
    end2_v_km_s: np.ndarray
    departure_dv_km_s: np.ndarray
    arrival_dv_km_s: np.ndarray
    c3_km2_s2: np.ndarray
    arrival_v_inf_km_s: np.ndarray
    parking1: bool
    parking2: bool

    @property
    def total_dv_km_s(self) -> np.ndarray:
        return self.departure_dv_km_s + self.arrival_dv_km_s

    def column(self, k: int) -> dict:
        """The fields of the k-th transfer: (3,) vectors and float scalars."""
        out = {}
        for f in fields(Conics):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value = value[:, k] if value.ndim == 2 else float(value[k])
            out[f.name] = value
        return out


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=0)


def _parking_point(other_pos_km, other_vel_km_s, departing: bool, radius_km: float, gm: float,
                   sweep_deg: float):
    """A parking-orbit point (km) and its circular velocity (km/s), `sweep_deg` behind the
    other end when departing (so the prograde arc sweeps forwards to it), ahead when arriving.
    Plane: the other end's orbital plane about the central body (the ecliptic if undefined)."""
    h = np.cross(other_pos_km, other_vel_km_s, axis=0)
    h_norm = np.linalg.norm(h, axis=0)
    pole = np.where(h_norm > 0, h / np.where(h_norm > 0, h_norm, 1.0), ECLIPTIC_POLE_ICRF[:, None])
    u = _unit(other_pos_km)
    w = np.cross(pole, u, axis=0)
    angle = math.radians(-sweep_deg if departing else sweep_deg)
    direction = math.cos(angle) * u + math.sin(angle) * w
    return radius_km * direction, circular_speed_km_s(gm, radius_km) * np.cross(pole, direction,
                                                                               axis=0)


def _relative_km(place: Place, t: np.ndarray, central_pos, central_vel):
    pos, vel = place.state(t)
    pos = np.asarray(pos, dtype=np.float64).reshape(3, -1)
    vel = np.asarray(vel, dtype=np.float64).reshape(3, -1)
    return (pos - central_pos) * AU_KM, (vel - central_vel) * AU_PER_DAY_TO_KM_PER_S


def solve_conics(origin: Place, target: Place, depart_tdb: ArrayLike, arrive_tdb: ArrayLike,
                 ephemeris, *, revolutions: int = 0, branch: str = "left") -> Conics:
    """Transfers from `origin` at each departure to `target` at each arrival (TDB, (N,)),
    vectorised: one Lambert call for all N (times the parking sweeps tried when an end is the
    central body, keeping the cheapest). See the module notes for the burns."""
    t1 = np.atleast_1d(np.asarray(depart_tdb, dtype=np.float64))
    t2 = np.atleast_1d(np.asarray(arrive_tdb, dtype=np.float64))
    t1, t2 = np.broadcast_arrays(t1, t2)
    central = central_body(origin, target)
    gm = BODIES[central].gm_km3_per_s2
    parking1, parking2 = origin.body == central, target.body == central
    if parking1 and parking2:
        raise TransferError(f"a transfer from {origin.name} to {target.name} goes nowhere")
    if origin.body is not None and origin.body == target.body:
        raise TransferError(f"{origin.name} and {target.name} are both on the {origin.body}: "
                            "hops across one body are not modelled")
    c1_pos, c1_vel = (np.asarray(a).reshape(3, -1) for a in ephemeris.state(central, t1))
    c2_pos, c2_vel = (np.asarray(a).reshape(3, -1) for a in ephemeris.state(central, t2))
    n = t1.size
    sweeps = PARKING_SWEEPS_DEG if parking1 or parking2 else (0.0,)
    k = len(sweeps)
    if parking1:
        r2, vb2 = _relative_km(target, t2, c2_pos, c2_vel)
        r1, vb1 = (np.concatenate(parts, axis=1) for parts in zip(*(
            _parking_point(r2, vb2, True, origin.orbit_radius_km, gm, s) for s in sweeps),
            strict=True))
        r2, vb2 = np.tile(r2, k), np.tile(vb2, k)
    elif parking2:
        r1, vb1 = _relative_km(origin, t1, c1_pos, c1_vel)
        r2, vb2 = (np.concatenate(parts, axis=1) for parts in zip(*(
            _parking_point(r1, vb1, False, target.orbit_radius_km, gm, s) for s in sweeps),
            strict=True))
        r1, vb1 = np.tile(r1, k), np.tile(vb1, k)
    else:
        r1, vb1 = _relative_km(origin, t1, c1_pos, c1_vel)
        r2, vb2 = _relative_km(target, t2, c2_pos, c2_vel)
    tof_s = np.tile(np.where(t2 > t1, t2 - t1, np.nan) * SECONDS_PER_DAY, k)
    v1, v2 = lambert(r1, r2, tof_s, gm, revolutions=revolutions, branch=branch,
                     pole=ECLIPTIC_POLE_ICRF)
    v1, v2 = v1.reshape(3, -1), v2.reshape(3, -1)
    excess1 = np.linalg.norm(v1 - vb1, axis=0)
    excess2 = np.linalg.norm(v2 - vb2, axis=0)
    if parking1:
        departure = excess1
        c3 = np.sum(v1 * v1, axis=0) - 2.0 * gm / np.linalg.norm(r1, axis=0)
    else:
        departure = end_burn_km_s(origin, excess1)
        c3 = excess1 * excess1
    arrival = excess2 if parking2 else end_burn_km_s(target, excess2)
    # The cheapest sweep for each problem (all NaN stays NaN).
    total = (departure + arrival).reshape(k, n)
    choice = np.argmin(np.where(np.isfinite(total), total, np.inf), axis=0)
    pick = choice * n + np.arange(n)
    return Conics(central, r1[:, pick], v1[:, pick], r2[:, pick], vb1[:, pick],
                  vb2[:, pick], departure[pick], arrival[pick], c3[pick], excess2[pick],
                  parking1, parking2)


# --------------------------------------------------------------------------- one leg

@dataclass(frozen=True, eq=False)
class Transfer(Conics):
    """One impulsive leg from `origin` at `depart_tdb` to `target` at `arrive_tdb` (TDB JD):
    the Conics fields for this one arc (r1/v1 its departure state relative to `central`, km and
    km/s; r2 its arrival point; end1/end2 the places' own velocities, or the circular velocity
    at a parking point; burns and C3 as floats), with the revolutions and branch flown. Build
    with `plan_transfer`."""

    origin: Place
    target: Place
    depart_tdb: float
    arrive_tdb: float
    revolutions: int
    branch: str
    ephemeris: object = field(repr=False)

    @property
    def from_name(self) -> str:
        return self.origin.name

    @property
    def to_name(self) -> str:
        return self.target.name

    @property
    def tof_days(self) -> float:
        return self.arrive_tdb - self.depart_tdb

    @property
    def gm_km3_s2(self) -> float:
        return BODIES[self.central].gm_km3_per_s2

    def relative_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """State on the conic relative to the central body, ICRF km and km/s, (3, N)."""
        dt_s = (np.atleast_1d(np.asarray(t_tdb, dtype=np.float64)) - self.depart_tdb) * SECONDS_PER_DAY
        return propagate_state(self.r1_km[:, None], self.v1_km_s[:, None], dt_s, self.gm_km3_s2)

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF state (AU, AU/day) on the conic at time(s), shaped like t."""
        t = np.asarray(t_tdb, dtype=np.float64)
        r_km, v_km_s = self.relative_state(t.reshape(-1))
        c_pos, c_vel = self.ephemeris.state(self.central, t.reshape(-1))
        pos = r_km / AU_KM + np.reshape(c_pos, (3, -1))
        vel = v_km_s * KM_PER_S_TO_AU_PER_DAY + np.reshape(c_vel, (3, -1))
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)

    def departure_direction(self) -> np.ndarray:
        """Unit ICRF vector of the departure velocity relative to the origin's frame."""
        return _unit(self.v1_km_s)


def plan_transfer(origin: Place, target: Place, depart_tdb: float, arrive_tdb: float, ephemeris,
                  *, revolutions: int | None = None, branch: str | None = None) -> Transfer:
    """The leg from origin to target on these dates: with `revolutions` (and `branch` for
    multi-revolution arcs) as asked, or the cheapest of every zero- and multi-revolution arc
    (up to MAX_AUTO_REVOLUTIONS, both branches). Raises TransferError when none exists."""
    depart_tdb, arrive_tdb = float(depart_tdb), float(arrive_tdb)
    label = f"{origin.name} -> {target.name}"
    if not arrive_tdb > depart_tdb:
        raise TransferError(f"{label}: arrival must be after departure")
    if branch not in (None, "left", "right"):
        raise TransferError(f"{label}: branch must be 'left' or 'right', not {branch!r}")
    counts = [revolutions] if revolutions is not None else range(MAX_AUTO_REVOLUTIONS + 1)
    best: tuple[float, int, str, Conics] | None = None
    for count in counts:
        branches = [branch or "left"] if count == 0 or branch else ["left", "right"]
        for side in branches:
            conics = solve_conics(origin, target, depart_tdb, arrive_tdb, ephemeris,
                                  revolutions=count, branch=side)
            total = float(conics.total_dv_km_s[0])
            if np.isfinite(total) and (best is None or total < best[0]):
                best = (total, count, side, conics)
    if best is None:
        what = f"{revolutions}-revolution" if revolutions is not None else "prograde"
        raise TransferError(
            f"{label}: no {what} arc reaches the target in {arrive_tdb - depart_tdb:.3f} days "
            "(a transfer angle of exactly 180 degrees, or too short a flight for the "
            "revolutions asked); move a date by a day or two")
    _, count, side, c = best
    return Transfer(**c.column(0), origin=origin, target=target, depart_tdb=depart_tdb,
                    arrive_tdb=arrive_tdb, revolutions=count, branch=side if count else "",
                    ephemeris=ephemeris)


# --------------------------------------------------------------------------- OEM arcs

class OemArc:
    """A trajectory read from a CCSDS OEM: interpolated as the file's metadata asks (Lagrange,
    Hermite or linear), converted from its REF_FRAME (ICRF, GCRF, or EME2000 with the IERS
    frame bias) and CENTER_NAME to barycentric ICRF. The state is NaN outside the useable
    spans; where segments overlap, the first listed wins."""

    origin = None
    target = None

    def __init__(self, message, ephemeris):
        self.message = message
        self.segments = list(message.segments)
        self.ephemeris = ephemeris
        self.name = self.segments[0].object_name
        self.depart_tdb = float(min(s.useable_start_tdb for s in self.segments))
        self.arrive_tdb = float(max(s.useable_stop_tdb for s in self.segments))

    @classmethod
    def from_file(cls, path, ephemeris) -> OemArc:
        """Read an OEM KVN file (InputFileError with line numbers if it is invalid)."""
        from spaceviz.core.astro.oem import read_oem

        return cls(read_oem(path), ephemeris)

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day); NaN outside the coverage."""
        from spaceviz.core.astro.oem import interpolate_segment, to_icrf

        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        pos = np.full((3, flat.size), np.nan)
        vel = np.full((3, flat.size), np.nan)
        todo = np.ones(flat.size, dtype=bool)
        for seg in self.segments:
            mask = todo & (flat >= seg.useable_start_tdb) & (flat <= seg.useable_stop_tdb)
            if not np.any(mask):
                continue
            todo &= ~mask
            times = flat[mask]
            p_km, v_km_s = interpolate_segment(seg, times)
            p_km, v_km_s = to_icrf(p_km, seg.ref_frame), to_icrf(v_km_s, seg.ref_frame)
            c_pos, c_vel = ((0.0, 0.0) if seg.center == "SSB"
                            else self.ephemeris.state(seg.center, times))
            pos[:, mask] = p_km / AU_KM + c_pos
            vel[:, mask] = v_km_s * KM_PER_S_TO_AU_PER_DAY + c_vel
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)


# --------------------------------------------------------------------------- flight plans

Leg = Transfer | OemArc


def _parking_orbit_state(place: Place, anchor_tdb: float, direction: np.ndarray,
                         t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A ship waiting at `place` (barycentric AU, AU/day at times t): on the surface at a
    surface place, with a small body at a small body, else on the place's circular orbit in
    the ecliptic plane, at `direction` (ICRF unit vector, projected) at anchor_tdb."""
    pos, vel = place.state(t)
    pos = np.asarray(pos, dtype=np.float64).reshape(3, -1)
    vel = np.asarray(vel, dtype=np.float64).reshape(3, -1)
    if place.body is None or place.surface:
        return pos, vel
    in_plane = direction - (direction @ ECLIPTIC_POLE_ICRF) * ECLIPTIC_POLE_ICRF
    if np.linalg.norm(in_plane) < 1e-9:
        in_plane = np.cross(ECLIPTIC_POLE_ICRF, [1.0, 0.0, 0.0])
    u0 = in_plane / np.linalg.norm(in_plane)
    w0 = np.cross(ECLIPTIC_POLE_ICRF, u0)
    radius = place.orbit_radius_km
    speed = float(circular_speed_km_s(place.gm_km3_s2, radius))
    angle = (t - anchor_tdb) * SECONDS_PER_DAY * speed / radius
    u = np.outer(u0, np.cos(angle)) + np.outer(w0, np.sin(angle))
    w = np.outer(w0, np.cos(angle)) - np.outer(u0, np.sin(angle))
    return pos + radius * u / AU_KM, vel + speed * w * KM_PER_S_TO_AU_PER_DAY


@dataclass(eq=False)
class FlightPlan:
    """A ship's legs in order; `cargo_kg[i]` is carried on leg i (from its departure to its
    arrival). Before the first leg the ship waits at its origin, between legs at the previous
    target, after the last at the final target: in orbit about a planet or the Moon (its
    parking orbit), on the surface at a surface place, with a small body at a small body.
    An OEM arc holds its first and last states outside its coverage."""

    name: str
    legs: list[Leg]
    cargo_kg: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.legs:
            raise UserError(f"ship '{self.name}' has no legs")
        if not self.cargo_kg:
            self.cargo_kg = [0.0] * len(self.legs)
        if len(self.cargo_kg) != len(self.legs):
            raise UserError(f"ship '{self.name}': {len(self.cargo_kg)} cargo values for "
                            f"{len(self.legs)} legs")
        for previous, leg in zip(self.legs, self.legs[1:], strict=False):
            if leg.depart_tdb < previous.arrive_tdb:
                raise UserError(f"ship '{self.name}': a leg departs before the previous one "
                                "arrives (legs must follow each other in time)")

    @property
    def depart_tdb(self) -> np.ndarray:
        return np.array([leg.depart_tdb for leg in self.legs])

    @property
    def arrive_tdb(self) -> np.ndarray:
        return np.array([leg.arrive_tdb for leg in self.legs])

    @property
    def start_tdb(self) -> float:
        return float(self.legs[0].depart_tdb)

    @property
    def end_tdb(self) -> float:
        return float(self.legs[-1].arrive_tdb)

    def leg_index(self, t_tdb: ArrayLike) -> np.ndarray:
        """Index of the leg that governs each time: the last leg departed (0 before the first)."""
        t = np.asarray(t_tdb, dtype=np.float64)
        index = np.searchsorted(self.depart_tdb, t, side="right") - 1
        return np.clip(index, 0, len(self.legs) - 1)

    def in_flight(self, t_tdb: ArrayLike) -> np.ndarray:
        """True while a leg is under way (departure <= t < arrival)."""
        t = np.asarray(t_tdb, dtype=np.float64)
        index = self.leg_index(t)
        return (t >= self.depart_tdb[index]) & (t < self.arrive_tdb[index])

    def cargo_at(self, t_tdb: ArrayLike) -> np.ndarray:
        """Cargo aboard (kg) at TDB time(s): the leg's cargo while in flight, else 0."""
        t = np.asarray(t_tdb, dtype=np.float64)
        cargo = np.asarray(self.cargo_kg, dtype=np.float64)[self.leg_index(t)]
        return np.where(self.in_flight(t), cargo, 0.0)

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day) at TDB time(s), shaped like t."""
        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        pos = np.empty((3, flat.size))
        vel = np.empty((3, flat.size))
        index = self.leg_index(flat)
        depart, arrive = self.depart_tdb[index], self.arrive_tdb[index]
        flying = (flat > depart) & (flat < arrive)
        for i, leg in enumerate(self.legs):
            mask = flying & (index == i)
            if np.any(mask):
                pos[:, mask], vel[:, mask] = leg.state(flat[mask])
            before = ~flying & (index == i) & (flat <= leg.depart_tdb)
            after = ~flying & (index == i) & (flat >= leg.arrive_tdb)
            for waiting, at_start in ((before, True), (after, False)):
                if np.any(waiting):
                    pos[:, waiting], vel[:, waiting] = self._waiting(i, at_start, flat[waiting])
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)

    def _waiting(self, i: int, at_start: bool, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The state while waiting before leg i departs (at_start) or after it arrives."""
        leg = self.legs[i]
        if isinstance(leg, OemArc):
            edge = leg.depart_tdb if at_start else leg.arrive_tdb
            p, v = leg.state(np.array([edge]))
            return np.repeat(p, t.size, axis=1), np.repeat(v, t.size, axis=1)
        place = leg.origin if at_start else leg.target
        anchor = leg.depart_tdb if at_start else leg.arrive_tdb
        if leg.parking1 if at_start else leg.parking2:
            # On the central body's parking orbit, continuous with the arc's parking point.
            r, v = (leg.r1_km, leg.end1_v_km_s) if at_start else (leg.r2_km, leg.end2_v_km_s)
            rel_pos, rel_vel = propagate_state(r[:, None], v[:, None], (t - anchor) * SECONDS_PER_DAY,
                                               leg.gm_km3_s2)
            c_pos, c_vel = self.ephemeris_state(leg, t)
            return c_pos + rel_pos / AU_KM, c_vel + rel_vel * KM_PER_S_TO_AU_PER_DAY
        direction = (leg.departure_direction() if at_start
                     else -_unit(leg.relative_state(leg.arrive_tdb)[1][:, 0]))
        return _parking_orbit_state(place, anchor, direction, t)

    @staticmethod
    def ephemeris_state(leg: Transfer, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos, vel = leg.ephemeris.state(leg.central, t)
        return np.reshape(pos, (3, -1)), np.reshape(vel, (3, -1))

    def waiting_at(self, t_tdb: float) -> str | None:
        """The name of the place the ship waits at (before, between or after its legs), or
        None while a leg is under way or for an OEM arc."""
        i = int(self.leg_index(t_tdb))
        leg = self.legs[i]
        if isinstance(leg, OemArc) or leg.depart_tdb < t_tdb < leg.arrive_tdb:
            return None
        return leg.from_name if t_tdb <= leg.depart_tdb else leg.to_name

    def events(self) -> list[MissionEvent]:
        """A departure and an arrival event per leg (target: the ship)."""
        out: list[MissionEvent] = []
        for leg in self.legs:
            if isinstance(leg, OemArc):
                out.append(MissionEvent(leg.depart_tdb, f"{self.name}: trajectory begins",
                                        "departure", self.name))
                out.append(MissionEvent(leg.arrive_tdb, f"{self.name}: trajectory ends",
                                        "arrival", self.name))
                continue
            out.append(MissionEvent(leg.depart_tdb, f"{self.name} departs {leg.from_name}",
                                    "departure", self.name))
            out.append(MissionEvent(leg.arrive_tdb, f"{self.name} arrives at {leg.to_name}",
                                    "arrival", self.name))
        return out

    def replanned(self, index: int, depart_tdb: float, arrive_tdb: float, ephemeris
                  ) -> FlightPlan:
        """A copy with leg `index` flown on new dates (same places, cheapest arc); raises
        UserError when the new dates overlap the neighbouring legs."""
        leg = self.legs[index]
        if isinstance(leg, OemArc):
            raise UserError(f"'{self.name}' flies an OEM file; its dates come from the file")
        if index > 0 and depart_tdb < self.legs[index - 1].arrive_tdb:
            raise UserError(f"{self.name} would depart before its previous leg arrives")
        if index + 1 < len(self.legs) and arrive_tdb > self.legs[index + 1].depart_tdb:
            raise UserError(f"{self.name} would arrive after its next leg departs")
        new_leg = plan_transfer(leg.origin, leg.target, depart_tdb, arrive_tdb, ephemeris)
        legs = list(self.legs)
        legs[index] = new_leg
        return FlightPlan(self.name, legs, list(self.cargo_kg))


def flight_path(plan: FlightPlan, samples_per_leg: int = 240) -> list[tuple[str | None, np.ndarray,
                                                                           np.ndarray]]:
    """Each leg as (central body or None, times (S,), positions (3, S)): Lambert legs relative
    to their central body (km, ICRF), OEM legs barycentric (AU) with None as central."""
    out = []
    for leg in plan.legs:
        times = np.linspace(leg.depart_tdb, leg.arrive_tdb, samples_per_leg)
        if isinstance(leg, OemArc):
            out.append((None, times, leg.state(times)[0]))
        else:
            out.append((leg.central, times, leg.relative_state(times)[0]))
    return out


# --------------------------------------------------------------------------- porkchop

@dataclass(frozen=True)
class Porkchop:
    """Transfer cost over departures (D,) x flights (T,): every 2-D array is (D, T), NaN where
    no conic exists. Times TDB JD; tof in days; C3 km^2/s^2; burns km/s; the angle (degrees)
    swept about the central body, 0..180 (near 180 the transfer plane is ill-defined and
    costs spike: the ridge of a porkchop)."""

    origin: str
    target: str
    central: str
    depart_tdb: np.ndarray
    tof_days: np.ndarray
    c3_km2_s2: np.ndarray
    departure_dv_km_s: np.ndarray
    arrival_dv_km_s: np.ndarray
    arrival_v_inf_km_s: np.ndarray
    transfer_angle_deg: np.ndarray

    @property
    def total_dv_km_s(self) -> np.ndarray:
        return self.departure_dv_km_s + self.arrival_dv_km_s

    @property
    def arrive_tdb(self) -> np.ndarray:
        """Arrival times (D, T)."""
        return self.depart_tdb[:, None] + self.tof_days[None, :]

    @property
    def solvable(self) -> bool:
        return bool(np.any(np.isfinite(self.total_dv_km_s)))

    def best(self, quantity: str = "total_dv_km_s") -> tuple[float, float, float]:
        """(depart_tdb, arrive_tdb, value) of the cell that minimises `quantity`."""
        values = getattr(self, quantity)
        if not np.any(np.isfinite(values)):
            raise TransferError(f"no transfer from {self.origin} to {self.target} anywhere on "
                                "this grid of dates; try other dates or flight times")
        i, j = np.unravel_index(np.nanargmin(values), values.shape)
        return (float(self.depart_tdb[i]), float(self.depart_tdb[i] + self.tof_days[j]),
                float(values[i, j]))


def porkchop(origin: Place, target: Place, depart_tdb: ArrayLike, tof_days: ArrayLike,
             ephemeris, *, revolutions: int = 0, branch: str = "left") -> Porkchop:
    """Zero- (or M-) revolution transfers for every (departure, time of flight) pair, solved in
    one vectorised call with the same patched conics as single legs."""
    departures = np.asarray(depart_tdb, dtype=np.float64).reshape(-1)
    flights = np.asarray(tof_days, dtype=np.float64).reshape(-1)
    t1 = np.repeat(departures, flights.size)
    t2 = t1 + np.tile(flights, departures.size)
    c = solve_conics(origin, target, t1, t2, ephemeris, revolutions=revolutions, branch=branch)
    grid = (departures.size, flights.size)
    cos_angle = np.einsum("ij,ij->j", c.r1_km, c.r2_km) / (
        np.linalg.norm(c.r1_km, axis=0) * np.linalg.norm(c.r2_km, axis=0))
    angle = np.degrees(np.arccos(np.clip(cos_angle, -1.0, 1.0)))
    return Porkchop(origin.name, target.name, c.central, departures, flights,
                    c.c3_km2_s2.reshape(grid), c.departure_dv_km_s.reshape(grid),
                    c.arrival_dv_km_s.reshape(grid), c.arrival_v_inf_km_s.reshape(grid),
                    angle.reshape(grid))


def porkchop_rows(grid: Porkchop) -> Sequence[tuple[float, float, float, float, float, float,
                                                    float]]:
    """(depart_tdb, arrive_tdb, tof_days, c3, departure_dv, arrival_dv, total_dv) per cell,
    departures outer, flights inner (the CSV order)."""
    arrive = grid.arrive_tdb
    tof = np.broadcast_to(grid.tof_days[None, :], arrive.shape)
    depart = np.broadcast_to(grid.depart_tdb[:, None], arrive.shape)
    columns = (depart, arrive, tof, grid.c3_km2_s2, grid.departure_dv_km_s,
               grid.arrival_dv_km_s, grid.total_dv_km_s)
    return list(zip(*(c.ravel() for c in columns), strict=True))
