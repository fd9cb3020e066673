"""The world: every named object of a scenario as a typed record, and its state at any time.

One record type per kind (`Body`, `Asteroid`, `Site`, `Orbit`, `Facility`, `Ship`, `Star`), each with the
facts that kind has (numbers with units, never display strings) and a `state(t_tdb)` giving
barycentric ICRF position (AU) and velocity (AU/day) at TDB Julian date(s): (3,) for a scalar
time, (3, N) for N times. Catalogue asteroids (`Population`s, up to millions) become
`Asteroid` records on demand when a name is looked up, and so do Hipparcos stars (`Star`, found
only by an exact IAU name or 'HIP n', after every other kind). `World.resolve` is the one place
names are resolved, for the scenario's references, `spaceviz where`, the views and the camera.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

import numpy as np

from spaceviz.core.astro import moon
from spaceviz.core.astro.bodies import BODIES, MAJOR_BODY_NAMES, BodyInfo, canonical_body_name
from spaceviz.core.astro.catalogs.catalog import Catalog
from spaceviz.core.astro.catalogs.population import Population
from spaceviz.core.astro.ephemeris import Ephemeris, default_ephemeris
from spaceviz.core.astro.orbits import OrbitalElements, barycentric_states
from spaceviz.core.astro.stars import StarCatalog, bv_to_rgb, default_stars
from spaceviz.core.astro.time import J2000_TDB
from spaceviz.core.constants import AU_KM, KM_PER_S_TO_AU_PER_DAY, SECONDS_PER_DAY
from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.core.mission.targets import Target
from spaceviz.core.mission.trajectories import FlightPlan, Place, orbit_radius_km

ORIGINS = ("SSB", "Sun", "Earth", "Moon")
EARTH_MOON_SYSTEM = ("Earth", "Moon")


@dataclass(frozen=True, eq=False)
class WorldObject:
    """Base of every record: a unique name, extra lookup keys and a plain-language summary."""

    name: str
    aliases: tuple[str, ...] = field(default=(), kw_only=True)
    summary: str = field(default="", kw_only=True)
    ephemeris: Ephemeris = field(repr=False, kw_only=True)

    kind: ClassVar[str] = "object"

    def state(self, t_tdb) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def position(self, t_tdb) -> np.ndarray:
        return self.state(t_tdb)[0]


@dataclass(frozen=True, eq=False)
class Body(WorldObject):
    """The Sun, a planet or the Moon, from the DE421 ephemeris; `info` holds its physical facts."""

    info: BodyInfo = field(kw_only=True)
    kind: ClassVar[str] = "body"

    def state(self, t_tdb):
        return self.ephemeris.state(self.name, t_tdb)

    @property
    def radius_km(self) -> float:
        return self.info.radius_km


@dataclass(frozen=True, eq=False)
class Asteroid(WorldObject):
    """A small body on a heliocentric Kepler orbit: `elements` is a one-row OrbitalElements.

    diameter_km, H (absolute magnitude) and spectral_class may be unknown (None); `target`
    holds the mining-target facts when it is one of the shipped targets; `source` says where
    the orbit came from ('scenario', the targets file, a catalogue) and `synthetic` marks
    made-up objects."""

    elements: OrbitalElements = field(kw_only=True)
    diameter_km: float | None = field(default=None, kw_only=True)
    H: float | None = field(default=None, kw_only=True)
    spectral_class: str | None = field(default=None, kw_only=True)
    color: tuple[float, float, float] = field(default=(0.78, 0.72, 0.62), kw_only=True)
    target: Target | None = field(default=None, kw_only=True)
    source: str = field(default="scenario", kw_only=True)
    synthetic: bool = field(default=False, kw_only=True)
    kind: ClassVar[str] = "asteroid"

    def state(self, t_tdb):
        pos, vel = barycentric_states(self.elements, t_tdb, self.ephemeris)
        if np.ndim(t_tdb) == 0:
            return pos[:, 0], vel[:, 0]
        return pos, vel

    @property
    def radius_km(self) -> float:
        return (self.diameter_km or 0.0) / 2.0


@dataclass(frozen=True, eq=False)
class Site(WorldObject):
    """A place on the Moon by selenographic latitude and east longitude (degrees), elevation
    (m) and the height of its local horizon (degrees; negative on a rim above its
    surroundings, high in a crater)."""

    body: Body = field(kw_only=True)
    lat_deg: float = field(kw_only=True)
    lon_deg: float = field(kw_only=True)
    elevation_m: float = field(default=0.0, kw_only=True)
    horizon_deg: float = field(default=0.0, kw_only=True)
    kind: ClassVar[str] = "site"

    def state(self, t_tdb):
        return moon.site_state(self.lat_deg, self.lon_deg, self.elevation_m, t_tdb,
                               self.ephemeris)

    def sunlit(self, t_tdb) -> np.ndarray:
        """True where any of the Sun's disk is above the local horizon (bool array like t)."""
        return moon.is_lit(self.lat_deg, self.lon_deg, t_tdb, self.horizon_deg,
                           self.elevation_m, self.ephemeris)

    def sunlight(self, t_tdb) -> np.ndarray:
        """The fraction (0..1) of the Sun's disk above the local horizon: what solar arrays
        here receive, relative to the full Sun."""
        return moon.sun_disk_visible(self.lat_deg, self.lon_deg, t_tdb, self.horizon_deg,
                                     self.elevation_m, self.ephemeris)


def body_equator_axes(name: str) -> np.ndarray:
    """Columns: the ascending node of a body's equator on the ICRF equator, the direction 90
    degrees on along the equator, and the body's north pole (unit ICRF vectors, (3, 3)), at
    J2000 (the IAU pole; the Earth's equator taken as the ICRF equator: the equinox, x)."""
    if name == "Earth":
        return np.eye(3)
    from spaceviz.core.astro.rotation import body_to_icrf

    pole = body_to_icrf(name, J2000_TDB)[:, 2]
    node = np.cross([0.0, 0.0, 1.0], pole)
    node /= np.linalg.norm(node)
    return np.stack([node, np.cross(pole, node), pole], axis=1)


@dataclass(frozen=True, eq=False)
class Orbit(WorldObject):
    """A circular orbit about `body`: `altitude_km` above its equatorial radius, inclined
    `inclination_deg` to its equator with the ascending node at `node_deg` (from the equator's
    node on the ICRF equator; degrees), and a reference point at argument of latitude
    `phase_deg` at J2000 TDB moving at the circular rate. `state` is that point's; ships use
    the orbit as a whole (their own phase)."""

    body: Body = field(kw_only=True)
    altitude_km: float = field(kw_only=True)
    inclination_deg: float = field(default=0.0, kw_only=True)
    node_deg: float = field(default=0.0, kw_only=True)
    phase_deg: float = field(default=0.0, kw_only=True)
    kind: ClassVar[str] = "orbit"

    @property
    def orbit_radius_km(self) -> float:
        return self.body.radius_km + self.altitude_km

    @property
    def speed_km_s(self) -> float:
        """Circular speed, km/s."""
        return math.sqrt(self.body.info.gm_km3_per_s2 / self.orbit_radius_km)

    def _axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(node, in-plane 90 degrees on, pole) unit ICRF vectors of the orbit's plane."""
        x, y, z = body_equator_axes(self.body.name).T
        i, node = math.radians(self.inclination_deg), math.radians(self.node_deg)
        n = math.cos(node) * x + math.sin(node) * y
        pole = math.sin(i) * (math.sin(node) * x - math.cos(node) * y) + math.cos(i) * z
        return n, np.cross(pole, n), pole

    @property
    def pole(self) -> np.ndarray:
        """Unit normal of the orbit's plane (ICRF)."""
        return self._axes()[2]

    def state(self, t_tdb):
        t = np.asarray(t_tdb, dtype=np.float64)
        n, q, _ = self._axes()
        rate = self.speed_km_s / self.orbit_radius_km * SECONDS_PER_DAY  # rad/day
        u = math.radians(self.phase_deg) + rate * (t - J2000_TDB)
        radial = np.multiply.outer(n, np.cos(u)) + np.multiply.outer(q, np.sin(u))
        along = np.multiply.outer(q, np.cos(u)) - np.multiply.outer(n, np.sin(u))
        pos, vel = self.body.state(t)
        return (pos + radial * (self.orbit_radius_km / AU_KM),
                vel + along * (self.speed_km_s * KM_PER_S_TO_AU_PER_DAY))


@dataclass(frozen=True, eq=False)
class Facility(WorldObject):
    """A facility at a site, asteroid or orbit (`host`); it shares the host's state. `spec` is
    the scenario's `[[facility]]` table (rates kg/day, masses kg, times TDB)."""

    host: Site | Asteroid | Orbit = field(kw_only=True)
    spec: object = field(repr=False, kw_only=True)
    kind: ClassVar[str] = "facility"

    def state(self, t_tdb):
        return self.host.state(t_tdb)


@dataclass(frozen=True, eq=False)
class Ship(WorldObject):
    """A ship flying `plan` (a FlightPlan of transfer legs or an OEM arc); `cargo` per leg."""

    plan: FlightPlan = field(kw_only=True)
    kind: ClassVar[str] = "ship"

    def state(self, t_tdb):
        return self.plan.state(t_tdb)


@dataclass(frozen=True, eq=False)
class Star(WorldObject):
    """A star of the Hipparcos catalogue (row `index` of `catalog`), moving linearly from its
    catalogue position with its proper motion at its parallax distance (radial velocity
    unknown, taken as 0); `color` (sRGB 0..1) follows its B-V."""

    catalog: StarCatalog = field(repr=False, kw_only=True)
    index: int = field(kw_only=True)
    color: tuple[float, float, float] = field(default=(1.0, 1.0, 1.0), kw_only=True)
    kind: ClassVar[str] = "star"

    def state(self, t_tdb):
        pos = self.catalog.position_au(self.index, t_tdb)
        vel = self.catalog.velocity_au_per_day(self.index)
        return pos, np.broadcast_to(vel.reshape((3,) + (1,) * (pos.ndim - 1)), pos.shape).copy()



Record = TypeVar("Record", bound=WorldObject)


def home_body(obj: WorldObject) -> Body | None:
    """The major body an object sits on or circles (a site's Moon, an orbit's body, a
    facility's host's body)."""
    if isinstance(obj, Facility):
        obj = obj.host
    if isinstance(obj, Site | Orbit):
        return obj.body
    if isinstance(obj, Body):
        return obj
    return None


class World:
    """Every object of a scenario by name (case-insensitive) or alias, plus catalogue
    populations whose members are looked up on demand."""

    def __init__(self, ephemeris: Ephemeris | None = None):
        self.ephemeris = ephemeris or default_ephemeris()
        self._objects: dict[str, WorldObject] = {}
        self._lookup: dict[str, str] = {}
        self.catalogs: list[Catalog] = []
        self._populations: list[Population] = []
        self._stars: dict[int, Star] = {}
        for name in MAJOR_BODY_NAMES:
            info = BODIES[name]
            self.add(Body(name, summary=info.summary, info=info, ephemeris=self.ephemeris))

    # --- registry ----------------------------------------------------------------------
    def add(self, obj: WorldObject) -> None:
        """Register an object; UserError when its name or an alias is already taken."""
        keys = [k.strip().lower() for k in (obj.name, *obj.aliases) if k.strip()]
        taken = self._lookup.get(keys[0])
        if taken is not None:
            raise UserError(f"duplicate name '{obj.name}' (already used by {taken})")
        self._objects[obj.name] = obj
        for key in keys:
            self._lookup.setdefault(key, obj.name)

    def replace(self, obj: WorldObject) -> None:
        """Put a new record in place of the one with the same name (a re-planned ship)."""
        if obj.name not in self._objects:
            raise UnknownNameError(obj.name, known=list(self._objects))
        self._objects[obj.name] = obj

    def add_catalog(self, catalog: Catalog) -> None:
        """A catalogue: drawn as a population, its asteroids found by name on demand."""
        self.catalogs.append(catalog)

    @property
    def populations(self) -> list[Population]:
        """The catalogues as populations to draw, made when first asked for (a command that
        only looks a name up never builds a million-object population)."""
        while len(self._populations) < len(self.catalogs):
            self._populations.append(self.catalogs[len(self._populations)].population())
        return self._populations

    def __contains__(self, name: str) -> bool:
        try:
            self.resolve(name)
        except UserError:
            return False
        return True

    def __iter__(self) -> Iterator[WorldObject]:
        return iter(list(self._objects.values()))

    def of_type(self, cls: type[Record]) -> list[Record]:
        """Every registered object of a record type, in the order they were added."""
        return [o for o in self._objects.values() if isinstance(o, cls)]

    def names(self) -> list[str]:
        return list(self._objects)

    def exact(self, name: str) -> WorldObject | None:
        """The object whose name or alias is exactly `name` (case-insensitive), else None."""
        found = self._lookup.get(" ".join(str(name).split()).lower())
        return self._objects[found] if found is not None else None

    def resolve(self, name: str) -> WorldObject:
        """The object called `name`: its name or an alias (case-insensitive), a major body's
        alternative spelling, a catalogue asteroid (name, number, designation), a Hipparcos
        star (IAU name or 'HIP n', never a prefix), or a unique prefix of a name.
        UnknownNameError lists candidates when several match."""
        key = " ".join(str(name).split()).lower()
        if not key:
            raise UnknownNameError(str(name))
        found = self._lookup.get(key)
        if found is not None:
            return self._objects[found]
        canonical = canonical_body_name(key)
        if canonical in self._objects:
            return self._objects[canonical]
        found_row = self._find_in_catalogs(name, prefix=False)
        if found_row is not None:
            return found_row
        star = self._find_star(name)
        if star is not None:
            return star
        starts = sorted({n for k, n in self._lookup.items() if len(key) >= 2 and k.startswith(key)})
        if len(starts) == 1:
            return self._objects[starts[0]]
        if starts:
            raise UnknownNameError(str(name), candidates=starts[:20])
        found_row = self._find_in_catalogs(name, prefix=True)
        if found_row is not None:
            return found_row
        raise UnknownNameError(str(name), known=list(self._objects))

    def _find_in_catalogs(self, name: str, prefix: bool) -> Asteroid | None:
        for catalog in self.catalogs:
            try:
                row = catalog.find(name, prefix=prefix)
            except UnknownNameError as exc:
                if exc.candidates:
                    raise
                continue
            return self._catalog_asteroid(catalog, row)
        return None

    get = resolve

    def _find_star(self, name: str) -> Star | None:
        """A Hipparcos star by exact IAU name or 'HIP n' (kept, not registered: stars stay out
        of the scenario's objects, views and lists)."""
        stars = default_stars()
        index = stars.find(name)
        if index is None:
            return None
        if index not in self._stars:
            parallax = float(stars.parallax_mas[index])
            distance = f"{1000.0 / parallax:.3g} pc" if parallax > 0 else "distance unknown"
            summary = (f"HIP {int(stars.hip[index])}: V {stars.mag[index]:.2f}, B-V "
                       f"{stars.bv[index]:.2f}, {distance} (Hipparcos, van Leeuwen 2007).")
            color = tuple(float(c) for c in bv_to_rgb(stars.bv[index]))
            self._stars[index] = Star(stars.label(index), summary=summary, catalog=stars,
                                      index=index, color=color, ephemeris=self.ephemeris)
        return self._stars[index]

    def _catalog_asteroid(self, catalog: Catalog, row: int) -> Asteroid:
        label = str(catalog.display_names([row])[0])
        if label in self._objects:
            return self._objects[label]  # type: ignore[return-value]
        record = catalog.records[row]
        h, diameter = float(record["H"]), float(record["diameter_km"])
        obj = Asteroid(label, elements=catalog.elements([row])[0],
                       H=h if np.isfinite(h) else None,
                       diameter_km=diameter if np.isfinite(diameter) else None,
                       source=catalog.summary.source, synthetic=catalog.synthetic,
                       ephemeris=self.ephemeris)
        self._objects[label] = obj
        self._lookup.setdefault(label.lower(), label)
        return obj

    # --- states ------------------------------------------------------------------------
    def state(self, name: str, t_tdb, origin: str = "SSB") -> tuple[np.ndarray, np.ndarray]:
        """ICRF position (AU) and velocity (AU/day) of `name` relative to `origin`."""
        t = np.asarray(t_tdb, dtype=np.float64)
        self.ephemeris.check_range(t)
        pos, vel = self.resolve(name).state(t)
        if origin != "SSB":
            origin_pos, origin_vel = self.origin_state(origin, t)
            pos, vel = pos - origin_pos, vel - origin_vel
        return pos, vel

    def origin_state(self, origin: str, t) -> tuple[np.ndarray, np.ndarray]:
        canonical = canonical_body_name(origin)
        if canonical not in ORIGINS:
            raise UnknownNameError(origin, known=list(ORIGINS))
        if canonical == "SSB":
            zero = np.zeros((3,) + np.shape(t))
            return zero, zero
        return self.ephemeris.state(canonical, t)

    def position(self, name: str, t_tdb) -> np.ndarray:
        return self.state(name, t_tdb)[0]

    def positions(self, names: list[str], t_tdb: float) -> np.ndarray:
        """Barycentric positions (AU) of several objects at one time: (3, len(names))."""
        out = np.empty((3, len(names)))
        majors = [n for n in names if n in MAJOR_BODY_NAMES]
        lookup = dict(zip(majors, self.ephemeris.positions(majors, t_tdb).T, strict=True)) \
            if majors else {}
        for column, name in enumerate(names):
            out[:, column] = lookup[name] if name in lookup else self.position(name, t_tdb)
        return out

    # --- places for the trajectory engine ------------------------------------------------
    def place(self, name: str) -> Place:
        """Where a ship can go: a planet or the Moon (its parking orbit), an `[[orbit]]` or a
        facility in one (that orbit), a lunar site or a facility there (on the surface), an
        asteroid or a facility on it (a rendezvous)."""
        obj = self.resolve(name)
        if isinstance(obj, Ship | Star):
            raise UserError(f"'{obj.name}' is a {obj.kind}; ships fly to bodies, asteroids, "
                            "sites and facilities")
        if isinstance(obj, Body) and obj.info.kind == "star":
            raise UserError("ships do not fly to the Sun; pick a planet, the Moon, a site or "
                            "an asteroid")
        body = home_body(obj)
        if body is None:  # an asteroid or a plant on one
            return Place(obj.name, obj.state, "Sun")
        system = "Earth" if body.name in EARTH_MOON_SYSTEM else "Sun"
        orbit = obj.host if isinstance(obj, Facility) else obj
        if isinstance(orbit, Orbit):
            return Place(obj.name, obj.state, system, body.name, orbit.orbit_radius_km, False,
                         orbit.pole, body.state)
        surface = not isinstance(obj, Body)
        return Place(obj.name, obj.state, system, body.name, orbit_radius_km(body.name), surface)


def describe_state(world: World, name: str, t_tdb: float) -> dict[str, float]:
    """Distances (AU) from the Sun and Earth, heliocentric speed (km/s) and light-time from
    Earth (s) of an object at a time."""
    from spaceviz.core.constants import AU_KM, AU_PER_DAY_TO_KM_PER_S, SPEED_OF_LIGHT_KM_PER_S

    pos, vel = world.state(name, t_tdb)
    sun, sun_vel = world.state("Sun", t_tdb)
    from_earth_au = float(np.linalg.norm(pos - world.position("Earth", t_tdb)))
    return {"distance_sun_au": float(np.linalg.norm(pos - sun)),
            "distance_earth_au": from_earth_au,
            "speed_km_s": float(np.linalg.norm(vel - sun_vel)) * AU_PER_DAY_TO_KM_PER_S,
            "light_time_s": from_earth_au * AU_KM / SPEED_OF_LIGHT_KM_PER_S}

