"""Ship trajectories: two-body propagation, Lambert transfer legs, multi-leg ships, OEM-backed
trajectories and porkchop grids.

Frames and units: every public state is barycentric ICRF, positions in AU and velocities in
AU/day, times TDB Julian dates (float64, scalar or array; arrays are (3, N) with time on the
trailing axis). Transfer arcs are solved and propagated relative to their central body (the Sun,
or the Earth for legs inside the Earth-Moon system) in km and km/s, then converted with the
central body's barycentric state from the ephemeris at the same times. Delta-v in km/s, C3 in
km^2/s^2.

Endpoint states come from a caller-supplied `state_of(name, t_tdb) -> (pos_au, vel_au_per_day)`
(barycentric ICRF, (3,) for a scalar time, (3, N) for N times), so this module does not need
to know how asteroids or lunar sites are computed; `ephemeris_state_of()` serves major bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.bodies import canonical_body_name
from spaceviz.core.astro.lambert import lambert
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import (
    AU_KM,
    AU_PER_DAY_TO_KM_PER_S,
    GM_EARTH_KM3_PER_S2,
    GM_SUN_KM3_PER_S2,
    KM_PER_S_TO_AU_PER_DAY,
    OBLIQUITY_J2000_ARCSEC,
    SECONDS_PER_DAY,
)
from spaceviz.core.errors import UserError

StateOf = Callable[[str, ArrayLike], tuple[np.ndarray, np.ndarray]]
"""`state_of(name, t_tdb) -> (pos_au, vel_au_per_day)`, barycentric ICRF, (3,) or (3, N)."""

_EPS = np.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
ECLIPTIC_POLE_ICRF = np.array([0.0, -np.sin(_EPS), np.cos(_EPS)])
"""Unit normal of the J2000 ecliptic in ICRF axes: 'prograde' for transfers means about it."""

CENTRAL_GM_KM3_PER_S2 = {"Sun": GM_SUN_KM3_PER_S2, "Earth": GM_EARTH_KM3_PER_S2}

PARKING_RADIUS_KM = 6778.137
"""Radius of the circular parking orbit (400 km altitude) where Earth-centred legs start or end
when an endpoint is the Earth itself."""
PARKING_SWEEP_DEG = 170.0
"""Angle swept from an Earth parking point to the other endpoint (short of 180 degrees, where
the transfer plane would be undefined)."""

EARTH_MOON_RADIUS_AU = 0.01
"""Objects closer than this to the Earth (about its Hill radius, 1.5 million km) ..."""
EARTH_MOON_SPEED_KM_S = 3.0
"""... and slower than this relative to it count as inside the Earth-Moon system."""



class TransferError(UserError):
    """A transfer that cannot be solved (arrival before departure, degenerate geometry)."""


# --------------------------------------------------------------------------- endpoints

def ephemeris_state_of(ephemeris=None) -> StateOf:
    """A `state_of` for the Sun, planets and Moon (barycentric ICRF AU, AU/day) from DE421."""
    if ephemeris is None:
        from spaceviz.core.astro.ephemeris import default_ephemeris

        ephemeris = default_ephemeris()
    return ephemeris.state


def _ephemeris(ephemeris):
    if ephemeris is None:
        from spaceviz.core.astro.ephemeris import default_ephemeris

        return default_ephemeris()
    return ephemeris


def _is_earth(name: str) -> bool:
    return canonical_body_name(name) == "Earth"


def in_earth_moon_system(state_of: StateOf, name: str, t_tdb: float, ephemeris=None) -> bool:
    """True for the Earth, the Moon, and objects (lunar sites) near and slow relative to Earth.

    'Near and slow': within EARTH_MOON_RADIUS_AU of the Earth and below EARTH_MOON_SPEED_KM_S
    relative to it at t_tdb (a lunar site moves at ~1 km/s; a passing asteroid much faster).
    """
    if canonical_body_name(name) in ("Earth", "Moon"):
        return True
    pos, vel = state_of(name, t_tdb)
    earth_pos, earth_vel = _ephemeris(ephemeris).state("Earth", t_tdb)
    distance_au = float(np.linalg.norm(np.asarray(pos) - earth_pos))
    speed_km_s = float(np.linalg.norm(np.asarray(vel) - earth_vel)) * AU_PER_DAY_TO_KM_PER_S
    return distance_au < EARTH_MOON_RADIUS_AU and speed_km_s < EARTH_MOON_SPEED_KM_S


def central_body_for(state_of: StateOf, from_name: str, to_name: str, depart_tdb: float,
                     arrive_tdb: float, ephemeris=None) -> str:
    """'Earth' when both endpoints are in the Earth-Moon system (Earth, Moon, a lunar site),
    otherwise 'Sun'."""
    inside = (in_earth_moon_system(state_of, from_name, depart_tdb, ephemeris)
              and in_earth_moon_system(state_of, to_name, arrive_tdb, ephemeris))
    return "Earth" if inside else "Sun"


def _relative_state_km(state_of, name, t, central_pos_au, central_vel_au):
    pos, vel = state_of(name, t)
    pos = np.asarray(pos, dtype=np.float64).reshape(3, -1)
    vel = np.asarray(vel, dtype=np.float64).reshape(3, -1)
    return ((pos - central_pos_au) * AU_KM,
            (vel - central_vel_au) * AU_PER_DAY_TO_KM_PER_S)


def _unit(v):
    return v / np.linalg.norm(v, axis=0)


def _parking_point(other_pos_km, other_vel_km_s, departing: bool, mu: float):
    """Parking-orbit point (km) and circular velocity (km/s) PARKING_SWEEP_DEG from the other end.

    Departing: the point lies behind the other endpoint by the sweep angle, so the prograde arc
    sweeps forwards to it; arriving: ahead of it. Plane: the other endpoint's orbital plane
    about the Earth (the ecliptic if that is undefined).
    """
    h = np.cross(other_pos_km, other_vel_km_s, axis=0)
    h_norm = np.linalg.norm(h, axis=0)
    pole = np.where(h_norm > 0, h / np.where(h_norm > 0, h_norm, 1.0), ECLIPTIC_POLE_ICRF[:, None])
    u = _unit(other_pos_km)
    w = np.cross(pole, u, axis=0)
    angle = np.radians(-PARKING_SWEEP_DEG if departing else PARKING_SWEEP_DEG)
    direction = np.cos(angle) * u + np.sin(angle) * w
    pos = PARKING_RADIUS_KM * direction
    vel = np.sqrt(mu / PARKING_RADIUS_KM) * np.cross(pole, direction, axis=0)
    return pos, vel


@dataclass(frozen=True)
class _Geometry:
    """Central-body-relative endpoint states (km, km/s), (3, N), with parking flags."""

    r1_km: np.ndarray
    body1_vel_km_s: np.ndarray
    r2_km: np.ndarray
    body2_vel_km_s: np.ndarray
    parking1: bool
    parking2: bool


def _geometry(state_of, from_name, to_name, depart_tdb, arrive_tdb, central, ephemeris,
              mu) -> _Geometry:
    eph = _ephemeris(ephemeris)
    c1_pos, c1_vel = eph.state(central, depart_tdb)
    c2_pos, c2_vel = eph.state(central, arrive_tdb)
    c1_pos, c1_vel = c1_pos.reshape(3, -1), c1_vel.reshape(3, -1)
    c2_pos, c2_vel = c2_pos.reshape(3, -1), c2_vel.reshape(3, -1)
    parking1 = central == "Earth" and _is_earth(from_name)
    parking2 = central == "Earth" and _is_earth(to_name)
    if parking1 and parking2:
        raise TransferError(f"a transfer from {from_name} to {to_name} goes nowhere")
    r1, vb1 = (None, None) if parking1 else _relative_state_km(state_of, from_name, depart_tdb,
                                                               c1_pos, c1_vel)
    r2, vb2 = (None, None) if parking2 else _relative_state_km(state_of, to_name, arrive_tdb,
                                                               c2_pos, c2_vel)
    if parking1:
        r1, vb1 = _parking_point(r2, vb2, departing=True, mu=mu)
    if parking2:
        r2, vb2 = _parking_point(r1, vb1, departing=False, mu=mu)
    return _Geometry(r1, vb1, r2, vb2, parking1, parking2)


def _c3(v1_km_s, r1_km, body1_vel_km_s, parking: bool, mu: float) -> np.ndarray:
    """Departure C3 (km^2/s^2): v_inf^2 relative to the body, or twice the specific orbital
    energy from a parking orbit."""
    if parking:
        return (np.sum(v1_km_s * v1_km_s, axis=0)
                - 2.0 * mu / np.linalg.norm(r1_km, axis=0))
    d = v1_km_s - body1_vel_km_s
    return np.sum(d * d, axis=0)


# --------------------------------------------------------------------------- one leg

class Leg(Protocol):
    """One leg of a ship's timeline (a Transfer or an OemTrajectory)."""

    from_name: str | None
    to_name: str | None
    depart_tdb: float
    arrive_tdb: float

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(eq=False)
class Transfer:
    """One Lambert leg from `from_name` at `depart_tdb` to `to_name` at `arrive_tdb` (TDB JD).

    The arc is a conic about `central` ('Sun' or 'Earth'); r1/r2 (km) and v1/v2 (km/s) are
    relative to the central body at departure/arrival; body1/body2 velocities are the endpoint
    objects' (or, for an Earth parking orbit, the circular) velocities, same frame. Build with
    `Transfer.solve`.
    """

    from_name: str
    to_name: str
    depart_tdb: float
    arrive_tdb: float
    central: str
    r1_km: np.ndarray
    v1_km_s: np.ndarray
    r2_km: np.ndarray
    v2_km_s: np.ndarray
    body1_vel_km_s: np.ndarray
    body2_vel_km_s: np.ndarray
    parking1: bool
    parking2: bool
    state_of: StateOf = field(repr=False)
    ephemeris: object = field(default=None, repr=False)
    revolutions: int = 0

    @classmethod
    def solve(cls, state_of: StateOf, from_name: str, to_name: str, depart_tdb: float,
              arrive_tdb: float, *, central: str | None = None, prograde: bool = True,
              revolutions: int = 0, branch: str = "left", ephemeris=None) -> Transfer:
        """Solve the leg. central: 'Sun', 'Earth' or None (chosen by `central_body_for`).

        Raises TransferError when arrival is not after departure or no conic exists.
        """
        depart_tdb, arrive_tdb = float(depart_tdb), float(arrive_tdb)
        label = f"transfer {from_name} -> {to_name}"
        if not arrive_tdb > depart_tdb:
            raise TransferError(f"{label}: arrival must be after departure")
        if central is None:
            central = central_body_for(state_of, from_name, to_name, depart_tdb, arrive_tdb,
                                       ephemeris)
        if central not in CENTRAL_GM_KM3_PER_S2:
            raise TransferError(f"{label}: central body must be 'Sun' or 'Earth', not {central!r}")
        mu = CENTRAL_GM_KM3_PER_S2[central]
        geo = _geometry(state_of, from_name, to_name, depart_tdb, arrive_tdb, central,
                        ephemeris, mu)
        tof_s = (arrive_tdb - depart_tdb) * SECONDS_PER_DAY
        v1, v2 = lambert(geo.r1_km, geo.r2_km, tof_s, mu, prograde=prograde,
                         revolutions=revolutions, branch=branch, pole=ECLIPTIC_POLE_ICRF)
        if not (np.all(np.isfinite(v1)) and np.all(np.isfinite(v2))):
            raise TransferError(
                f"{label}: no {'prograde' if prograde else 'retrograde'} "
                f"{revolutions}-revolution conic reaches the target in "
                f"{arrive_tdb - depart_tdb:.3f} days (a transfer angle of exactly 180 degrees "
                f"or too short a flight); move a date by a day or two")
        return cls(from_name, to_name, depart_tdb, arrive_tdb, central,
                   geo.r1_km[:, 0], v1[:, 0], geo.r2_km[:, 0], v2[:, 0],
                   geo.body1_vel_km_s[:, 0], geo.body2_vel_km_s[:, 0], geo.parking1,
                   geo.parking2, state_of, ephemeris, revolutions)

    @property
    def mu_km3_s2(self) -> float:
        return CENTRAL_GM_KM3_PER_S2[self.central]

    @property
    def tof_days(self) -> float:
        return self.arrive_tdb - self.depart_tdb

    @property
    def departure_v_inf_km_s(self) -> np.ndarray:
        """Departure velocity relative to the origin (or its parking orbit), ICRF km/s (3,)."""
        return self.v1_km_s - self.body1_vel_km_s

    @property
    def arrival_v_inf_km_s(self) -> np.ndarray:
        """Arrival velocity relative to the target (or its parking orbit), ICRF km/s (3,)."""
        return self.v2_km_s - self.body2_vel_km_s

    @property
    def departure_dv_km_s(self) -> float:
        """Departure delta-v (km/s): |v1 - velocity of the origin (or of its parking orbit)|."""
        return float(np.linalg.norm(self.departure_v_inf_km_s))

    @property
    def arrival_dv_km_s(self) -> float:
        """Arrival delta-v (km/s) to match the target's (or its parking orbit's) velocity."""
        return float(np.linalg.norm(self.arrival_v_inf_km_s))

    @property
    def total_dv_km_s(self) -> float:
        return self.departure_dv_km_s + self.arrival_dv_km_s

    @property
    def c3_km2_s2(self) -> float:
        """Departure C3 (km^2/s^2): v_inf^2, or 2x the orbital energy from an Earth parking orbit."""
        return float(_c3(self.v1_km_s[:, None], self.r1_km[:, None],
                         self.body1_vel_km_s[:, None], self.parking1, self.mu_km3_s2)[0])

    def arc_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF state (AU, AU/day) on the transfer conic at any time(s), unclamped."""
        t = np.asarray(t_tdb, dtype=np.float64)
        dt_s = (t.reshape(-1) - self.depart_tdb) * SECONDS_PER_DAY
        r_km, v_km_s = propagate_state(self.r1_km[:, None], self.v1_km_s[:, None], dt_s,
                                       self.mu_km3_s2)
        c_pos, c_vel = _ephemeris(self.ephemeris).state(self.central, t.reshape(-1))
        pos = r_km / AU_KM + c_pos
        vel = v_km_s * KM_PER_S_TO_AU_PER_DAY + c_vel
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day) of the ship at TDB time(s).

        Up to and including departure the ship is at the origin (its state), from arrival on at
        the target; in between on the transfer conic.
        """
        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        pos = np.empty((3, flat.size))
        vel = np.empty((3, flat.size))
        before = flat <= self.depart_tdb
        after = flat >= self.arrive_tdb
        during = ~before & ~after
        for mask, source in ((before, self.from_name), (after, self.to_name)):
            if np.any(mask):
                p, v = self.state_of(source, flat[mask])
                pos[:, mask] = np.asarray(p).reshape(3, -1)
                vel[:, mask] = np.asarray(v).reshape(3, -1)
        if np.any(during):
            pos[:, during], vel[:, during] = self.arc_state(flat[during])
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)


# --------------------------------------------------------------------------- ships

@dataclass(eq=False)
class Ship:
    """A ship flying legs in order; `cargo_kg[i]` is carried on leg i (from its departure to
    its arrival). Between legs it waits at the previous leg's target."""

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
                                f"arrives (legs must follow each other in time)")

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

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day) at TDB time(s) over all legs."""
        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        index = self.leg_index(flat)
        pos = np.empty((3, flat.size))
        vel = np.empty((3, flat.size))
        for i, leg in enumerate(self.legs):
            mask = index == i
            if np.any(mask):
                p, v = leg.state(flat[mask])
                pos[:, mask], vel[:, mask] = p, v
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)

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

    def events(self) -> list[tuple[float, str, str]]:
        """(t_tdb, label, kind) for each departure and arrival, kind 'departure' or 'arrival'."""
        out: list[tuple[float, str, str]] = []
        for leg in self.legs:
            origin = leg.from_name or "start of trajectory"
            target = leg.to_name or "end of trajectory"
            out.append((float(leg.depart_tdb), f"{self.name} departs {origin}", "departure"))
            out.append((float(leg.arrive_tdb), f"{self.name} arrives at {target}", "arrival"))
        return out

    def deliveries(self) -> list[tuple[float, str | None, float]]:
        """(arrival t_tdb, target name, cargo kg) per leg."""
        return [(float(leg.arrive_tdb), leg.to_name, float(kg))
                for leg, kg in zip(self.legs, self.cargo_kg, strict=True)]


def ship_from_legs(state_of: StateOf, name: str, legs: Sequence[tuple[str, str, float, float]],
                   cargo_kg: Sequence[float] | None = None, ephemeris=None) -> Ship:
    """A Ship of Lambert legs given as (from, to, depart_tdb, arrive_tdb) tuples."""
    transfers = [Transfer.solve(state_of, a, b, t0, t1, ephemeris=ephemeris)
                 for a, b, t0, t1 in legs]
    return Ship(name, list(transfers), list(cargo_kg) if cargo_kg is not None else [])


# --------------------------------------------------------------------------- OEM trajectories

class OemTrajectory:
    """A trajectory read from a CCSDS OEM: interpolated as the file's metadata asks (Lagrange,
    Hermite or linear, INTERPOLATION_DEGREE), converted from its REF_FRAME (ICRF, GCRF, or
    EME2000 with the IERS frame bias applied) and CENTER_NAME to barycentric ICRF.

    Covers the union of its segments' useable spans; the state is NaN outside them. A leg whose
    from_name/to_name are None.
    """

    from_name: str | None = None
    to_name: str | None = None

    def __init__(self, message, ephemeris=None):
        self.message = message
        self.segments = list(message.segments)
        self.ephemeris = ephemeris
        self.name = self.segments[0].object_name
        self.depart_tdb = float(min(s.useable_start_tdb for s in self.segments))
        self.arrive_tdb = float(max(s.useable_stop_tdb for s in self.segments))

    @classmethod
    def from_file(cls, path, ephemeris=None) -> OemTrajectory:
        """Read an OEM KVN file (InputFileError with line numbers if it is invalid)."""
        from spaceviz.core.astro.oem import read_oem

        return cls(read_oem(path), ephemeris)

    def covers(self, t_tdb: ArrayLike) -> np.ndarray:
        """True where some segment's useable span contains the TDB time."""
        t = np.asarray(t_tdb, dtype=np.float64)
        covered = np.zeros(t.shape, dtype=bool)
        for seg in self.segments:
            covered |= (t >= seg.useable_start_tdb) & (t <= seg.useable_stop_tdb)
        return covered

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day); NaN outside the coverage.

        Where segments overlap, the first listed wins.
        """
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
            center = seg.center
            if center == "SSB":
                c_pos, c_vel = 0.0, 0.0
            else:
                c_pos, c_vel = _ephemeris(self.ephemeris).state(center, times)
            pos[:, mask] = p_km / AU_KM + c_pos
            vel[:, mask] = v_km_s * KM_PER_S_TO_AU_PER_DAY + c_vel
        return pos.reshape((3,) + t.shape), vel.reshape((3,) + t.shape)


# --------------------------------------------------------------------------- porkchop

@dataclass(frozen=True)
class Porkchop:
    """A porkchop grid; every 2-D array is (n_depart, n_arrive), NaN where tof <= 0 or unsolved.

    depart_tdb (n_depart,), arrive_tdb (n_arrive,) TDB JD; tof_days; c3_km2_s2 departure C3;
    departure_v_inf_km_s = sqrt(C3) (body endpoints); arrival_v_inf_km_s; total_dv_km_s the sum
    of departure and arrival delta-v (an impulsive rendezvous, no gravity losses).
    """

    from_name: str
    to_name: str
    central: str
    depart_tdb: np.ndarray
    arrive_tdb: np.ndarray
    tof_days: np.ndarray
    c3_km2_s2: np.ndarray
    departure_v_inf_km_s: np.ndarray
    arrival_v_inf_km_s: np.ndarray
    total_dv_km_s: np.ndarray

    def best(self, quantity: str = "c3_km2_s2") -> tuple[float, float, float]:
        """(depart_tdb, arrive_tdb, value) of the grid cell that minimises `quantity`."""
        values = getattr(self, quantity)
        if not np.any(np.isfinite(values)):
            raise TransferError(f"no solution anywhere on the {self.from_name} -> "
                                f"{self.to_name} porkchop grid")
        i, j = np.unravel_index(np.nanargmin(values), values.shape)
        return float(self.depart_tdb[i]), float(self.arrive_tdb[j]), float(values[i, j])


def porkchop(state_of: StateOf, from_name: str, to_name: str, depart_grid_tdb: ArrayLike,
             arrive_grid_tdb: ArrayLike, *, central: str | None = "Sun", prograde: bool = True,
             ephemeris=None) -> Porkchop:
    """Zero-revolution Lambert transfers over every (departure, arrival) pair, in one call.

    depart_grid_tdb (D,), arrive_grid_tdb (A,) TDB JD; state_of gives the endpoints
    (called once per grid axis); central 'Sun', 'Earth' or None (chosen from the grid's first
    cells). Returns a Porkchop of (D, A) arrays.
    """
    t_dep = np.asarray(depart_grid_tdb, dtype=np.float64).reshape(-1)
    t_arr = np.asarray(arrive_grid_tdb, dtype=np.float64).reshape(-1)
    if central is None:
        central = central_body_for(state_of, from_name, to_name, t_dep[0], t_arr[-1], ephemeris)
    mu = CENTRAL_GM_KM3_PER_S2[central]
    if central == "Earth" and (_is_earth(from_name) or _is_earth(to_name)):
        # An Earth parking point depends on the other end's time too: build every cell.
        dep_idx, arr_idx = np.meshgrid(np.arange(t_dep.size), np.arange(t_arr.size),
                                       indexing="ij")
        geo = _geometry(state_of, from_name, to_name, t_dep[dep_idx.ravel()],
                        t_arr[arr_idx.ravel()], central, ephemeris, mu)
        r1, vb1, r2, vb2 = geo.r1_km, geo.body1_vel_km_s, geo.r2_km, geo.body2_vel_km_s
    else:  # endpoint states once per grid axis, broadcast over the cells
        geo = _geometry(state_of, from_name, to_name, t_dep, t_arr, central, ephemeris, mu)
        shape = (3, t_dep.size, t_arr.size)
        r1 = np.broadcast_to(geo.r1_km[:, :, None], shape).reshape(3, -1)
        vb1 = np.broadcast_to(geo.body1_vel_km_s[:, :, None], shape).reshape(3, -1)
        r2 = np.broadcast_to(geo.r2_km[:, None, :], shape).reshape(3, -1)
        vb2 = np.broadcast_to(geo.body2_vel_km_s[:, None, :], shape).reshape(3, -1)
    tof_days = t_arr[None, :] - t_dep[:, None]
    tof_s = np.where(tof_days > 0, tof_days, np.nan).reshape(-1) * SECONDS_PER_DAY
    v1, v2 = lambert(r1, r2, tof_s, mu, prograde=prograde, pole=ECLIPTIC_POLE_ICRF)
    c3 = _c3(v1, r1, vb1, geo.parking1, mu)
    dv1 = np.linalg.norm(v1 - vb1, axis=0)
    dv2 = np.linalg.norm(v2 - vb2, axis=0)
    grid = (t_dep.size, t_arr.size)
    return Porkchop(from_name, to_name, central, t_dep, t_arr,
                    np.where(tof_days > 0, tof_days, np.nan), c3.reshape(grid),
                    dv1.reshape(grid), dv2.reshape(grid), (dv1 + dv2).reshape(grid))
