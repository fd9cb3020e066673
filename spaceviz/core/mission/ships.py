"""Ships: Lambert transfers between any two objects, flown over the timeline.

A leg departs exactly from its origin object's position and arrives at its target's, on the
conic the Lambert solution gives around a central body: the Earth when both ends are in the
Earth-Moon system (Earth, Moon, lunar sites and plants), otherwise the Sun. Before departure
the ship sits at its origin, after arrival at its target. Positions AU, velocities AU/day,
barycentric ICRF, TDB Julian dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spaceviz.core.astro.lambert import lambert
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import (
    AU_KM,
    AU_PER_DAY_TO_KM_PER_S,
    GM_EARTH_KM3_PER_S2,
    GM_SUN_AU3_PER_DAY2,
    SECONDS_PER_DAY,
)
from spaceviz.core.errors import UserError

GM_EARTH_AU3_PER_DAY2 = GM_EARTH_KM3_PER_S2 * SECONDS_PER_DAY ** 2 / AU_KM ** 3
MU_AU3_PER_DAY2 = {"Sun": GM_SUN_AU3_PER_DAY2, "Earth": GM_EARTH_AU3_PER_DAY2}
EARTH_MOON_SYSTEM = ("Earth", "Moon")
PARKING_ALTITUDE_KM = 400.0
"""An end at the central body itself (e.g. Moon -> Earth) is a parking orbit this high."""


def parking_point(central_radius_km: float, toward: np.ndarray) -> np.ndarray:
    """A point (AU, relative to the central body) in a low parking orbit, 150 degrees round
    from the direction `toward` in its plane with the ecliptic-ish z axis (never 180 degrees,
    which would leave the transfer plane undefined)."""
    unit = toward / np.linalg.norm(toward)
    side = np.cross([0.0, 0.0, 1.0], unit)
    side = side / np.linalg.norm(side) if np.linalg.norm(side) > 1e-9 else np.array([1.0, 0, 0])
    direction = np.cos(np.radians(150)) * unit + np.sin(np.radians(150)) * side
    return direction * (central_radius_km + PARKING_ALTITUDE_KM) / AU_KM


def central_body(world, origin: str, target: str) -> str:
    """'Earth' when both ends belong to the Earth-Moon system, else 'Sun'."""
    def home(name: str) -> str:
        obj = world.get(name)
        while obj.kind in ("site", "facility") and obj.parent:
            obj = world.get(obj.parent)
        return obj.name

    both = {home(origin), home(target)}
    return "Earth" if both <= set(EARTH_MOON_SYSTEM) else "Sun"


def circular_velocity(r: np.ndarray, v: np.ndarray, mu: float) -> np.ndarray:
    """Velocity of the circular orbit through r, in the plane and direction of motion v."""
    h = np.cross(r, v)
    along = np.cross(h, r)
    return np.sqrt(mu / np.linalg.norm(r)) * along / np.linalg.norm(along)


@dataclass
class TransferLeg:
    """One Lambert arc. r1/v1 are the departure state relative to the central body."""

    origin: str
    target: str
    depart_tdb: float
    arrive_tdb: float
    central: str
    r1_au: np.ndarray
    v1_au_per_day: np.ndarray
    departure_dv_km_s: float
    arrival_dv_km_s: float
    c3_km2_s2: float

    def relative_state(self, t_tdb) -> tuple[np.ndarray, np.ndarray]:
        """State relative to the central body (3, T) at times inside the leg."""
        dt = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64)) - self.depart_tdb
        return propagate_state(self.r1_au, self.v1_au_per_day, dt, MU_AU3_PER_DAY2[self.central])


def solve_leg(world, origin: str, target: str, depart_tdb: float, arrive_tdb: float) -> TransferLeg:
    """The Lambert transfer from `origin` at departure to `target` at arrival."""
    if not arrive_tdb > depart_tdb:
        raise UserError(f"a transfer from {origin} to {target} must arrive after it departs")
    central = central_body(world, origin, target)
    c1, cv1 = world.state(central, depart_tdb)
    c2, cv2 = world.state(central, arrive_tdb)
    p1, pv1 = world.state(origin, depart_tdb)
    p2, pv2 = world.state(target, arrive_tdb)
    r1, r2 = p1 - c1, p2 - c2
    from spaceviz.core.astro.bodies import BODIES

    radius_km = BODIES[central].radius_km
    if target == central:
        r2 = parking_point(radius_km, r1)
    if origin == central:
        r1 = parking_point(radius_km, r2)
    v1, v2 = lambert(r1, r2, arrive_tdb - depart_tdb, MU_AU3_PER_DAY2[central])
    v1, v2 = np.reshape(v1, 3), np.reshape(v2, 3)
    if not np.all(np.isfinite(v1)):
        raise UserError(f"no transfer from {origin} to {target} between these dates "
                        "(a 180-degree transfer has no defined plane: shift a date a little)")
    mu = MU_AU3_PER_DAY2[central]
    # An end in the parking orbit is measured against that circular orbit's velocity.
    start_vel = circular_velocity(r1, v1, mu) if origin == central else pv1 - cv1
    end_vel = circular_velocity(r2, v2, mu) if target == central else pv2 - cv2
    departure = (v1 - start_vel) * AU_PER_DAY_TO_KM_PER_S
    arrival = (end_vel - v2) * AU_PER_DAY_TO_KM_PER_S
    return TransferLeg(origin, target, depart_tdb, arrive_tdb, central, r1, v1,
                       float(np.linalg.norm(departure)), float(np.linalg.norm(arrival)),
                       float(departure @ departure))


@dataclass
class Ship:
    """A ship flying Lambert legs one after another; `cargo_kg[k]` (kg) rides on leg k.

    Before the first departure it sits at its origin, between legs at the last target, after
    the last arrival at the final target."""

    name: str
    legs: list[TransferLeg]
    cargo_kg: list[float]

    @property
    def leg(self) -> TransferLeg | None:
        """The transfer, for single-leg ships (re-planning and porkchops); None otherwise."""
        return self.legs[0] if len(self.legs) == 1 else None

    @property
    def depart_tdb(self) -> float:
        return self.legs[0].depart_tdb

    @property
    def arrive_tdb(self) -> float:
        return self.legs[-1].arrive_tdb

    def state(self, world, t_tdb) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF state (AU, AU/day) at time(s)."""
        t = np.asarray(t_tdb, dtype=np.float64)
        times = np.atleast_1d(t)
        pos = np.empty((3, times.size))
        vel = np.empty((3, times.size))
        done = np.zeros(times.size, dtype=bool)
        waiting_at = self.legs[0].origin
        for leg in self.legs:
            for mask, place in (((times <= leg.depart_tdb) & ~done, waiting_at),):
                if mask.any():
                    pos[:, mask], vel[:, mask] = world.state(place, times[mask])
                    done |= mask
            flying = (times < leg.arrive_tdb) & ~done
            if flying.any():
                rel_pos, rel_vel = leg.relative_state(times[flying])
                central_pos, central_vel = world.state(leg.central, times[flying])
                pos[:, flying] = central_pos + rel_pos
                vel[:, flying] = central_vel + rel_vel
                done |= flying
            waiting_at = leg.target
        if (~done).any():
            pos[:, ~done], vel[:, ~done] = world.state(waiting_at, times[~done])
        if t.ndim == 0:
            return pos[:, 0], vel[:, 0]
        return pos, vel

    def carrying(self, t_tdb: float) -> bool:
        return any(cargo > 0 and leg.depart_tdb <= t_tdb < leg.arrive_tdb
                   for leg, cargo in zip(self.legs, self.cargo_kg, strict=True))

    def path(self, world, t_now: float, samples: int = 240) -> tuple[np.ndarray, np.ndarray]:
        """Every leg as barycentric points around its central body's current position, and
        the sample times (TDB); NaN rows separate legs."""
        points, times = [], []
        for leg in self.legs:
            leg_times = np.linspace(leg.depart_tdb, leg.arrive_tdb, samples)
            rel, _ = leg.relative_state(leg_times)
            points += [world.position(leg.central, t_now)[:, None] + rel, np.full((3, 1), np.nan)]
            times += [leg_times, [leg.arrive_tdb]]
        return np.concatenate(points, axis=1)[:, :-1], np.concatenate(times)[:-1]


def replan(world, ship: Ship, depart_tdb: float, arrive_tdb: float) -> TransferLeg:
    """Fly a single-leg ship on new dates (origin and target stay): re-solves its arc."""
    ship.legs[0] = solve_leg(world, ship.leg.origin, ship.leg.target, depart_tdb, arrive_tdb)
    return ship.legs[0]


@dataclass
class OemShip:
    """A ship flying a CCSDS OEM trajectory (core.trajectories.OemTrajectory): it holds its
    first state before the file's coverage and its last one after it."""

    name: str
    trajectory: object
    cargo_kg: float = 0.0
    leg = None  # no Lambert leg: not re-plannable

    @property
    def depart_tdb(self) -> float:
        return self.trajectory.depart_tdb

    @property
    def arrive_tdb(self) -> float:
        return self.trajectory.arrive_tdb

    def state(self, world, t_tdb) -> tuple[np.ndarray, np.ndarray]:
        clamped = np.clip(np.asarray(t_tdb, dtype=np.float64), self.depart_tdb, self.arrive_tdb)
        return self.trajectory.state(clamped)

    def carrying(self, t_tdb: float) -> bool:
        return self.cargo_kg > 0 and self.depart_tdb <= t_tdb < self.arrive_tdb

    def path(self, world, t_now: float, samples: int = 240) -> tuple[np.ndarray, np.ndarray]:
        """The file's trajectory as (3, samples) barycentric points and their times."""
        times = np.linspace(self.depart_tdb, self.arrive_tdb, samples)
        return self.trajectory.state(times)[0], times
