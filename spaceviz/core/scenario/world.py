"""The world: every named object of a scenario and its barycentric ICRF state at any time.

Object kinds (major bodies, asteroids, sites, ships) register themselves as `WorldObject`s;
`World.state(name, t_tdb)` answers `spaceviz where`, the views and the camera alike.
Positions in AU, velocities in AU/day, TDB Julian dates, origin the solar-system barycentre.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from spaceviz.core.astro.bodies import BODIES, MAJOR_BODY_NAMES, canonical_body_name
from spaceviz.core.astro.ephemeris import Ephemeris, default_ephemeris
from spaceviz.core.errors import UnknownNameError

StateFunction = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class WorldObject:
    """A named object with a state function t_tdb -> (pos_au (3,...), vel_au_per_day (3,...))."""

    name: str
    kind: str  # "star", "planet", "moon", "asteroid", "site", "facility", "ship"
    state: StateFunction
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    radius_km: float = 0.0
    color: tuple[float, float, float] = (0.8, 0.8, 0.8)
    info: dict = field(default_factory=dict)


ORIGINS = ("SSB", "Sun", "Earth", "Moon")


class World:
    """All objects of a scenario, found by name (case-insensitive) or alias."""

    def __init__(self, ephemeris: Ephemeris | None = None):
        self.ephemeris = ephemeris or default_ephemeris()
        self._objects: dict[str, WorldObject] = {}
        self._lookup: dict[str, list[str]] = {}
        self._resolvers: list[Callable[[str], WorldObject | None]] = []
        self.belts: list = []  # BeltData populations drawn by the belt layer
        self.catalogs: list = []  # core.catalogs.Catalog behind each belt
        self.ships: dict = {}  # name -> core.ships.Ship
        self.cargo_legs: list = []  # core.operations.CargoLeg flown by ships
        self.extra_events: list = []  # TimelineEvents contributed by builders
        self.asteroid_elements: dict = {}  # name -> core.orbits.OrbitalElements (scenario asteroids)
        for name in MAJOR_BODY_NAMES:
            body = BODIES[name]
            self.add(WorldObject(
                name=name, kind=body.kind, parent=body.parent, radius_km=body.radius_km,
                color=body.color, state=self._body_state_function(name),
                info={"summary": body.summary}))

    def _body_state_function(self, name: str) -> StateFunction:
        return lambda t: self.ephemeris.state(name, t)

    # --- registry ----------------------------------------------------------------------
    def add(self, obj: WorldObject) -> None:
        self._objects[obj.name] = obj
        for key in (obj.name, *obj.aliases):
            names = self._lookup.setdefault(key.strip().lower(), [])
            if obj.name not in names:
                names.append(obj.name)

    def add_resolver(self, resolver: Callable[[str], WorldObject | None]) -> None:
        """A lazy lookup for large catalogues: name -> WorldObject (added on first use) or
        None; it may raise UnknownNameError listing candidates when a name is ambiguous."""
        self._resolvers.append(resolver)

    def __contains__(self, name: str) -> bool:
        try:
            self.get(name)
        except UnknownNameError:
            return False
        return True

    def __iter__(self):
        return iter(self._objects.values())

    def names(self, kind: str | None = None) -> list[str]:
        return [o.name for o in self._objects.values() if kind is None or o.kind == kind]

    def get(self, name: str) -> WorldObject:
        """The object called `name` (or an alias); UnknownNameError lists candidates."""
        key = name.strip().lower()
        found = self._lookup.get(key)
        if found and len(found) == 1:
            return self._objects[found[0]]
        if found:
            raise UnknownNameError(name, candidates=sorted(found))
        canonical = canonical_body_name(name)
        if canonical in self._objects:
            return self._objects[canonical]
        for resolver in self._resolvers:
            obj = resolver(name)
            if obj is not None:
                if obj.name not in self._objects:
                    self.add(obj)
                return self._objects[obj.name]
        partial = sorted({n for k, names in self._lookup.items() if key and key in k for n in names})
        if len(partial) == 1:
            return self._objects[partial[0]]
        if partial:
            raise UnknownNameError(name, candidates=partial[:20])
        raise UnknownNameError(name, known=list(self._objects))

    # --- states ------------------------------------------------------------------------
    def state(self, name: str, t_tdb, origin: str = "SSB") -> tuple[np.ndarray, np.ndarray]:
        """ICRF position (AU) and velocity (AU/day) of `name` relative to `origin`."""
        t = np.asarray(t_tdb, dtype=np.float64)
        self.ephemeris.check_range(t)
        pos, vel = self.get(name).state(t)
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
        if majors:
            major_pos = self.ephemeris.positions(majors, t_tdb)
            lookup = dict(zip(majors, major_pos.T, strict=True))
        else:
            lookup = {}
        for column, name in enumerate(names):
            out[:, column] = lookup[name] if name in lookup else self.position(name, t_tdb)
        return out


def world_from_scenario(scenario, ephemeris: Ephemeris | None = None) -> World:
    """A World with the major bodies plus every object the scenario defines."""
    from spaceviz.core.scenario import build as world_builders

    world = World(ephemeris)
    for builder in world_builders.BUILDERS:
        builder(world, scenario)
    return world
