"""A loaded scenario: its World, the simulated operations and the timeline's events.

What the app, the command line and export share. `Session.load(path)` reads, validates and
builds everything, and raises InputFileError listing every problem with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spaceviz.core.astro.time import format_iso
from spaceviz.core.errors import InputFileError, Problem, UserError
from spaceviz.core.mission.events import MissionEvent
from spaceviz.core.mission.operations.report import report as operations_report
from spaceviz.core.mission.operations.simulation import CargoLeg, OperationsSim, simulate
from spaceviz.core.mission.trajectories import OemArc, Transfer
from spaceviz.core.scenario.build import build_world, load_catalogs
from spaceviz.core.scenario.loader import (
    ReadResult,
    default_scenario_path,
    read_scenario_file,
)
from spaceviz.core.scenario.schema import Scenario
from spaceviz.core.scenario.world import Facility, Ship, Site, World

TIMELINE_OPERATIONS_KINDS = ("plant start",)
"""Operations events shown on the timeline (shipments run every few weeks: too many to mark)."""


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputFileError(sorted(set(problems), key=lambda p: (p.line, p.field)))


@dataclass
class Session:
    """Scenario + World + operations + events. Build with `Session.load(path)`."""

    scenario: Scenario
    world: World
    operations: OperationsSim | None = None
    events: list[MissionEvent] = field(default_factory=list)
    catalogs_pending: bool = False

    # --- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, defer_catalogs: bool = False) -> Session:
        """Read, validate and build a scenario file (the shipped default when None). With
        `defer_catalogs` the [[catalog]] tables are left for `load_catalogs` (a worker thread)
        and `add_catalogs`, unless a name of the scenario may need one."""
        return cls.from_read(read_scenario_file(path or default_scenario_path()),
                             defer_catalogs)

    @classmethod
    def from_read(cls, result: ReadResult, defer_catalogs: bool = False) -> Session:
        """Build what a read scenario describes (`read_scenario(text, source, folder)` for
        text); raises InputFileError with the reading's and the building's problems."""
        problems = list(result.problems)
        if result.scenario is None:
            _raise_if(problems)
        world, more, deferred = build_world(result.scenario, invalid_names=result.invalid_names,
                                            defer_catalogs=defer_catalogs)
        _raise_if(problems + more)
        session = cls(result.scenario, world, catalogs_pending=deferred)
        session._simulate()
        return session

    def load_catalogs(self) -> tuple[list, list[Problem]]:
        """Load the deferred catalogues (pure: safe in a worker thread); see `add_catalogs`."""
        return load_catalogs(self.scenario)

    def add_catalogs(self, catalogs: list) -> None:
        """Put loaded catalogues into the world (on the thread that owns the session)."""
        for catalog in catalogs:
            self.world.add_catalog(catalog)
        self.catalogs_pending = False

    # --- the mission ---------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.scenario.title

    @property
    def ships(self) -> list[Ship]:
        return self.world.of_type(Ship)

    def ship(self, name: str) -> Ship:
        obj = self.world.resolve(name)
        if not isinstance(obj, Ship):
            ships = ", ".join(s.name for s in self.ships) or "none in this scenario"
            raise UserError(f"'{obj.name}' is not a ship; ships: {ships}")
        return obj

    def cargo_legs(self) -> list[CargoLeg]:
        """Every ship leg that leaves a facility with cargo, for the operations model."""
        legs = []
        for ship in self.ships:
            for leg, cargo_kg in zip(ship.plan.legs, ship.plan.cargo_kg, strict=True):
                origin = self.world.exact(leg.from_name) if isinstance(leg, Transfer) else None
                if isinstance(origin, Facility) and cargo_kg > 0:
                    legs.append(CargoLeg(ship.name, origin.name, leg.to_name, leg.depart_tdb,
                                         leg.arrive_tdb, cargo_kg))
        return legs

    def _simulate(self) -> None:
        """(Re)run the operations model and gather the timeline's events."""
        s = self.scenario
        facilities = self.world.of_type(Facility)
        self.operations = None
        if facilities:
            sunlight = {site.name: site.sunlight for site in self.world.of_type(Site)}
            lit = {f.name: sunlight[f.host.name] for f in facilities
                   if isinstance(f.host, Site) and f.spec.stops_in_darkness}
            self.operations = simulate([f.spec for f in facilities], s.shipment,
                                       t_start_tdb=s.start, t_end_tdb=s.end,
                                       legs=self.cargo_legs(), lit=lit)
        events = [MissionEvent(e.time, e.name, "milestone", e.target, e.description)
                  for e in s.event]
        for ship in self.ships:
            events.extend(ship.plan.events())
        if self.operations is not None:
            events.extend(e for e in self.operations.events
                          if e.kind in TIMELINE_OPERATIONS_KINDS and s.start <= e.t_tdb <= s.end)
        self.events = sorted(events)

    def replan_ship(self, name: str, depart_tdb: float, arrive_tdb: float, leg: int = 0) -> Ship:
        """Fly leg `leg` of a ship on new dates: its arc, the events and the operations model
        (when it carries cargo from a facility) follow. Returns the new Ship record."""
        old = self.ship(name)
        plan = old.plan.replanned(leg, depart_tdb, arrive_tdb, self.world.ephemeris)
        ship = Ship(old.name, aliases=old.aliases, summary=old.summary, plan=plan,
                    ephemeris=old.ephemeris)
        self.world.replace(ship)
        self._simulate()
        return ship

    # --- reports -----------------------------------------------------------------------
    def report(self, t_tdb: float) -> dict:
        """The JSON of `spaceviz report`: every facility and ship at a time (kg), and each
        transfer's delta-v."""
        if self.operations is None:
            result = {"jd_tdb": t_tdb, "time_utc": format_iso(t_tdb), "facilities": {},
                      "ships": {}, "resources": {}, "destinations": {}}
        else:
            result = operations_report(self.operations, t_tdb)
        result["transfers"] = self.transfers_report(t_tdb)
        return result

    def transfers_report(self, t_tdb: float) -> dict:
        """Every ship flying transfers: route, dates, delta-v (km/s), C3 (km^2/s^2), the arc's
        revolutions, status and cargo, overall and per leg."""
        out = {}
        for ship in self.ships:
            plan = ship.plan
            legs = [leg for leg in plan.legs if isinstance(leg, Transfer)]
            if not legs or any(isinstance(leg, OemArc) for leg in plan.legs):
                continue
            status = ("scheduled" if t_tdb < plan.start_tdb else
                      "arrived" if t_tdb >= plan.end_tdb else "in flight")
            out[ship.name] = {
                "from": legs[0].from_name, "to": legs[-1].to_name,
                "central_body": legs[0].central,
                "depart_utc": format_iso(plan.start_tdb), "arrive_utc": format_iso(plan.end_tdb),
                "departure_dv_km_s": round(legs[0].departure_dv_km_s, 6),
                "arrival_dv_km_s": round(legs[-1].arrival_dv_km_s, 6),
                "c3_km2_s2": round(legs[0].c3_km2_s2, 6),
                "dv_km_s": round(sum(leg.total_dv_km_s for leg in legs), 6),
                "duration_days": round(plan.end_tdb - plan.start_tdb, 6),
                "status": status, "cargo_kg": float(plan.cargo_at(t_tdb)),
                "legs": [_leg_report(leg, cargo) for leg, cargo in zip(legs, plan.cargo_kg,
                                                                      strict=True)]}
        return out


def _leg_report(leg: Transfer, cargo_kg: float) -> dict:
    return {"from": leg.from_name, "to": leg.to_name, "central_body": leg.central,
            "depart_utc": format_iso(leg.depart_tdb), "arrive_utc": format_iso(leg.arrive_tdb),
            "departure_dv_km_s": round(leg.departure_dv_km_s, 6),
            "arrival_dv_km_s": round(leg.arrival_dv_km_s, 6),
            "c3_km2_s2": round(leg.c3_km2_s2, 6), "dv_km_s": round(leg.total_dv_km_s, 6),
            "duration_days": round(leg.tof_days, 6), "revolutions": leg.revolutions,
            "branch": leg.branch or None, "cargo_kg": cargo_kg}


@dataclass(frozen=True)
class CargoInFlight:
    """Shipments under way at one time: the shipping route's name, where the cargo is
    (barycentric ICRF AU, (3, N)), where it left from and where it goes (3, N), kg aboard."""

    ships: list[str]
    position_au: np.ndarray
    route_start_au: np.ndarray
    route_end_au: np.ndarray
    cargo_kg: np.ndarray


def cargo_in_flight(session: Session, t_tdb: float) -> CargoInFlight:
    """Cargo of `[[shipment]]` routes in flight at t: on the straight line from where it left
    (the plant at departure; a lunar plant's departure point is carried along with the
    Earth-Moon system) to its destination now, at the fraction of the transit elapsed.
    (Ships with transfer arcs are drawn on their arcs instead.)"""
    sim = session.operations
    empty = np.zeros((3, 0))
    if sim is None or not sim.legs:
        return CargoInFlight([], empty, empty, empty, np.zeros(0))
    depart = np.array([leg.depart_tdb for leg in sim.legs])
    arrive = np.array([leg.arrive_tdb for leg in sim.legs])
    cargo = np.asarray(sim.leg_cargo_kg, dtype=np.float64)
    moving = np.flatnonzero((depart <= t_tdb) & (t_tdb < arrive) & (cargo > 0))
    if moving.size == 0:
        return CargoInFlight([], empty, empty, empty, np.zeros(0))
    world = session.world
    earth_now = world.position("Earth", t_tdb)
    starts, ends = [], []
    for index in moving:  # only the legs in flight right now (a handful)
        leg = sim.legs[index]
        start = world.position(leg.from_facility, leg.depart_tdb)
        if isinstance(world.resolve(leg.from_facility).host, Site):
            start = start - world.position("Earth", leg.depart_tdb) + earth_now
        starts.append(start)
        ends.append(world.position(leg.to, t_tdb))
    start, end = np.stack(starts, axis=1), np.stack(ends, axis=1)
    u = (t_tdb - depart[moving]) / (arrive[moving] - depart[moving])
    return CargoInFlight([sim.legs[i].ship for i in moving], start + (end - start) * u,
                         start, end, cargo[moving])
