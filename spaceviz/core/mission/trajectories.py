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
- Both ends about one body (a lunar site and a lunar orbit, the Moon and a site on it): the arc
  is about that body, from the surface point itself (the burn is the whole change from the
  ground's velocity) to a point on the orbit (an ideal ascent or descent, no gravity losses).
- A place with a `pole` (an `[[orbit]]`) is a circular orbit in that plane: parking points
  and waiting ships lie in it (elsewhere the parking plane follows the other end, and ships
  wait in the ecliptic plane).

Electric legs (low thrust, `plan_low_thrust`, arcs from core.mission.lowthrust): between
orbits about one body an Edelbaum spiral; between an Earth orbit and a lunar orbit an Edelbaum
spiral about the Earth to the edge of the Moon's sphere of influence, then a tangential capture
spiral about the Moon (or the reverse); to or from the Sun's realm an escape spiral from the
planet's orbit (or a launcher's C3), a Sims-Flanagan heliocentric arc, and a capture spiral at
a planet (a rendezvous at an asteroid). `arrive` may be omitted: the engine's thrust sets it;
given later than the thrust needs, the spirals throttle down to arrive on time.

Engines and masses (`Propulsion`, `LegBudget`): chemical legs burn the rocket equation at
departure and arrival with the cargo aboard; electric legs burn what their arcs integrate.
A ship refuels at the facilities of `refuel_at`, filling its tank.

'Prograde' means about the ecliptic pole. Multi-revolution arcs are solved on request, or the
cheapest of the zero- and multi-revolution solutions for the given dates is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro import lambert as lambert_module
from spaceviz.core.astro import twobody as twobody_module
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
from spaceviz.core.memo import SolutionMemo, source_digest
from spaceviz.core.mission.events import MissionEvent
from spaceviz.core.mission.lowthrust import (
    MOON_SOI_KM,
    THRUSTING_THROTTLE,
    EdelbaumArc,
    LowThrustError,
    SimsFlanaganArc,
    SpiralArc,
    ThrustArc,
    edelbaum_dv_km_s,
    sims_flanagan,
)
from spaceviz.core.mission.propulsion import ENGINES, Engine, burns_kg

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
    pole: unit ICRF normal of the place's own orbit plane (an `[[orbit]]`), or None.
    centre: the state of the body an `[[orbit]]` goes around (None: `state` is the body's).
    """

    name: str
    state: StateFunction = field(repr=False)
    system: str = "Sun"
    body: str | None = None
    orbit_radius_km: float = 0.0
    surface: bool = False
    pole: np.ndarray | None = field(default=None, repr=False)
    centre: StateFunction | None = field(default=None, repr=False)

    def body_state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric state (AU, AU/day) of what the place circles or sits on: an
        `[[orbit]]`'s centre, else the place's own state."""
        return (self.centre or self.state)(t_tdb)

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
    """The body both ends share (a lunar site and a lunar orbit: the Moon), else 'Earth' when
    both places are in the Earth-Moon system, otherwise 'Sun'."""
    if origin.body is not None and origin.body == target.body:
        return origin.body
    return "Earth" if origin.system == target.system == "Earth" else "Sun"


def place_pole(place: Place) -> np.ndarray:
    """The unit normal (ICRF) of the plane a ship keeps at a place: its orbit's, else the
    ecliptic's."""
    return place.pole if place.pole is not None else ECLIPTIC_POLE_ICRF


# --------------------------------------------------------------------------- the solver

class LegEnds:
    """What every leg tells of its ends: `origin` and `target` places, `depart_tdb` and
    `arrive_tdb` (TDB JD)."""

    @property
    def from_name(self) -> str:
        return self.origin.name

    @property
    def to_name(self) -> str:
        return self.target.name

    @property
    def tof_days(self) -> float:
        """Flight time (days)."""
        return self.arrive_tdb - self.depart_tdb


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
                   sweep_deg: float, orbit_pole: np.ndarray | None = None):
    """A parking-orbit point (km) and its circular velocity (km/s), `sweep_deg` behind the
    other end when departing (so the prograde arc sweeps forwards to it), ahead when arriving.
    Plane: the parking orbit's own (`orbit_pole`) when it has one, else the other end's
    orbital plane about the central body (the ecliptic if undefined)."""
    if orbit_pole is not None:
        pole = np.repeat(orbit_pole[:, None], np.shape(other_pos_km)[1], axis=1)
        flat = other_pos_km - np.sum(other_pos_km * pole, axis=0) * pole
        u = _unit(np.where(np.linalg.norm(flat, axis=0) > 1e-9 * np.linalg.norm(other_pos_km, axis=0),
                           flat, np.cross(pole, np.array([[1.0], [0.0], [0.0]]), axis=0)))
        w = np.cross(pole, u, axis=0)
        angle = math.radians(-sweep_deg if departing else sweep_deg)
        direction = math.cos(angle) * u + math.sin(angle) * w
        return radius_km * direction, circular_speed_km_s(gm, radius_km) * np.cross(
            pole, direction, axis=0)
    h = np.cross(other_pos_km, other_vel_km_s, axis=0)
    h_norm = np.linalg.norm(h, axis=0)
    u = _unit(other_pos_km)
    # Undefined (an end at rest over the central body, such as a lunar pole): the plane
    # through it nearest the ecliptic.
    flat = ECLIPTIC_POLE_ICRF[:, None] - (ECLIPTIC_POLE_ICRF @ u) * u
    defined = h_norm > 1e-9 * np.linalg.norm(other_pos_km, axis=0) * np.linalg.norm(
        other_vel_km_s, axis=0) + 1e-12
    pole = np.where(defined, h / np.where(defined, h_norm, 1.0), _unit(flat))
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
    parking1 = origin.body == central and not origin.surface
    parking2 = target.body == central and not target.surface
    if parking1 and parking2:
        raise TransferError(f"a transfer from {origin.name} to {target.name} goes nowhere "
                            f"(both are orbits about the {central}: an impulsive change of "
                            "orbit is not modelled; an electric engine flies it)")
    if origin.surface and target.surface:
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
            _parking_point(r2, vb2, True, origin.orbit_radius_km, gm, s, origin.pole)
            for s in sweeps),
            strict=True))
        r2, vb2 = np.tile(r2, k), np.tile(vb2, k)
    elif parking2:
        r1, vb1 = _relative_km(origin, t1, c1_pos, c1_vel)
        r2, vb2 = (np.concatenate(parts, axis=1) for parts in zip(*(
            _parking_point(r1, vb1, False, target.orbit_radius_km, gm, s, target.pole)
            for s in sweeps),
            strict=True))
        r1, vb1 = np.tile(r1, k), np.tile(vb1, k)
    else:
        r1, vb1 = _relative_km(origin, t1, c1_pos, c1_vel)
        r2, vb2 = _relative_km(target, t2, c2_pos, c2_vel)
    tof_s = np.tile(np.where(t2 > t1, t2 - t1, np.nan) * SECONDS_PER_DAY, k)
    # 'Prograde' about an orbit's own pole when an end is one (a polar lunar orbit has no
    # sense about the ecliptic pole), else about the ecliptic pole.
    sense = next((p.pole for p, parking in ((origin, parking1), (target, parking2))
                  if parking and p.pole is not None), ECLIPTIC_POLE_ICRF)
    v1, v2 = lambert(r1, r2, tof_s, gm, revolutions=revolutions, branch=branch, pole=sense)
    v1, v2 = v1.reshape(3, -1), v2.reshape(3, -1)
    excess1 = np.linalg.norm(v1 - vb1, axis=0)
    excess2 = np.linalg.norm(v2 - vb2, axis=0)
    if parking1 or origin.body == central:  # from the central body's orbit or surface
        departure = excess1
        c3 = np.sum(v1 * v1, axis=0) - 2.0 * gm / np.linalg.norm(r1, axis=0)
    else:
        departure = end_burn_km_s(origin, excess1)
        c3 = excess1 * excess1
    arrival = excess2 if target.body == central else end_burn_km_s(target, excess2)
    # The cheapest sweep for each problem (all NaN stays NaN).
    total = (departure + arrival).reshape(k, n)
    choice = np.argmin(np.where(np.isfinite(total), total, np.inf), axis=0)
    pick = choice * n + np.arange(n)
    return Conics(central, r1[:, pick], v1[:, pick], r2[:, pick], vb1[:, pick],
                  vb2[:, pick], departure[pick], arrival[pick], c3[pick], excess2[pick],
                  parking1, parking2)


# --------------------------------------------------------------------------- one leg

@dataclass(frozen=True, eq=False)
class Transfer(LegEnds, Conics):
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

    method = "patched conics"

    @property
    def arcs(self) -> tuple[Transfer, ...]:
        """The leg's arcs about one central body each (`central`, `depart_tdb`, `arrive_tdb`,
        `relative_state`): this one conic."""
        return (self,)


def _most_revolutions(origin: Place, target: Place, depart_tdb: float, arrive_tdb: float,
                      ephemeris) -> int:
    """The most complete revolutions an arc between the places can make in the flight time:
    any conic through two points at radii r1, r2 has a semi-major axis of at least
    max(r1, r2) / 2, so k revolutions take at least k such periods."""
    central = central_body(origin, target)
    gm = BODIES[central].gm_km3_per_s2
    radii = []
    for place, t in ((origin, depart_tdb), (target, arrive_tdb)):
        if place.body == central and not place.surface:
            radii.append(place.orbit_radius_km)
        else:
            radii.append(float(np.linalg.norm(_relative_to(place.state, central, t,
                                                           ephemeris)[0])))
    period_s = 2.0 * math.pi * math.sqrt((0.5 * max(radii)) ** 3 / gm)
    return int((arrive_tdb - depart_tdb) * SECONDS_PER_DAY // period_s)


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
    key = (_place_key(origin, depart_tdb, arrive_tdb), _place_key(target, depart_tdb,
                                                                  arrive_tdb),
           depart_tdb, arrive_tdb, revolutions, branch, central_body(origin, target),
           tuple(float(v) for v in ephemeris.state(central_body(origin, target),
                                                   np.array([depart_tdb, arrive_tdb]))[0].ravel()))
    remembered = _TRANSFERS.get(key)
    if remembered is not None:
        column, count, side = remembered
        return Transfer(**column, origin=origin, target=target, depart_tdb=depart_tdb,
                        arrive_tdb=arrive_tdb, revolutions=count, branch=side,
                        ephemeris=ephemeris)
    counts = ([revolutions] if revolutions is not None else
              range(min(MAX_AUTO_REVOLUTIONS, _most_revolutions(origin, target, depart_tdb,
                                                                arrive_tdb, ephemeris)) + 1))
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
    column = c.column(0)
    _TRANSFERS.put(key, (column, count, side if count else ""))
    return Transfer(**column, origin=origin, target=target, depart_tdb=depart_tdb,
                    arrive_tdb=arrive_tdb, revolutions=count, branch=side if count else "",
                    ephemeris=ephemeris)


def _place_key(place: Place, depart_tdb: float, arrive_tdb: float) -> tuple:
    """What a transfer's solution depends on at a place: its kind, its orbit or surface, and
    its own and its body's states at both dates (the geometry, to the last bit)."""
    times = np.array([depart_tdb, arrive_tdb])
    own = np.asarray(place.state(times)[0], dtype=np.float64)
    body = np.asarray(place.body_state(times)[0], dtype=np.float64)
    pole = None if place.pole is None else np.asarray(place.pole, dtype=np.float64)
    return (place.name, place.system, place.body, float(place.orbit_radius_km), place.surface,
            pole, own, body)


_TRANSFERS = SolutionMemo("transfers", source_digest(
    __file__, lambert_module.__file__, twobody_module.__file__))
"""Transfers already searched (the revolutions and branches tried, the parking sweeps)."""


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


# --------------------------------------------------------------------------- electric legs

@dataclass(eq=False)
class LowThrustLeg(LegEnds):
    """An electric leg from `origin` to `target`: its `arcs` (core.mission.lowthrust), each
    about one central body, flown one after the other from `depart_tdb` to `arrive_tdb` (TDB
    JD). `requested_arrive_tdb` is the arrival the scenario asked for (None: the thrust set
    it). Masses kg, delta-v km/s."""

    origin: Place
    target: Place
    arcs: tuple[ThrustArc, ...]
    engine: Engine
    ephemeris: object = field(repr=False)
    requested_arrive_tdb: float | None = None
    launch_c3_km2_s2: float | None = None

    @property
    def depart_tdb(self) -> float:
        return self.arcs[0].depart_tdb

    @property
    def arrive_tdb(self) -> float:
        return self.arcs[-1].arrive_tdb

    @property
    def central(self) -> str:
        return self.arcs[0].central

    @property
    def method(self) -> str:
        return " + ".join(dict.fromkeys(arc.method for arc in self.arcs))

    @property
    def dv_km_s(self) -> float:
        return float(sum(arc.dv_km_s for arc in self.arcs))

    @property
    def mass_start_kg(self) -> float:
        return self.arcs[0].mass_start_kg

    @property
    def mass_end_kg(self) -> float:
        return self.arcs[-1].mass_end_kg

    @property
    def propellant_kg(self) -> float:
        return self.mass_start_kg - self.mass_end_kg

    def thrust_days(self) -> float:
        """Days under thrust (the rest of the leg coasts)."""
        return float(sum(arc.thrust_days() for arc in self.arcs))

    def _each_arc(self, t_tdb: ArrayLike, fill):
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        index = np.clip(np.searchsorted([a.depart_tdb for a in self.arcs], t, side="right") - 1,
                        0, len(self.arcs) - 1)
        for k, arc in enumerate(self.arcs):
            mask = index == k
            if np.any(mask):
                fill(arc, mask, t[mask])
        return t

    def state(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF state (AU, AU/day) along the arcs at time(s), shaped like t."""
        shape = np.shape(t_tdb)
        pos = np.empty((3, int(np.prod(shape, dtype=int))))
        vel = np.empty_like(pos)

        def fill(arc, mask, t):
            r_km, v_km_s = arc.relative_state(t)
            c_pos, c_vel = self.ephemeris.state(arc.central, t)
            pos[:, mask] = r_km / AU_KM + np.reshape(c_pos, (3, -1))
            vel[:, mask] = v_km_s * KM_PER_S_TO_AU_PER_DAY + np.reshape(c_vel, (3, -1))

        self._each_arc(t_tdb, fill)
        return pos.reshape((3,) + shape), vel.reshape((3,) + shape)

    def mass_kg(self, t_tdb: ArrayLike) -> np.ndarray:
        """The ship's mass (kg) along the leg, (N,)."""
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        out = np.empty(t.shape)

        def fill(arc, mask, times):
            out[mask] = arc.mass_kg(times)

        self._each_arc(t, fill)
        return out

    def throttle(self, t_tdb: ArrayLike) -> np.ndarray:
        """The throttle (0..1 of full thrust) along the leg, (N,)."""
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        out = np.empty(t.shape)

        def fill(arc, mask, times):
            out[mask] = arc.throttle(times)

        self._each_arc(t, fill)
        return out

    def waiting_state(self, at_start: bool, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric state (3, N) of the ship waiting before the leg (at_start) or after it:
        on the circular orbit its first (last) arc starts (ends) on, or with a small body."""
        arc = self.arcs[0] if at_start else self.arcs[-1]
        place = self.origin if at_start else self.target
        edge = arc.depart_tdb if at_start else arc.arrive_tdb
        if place.body is None or arc.central != place.body:
            r, v = arc.relative_state(edge)
            direction = _unit(v[:, 0]) if at_start else -_unit(v[:, 0])
            return _parking_orbit_state(place, edge, direction, t)
        r, v = arc.relative_state(edge)
        gm = BODIES[arc.central].gm_km3_per_s2
        speed = math.sqrt(gm / float(np.linalg.norm(r)))
        v_circ = speed * _unit(np.cross(np.cross(r[:, 0], v[:, 0]), r[:, 0]))[:, None]
        rel_pos, rel_vel = propagate_state(r, v_circ, (t - edge) * SECONDS_PER_DAY, gm)
        c_pos, c_vel = self.ephemeris.state(arc.central, t)
        return (np.reshape(c_pos, (3, -1)) + rel_pos / AU_KM,
                np.reshape(c_vel, (3, -1)) + rel_vel * KM_PER_S_TO_AU_PER_DAY)


def _relative_to(place_state, central: str, t: float, ephemeris):
    """A state function's value relative to a body at one time: km, km/s (3,)."""
    pos, vel = place_state(t)
    c_pos, c_vel = ephemeris.state(central, t)
    return ((np.reshape(pos, 3) - np.reshape(c_pos, 3)) * AU_KM,
            (np.reshape(vel, 3) - np.reshape(c_vel, 3)) * AU_PER_DAY_TO_KM_PER_S)


def _orbit_start_dir(place: Place, t: float, ephemeris) -> np.ndarray | None:
    """Where on its orbit an `[[orbit]]` place's point is at t (unit ICRF vector from the
    body), or None for a body's default orbit (no phase of its own)."""
    if place.pole is None or place.body is None:
        return None
    return _unit(_relative_to(place.state, place.body, t, ephemeris)[0])


def plan_low_thrust(origin: Place, target: Place, depart_tdb: float, arrive_tdb: float | None,
                    ephemeris, engine: Engine, mass_kg: float, *,
                    launch_c3_km2_s2: float | None = None, min_mass_kg: float = 0.0
                    ) -> LowThrustLeg:
    """An electric leg (see the module notes) for a ship of `mass_kg` at departure, whose
    mass may not fall below `min_mass_kg` on a heliocentric cruise (the ship without its
    propellant; spirals burn what they must and the tanks are checked after). With
    `arrive_tdb` None the thrust sets the arrival; a later arrival throttles the spirals down
    (a heliocentric arc simply takes the time). Raises TransferError when the leg cannot be
    flown (a surface end, too little thrust for the dates, no solution)."""
    label = f"{origin.name} -> {target.name}"
    if not engine.electric or not engine.thrust_n:
        raise TransferError(f"{label}: a low-thrust leg needs an electric engine with thrust_n")
    if origin.surface or target.surface:
        raise TransferError(f"{label}: an electric engine cannot land or lift off; fly from "
                            "and to orbits (an [[orbit]] or a body's parking orbit)")
    if arrive_tdb is not None and not arrive_tdb > depart_tdb:
        raise TransferError(f"{label}: arrival must be after departure")
    try:
        if central_body(origin, target) == "Sun":
            arcs = _heliocentric(origin, target, depart_tdb, arrive_tdb, ephemeris, engine,
                                 mass_kg, launch_c3_km2_s2, min_mass_kg)
        else:
            arcs = _throttled(lambda throttle: _planetocentric(
                origin, target, depart_tdb, ephemeris, engine, mass_kg, throttle),
                depart_tdb, arrive_tdb, label)
    except LowThrustError as exc:
        raise TransferError(f"{label}: {exc}") from None
    return LowThrustLeg(origin, target, tuple(arcs), engine, ephemeris, arrive_tdb,
                        launch_c3_km2_s2)


def _throttled(fly, depart_tdb: float, arrive_tdb: float | None, label: str):
    """Arcs flown at full thrust, or throttled down (all alike) to arrive at `arrive_tdb`."""
    arcs = fly(1.0)
    if arrive_tdb is None:
        return arcs
    needed = arcs[-1].arrive_tdb - depart_tdb
    available = arrive_tdb - depart_tdb
    if available < needed * (1.0 - 1e-9):
        from spaceviz.core.astro.time import format_iso

        raise TransferError(f"{label}: the engine needs {needed:.1f} days at full thrust; "
                            f"arrive on or after {format_iso(depart_tdb + needed)[:10]} "
                            "(or leave 'arrive' out)")
    throttle = 1.0
    for _ in range(8):  # the time scales almost exactly as 1/throttle
        if abs(arcs[-1].arrive_tdb - arrive_tdb) < 1e-6:
            break
        throttle *= (arcs[-1].arrive_tdb - depart_tdb) / available
        arcs = fly(throttle)
    return arcs


def _planetocentric(origin: Place, target: Place, depart_tdb: float, ephemeris,
                    engine: Engine, mass_kg: float, throttle: float) -> list[ThrustArc]:
    """Arcs between orbits about one body, or between an Earth orbit and a lunar orbit."""
    if origin.body == target.body:
        body = origin.body
        return [EdelbaumArc(body, BODIES[body].gm_km3_per_s2, depart_tdb, origin.orbit_radius_km,
                            target.orbit_radius_km, place_pole(origin), place_pole(target),
                            mass_kg, engine, throttle,
                            start_dir=_orbit_start_dir(origin, depart_tdb, ephemeris))]
    gm_earth, gm_moon = BODIES["Earth"].gm_km3_per_s2, BODIES["Moon"].gm_km3_per_s2

    def moon_at(t):
        pos, vel = ephemeris.state("Moon", t)
        e_pos, e_vel = ephemeris.state("Earth", t)
        return ((np.reshape(pos, 3) - np.reshape(e_pos, 3)) * AU_KM,
                (np.reshape(vel, 3) - np.reshape(e_vel, 3)) * AU_PER_DAY_TO_KM_PER_S)

    if origin.body == "Earth":  # Edelbaum out to the Moon, then a capture spiral
        pole_moon_orbit = place_pole(target)
        pole0 = place_pole(origin)

        def gate_at(t):
            """Where the spiral meets the Moon's sphere at time(s) t: the gate (km, from the
            Earth), the direction from the Moon, the Moon's velocity."""
            pos, vel = ephemeris.state("Moon", t)
            e_pos, e_vel = ephemeris.state("Earth", t)
            moon_r = (np.reshape(pos, (3, -1)) - np.reshape(e_pos, (3, -1))) * AU_KM
            moon_v = (np.reshape(vel, (3, -1)) - np.reshape(e_vel, (3, -1))) * AU_PER_DAY_TO_KM_PER_S
            outer = _lunar_gate(moon_r, moon_v, pole_moon_orbit)
            return moon_r + MOON_SOI_KM * outer, outer, moon_v

        def late(t):
            """Days by which a spiral ending at the gate of time(s) t arrives after t."""
            gate, _, moon_v = gate_at(t)
            poles = _unit(np.cross(gate, moon_v, axis=0))
            di = np.arccos(np.clip(pole0 @ poles, -1.0, 1.0))
            days = edelbaum_days(gm_earth, origin.orbit_radius_km, np.linalg.norm(gate, axis=0),
                                 di, mass_kg, engine, throttle)
            return depart_tdb + days - np.asarray(t)

        estimate = float(late(np.array([depart_tdb + 30.0]))[0]) + 30.0
        t_a = _meeting_time(late, depart_tdb, estimate)
        gate, outer, moon_v = (a[:, 0] for a in gate_at(np.array([t_a])))
        spiral = EdelbaumArc("Earth", gm_earth, depart_tdb, origin.orbit_radius_km,
                             float(np.linalg.norm(gate)), pole0, _unit(np.cross(gate, moon_v)),
                             mass_kg, engine, throttle, end_dir=gate)
        capture = SpiralArc("Moon", gm_moon, spiral.arrive_tdb, target.orbit_radius_km,
                            pole_moon_orbit, spiral.mass_end_kg, engine, throttle,
                            mode="capture", outer_radius_km=MOON_SOI_KM, outer_dir=outer)
        return [spiral, capture]
    # From a lunar orbit: an escape spiral to the edge of the Moon's sphere, then Edelbaum in.
    escape = SpiralArc("Moon", gm_moon, depart_tdb, origin.orbit_radius_km, place_pole(origin),
                       mass_kg, engine, throttle, mode="escape", outer_radius_km=MOON_SOI_KM,
                       inner_dir=_orbit_start_dir(origin, depart_tdb, ephemeris))
    moon_r, moon_v = moon_at(escape.arrive_tdb)
    outer = _lunar_gate(moon_r, moon_v, place_pole(origin))
    escape.orient_outer(outer)
    gate = moon_r + MOON_SOI_KM * outer
    spiral = EdelbaumArc("Earth", gm_earth, escape.arrive_tdb, float(np.linalg.norm(gate)),
                         target.orbit_radius_km, _unit(np.cross(gate, moon_v)), place_pole(target),
                         escape.mass_end_kg, engine, throttle, start_dir=gate)
    return [escape, spiral]


def edelbaum_days(gm_km3_s2: float, r0_km: float, r1_km: ArrayLike, di_rad: ArrayLike,
                  mass_kg: float, engine: Engine, throttle: float = 1.0) -> np.ndarray:
    """Days Edelbaum spirals take at `throttle` from `mass_kg` to radii r1 (km) with plane
    changes di (rad), vectorised: (m0 - m1) / mass flow, m1 from the rocket equation."""
    dv = edelbaum_dv_km_s(gm_km3_s2, r0_km, r1_km, di_rad)
    burnt = mass_kg * -np.expm1(-dv / engine.exhaust_velocity_km_s)
    return burnt / (engine.mass_flow_kg_s * throttle) / SECONDS_PER_DAY


def _meeting_time(late, depart_tdb: float, estimate_days: float) -> float:
    """The first time t (TDB) with late(t) = 0: a scan in quarter-day steps (the Moon moves
    about 3 degrees a step) over 75-125% of an estimated flight, then the bracket narrowed
    by vectorised subdivision (32 samples a round, six rounds: below 1e-9 day; `late` is
    vectorised, and no root-finding library has to be loaded at start-up).
    late(times (N,)) -> days (N,), decreasing on the whole."""
    times = depart_tdb + np.arange(0.75 * estimate_days, 1.25 * estimate_days + 0.5, 0.25)
    values = late(times)
    crossing = np.flatnonzero((values[:-1] >= 0) & (values[1:] < 0))
    if not crossing.size:
        raise LowThrustError("no arrival at the Moon found for this departure")
    low, high = float(times[crossing[0]]), float(times[crossing[0] + 1])
    for _ in range(6):
        samples = np.linspace(low, high, 33)
        values = late(samples)
        inside = np.flatnonzero((values[:-1] >= 0) & (values[1:] < 0))
        if not inside.size:
            break
        low, high = float(samples[inside[0]]), float(samples[inside[0] + 1])
    return 0.5 * (low + high)


def _lunar_gate(moon_r: np.ndarray, moon_v: np.ndarray, lunar_pole: np.ndarray) -> np.ndarray:
    """Unit direction(s) from the Moon to where a spiral crosses the edge of its sphere of
    influence, (3,) or (3, N): towards the Earth, in the lunar orbit's plane (along the
    Moon's backward motion when that plane is nearly face-on to the Earth)."""
    pole = lunar_pole.reshape((3,) + (1,) * (np.ndim(moon_r) - 1))

    def flat(d):
        d = d - np.sum(d * pole, axis=0) * pole
        return d, np.linalg.norm(d, axis=0)

    earthward, size = flat(-moon_r / np.linalg.norm(moon_r, axis=0))
    backward, back_size = flat(-moon_v / np.linalg.norm(moon_v, axis=0))
    use = size > 0.1
    return np.where(use, earthward / np.where(use, size, 1.0),
                    backward / np.maximum(back_size, 1e-12))


def _heliocentric(origin: Place, target: Place, depart_tdb: float, arrive_tdb: float | None,
                  ephemeris, engine: Engine, mass_kg: float, launch_c3: float | None,
                  min_mass_kg: float = 0.0) -> list[ThrustArc]:
    """An escape spiral (or a launcher's C3), a Sims-Flanagan arc about the Sun, and a capture
    spiral at a planet."""
    for place in (origin, target):
        if place.body == "Moon":
            raise LowThrustError("electric legs between the Moon and the Sun's realm are not "
                                 "modelled; fly to an Earth orbit first")
    arcs: list[ThrustArc] = []
    t, mass = depart_tdb, mass_kg
    offset = np.zeros(3)
    v_inf_max = 0.0
    if origin.body is not None:
        if launch_c3:
            v_inf_max = math.sqrt(launch_c3)
        else:
            escape = SpiralArc(origin.body, BODIES[origin.body].gm_km3_per_s2, t,
                               origin.orbit_radius_km, place_pole(origin), mass, engine,
                               mode="escape",
                               inner_dir=_orbit_start_dir(origin, depart_tdb, ephemeris))
            _, body_v = _relative_to(origin.body_state, "Sun", escape.arrive_tdb, ephemeris)
            escape.orient_outer(body_v)
            arcs.append(escape)
            t, mass = escape.arrive_tdb, escape.mass_end_kg
            offset = escape.relative_state(t)[0][:, 0]
    r0, v0 = _relative_to(origin.body_state, "Sun", t, ephemeris)
    r0 = r0 + offset
    gm_sun = BODIES["Sun"].gm_km3_per_s2
    target_state = target.body_state

    def arc_to(t_end: float, offset_km: np.ndarray, warm: SimsFlanaganArc | None
               ) -> SimsFlanaganArc:
        rf, vf = _relative_to(target_state, "Sun", t_end, ephemeris)
        segments = int(min(max((t_end - t) / 20.0, 24), 40))
        return sims_flanagan("Sun", gm_sun, t, t_end, r0, v0, rf + offset_km, vf, mass, engine,
                             segments=segments, v_inf_max_km_s=v_inf_max, initial=warm,
                             min_mass_kg=min(min_mass_kg, mass))

    def capture_at(t_end: float, mass_kg: float) -> SpiralArc:
        """The capture spiral from the cruise's end, its outer end trailing the planet."""
        spiral = SpiralArc(target.body, BODIES[target.body].gm_km3_per_s2, t_end,
                           target.orbit_radius_km, place_pole(target), mass_kg, engine,
                           mode="capture")
        spiral.orient_outer(-_relative_to(target_state, "Sun", t_end, ephemeris)[1])
        return spiral

    if arrive_tdb is None:
        t_end = t + _low_thrust_flight_days(r0, v0, target_state, t, mass, engine, v_inf_max,
                                            ephemeris)
        for attempt in range(4):  # longer flights until the thrust suffices
            try:
                cruise = arc_to(t_end, np.zeros(3), None)
                break
            except LowThrustError:
                if attempt == 3:
                    raise
                t_end = t + 1.3 * (t_end - t)
    else:
        t_end = arrive_tdb
        if target.body is not None:  # a first guess of the capture's time, at 70% of the mass
            t_end = arrive_tdb - capture_at(arrive_tdb, 0.7 * mass).duration_s / SECONDS_PER_DAY
        if t_end <= t:
            raise LowThrustError("the escape and capture spirals alone take longer than the "
                                 "time given")
        cruise = arc_to(t_end, np.zeros(3), None)
    if target.body is None:
        arcs.append(cruise)
        return arcs
    # A planet: a capture spiral from where the cruise ends. The cruise is solved again (from
    # its own solution) to end at the spiral's outer end, until that end stays put.
    aimed = np.zeros(3)
    for _ in range(5):
        capture = capture_at(cruise.arrive_tdb, cruise.mass_end_kg)
        if arrive_tdb is not None:
            t_end = arrive_tdb - capture.duration_s / SECONDS_PER_DAY
            if t_end <= t:
                raise LowThrustError("the escape and capture spirals alone take longer than "
                                     "the time given")
        outer = capture.relative_state(capture.depart_tdb)[0][:, 0]
        if np.linalg.norm(outer - aimed) < 1.0 and abs(cruise.arrive_tdb - t_end) < 1e-6:
            break
        cruise = arc_to(t_end, outer, cruise)
        aimed = outer
    else:
        capture = capture_at(cruise.arrive_tdb, cruise.mass_end_kg)
    arcs += [cruise, capture]
    return arcs


def _low_thrust_flight_days(r0, v0, target_state, t0: float, mass_kg: float, engine: Engine,
                            v_inf_max: float, ephemeris) -> float:
    """A flight time for a heliocentric electric arc when none is given: the shortest of a
    grid whose cheapest impulsive (Lambert, up to two revolutions) delta-v, 1.15 times over,
    full thrust can give in 70% of the flight."""
    from spaceviz.core.astro.lambert import lambert

    gm_sun = BODIES["Sun"].gm_km3_per_s2
    tofs = np.geomspace(60.0, 3650.0, 80)
    rf, vf = np.empty((3, tofs.size)), np.empty((3, tofs.size))
    for k, tof in enumerate(tofs):
        rf[:, k], vf[:, k] = _relative_to(target_state, "Sun", t0 + tof, ephemeris)
    pole = _unit(np.cross(r0, v0))
    dv = np.full(tofs.size, np.inf)
    for revolutions, branch in ((0, "left"), (1, "left"), (1, "right"), (2, "left"),
                                (2, "right")):
        v1, v2 = lambert(r0[:, None], rf, tofs * SECONDS_PER_DAY, gm_sun, prograde=True,
                         revolutions=revolutions, branch=branch, pole=pole)
        v1, v2 = np.reshape(v1, (3, -1)), np.reshape(v2, (3, -1))
        cost = (np.maximum(np.linalg.norm(v1 - v0[:, None], axis=0) - v_inf_max, 0.0)
                + np.linalg.norm(vf - v2, axis=0))
        dv = np.fmin(dv, np.where(np.isfinite(cost), cost, np.inf))
    burn_days = (mass_kg * -np.expm1(-1.15 * dv / engine.exhaust_velocity_km_s)
                 / engine.mass_flow_kg_s / SECONDS_PER_DAY)
    fits = np.flatnonzero(np.isfinite(dv) & (burn_days < 0.7 * tofs))
    if not fits.size:
        raise LowThrustError("the thrust is too low to reach the target within ten years")
    return float(tofs[fits[0]])


def plan_leg(origin: Place, target: Place, depart_tdb: float, arrive_tdb: float | None,
             ephemeris, *, engine: Engine | None = None, mass_kg: float | None = None,
             min_mass_kg: float = 0.0, revolutions: int | None = None,
             branch: str | None = None, launch_c3_km2_s2: float | None = None
             ) -> Transfer | LowThrustLeg:
    """The leg a ship flies: impulsive patched conics without an engine or with a chemical
    one (`arrive_tdb` required), a low-thrust leg with an electric engine (`mass_kg` at
    departure required, `min_mass_kg` the ship without its propellant; `arrive_tdb` may be
    None)."""
    if engine is not None and engine.electric:
        if revolutions is not None or branch is not None:
            raise TransferError(f"{origin.name} -> {target.name}: revolutions and branch "
                                "choose impulsive arcs; an electric leg's spirals follow from "
                                "its thrust")
        return plan_low_thrust(origin, target, depart_tdb, arrive_tdb, ephemeris, engine,
                               float(mass_kg), launch_c3_km2_s2=launch_c3_km2_s2,
                               min_mass_kg=min_mass_kg)
    if arrive_tdb is None:
        raise TransferError(f"{origin.name} -> {target.name}: an impulsive leg needs 'arrive'"
                            " (only electric legs compute it)")
    return plan_transfer(origin, target, depart_tdb, arrive_tdb, ephemeris,
                         revolutions=revolutions, branch=branch)


# --------------------------------------------------------------------------- propellant

class PropellantError(TransferError):
    """A leg that needs more propellant than the ship carries."""


@dataclass(frozen=True)
class Propulsion:
    """A ship's engine and tanks: `engine`, `dry_mass_kg` (the ship without propellant or
    cargo), `propellant_kg` aboard at the first departure (from outside the supply chain),
    `tank_kg` (the capacity refuelling fills up to), `refuel_at` (facility names: a leg
    departing from one fills the tank from its stock) and `launch_c3_km2_s2` (a launcher's
    escape energy for an electric ship's first heliocentric leg). Masses kg."""

    engine: Engine
    dry_mass_kg: float
    propellant_kg: float
    tank_kg: float
    refuel_at: tuple[str, ...] = ()
    launch_c3_km2_s2: float | None = None

    def refuels_at(self, place_name: str) -> bool:
        return place_name.strip().lower() in {n.strip().lower() for n in self.refuel_at}


@dataclass(frozen=True)
class LegBudget:
    """The masses of one leg (kg): propellant loaded before departure (`refuel_kg`, from the
    leg's origin), the mass at departure (dry + propellant + cargo), the propellant burnt (per
    impulsive burn in `burns_kg`: departure, arrival), the mass at arrival before the cargo
    is unloaded, and the propellant left; `dv_km_s` the leg's delta-v."""

    refuel_kg: float
    mass_start_kg: float
    propellant_kg: float
    burns_kg: tuple[float, ...]
    mass_end_kg: float
    propellant_left_kg: float
    dv_km_s: float


class Tanks:
    """The propellant aboard a ship (kg) as its legs are flown in order."""

    def __init__(self, propulsion: Propulsion):
        self.propulsion = propulsion
        self.aboard_kg = propulsion.propellant_kg

    def refuel_kg(self, from_name: str) -> float:
        """What a departure from `from_name` loads: the tank topped up at a refuelling stop."""
        p = self.propulsion
        return max(p.tank_kg - self.aboard_kg, 0.0) if p.refuels_at(from_name) else 0.0

    def floor_mass_kg(self, cargo_kg: float) -> float:
        """The ship without propellant: dry mass + cargo, kg."""
        return self.propulsion.dry_mass_kg + cargo_kg

    def departure_mass_kg(self, from_name: str, cargo_kg: float) -> float:
        """Dry mass + propellant (after any refuelling) + cargo at a departure, kg."""
        return (self.propulsion.dry_mass_kg + self.aboard_kg + self.refuel_kg(from_name)
                + cargo_kg)

    def fly(self, leg, cargo_kg: float) -> LegBudget:
        """Fly a leg (a Transfer, or a LowThrustLeg solved for this departure mass): the
        budget; raises PropellantError when the tank is short."""
        refuel = self.refuel_kg(leg.from_name)
        aboard = self.aboard_kg + refuel
        mass = self.propulsion.dry_mass_kg + aboard + cargo_kg
        if isinstance(leg, LowThrustLeg):
            if abs(leg.mass_start_kg - mass) > 1e-6 * mass:
                raise AssertionError("an electric leg flown with another mass than planned")
            burns: tuple[float, ...] = ()
            burnt, dv = leg.propellant_kg, leg.dv_km_s
        else:
            burns = burns_kg(mass, (leg.departure_dv_km_s, leg.arrival_dv_km_s),
                             self.propulsion.engine.isp_s)
            burnt, dv = float(sum(burns)), leg.total_dv_km_s
        if burnt > aboard * (1.0 + 1e-9) + 1e-6:
            tank = self.propulsion.tank_kg
            raise PropellantError(
                f"{leg.from_name} -> {leg.to_name}: needs {burnt:,.0f} kg of propellant "
                f"({dv:.3f} km/s from {mass:,.0f} kg at {self.propulsion.engine.isp_s:g} s); "
                f"the ship carries {aboard:,.0f} kg" + (f" (tank {tank:,.0f} kg)" if tank else ""))
        self.aboard_kg = aboard - burnt
        return LegBudget(refuel, mass, burnt, burns, mass - burnt, self.aboard_kg, dv)


# --------------------------------------------------------------------------- flight plans

Leg = Transfer | OemArc | LowThrustLeg


def _parking_orbit_state(place: Place, anchor_tdb: float, direction: np.ndarray,
                         t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A ship waiting at `place` (barycentric AU, AU/day at times t): on the surface at a
    surface place, with a small body at a small body, else on the place's circular orbit in
    its plane (the ecliptic's for a body's default orbit), at `direction` (ICRF unit vector,
    projected) at anchor_tdb."""
    if place.body is None or place.surface:
        pos, vel = place.state(t)
        return (np.asarray(pos, dtype=np.float64).reshape(3, -1),
                np.asarray(vel, dtype=np.float64).reshape(3, -1))
    pos, vel = place.body_state(t)
    pos = np.asarray(pos, dtype=np.float64).reshape(3, -1)
    vel = np.asarray(vel, dtype=np.float64).reshape(3, -1)
    pole = place_pole(place)
    in_plane = direction - (direction @ pole) * pole
    if np.linalg.norm(in_plane) < 1e-9:
        in_plane = np.cross(pole, [1.0, 0.0, 0.0])
    u0 = in_plane / np.linalg.norm(in_plane)
    w0 = np.cross(pole, u0)
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
    An OEM arc holds its first and last states outside its coverage.

    With `propulsion` (an engine and tanks) every leg has a `LegBudget` (`budgets`), and the
    ship's mass, propellant and thrust over time come from `mass_at`, `propellant_at` and
    `thrusting_at`."""

    name: str
    legs: list[Leg]
    cargo_kg: list[float] = field(default_factory=list)
    propulsion: Propulsion | None = None
    cargo_resource: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.legs:
            raise UserError(f"ship '{self.name}' has no legs")
        if not self.cargo_kg:
            self.cargo_kg = [0.0] * len(self.legs)
        if len(self.cargo_kg) != len(self.legs):
            raise UserError(f"ship '{self.name}': {len(self.cargo_kg)} cargo values for "
                            f"{len(self.legs)} legs")
        if not self.cargo_resource:
            self.cargo_resource = [None] * len(self.legs)
        for previous, leg in zip(self.legs, self.legs[1:], strict=False):
            if leg.depart_tdb < previous.arrive_tdb:
                raise UserError(f"ship '{self.name}': a leg departs before the previous one "
                                "arrives (legs must follow each other in time)")
        self.budgets: list[LegBudget] = []
        self.comparisons: dict[int, dict | None] = {}  # compare_engines, by leg
        if self.propulsion is not None:
            tanks = Tanks(self.propulsion)
            self.budgets = [tanks.fly(leg, cargo)
                            for leg, cargo in zip(self.legs, self.cargo_kg, strict=True)]

    # --- mass, propellant and thrust over time --------------------------------------------
    def mass_at(self, t_tdb: ArrayLike) -> np.ndarray:
        """The ship's mass (kg) at TDB time(s), shaped like t: dry + propellant + cargo aboard
        (NaN without an engine). Impulsive burns act at the instants of departure and arrival
        (right-continuous); electric legs lose mass as they thrust."""
        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        out = np.full(flat.size, np.nan)
        if self.propulsion is None:
            return out.reshape(t.shape)
        out[:] = self.propulsion.dry_mass_kg + self.propulsion.propellant_kg  # before leg 0
        index = self.leg_index(flat)
        for i, (leg, budget) in enumerate(zip(self.legs, self.budgets, strict=True)):
            mine = index == i
            flying = mine & (flat >= leg.depart_tdb) & (flat < leg.arrive_tdb)
            if np.any(flying):
                out[flying] = (leg.mass_kg(flat[flying]) if isinstance(leg, LowThrustLeg)
                               else budget.mass_start_kg - budget.burns_kg[0])
            out[mine & (flat >= leg.arrive_tdb)] = budget.mass_end_kg - self.cargo_kg[i]
        return out.reshape(t.shape)

    def propellant_at(self, t_tdb: ArrayLike) -> np.ndarray:
        """Propellant aboard (kg) at TDB time(s) (NaN without an engine)."""
        dry = self.propulsion.dry_mass_kg if self.propulsion else np.nan
        return self.mass_at(t_tdb) - dry - self.cargo_at(t_tdb)

    def thrusting_at(self, t_tdb: ArrayLike) -> np.ndarray:
        """True where an electric leg's engine thrusts at TDB time(s) (impulsive burns are
        instants: never), shaped like t."""
        t = np.asarray(t_tdb, dtype=np.float64)
        flat = t.reshape(-1)
        out = np.zeros(flat.size, dtype=bool)
        index = self.leg_index(flat)
        for i, leg in enumerate(self.legs):
            if isinstance(leg, LowThrustLeg):
                flying = (index == i) & (flat >= leg.depart_tdb) & (flat < leg.arrive_tdb)
                if np.any(flying):
                    out[flying] = leg.throttle(flat[flying]) > THRUSTING_THROTTLE
        return out.reshape(t.shape)

    def supply_chain_propellant_at(self, t_tdb: float) -> tuple[float, float]:
        """Of the propellant loaded from facilities by TDB time t, (kg still aboard, kg burnt
        to exhaust): the tanks burn first in, first out, the propellant brought from outside
        the supply chain first."""
        loads = [(when, kg, where) for when, kg, where in self.propellant_loads()
                 if where is None or when <= t_tdb]
        if not loads:
            return 0.0, 0.0
        loaded = sum(kg for _, kg, _ in loads)
        burnt = loaded - float(self.propellant_at(t_tdb))
        aboard = exhausted = 0.0
        before = 0.0
        for _, kg, where in loads:
            used = min(max(burnt - before, 0.0), kg)
            before += kg
            if where is not None:
                exhausted += used
                aboard += kg - used
        return aboard, exhausted

    def propellant_loads(self) -> list[tuple[float, float, str | None]]:
        """Every filling of the tanks as (TDB time, kg, facility or None): the propellant
        aboard before the first departure (None: from outside the supply chain), then each
        refuelling at its departure."""
        if self.propulsion is None:
            return []
        loads = [(self.start_tdb, self.propulsion.propellant_kg, None)]
        loads += [(leg.depart_tdb, b.refuel_kg, leg.from_name)
                  for leg, b in zip(self.legs, self.budgets, strict=True) if b.refuel_kg > 0]
        return loads

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
        if isinstance(leg, LowThrustLeg):
            return leg.waiting_state(at_start, t)
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
        """A copy with leg `index` flown on new dates (same places, cheapest arc; later
        electric legs re-solved for their new departure masses); raises UserError when the new
        dates overlap the neighbouring legs, or the tanks fall short."""
        leg = self.legs[index]
        if isinstance(leg, OemArc):
            raise UserError(f"'{self.name}' flies an OEM file; its dates come from the file")
        if isinstance(leg, LowThrustLeg):
            raise UserError(f"{self.name} flies that leg on its electric engine: its dates "
                            "follow from the thrust")
        if index > 0 and depart_tdb < self.legs[index - 1].arrive_tdb:
            raise UserError(f"{self.name} would depart before its previous leg arrives")
        if index + 1 < len(self.legs) and arrive_tdb > self.legs[index + 1].depart_tdb:
            raise UserError(f"{self.name} would arrive after its next leg departs")
        new_leg = plan_transfer(leg.origin, leg.target, depart_tdb, arrive_tdb, ephemeris)
        legs = list(self.legs)
        legs[index] = new_leg
        if self.propulsion is not None:
            legs = self._reflown(legs, ephemeris)
        return FlightPlan(self.name, legs, list(self.cargo_kg), self.propulsion,
                          list(self.cargo_resource))

    def _reflown(self, legs: list[Leg], ephemeris) -> list[Leg]:
        """The legs with every electric one re-solved whose departure mass has changed."""
        tanks = Tanks(self.propulsion)
        out = []
        for leg, cargo in zip(legs, self.cargo_kg, strict=True):
            if isinstance(leg, LowThrustLeg):
                mass = tanks.departure_mass_kg(leg.from_name, cargo)
                if abs(mass - leg.mass_start_kg) > 1e-6 * mass:
                    leg = plan_low_thrust(leg.origin, leg.target, leg.depart_tdb,
                                          leg.requested_arrive_tdb, ephemeris, leg.engine, mass,
                                          launch_c3_km2_s2=leg.launch_c3_km2_s2,
                                          min_mass_kg=tanks.floor_mass_kg(cargo))
            tanks.fly(leg, cargo)
            out.append(leg)
        return out


COMPARISON_ACCELERATION_M_S2 = 1e-4
"""The electric engine a chemical leg is compared with: a Hall thruster (SMART-1's Isp) whose
thrust gives 0.1 mm/s^2 at the leg's departure mass, about half SMART-1's 68 mN on 367 kg."""


def other_engine(engine: Engine, mass_kg: float) -> Engine:
    """The engine of the other kind a leg is compared with: LOX/LH2 for an electric ship; for
    a chemical one a Hall thruster sized to COMPARISON_ACCELERATION_M_S2 at `mass_kg`."""
    if engine.electric:
        return ENGINES["lox-lh2"]
    hall = ENGINES["hall-smart1"]
    return replace(hall, thrust_n=COMPARISON_ACCELERATION_M_S2 * mass_kg,
                   name="hall-smart1 cluster",
                   source=f"{hall.source}; thrust for {COMPARISON_ACCELERATION_M_S2 * 1000:g} "
                          "mm/s^2 at the departure mass")


def compare_engines(plan: FlightPlan, index: int, ephemeris) -> dict | None:
    """What the other kind of engine would cost on leg `index` from the same departure mass
    (dry mass, propellant and cargo as flown): {engine, possible, dv_km_s, propellant_kg,
    duration_days, fits_tank} or {engine, possible: False, reason}. An electric leg's
    chemical twin leaves on the same date on the cheapest impulsive arc of a grid of flight
    times; a chemical leg's electric twin spirals (or cruises) at full thrust from the same
    date. None for ships without an engine, or OEM legs. Cached per plan."""
    leg = plan.legs[index]
    if plan.propulsion is None or isinstance(leg, OemArc):
        return None
    if index in plan.comparisons:
        return plan.comparisons[index]
    budget = plan.budgets[index]
    mass = budget.mass_start_kg
    engine = other_engine(plan.propulsion.engine, mass)
    result: dict = {"engine": engine.describe()}
    aboard = budget.mass_start_kg - plan.propulsion.dry_mass_kg - plan.cargo_kg[index]
    try:
        if engine.electric:
            twin = plan_low_thrust(leg.origin, leg.target, leg.depart_tdb, None, ephemeris,
                                   engine, mass, min_mass_kg=mass - aboard)
            burnt, dv, days = twin.propellant_kg, twin.dv_km_s, twin.tof_days
        else:
            twin = _cheapest_impulsive(leg.origin, leg.target, leg.depart_tdb, ephemeris)
            burnt = float(sum(burns_kg(mass, (twin.departure_dv_km_s, twin.arrival_dv_km_s),
                                       engine.isp_s)))
            dv, days = twin.total_dv_km_s, twin.tof_days
    except UserError as exc:
        result.update(possible=False, reason=str(exc))
    else:
        result.update(possible=True, dv_km_s=round(dv, 6), propellant_kg=round(burnt, 3),
                      duration_days=round(days, 6), fits_tank=bool(burnt <= aboard + 1e-6))
    plan.comparisons[index] = result
    return result


def _cheapest_impulsive(origin: Place, target: Place, depart_tdb: float, ephemeris) -> Transfer:
    """The cheapest impulsive leg leaving at depart_tdb over a grid of flight times (1.5-10
    days inside a planet's system, 60-1500 days about the Sun)."""
    if central_body(origin, target) == "Sun":
        flights = np.geomspace(60.0, 1500.0, 60)
    else:
        flights = np.linspace(1.5, 10.0, 35)
    conics = solve_conics(origin, target, np.full(flights.size, depart_tdb), depart_tdb + flights,
                          ephemeris)
    total = conics.total_dv_km_s
    if not np.any(np.isfinite(total)):
        raise TransferError(f"{origin.name} -> {target.name}: no impulsive arc from this date")
    best = float(flights[int(np.nanargmin(total))])
    return plan_transfer(origin, target, depart_tdb, depart_tdb + best, ephemeris)


def flight_path(plan: FlightPlan, samples_per_leg: int = 240) -> list[tuple[str | None, np.ndarray,
                                                                           np.ndarray]]:
    """Each arc of each leg as (central body or None, times (S,), positions (3, S)): arcs
    relative to their central body (km, ICRF; an electric leg has one per spiral or cruise,
    sampled densely enough for every turn of a spiral), OEM legs barycentric (AU) with None
    as central. `FlightPlan.thrusting_at(times)` tells thrust arcs from coasting."""
    out = []
    for leg in plan.legs:
        if isinstance(leg, OemArc):
            times = np.linspace(leg.depart_tdb, leg.arrive_tdb, samples_per_leg)
            out.append((None, times, leg.state(times)[0]))
            continue
        for arc in leg.arcs:
            count = (arc.sample_count(samples_per_leg) if isinstance(arc, ThrustArc)
                     else samples_per_leg)
            times = np.linspace(arc.depart_tdb, arc.arrive_tdb, count)
            out.append((arc.central, times, arc.relative_state(times)[0]))
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
