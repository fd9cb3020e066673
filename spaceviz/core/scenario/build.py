"""Building the World from a Scenario: every table becomes a typed record, every reference is
resolved once, through `World.resolve`, and every problem is reported with its line.

Order matters: asteroids, targets and catalogues first, then sites, orbits, facilities (at
sites, asteroids or orbits) and ships (between any of them, each leg planned with the mass it
carries), then the tables that only refer to objects (shipments, events, tours, the view).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from spaceviz.core.astro.bodies import MAJOR_BODY_NAMES
from spaceviz.core.astro.catalogs.cache import cached_catalog, file_key, synthetic_key
from spaceviz.core.astro.catalogs.catalog import Catalog
from spaceviz.core.astro.catalogs.load import load_catalog
from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
from spaceviz.core.astro.ephemeris import Ephemeris
from spaceviz.core.astro.orbits import OrbitalElements
from spaceviz.core.errors import InputFileError, Problem, UnknownNameError, UserError
from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.mission.propulsion import make_engine
from spaceviz.core.mission.targets import mining_targets
from spaceviz.core.mission.trajectories import (
    FlightPlan,
    OemArc,
    PropellantError,
    Propulsion,
    Tanks,
    plan_leg,
)
from spaceviz.core.scenario.schema import ENGINE_KEYS, Scenario
from spaceviz.core.scenario.world import (
    Asteroid,
    Body,
    Facility,
    Orbit,
    Ship,
    Site,
    Star,
    World,
    WorldObject,
)

log = logging.getLogger(__name__)

TARGET_COLORS = {"M": (0.80, 0.80, 0.88), "X": (0.74, 0.74, 0.80), "C": (0.45, 0.47, 0.55),
                 "B": (0.42, 0.48, 0.62), "S": (0.80, 0.62, 0.45), "V": (0.85, 0.55, 0.60),
                 "Q": (0.78, 0.62, 0.50)}
NAMED_TABLES = ("asteroid", "site", "orbit", "facility", "ship", "shipment")
"""Tables whose `name` must be unique across the scenario (and differ from the planets')."""


class WorldBuilder:
    """Builds a World from a scenario and collects the problems (see `build_world`)."""

    def __init__(self, scenario: Scenario, ephemeris: Ephemeris | None = None,
                 invalid_names: Iterable[str] = (), defer_catalogs: bool = False):
        self.scenario = scenario
        self.world = World(ephemeris)
        self.problems: list[Problem] = []
        self.invalid_names = {n.strip().lower() for n in invalid_names}
        self.skip: set[tuple[str, int]] = set()
        self.defer_catalogs = defer_catalogs and bool(scenario.catalog)
        self.needs_catalogs = False  # deferring changed how a name resolved

    # --- helpers -------------------------------------------------------------------------
    def problem(self, loc: tuple, message: str) -> None:
        self.problems.append(self.scenario.problem(loc, message))

    def resolve(self, name: str, loc: tuple, what: str) -> WorldObject | None:
        """The object a table refers to, or None with a problem (none when the name belongs to
        a table that is itself invalid: that table already has its problem). A scenario's
        tables refer to its own objects, never to a catalogue star."""
        if self.defer_catalogs and self.world.exact(name) is None:
            self.needs_catalogs = True  # a catalogue might be what this name means
        try:
            obj = self.world.resolve(name)
        except UnknownNameError as exc:
            if name.strip().lower() in self.invalid_names:
                return None
            if exc.candidates:
                self.problem(loc, f"'{name}' is ambiguous; it matches: "
                                  + ", ".join(exc.candidates))
            else:
                self.problem(loc, f"'{name}' is not {what} of this scenario")
            return None
        if isinstance(obj, Star):
            self.problem(loc, f"'{name}' is a star (Hipparcos catalogue), not {what} of this "
                              "scenario")
            return None
        return obj

    def add(self, obj: WorldObject, loc: tuple) -> bool:
        try:
            self.world.add(obj)
        except UserError as exc:
            self.problem(loc + ("name",), str(exc))
            return False
        return True

    # --- the build -----------------------------------------------------------------------
    def build(self) -> World:
        s = self.scenario
        if not s.end > s.start:
            self.problem(("end",), "'end' must be after 'start'")
        self._check_names()
        self._asteroids()
        self._targets()
        self._catalogs()
        self._sites()
        self._orbits()
        self._facilities()
        self._ships()
        self._shipments()
        self._prices()
        for index, event in enumerate(s.event):
            if event.target is not None:
                self.resolve(event.target, ("event", index, "target"),
                             "a body, asteroid, site, facility or ship")
        self._tours()
        self.resolve(s.view.target, ("view", "target"),
                     "a body, asteroid, site, facility or ship")
        return self.world

    def _check_names(self) -> None:
        """Unique names across the named tables (invalid tables included), in the order they
        are written; the later one of two is refused (and not built)."""
        s = self.scenario
        entries = []
        for section in NAMED_TABLES:
            for raw_index, index, item in s.raw_tables(section):
                name = item.get("name")
                if isinstance(name, str) and name.strip():
                    entries.append((s.line_of_raw((section, raw_index)), section, raw_index,
                                    index, name))
        seen: dict[str, int] = {b.lower(): 0 for b in MAJOR_BODY_NAMES}
        for line, section, raw_index, index, name in sorted(entries):
            key = name.strip().lower()
            if key in seen:
                where = "a major body" if seen[key] == 0 else f"line {seen[key]}"
                self.problems.append(s.problem((section, raw_index, "name"),
                                               f"duplicate name '{name}' (already used by {where})",
                                               raw=True))
                if index is not None:
                    self.skip.add((section, index))
            else:
                seen[key] = line

    def _asteroids(self) -> None:
        for index, spec in enumerate(self.scenario.asteroid):
            if ("asteroid", index) in self.skip:
                continue
            elements = OrbitalElements.from_degrees(spec.a, spec.e, spec.i, spec.node, spec.peri,
                                                    spec.M, spec.epoch, plane=spec.plane,
                                                    names=[spec.name])
            aliases = tuple(a for a in (spec.designation, f"({spec.designation}) {spec.name}"
                                        if spec.designation else None) if a)
            self.add(Asteroid(spec.name, aliases=aliases, summary=spec.info or "",
                              elements=elements, diameter_km=spec.diameter_km,
                              spectral_class=spec.spectral_class,
                              color=spec.color or (0.78, 0.72, 0.62),
                              ephemeris=self.world.ephemeris), ("asteroid", index))

    def _targets(self) -> None:
        """The shipped mining targets, unless the scenario defines the asteroid itself."""
        if not self.scenario.mining_targets:
            return
        targets = mining_targets()
        for row, target in enumerate(targets):
            if self.world.exact(target.name) or self.world.exact(target.label):
                continue
            aliases = tuple(a for a in dict.fromkeys(
                (target.label, target.designation, str(target.number) if target.number else ""))
                if a)
            self.world.add(Asteroid(
                target.name, aliases=aliases, summary=target.why, elements=targets.elements[row],
                diameter_km=target.diameter_km, spectral_class=target.spectral_class,
                color=TARGET_COLORS.get(target.spectral_class[:1].upper(), (0.8, 0.75, 0.6)),
                target=target, source=targets.source, ephemeris=self.world.ephemeris))

    def _catalogs(self) -> None:
        if self.defer_catalogs:
            return
        catalogs, problems = load_catalogs(self.scenario)
        self.problems.extend(problems)
        for catalog in catalogs:
            self.world.add_catalog(catalog)

    def _sites(self) -> None:
        moon = self.world.resolve("Moon")
        assert isinstance(moon, Body)
        for index, spec in enumerate(self.scenario.site):
            if ("site", index) in self.skip:
                continue
            self.add(Site(spec.name, summary=spec.info or "", body=moon, lat_deg=spec.lat,
                          lon_deg=spec.lon, elevation_m=spec.elevation_m,
                          horizon_deg=spec.horizon_deg, ephemeris=self.world.ephemeris),
                     ("site", index))

    def _orbits(self) -> None:
        for index, spec in enumerate(self.scenario.orbit):
            if ("orbit", index) in self.skip:
                continue
            body = self.world.resolve(spec.around)
            self.add(Orbit(spec.name, summary=spec.info or "", body=body,
                           altitude_km=spec.altitude_km, inclination_deg=spec.inclination_deg,
                           node_deg=spec.node_deg, phase_deg=spec.phase_deg,
                           ephemeris=self.world.ephemeris), ("orbit", index))

    def _facilities(self) -> None:
        for index, spec in enumerate(self.scenario.facility):
            if ("facility", index) in self.skip:
                continue
            if spec.start is None:
                spec.start = self.scenario.start  # a depot opens with the scenario
            mine = spec.role == "mine"
            what = "a site or asteroid" if mine else "a site, asteroid or orbit"
            host = self.resolve(spec.at, ("facility", index, "at"), what)
            if host is not None and not isinstance(host, Site | Asteroid if mine
                                                   else Site | Asteroid | Orbit):
                self.problem(("facility", index, "at"), f"'{spec.at}' is not {what} of this "
                             "scenario" + (" (a mine stands on ground; a depot may orbit)"
                                           if isinstance(host, Orbit) else ""))
                host = None
            if host is None:
                self.invalid_names.add(spec.name.strip().lower())
                continue
            self.add(Facility(spec.name, summary=spec.info or "", host=host, spec=spec,
                              ephemeris=self.world.ephemeris), ("facility", index))

    def _ships(self) -> None:
        for index, spec in enumerate(self.scenario.ship):
            if ("ship", index) in self.skip:
                continue
            plan = self._oem_plan(index, spec) if spec.oem is not None else self._plan(index, spec)
            if plan is None:
                self.invalid_names.add(spec.name.strip().lower())
            else:
                summary = spec.info or (f"Trajectory from {spec.oem.name}." if spec.oem else
                                        f"Transfer from {plan.legs[0].from_name} to "
                                        f"{plan.legs[-1].to_name}.")
                self.add(Ship(spec.name, summary=summary, plan=plan,
                              ephemeris=self.world.ephemeris), ("ship", index))

    def _oem_plan(self, index: int, spec) -> FlightPlan | None:
        if not spec.oem.is_file():
            return None  # the loader reported the missing file
        try:
            arc = OemArc.from_file(spec.oem, self.world.ephemeris)
        except InputFileError as exc:
            self.problems.extend(exc.problems)
            return None
        return FlightPlan(spec.name, [arc], [spec.cargo_kg])

    def _propulsion(self, index: int, spec) -> tuple[bool, Propulsion | None]:
        """The ship's engine and tanks from its keys: (ok, Propulsion or None without an
        engine); each problem names its key."""
        loc = ("ship", index)
        if spec.engine is None:
            given = [k for k in ENGINE_KEYS if k != "engine" and getattr(spec, k) is not None]
            for key in given:
                self.problem(loc + (key,), "give the ship an 'engine' first (\"chemical\", "
                                           "\"electric\" or a preset such as \"lox-lh2\")")
            return not given, None
        ok = True
        try:
            engine = make_engine(spec.engine, spec.isp_s, spec.thrust_n)
        except ValueError as exc:
            self.problem(loc + ("engine",), str(exc))
            return False, None
        for key in ("dry_mass_kg", "propellant_kg"):
            if getattr(spec, key) is None:
                self.problem(loc + ("engine",), f"a ship with an engine needs '{key}'")
                ok = False
        tank = spec.tank_kg if spec.tank_kg is not None else spec.propellant_kg
        if spec.tank_kg is not None and spec.propellant_kg is not None \
                and spec.tank_kg < spec.propellant_kg:
            self.problem(loc + ("tank_kg",), f"the tank ({spec.tank_kg:g} kg) holds less than "
                                             f"the propellant loaded ({spec.propellant_kg:g} kg)")
            ok = False
        refuel = []
        for name in spec.refuel_names:
            obj = self.resolve(name, loc + ("refuel_at",), "a facility")
            if obj is not None and not isinstance(obj, Facility):
                self.problem(loc + ("refuel_at",), f"'{name}' is not a facility (ships refuel "
                                                   "at depots and plants)")
                ok = False
            elif obj is not None:
                refuel.append(obj.name)
        if refuel and not engine.propellant_split():
            self.problem(loc + ("refuel_at",),
                         f"this engine burns {engine.propellant or 'a propellant'}, which no "
                         "facility makes: only LOX/LH2 engines refuel from the supply chain")
            ok = False
        if refuel and not tank:
            self.problem(loc + ("tank_kg",), "a ship that refuels needs a tank: give tank_kg")
            ok = False
        if spec.launch_c3_km2_s2 is not None and not engine.electric:
            self.problem(loc + ("launch_c3_km2_s2",), "a launcher's C3 starts an electric "
                                                      "ship's cruise; chemical legs burn their "
                                                      "own departure")
            ok = False
        if not ok:
            return False, None
        return True, Propulsion(engine, spec.dry_mass_kg, spec.propellant_kg, tank,
                                tuple(refuel), spec.launch_c3_km2_s2)

    def _plan(self, index: int, spec) -> FlightPlan | None:
        """The ship's legs solved in order, each with the mass it carries; every problem of
        every leg is reported."""
        ok, propulsion = self._propulsion(index, spec)
        origin_obj = self.resolve(spec.from_, ("ship", index, "from"),
                                  "a body, asteroid, site, orbit or facility")
        legs, cargo, resources, previous_arrive = [], [], [], None
        tanks = Tanks(propulsion) if propulsion is not None else None
        place = None
        if origin_obj is not None:
            place = self._place(origin_obj.name, ("ship", index, "from"))
        for k, leg in enumerate(spec.leg_list(index)):
            to_loc = leg.loc + ("to",)
            if leg.arrive is not None and not leg.arrive > leg.depart:
                self.problem(leg.loc + ("arrive",), "'arrive' must be after 'depart'")
                ok = False
            if leg.arrive is None and not spec.electric:
                self.problem(leg.loc, "a leg needs 'arrive' (only electric legs compute it)")
                ok = False
            if previous_arrive is not None and leg.depart < previous_arrive:
                self.problem(leg.loc + ("depart",),
                             "a leg cannot depart before the previous leg arrives")
                ok = False
            target_obj = self.resolve(leg.to, to_loc,
                                      "a body, asteroid, site, orbit or facility")
            target = self._place(target_obj.name, to_loc) if target_obj is not None else None
            if target is not None and place is not None and target.name == place.name:
                self.problem(to_loc, f"this leg goes nowhere: the ship is already at "
                                     f"'{target.name}'")
                ok = False
            self._check_cargo_resource(leg, place)
            if ok and target is not None and place is not None:
                try:
                    mass = (tanks.departure_mass_kg(place.name, leg.cargo_kg)
                            if tanks is not None else None)
                    flown = plan_leg(place, target, leg.depart, leg.arrive, self.world.ephemeris,
                                     engine=propulsion.engine if propulsion else None,
                                     mass_kg=mass, min_mass_kg=(tanks.floor_mass_kg(leg.cargo_kg)
                                                                if tanks is not None else 0.0),
                                     revolutions=leg.revolutions,
                                     branch=leg.branch,
                                     launch_c3_km2_s2=(propulsion.launch_c3_km2_s2
                                                       if propulsion and k == 0 else None))
                    if tanks is not None:
                        tanks.fly(flown, leg.cargo_kg)
                    legs.append(flown)
                    cargo.append(leg.cargo_kg)
                    resources.append(leg.resource.value if leg.resource else None)
                    previous_arrive = flown.arrive_tdb
                except PropellantError as exc:
                    where = leg.loc + (("propellant_kg",) if len(leg.loc) == 2 else ())
                    self.problem(where, str(exc))
                    ok = False
                except UserError as exc:
                    self.problem(to_loc, str(exc))
                    ok = False
            else:
                ok = False
                previous_arrive = leg.arrive
            place = target
        if not ok or not legs:
            return None
        return FlightPlan(spec.name, legs, cargo, propulsion, resources)

    def _check_cargo_resource(self, leg, place) -> None:
        """Cargo from a facility holding several resources must say which."""
        origin = self.world.exact(place.name) if place is not None else None
        if not isinstance(origin, Facility) or leg.cargo_kg <= 0:
            return
        problem = cargo_resource_problem(origin, leg.resource)
        if problem:
            self.problem(leg.loc + ("resource",) if leg.resource else leg.loc, problem)

    def _place(self, name: str, loc: tuple):
        try:
            return self.world.place(name)
        except UserError as exc:
            self.problem(loc, str(exc))
            return None

    def _shipments(self) -> None:
        facilities = {f.name.lower(): f for f in self.world.of_type(Facility)}
        for index, spec in enumerate(self.scenario.shipment):
            origin = facilities.get(spec.from_.strip().lower())
            if origin is None:
                if spec.from_.strip().lower() not in self.invalid_names:
                    self.problem(("shipment", index, "from"),
                                 f"'{spec.from_}' is not a facility of this scenario")
            elif cargo_resource_problem(origin, spec.resource):
                self.problem(("shipment", index, "resource") if spec.resource else
                             ("shipment", index), cargo_resource_problem(origin, spec.resource))
            if spec.to.strip().lower() == spec.from_.strip().lower():
                self.problem(("shipment", index, "to"), "'from' and 'to' are the same")
            else:
                self.resolve(spec.to, ("shipment", index, "to"),
                             "a body, site, asteroid or facility")

    def _prices(self) -> None:
        """One `[[price]]` per resource and market."""
        seen: dict[tuple, int] = {}
        for index, spec in enumerate(self.scenario.price):
            key = (spec.resource, spec.at)
            if key in seen:
                where = f" at {spec.at}" if spec.at else ""
                self.problem(("price", index, "resource"),
                             f"a second price for {spec.resource.value}{where} (the first is "
                             f"on line {self.scenario.line_of_raw(('price', seen[key]))})")
            seen.setdefault(key, self.scenario.key_path(("price", index))[1])

    def _tours(self) -> None:
        names: dict[str, int] = {}
        for index, tour in enumerate(self.scenario.tour):
            if tour.name in names:
                self.problem(("tour", index, "name"), f"duplicate tour name '{tour.name}'")
            names.setdefault(tour.name, index)
            for k, stop in enumerate(tour.stop):
                self.resolve(stop.target, ("tour", index, "stop", k, "target"),
                             "a body, asteroid, site, facility or ship")


def load_catalogs(scenario: Scenario) -> tuple[list[Catalog], list[Problem]]:
    """The scenario's [[catalog]] tables loaded (through the disk cache), in order, and the
    problems of those that could not be. Touches no World: safe in a worker thread."""
    catalogs, problems = [], []
    for index, spec in enumerate(scenario.catalog):
        if spec.path is not None and not spec.path.is_file():
            continue  # the loader reported the missing file
        try:
            if spec.synthetic:
                catalog = cached_catalog(synthetic_key(spec.synthetic, spec.seed),
                                         lambda spec=spec: synthetic_belt(spec.synthetic,
                                                                          spec.seed))
            else:
                catalog = cached_catalog(file_key(spec.path),
                                         lambda spec=spec: load_catalog(spec.path))
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        except UserError as exc:
            problems.append(scenario.problem(("catalog", index), str(exc)))
            continue
        if spec.limit is not None and len(catalog) > spec.limit:
            catalog.records = catalog.records[: spec.limit]
        catalogs.append(catalog)
    return catalogs, problems


def cargo_resource_problem(facility: Facility, resource: Resource | None) -> str | None:
    """Why cargo of `resource` (None: the default) cannot be loaded at a facility, or None: a
    mine ships what it extracts (an electrolysis plant: its oxygen or hydrogen, named); a
    depot ships what it holds (named)."""
    spec = facility.spec
    outputs = spec.outputs()
    if resource is None:
        if len(outputs) == 1:
            return None
        held = " or ".join(r.value for r in outputs) if outputs else "what is delivered to it"
        return f"'{facility.name}' holds {held}: give the cargo's 'resource'"
    if spec.role == "depot" or resource in outputs:
        return None
    return (f"'{facility.name}' extracts {spec.resource.value}, not {resource.value}"
            if len(outputs) == 1 and outputs[0] is spec.resource else
            f"'{facility.name}' makes " + " and ".join(r.value for r in outputs)
            + f", not {resource.value}")


def build_world(scenario: Scenario, ephemeris: Ephemeris | None = None,
                invalid_names: Iterable[str] = (), defer_catalogs: bool = False
                ) -> tuple[World, list[Problem], bool]:
    """The World of a scenario and the problems found while building it (names that do not
    resolve, duplicates, legs out of order, transfers that cannot be flown, bad files).
    With `defer_catalogs`, the [[catalog]] tables are left for later (`load_catalogs`): the
    third value says whether that worked (False: a name may need a catalogue, so the world
    was built with them after all)."""
    builder = WorldBuilder(scenario, ephemeris, invalid_names, defer_catalogs)
    world = builder.build()
    if builder.defer_catalogs and builder.needs_catalogs:
        builder = WorldBuilder(scenario, ephemeris, invalid_names)
        world = builder.build()
    return world, builder.problems, builder.defer_catalogs
