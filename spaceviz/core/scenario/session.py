"""A loaded scenario with its world and timeline events: what the app, CLI and export share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spaceviz.core.constants import AU_KM, AU_PER_DAY_TO_KM_PER_S, SPEED_OF_LIGHT_KM_PER_S
from spaceviz.core.scenario.loader import default_scenario_path, load_scenario
from spaceviz.core.scenario.schema import Scenario
from spaceviz.core.scenario.world import World, world_from_scenario
from spaceviz.core.state.timeline import Timeline, TimelineEvent

TIMELINE_EVENT_KINDS = ("plant start",)
"""Operations events shown on the timeline (shipments run every few weeks: too many to mark)."""


@dataclass
class Session:
    """Scenario + World + events. Build with `Session.load(path)`."""

    scenario: Scenario
    world: World
    events: list[TimelineEvent] = field(default_factory=list)
    operations: object | None = None  # core.operations.OperationsSim when there are facilities

    @classmethod
    def load(cls, path: str | Path | None = None) -> Session:
        scenario = load_scenario(path or default_scenario_path())
        return cls.from_scenario(scenario)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Session:
        world = world_from_scenario(scenario)
        events = [TimelineEvent(e.time, e.name, "milestone", e.target, e.description)
                  for e in scenario.event]
        events.extend(getattr(world, "extra_events", []))
        operations = simulate_operations(scenario, world)
        if operations is not None:
            events.extend(TimelineEvent(e.t_tdb, e.name, e.kind, None, e.detail)
                          for e in operations.events
                          if e.kind in TIMELINE_EVENT_KINDS
                          and scenario.start <= e.t_tdb <= scenario.end)
        return cls(scenario, world, sorted(events), operations)

    def replan_ship(self, name: str, depart_tdb: float, arrive_tdb: float):
        """New dates for a ship: its arc, its events and (when it carries cargo from a
        facility) the operations model follow. Returns the new TransferLeg."""
        from spaceviz.core.mission.ships import replan

        ship = self.world.ships[name]
        old = (ship.leg.depart_tdb, ship.leg.arrive_tdb)
        leg = replan(self.world, ship, depart_tdb, arrive_tdb)
        for index, event in enumerate(self.events):
            if event.target == name and event.kind in ("departure", "arrival"):
                t = leg.depart_tdb if event.kind == "departure" else leg.arrive_tdb
                self.events[index] = TimelineEvent(t, event.name, event.kind, event.target,
                                                   event.description)
        self.events.sort()
        for index, cargo in enumerate(self.world.cargo_legs):
            if cargo.ship == name and (cargo.depart_tdb, cargo.arrive_tdb) == old:
                self.world.cargo_legs[index] = cargo._replace(depart_tdb=leg.depart_tdb,
                                                              arrive_tdb=leg.arrive_tdb)
                self.operations = simulate_operations(self.scenario, self.world)
        return leg

    def report(self, t_tdb: float) -> dict:
        """The JSON of `spaceviz report`: every facility and ship at a time (kg)."""
        from spaceviz.core.mission.operations.report import report

        if self.operations is None:
            result = {"jd_tdb": t_tdb, "facilities": {}, "ships": {}, "resources": {},
                      "destinations": {}}
        else:
            result = report(self.operations, t_tdb)
        result["transfers"] = self.transfers_report(t_tdb)
        return result

    def transfers_report(self, t_tdb: float) -> dict:
        """Every Lambert ship: route, dates, delta-v (km/s), C3 (km^2/s^2), status, cargo."""
        from spaceviz.core.astro.time import format_iso

        out = {}
        for name, ship in self.world.ships.items():
            legs = getattr(ship, "legs", None)
            if not legs:
                continue  # an OEM ship: no Lambert legs
            status = ("scheduled" if t_tdb < ship.depart_tdb else
                      "arrived" if t_tdb >= ship.arrive_tdb else "in flight")
            first = legs[0]
            cargo = sum(c for leg, c in zip(legs, ship.cargo_kg, strict=True)
                        if leg.depart_tdb <= t_tdb < leg.arrive_tdb)
            out[name] = {"from": first.origin, "to": legs[-1].target, "central_body": first.central,
                         "depart_utc": format_iso(ship.depart_tdb),
                         "arrive_utc": format_iso(ship.arrive_tdb),
                         "departure_dv_km_s": round(first.departure_dv_km_s, 6),
                         "arrival_dv_km_s": round(legs[-1].arrival_dv_km_s, 6),
                         "c3_km2_s2": round(first.c3_km2_s2, 6), "status": status,
                         "cargo_kg": cargo,
                         "legs": [{"from": leg.origin, "to": leg.target,
                                   "central_body": leg.central,
                                   "depart_utc": format_iso(leg.depart_tdb),
                                   "arrive_utc": format_iso(leg.arrive_tdb),
                                   "departure_dv_km_s": round(leg.departure_dv_km_s, 6),
                                   "arrival_dv_km_s": round(leg.arrival_dv_km_s, 6),
                                   "c3_km2_s2": round(leg.c3_km2_s2, 6), "cargo_kg": c}
                                  for leg, c in zip(legs, ship.cargo_kg, strict=True)]}
        return out

    def tour(self, name: str | None = None):
        """The scenario's tour called `name` (the first one when None) as a core Tour."""
        from spaceviz.core.errors import UserError
        from spaceviz.core.state.tour import Tour, TourStop

        tours = self.scenario.tour
        if not tours:
            raise UserError(f"{self.scenario.source_path or 'the scenario'} has no tours")
        if name is None:
            spec = tours[0]
        else:
            matches = [t for t in tours if t.name.lower() == name.strip().lower()]
            if not matches:
                raise UserError(f"no tour named '{name}'; this scenario has: "
                                + ", ".join(t.name for t in tours))
            spec = matches[0]
        from spaceviz.core.state.viewpoints import viewing_angles

        stops = []
        for stop in spec.stop:
            name = self.world.get(stop.target).name
            azimuth, elevation = stop.azimuth, stop.elevation
            if azimuth is None or elevation is None:
                default_azimuth, default_elevation = viewing_angles(self.world, name, stop.time)
                azimuth = default_azimuth if azimuth is None else azimuth
                if elevation is None:
                    elevation = 30.0 if default_elevation is None else default_elevation
            stops.append(TourStop(name, stop.time, stop.until, stop.distance_au, azimuth,
                                  elevation, " ".join(stop.caption.split()), stop.title,
                                  stop.duration_s, stop.transition_s))
        return Tour(spec.name, stops, spec.title)

    def make_timeline(self) -> Timeline:
        return Timeline(self.scenario.start, self.scenario.end, self.scenario.view.rate, self.events)

    @property
    def title(self) -> str:
        return self.scenario.title


def describe_state(world: World, name: str, t_tdb: float) -> dict:
    """Distances (AU, km), heliocentric speed (km/s) and light-time from Earth (s) of an object at a time."""
    pos, vel = world.state(name, t_tdb)
    sun, sun_vel = world.state("Sun", t_tdb)
    earth = world.position("Earth", t_tdb)
    from_earth_au = float(np.linalg.norm(pos - earth))
    return {
        "distance_sun_au": float(np.linalg.norm(pos - sun)),
        "distance_earth_au": from_earth_au,
        "distance_earth_km": from_earth_au * AU_KM,
        "speed_km_s": float(np.linalg.norm(vel - sun_vel)) * AU_PER_DAY_TO_KM_PER_S,
        "light_time_s": from_earth_au * AU_KM / SPEED_OF_LIGHT_KM_PER_S,
    }


def simulate_operations(scenario: Scenario, world: World):
    """Run the operations model over the scenario span (None without facilities)."""
    from spaceviz.core.mission.operations.simulation import lunar_lit_sources, simulate

    if not scenario.facility:
        return None
    legs = list(getattr(world, "cargo_legs", []))
    return simulate(scenario.facility, scenario.shipment, t_start_tdb=scenario.start,
                    t_end_tdb=scenario.end, legs=legs,
                    lit=lunar_lit_sources(scenario.facility, scenario.site))
