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
from spaceviz.core.mission.economics import Economics
from spaceviz.core.mission.events import MissionEvent
from spaceviz.core.mission.operations.report import report as operations_report
from spaceviz.core.mission.operations.report import surplus_oxygen_kg
from spaceviz.core.mission.operations.simulation import (
    CargoLeg,
    OperationsSim,
    PropellantDraw,
    simulate,
)
from spaceviz.core.mission.trajectories import (
    FlightPlan,
    LowThrustLeg,
    OemArc,
    Transfer,
    compare_engines,
)
from spaceviz.core.scenario.build import build_world, load_catalogs
from spaceviz.core.scenario.economy import economics_report, operators, scenario_economics
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
        raise InputFileError(sorted(set(problems), key=lambda p: (p.line, p.field, p.message)))


@dataclass
class Session:
    """Scenario + World + operations + events. Build with `Session.load(path)`."""

    scenario: Scenario
    world: World
    operations: OperationsSim | None = None
    events: list[MissionEvent] = field(default_factory=list)
    catalogs_pending: bool = False
    _economics: Economics | None = field(default=None, repr=False)

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
        _raise_if(session.refuelling_problems())
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
            plan = ship.plan
            for leg, cargo_kg, resource in zip(plan.legs, plan.cargo_kg, plan.cargo_resource,
                                               strict=True):
                origin = self.world.exact(leg.from_name) if not isinstance(leg, OemArc) else None
                if isinstance(origin, Facility) and cargo_kg > 0:
                    legs.append(CargoLeg(ship.name, origin.name, leg.to_name, leg.depart_tdb,
                                         leg.arrive_tdb, cargo_kg, resource))
        return legs

    def propellant_draws(self) -> list[PropellantDraw]:
        """Every refuelling of a ship at a facility, per resource of its propellant."""
        draws = []
        for ship in self.ships:
            plan = ship.plan
            if plan.propulsion is None:
                continue
            split = plan.propulsion.engine.propellant_split()
            for leg, budget in zip(plan.legs, plan.budgets, strict=True):
                if budget.refuel_kg > 0:
                    draws += [PropellantDraw(ship.name, leg.from_name, leg.depart_tdb, resource,
                                             budget.refuel_kg * share)
                              for resource, share in split.items()]
        return draws

    def refuelling_problems(self) -> list[Problem]:
        """A problem (on the ship's `refuel_at` line) for each refuelling the facility's stock
        could not fill."""
        sim = self.operations
        if sim is None or not sim.draws:
            return []
        index = {spec.name.lower(): k for k, spec in enumerate(self.scenario.ship)}
        problems = []
        for draw, short in zip(sim.draws, sim.draw_shortfall_kg, strict=True):
            if short > 1e-6 * max(draw.kg, 1.0):
                loc = ("ship", index[draw.ship.lower()], "refuel_at")
                problems.append(self.scenario.problem(loc, (
                    f"on {format_iso(draw.t_tdb)[:16]}Z '{draw.facility}' holds only "
                    f"{draw.kg - short:,.0f} kg of {draw.resource} of the {draw.kg:,.0f} kg "
                    f"'{draw.ship}' needs to fill its tank; stock it first (more production, "
                    "earlier deliveries) or refuel later")))
        return problems

    @property
    def economics(self) -> Economics:
        """Value, costs, NPV and footprint of the scenario (core.scenario.economy), worked
        out when first asked for and again after the operations change."""
        if self._economics is None:
            self._economics = scenario_economics(self.scenario, self.world, self.operations)
        return self._economics

    def _simulate(self) -> None:
        """(Re)run the operations model and gather the timeline's events."""
        s = self.scenario
        facilities = self.world.of_type(Facility)
        self.operations = None
        self._economics = None
        if facilities:
            sunlight = {site.name: site.sunlight for site in self.world.of_type(Site)}
            lit = {f.name: sunlight[f.host.name] for f in facilities
                   if isinstance(f.host, Site) and f.spec.stops_in_darkness}
            self.operations = simulate([f.spec for f in facilities], s.shipment,
                                       t_start_tdb=s.start, t_end_tdb=s.end,
                                       legs=self.cargo_legs(), draws=self.propellant_draws(),
                                       lit=lit)
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
        problems = self.refuelling_problems()
        if problems:  # put the ship back as it was
            self.world.replace(old)
            self._simulate()
            raise UserError(problems[0].message)
        return ship

    # --- reports -----------------------------------------------------------------------
    def report(self, t_tdb: float) -> dict:
        """The JSON of `spaceviz report`: every facility and ship at a time (kg), each
        transfer's delta-v and propellant, and the supply chain's mass balance."""
        if self.operations is None:
            result = {"jd_tdb": t_tdb, "time_utc": format_iso(t_tdb), "facilities": {},
                      "ships": {}, "resources": {}, "destinations": {}}
        else:
            result = operations_report(self.operations, t_tdb)
        result["transfers"] = self.transfers_report(t_tdb)
        result["supply_chain"] = self.supply_chain(t_tdb)
        result["economics"] = economics_report(self.economics, t_tdb, operators(self.scenario))
        for name, entry in result["facilities"].items():
            who, flag = operators(self.scenario).get(name, ((), ()))
            entry["operator"], entry["country"] = list(who), list(flag)
        return result

    def supply_chain(self, t_tdb: float) -> dict:
        """Where every kg mined is at a time (kg): stored, in transit, delivered out of the
        model, loaded into ships as propellant (still aboard, or burnt to exhaust);
        `balance_kg` = mined - all of them (zero to rounding). Processing (electrolysis)
        turns water into oxygen and hydrogen of the same mass (`processed_kg`);
        `surplus_oxygen_kg` is the stored oxygen beyond what the stored hydrogen burns at
        the LOX/LH2 mixture ratio. `resources` holds each resource's ledger."""
        sim = self.operations
        if sim is None:
            return {}
        ledger = sim.ledger(t_tdb)
        totals = {key: sum(entry[key] for entry in ledger.values())
                  for key in ("mined_kg", "stored_kg", "in_transit_kg", "delivered_kg",
                              "propellant_kg")}
        aboard = exhausted = 0.0
        for ship in self.ships:
            a, e = ship.plan.supply_chain_propellant_at(t_tdb)
            aboard += a
            exhausted += e
        state = sim.state_at(t_tdb)
        surplus = sum(surplus_oxygen_kg(state.facility(f.name).stock_kg)
                      for f in sim.facilities if getattr(f, "process", None) == "electrolysis")
        processed = sum(entry["processed_kg"] for entry in ledger.values())
        return {
            "mined_kg": round(totals["mined_kg"], 3),
            "stored_kg": round(totals["stored_kg"], 3),
            "in_transit_kg": round(totals["in_transit_kg"], 3),
            "delivered_kg": round(totals["delivered_kg"], 3),
            "propellant_loaded_kg": round(totals["propellant_kg"], 3),
            "propellant_aboard_kg": round(aboard, 3),
            "exhaust_kg": round(exhausted, 3),
            "processed_kg": round(processed, 3),
            "surplus_oxygen_kg": round(surplus, 3),
            "balance_kg": round(totals["mined_kg"] - totals["stored_kg"]
                                - totals["in_transit_kg"] - totals["delivered_kg"]
                                - aboard - exhausted, 6),
            "resources": {k: {key: round(v, 3) for key, v in entry.items()}
                          for k, entry in ledger.items()},
        }

    def transfers_report(self, t_tdb: float) -> dict:
        """Every ship flying transfers (impulsive or electric): route, dates, delta-v (km/s),
        C3 (km^2/s^2; impulsive legs), the propellant and masses (kg; ships with an engine),
        what the other kind of engine would cost, status and cargo, overall and per leg."""
        out = {}
        for ship in self.ships:
            plan = ship.plan
            if any(isinstance(leg, OemArc) for leg in plan.legs):
                continue
            legs = plan.legs
            status = ("scheduled" if t_tdb < plan.start_tdb else
                      "arrived" if t_tdb >= plan.end_tdb else "in flight")
            first, last = legs[0], legs[-1]
            budgets = plan.budgets
            out[ship.name] = {
                "from": first.from_name, "to": last.to_name, "central_body": first.central,
                "depart_utc": format_iso(plan.start_tdb), "arrive_utc": format_iso(plan.end_tdb),
                "departure_dv_km_s": _impulsive(first, "departure_dv_km_s"),
                "arrival_dv_km_s": _impulsive(last, "arrival_dv_km_s"),
                "c3_km2_s2": _impulsive(first, "c3_km2_s2"),
                "dv_km_s": round(sum(_leg_dv(leg) for leg in legs), 6),
                "duration_days": round(plan.end_tdb - plan.start_tdb, 6),
                "status": status, "cargo_kg": float(plan.cargo_at(t_tdb)),
                "engine": plan.propulsion.engine.describe() if plan.propulsion else None,
                "dry_mass_kg": plan.propulsion.dry_mass_kg if plan.propulsion else None,
                "propellant_kg": (round(sum(b.propellant_kg for b in budgets), 3)
                                  if budgets else None),
                "mass_start_kg": round(budgets[0].mass_start_kg, 3) if budgets else None,
                "mass_end_kg": round(budgets[-1].mass_end_kg, 3) if budgets else None,
                "mass_kg": _round_or_none(plan.mass_at(t_tdb)),
                "propellant_aboard_kg": _round_or_none(plan.propellant_at(t_tdb)),
                "thrusting": bool(plan.thrusting_at(t_tdb)),
                "legs": [self._leg_report(plan, i) for i in range(len(legs))]}
        return out

    def _leg_report(self, plan: FlightPlan, i: int) -> dict:
        leg, cargo_kg = plan.legs[i], plan.cargo_kg[i]
        budget = plan.budgets[i] if plan.budgets else None
        out = {"from": leg.from_name, "to": leg.to_name, "central_body": leg.central,
               "method": leg.method,
               "depart_utc": format_iso(leg.depart_tdb), "arrive_utc": format_iso(leg.arrive_tdb),
               "departure_dv_km_s": _impulsive(leg, "departure_dv_km_s"),
               "arrival_dv_km_s": _impulsive(leg, "arrival_dv_km_s"),
               "c3_km2_s2": _impulsive(leg, "c3_km2_s2"), "dv_km_s": round(_leg_dv(leg), 6),
               "duration_days": round(leg.tof_days, 6),
               "revolutions": leg.revolutions if isinstance(leg, Transfer) else None,
               "branch": (leg.branch or None) if isinstance(leg, Transfer) else None,
               "cargo_kg": cargo_kg, "cargo_resource": plan.cargo_resource[i],
               "propellant_kg": round(budget.propellant_kg, 3) if budget else None,
               "mass_start_kg": round(budget.mass_start_kg, 3) if budget else None,
               "mass_end_kg": round(budget.mass_end_kg, 3) if budget else None,
               "refuel_kg": round(budget.refuel_kg, 3) if budget else None,
               "propellant_left_kg": round(budget.propellant_left_kg, 3) if budget else None,
               "other_engine": compare_engines(plan, i, self.world.ephemeris)}
        if isinstance(leg, LowThrustLeg):
            out["thrust_days"] = round(leg.thrust_days(), 6)
            out["arcs"] = [{"method": arc.method, "central_body": arc.central,
                            "depart_utc": format_iso(arc.depart_tdb),
                            "arrive_utc": format_iso(arc.arrive_tdb),
                            "dv_km_s": round(arc.dv_km_s, 6),
                            "propellant_kg": round(arc.propellant_kg, 3)} for arc in leg.arcs]
        return out


def _impulsive(leg, key: str) -> float | None:
    """An impulsive leg's burn or C3, rounded; None for an electric leg."""
    return round(float(getattr(leg, key)), 6) if isinstance(leg, Transfer) else None


def _leg_dv(leg) -> float:
    return leg.total_dv_km_s if isinstance(leg, Transfer) else leg.dv_km_s


def _round_or_none(value) -> float | None:
    value = float(value)
    return round(value, 3) if np.isfinite(value) else None


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
