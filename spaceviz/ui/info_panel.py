"""The info panel: facts about the selected object at the current time, formatted here from
the typed world records (core keeps numbers with units, never display text)."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from spaceviz.core.astro import moon
from spaceviz.core.astro.orbits import elements_from_state
from spaceviz.core.astro.time import format_utc
from spaceviz.core.constants import AU_KM, KM_PER_S_TO_AU_PER_DAY
from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.core.mission.economics import format_usd
from spaceviz.core.mission.trajectories import OemArc, Transfer, compare_engines
from spaceviz.core.scenario.economy import asteroid_value, operators
from spaceviz.core.scenario.world import (
    Asteroid,
    Body,
    Facility,
    Ship,
    Site,
    Star,
    describe_state,
)
from spaceviz.core.state.presentation import format_light_time

log = logging.getLogger(__name__)
BODY_KINDS = {"star": "Star", "planet": "Planet", "moon": "Moon"}


def format_distance_au(au: float) -> str:
    """`384,400 km` near, `1.0123 AU (151.4 million km)` far."""
    km = au * 149_597_870.7
    if km < 1e6:
        return f"{km:,.0f} km"
    return f"{au:.4f} AU ({km / 1e6:,.1f} million km)"


def _range(values, unit: str, digits: int = 3) -> str:
    low, high = values
    return f"{low:.{digits}g} to {high:.{digits}g} {unit}" if low != high else f"{low:.{digits}g} {unit}"


def kind_title(obj) -> str:
    if isinstance(obj, Body):
        return BODY_KINDS.get(obj.info.kind, "Body")
    return {Asteroid: "Asteroid", Site: "Lunar site", Facility: "Facility",
            Ship: "Ship", Star: "Star (Hipparcos)"}.get(type(obj), "Object")


LIGHT_YEAR_AU = 63_241.077


def star_facts(star: Star, t_tdb: float) -> list[tuple[str, str]]:
    """What the Hipparcos catalogue says of a star: brightness, colour, distance, direction."""
    catalog, i = star.catalog, star.index
    ra, dec = np.degrees(catalog.ra_rad[i]), np.degrees(catalog.dec_rad[i])
    rows = [("Kind", kind_title(star)), ("Hipparcos number", f"HIP {int(catalog.hip[i])}"),
            ("Brightness", f"magnitude {catalog.mag[i]:.2f} (V)"),
            ("Colour index B-V", f"{catalog.bv[i]:+.2f}"),
            ("Direction (ICRS)", f"RA {ra / 15:.4f} h, Dec {dec:+.4f}°")]
    parallax = float(catalog.parallax_mas[i])
    if parallax > 0:
        distance_au = float(catalog.distance_au(i, t_tdb))
        rows.append(("Distance", f"{distance_au / LIGHT_YEAR_AU:,.1f} light-years "
                                 f"({1000.0 / parallax:,.2f} pc; parallax {parallax:.2f} mas)"))
    else:
        rows.append(("Distance", "unknown (no usable parallax)"))
    return rows


def facts(obj, t_tdb: float) -> list[tuple[str, str]]:
    """(label, text) rows of what is known about a record at a time, beyond its position."""
    rows: list[tuple[str, str]] = []
    if isinstance(obj, Body | Asteroid) and obj.radius_km:
        rows.append(("Radius", f"{obj.radius_km:,.1f} km"))
    if isinstance(obj, Body) and obj.name == "Moon":
        lat, lon = moon.sub_earth_point(t_tdb, obj.ephemeris)
        sun_lat, sun_lon = moon.sub_solar_point(t_tdb, obj.ephemeris)
        rows += [("Libration (sub-Earth point)", f"{float(lat):+.2f}° lat, {float(lon):+.2f}° lon"),
                 ("Sub-solar point", f"{float(sun_lat):+.2f}° lat, {float(sun_lon):+.2f}° lon")]
    if isinstance(obj, Asteroid):
        rows += _asteroid_facts(obj)
    elif isinstance(obj, Site):
        elevation = float(moon.sun_elevation_deg(obj.lat_deg, obj.lon_deg, t_tdb,
                                                 obj.elevation_m, obj.ephemeris))
        lit = "sunlit" if bool(obj.sunlit(t_tdb)) else "in darkness"
        rows += [("Latitude", f"{obj.lat_deg:.3f}°"), ("Longitude", f"{obj.lon_deg:.3f}° east"),
                 ("Local horizon", f"{obj.horizon_deg:+.1f}°"),
                 ("Sun now", f"{elevation:+.2f}° above the level horizon ({lit})")]
    elif isinstance(obj, Facility):
        spec = obj.spec
        rows += [("At", obj.host.name),
                 ("Resource", spec.resource.display_name if spec.resource else "none (a depot)"),
                 ("Power", spec.power), ("Nameplate rate", f"{spec.rate_kg_per_day:,.3g} kg/day"),
                 ("Storage", f"{spec.storage_kg / 1000:,.3g} t"),
                 ("Starts", format_utc(spec.start, seconds=False))]
    elif isinstance(obj, Ship):
        rows += _ship_facts(obj, t_tdb)
    return rows


def _asteroid_facts(obj: Asteroid) -> list[tuple[str, str]]:
    el = obj.elements
    rows = [("Semi-major axis", f"{el.a_au[0]:.4f} AU"), ("Eccentricity", f"{el.e[0]:.4f}"),
            ("Inclination", f"{float(el.to_degrees()['i_deg'][0]):.2f}°")]
    if obj.H is not None:
        rows.append(("Absolute magnitude H", f"{obj.H:.2f}"))
    if obj.spectral_class:
        rows.append(("Spectral class", obj.spectral_class))
    if obj.synthetic:
        rows.append(("Source", f"{obj.source} (synthetic: not a real asteroid)"))
    target = obj.target
    if target is not None:
        c = target.composition
        rows += [("Designation", target.label), ("Water", _range(c.water_wt_pct, "% by mass")),
                 ("Metal (iron-nickel)", _range(c.metal_wt_pct, "% by mass")),
                 ("Platinum-group metals", _range(c.pgm_ppm, "ppm")),
                 ("Estimated resource mass", _range(target.resource_mass_kg, "kg")),
                 ("Delta-v from low Earth orbit",
                  f"{target.delta_v_leo_km_s:.1f} km/s ({target.delta_v_method})"),
                 ("Missions", "; ".join(target.missions) or "none yet"),
                 ("Sources", "; ".join(target.sources)), ("Elements", target.elements_source)]
    return rows


def _mass(kg: float) -> str:
    return f"{kg / 1000:,.1f} t" if abs(kg) >= 1000 else f"{kg:,.0f} kg"


def _route(plan) -> str:
    """A ship's stops; a shuttle's back-and-forth is told once with its count."""
    stops = [plan.legs[0].from_name] + [leg.to_name for leg in plan.legs]
    if len(stops) <= 5:
        return " -> ".join(stops)
    pair = set(stops)
    if len(pair) == 2:
        return f"{stops[0]} <-> {stops[1]}, {len(plan.legs)} legs ({len(plan.legs) // 2} round trips)"
    return " -> ".join(stops[:3]) + f" -> ... -> {stops[-1]} ({len(plan.legs)} legs)"


def _current_leg(plan, t_tdb: float) -> int:
    """The leg under way at t, else the next one, else the last."""
    for i, leg in enumerate(plan.legs):
        if t_tdb < leg.arrive_tdb:
            return i
    return len(plan.legs) - 1


def _leg_rows(plan, index: int) -> list[tuple[str, str]]:
    leg = plan.legs[index]
    prefix = f"Leg {index + 1} of {len(plan.legs)}: " if len(plan.legs) > 1 else ""
    rows = [(f"{prefix}{leg.from_name} to {leg.to_name}",
             f"{format_utc(leg.depart_tdb, False)} to {format_utc(leg.arrive_tdb, False)} "
             f"({leg.tof_days:.1f} days, about the {leg.central})")]
    if isinstance(leg, Transfer):
        arc = (f"; {leg.revolutions} revolution{'s' if leg.revolutions > 1 else ''} "
               f"({leg.branch} branch)" if leg.revolutions else "")
        rows += [("Burns", f"{leg.departure_dv_km_s:.3f} km/s departing (C3 "
                           f"{leg.c3_km2_s2:.2f} km²/s²), {leg.arrival_dv_km_s:.3f} km/s "
                           f"arriving{arc}")]
    else:
        rows += [("Thrusting", f"{leg.method}; {leg.thrust_days():.0f} days of thrust")]
    if plan.budgets:
        budget = plan.budgets[index]
        rows += [("Propellant", f"{_mass(budget.propellant_kg)} for {budget.dv_km_s:.2f} km/s"
                                f"{f', {_mass(budget.refuel_kg)} loaded first' if budget.refuel_kg else ''}"),
                 ("Mass", f"{_mass(budget.mass_start_kg)} at departure, "
                          f"{_mass(budget.mass_end_kg)} at arrival")]
    return rows


def _ship_facts(obj: Ship, t_tdb: float) -> list[tuple[str, str]]:
    plan = obj.plan
    if any(isinstance(leg, OemArc) for leg in plan.legs):
        return [("Trajectory", "from a CCSDS OEM file"),
                ("Flies", f"{format_utc(plan.start_tdb, False)} to {format_utc(plan.end_tdb, False)}")]
    rows = [("Route", _route(plan))]
    if plan.propulsion is not None:
        p = plan.propulsion
        engine = p.engine
        thrust = f", {engine.thrust_n * 1000:.0f} mN" if engine.thrust_n else ""
        rows += [("Engine", f"{engine.name or engine.kind} ({engine.kind}, Isp {engine.isp_s:.0f} s"
                            f"{thrust}); dry {_mass(p.dry_mass_kg)}, tank {_mass(p.tank_kg)}")]
        now_kg = float(plan.mass_at(t_tdb))
        if np.isfinite(now_kg):
            aboard = float(plan.propellant_at(t_tdb))
            thrusting = bool(plan.thrusting_at(t_tdb))
            rows += [("Now", f"{_mass(now_kg)}, {_mass(aboard)} of propellant aboard"
                             + (", thrusting" if thrusting else ""))]
    rows += _leg_rows(plan, _current_leg(plan, t_tdb))
    flying = next((leg for leg in plan.legs if isinstance(leg, Transfer)
                   and leg.depart_tdb < t_tdb < leg.arrive_tdb), None)
    if flying is not None and flying.central == "Sun":
        rows.append(("Transfer orbit now", _orbit_text(flying, t_tdb)))
    cargo = [kg for kg in plan.cargo_kg if kg > 0]
    if cargo:
        rows.append(("Cargo", ", ".join(_mass(kg) for kg in cargo[:6])
                     + (f" ... ({len(cargo)} legs)" if len(cargo) > 6 else "")))
    return rows


def other_engine_text(comparison: dict | None) -> str | None:
    """The other engine on the same leg, in words (None when there is nothing to compare)."""
    if comparison is None:
        return None
    if not comparison.get("possible", False):
        return f"{comparison['engine']}: not possible ({comparison.get('reason', 'no solution')})"
    fits = "" if comparison.get("fits_tank", True) else ", more than the tank holds"
    return (f"{comparison['engine']}: {_mass(comparison['propellant_kg'])} of propellant, "
            f"{comparison['duration_days']:.1f} days, {comparison['dv_km_s']:.2f} km/s{fits}")


def _orbit_text(leg: Transfer, t_tdb: float) -> str:
    """The heliocentric conic a ship coasts on: a, e, i (ecliptic J2000), perihelion and
    aphelion, from its state (osculating elements)."""
    r_km, v_km_s = leg.relative_state(t_tdb)
    el = elements_from_state(r_km[:, 0] / AU_KM, v_km_s[:, 0] * KM_PER_S_TO_AU_PER_DAY, t_tdb)
    a, e = float(el.a_au[0]), float(el.e[0])
    i_deg = float(el.to_degrees()["i_deg"][0])
    return (f"a {a:.3f} AU, e {e:.3f}, i {i_deg:.2f}°; perihelion {a * (1 - e):.3f} AU, "
            f"aphelion {a * (1 + e):.3f} AU")


class InfoPanel(QWidget):
    """Name, kind, distances from Sun and Earth, heliocentric speed, light-time, facts."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("InfoPanel")
        self.state = state
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engines")
        self._comparing: dict[tuple, Future] = {}
        self._poll = QTimer(self)
        self._poll.setInterval(200)
        self._poll.timeout.connect(self._check_comparisons)
        for signal in (state.selection.changed, state.timeline.time_changed,
                       state.session_changed, state.ship_replanned):
            signal.connect(self.refresh)
        self.refresh()

    def _with_economics(self, rows: list, obj, t_tdb: float) -> list:
        """The rows with what an object is worth or costs: a mining target's value next to
        its delta-v; a facility's or ship's operators, costs and figures so far."""
        session = self.state.session
        if isinstance(obj, Asteroid):
            value = asteroid_value(session.economics.prices, obj)
            if value is None:
                return rows
            low, typ, high = value.usd
            per_dv = value.usd_per_km_s
            worth = [("Worth at today's prices",
                      f"{format_usd(low)} to {format_usd(high)} (typical {format_usd(typ)}) "
                      "if delivered to low Earth orbit"
                      + (f"; {format_usd(per_dv)} per km/s of delta-v" if per_dv else "")),
                     ("Value assumptions", "<br>".join(value.assumptions))]
            at = next((k + 1 for k, (label, _) in enumerate(rows)
                       if label.startswith("Delta-v")), len(rows))
            return rows[:at] + worth + rows[at:]
        if not isinstance(obj, Facility | Ship):
            return rows
        who, flags = operators(session.scenario).get(obj.name, ((), ()))
        if who or flags:
            venture = " (a shared venture)" if len(who) > 1 else ""
            rows.append(("Operator", " + ".join(who) + venture
                         + (f"; {', '.join(flags)}" if flags else "")))
        economics = session.economics
        if obj.name not in economics.owners:
            return rows
        if isinstance(obj, Facility):
            spec = obj.spec
            if spec.capex_usd or spec.opex_usd_per_year:
                rows.append(("Costs", f"{format_usd(spec.capex_usd or 0.0)} to build, "
                                      f"{format_usd(spec.opex_usd_per_year or 0.0)} a year"))
        now = economics.cumulative(t_tdb, obj.name)
        rate = 100 * economics.discount_rate
        rows.append(("So far (typical prices)",
                     f"value {format_usd(now['value_usd'][1])}, cost "
                     f"{format_usd(now['cost_usd'])}, net {format_usd(now['net_usd'][1])}; NPV "
                     f"at {rate:.0f}%/yr {format_usd(now['npv_usd'][1])}"))
        return rows

    def _other_engine(self, ship: Ship, t_tdb: float) -> str:
        """The current leg flown with the other kind of engine: from the plan's cache, else
        worked out in a worker thread (a low-thrust solve can take seconds) and shown when
        ready."""
        plan = ship.plan
        index = _current_leg(plan, t_tdb)
        if index in plan.comparisons:
            return other_engine_text(plan.comparisons[index]) or "-"
        job = (id(plan), index)
        if job not in self._comparing:
            ephemeris = self.state.world.ephemeris
            self._comparing[job] = self._executor.submit(compare_engines, plan, index, ephemeris)
            self._poll.start()
        return "<i>working it out...</i>"

    def _check_comparisons(self) -> None:
        done = [job for job, future in self._comparing.items() if future.done()]
        for job in done:
            future = self._comparing.pop(job)
            if future.exception() is not None:
                log.warning("comparing engines failed: %s", future.exception())
        if not self._comparing:
            self._poll.stop()
        if done:
            self.refresh()

    def refresh(self, *args) -> None:
        name = self.state.selection.name
        world = self.state.world
        obj = world.exact(name) if name else None
        if obj is None and name:
            try:
                obj = world.resolve(name)  # a star, found by name on demand
            except UnknownNameError:
                obj = None
        if obj is None:
            self.label.setText("<i>Select an object in the tree or click it in the view.</i>")
            return
        t = self.state.timeline.time
        if isinstance(obj, Star):
            table = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>"
                            for k, v in star_facts(obj, t))
            self.label.setText(f"<h3>{obj.name}</h3><table cellspacing=3>{table}</table>")
            return
        try:
            state = describe_state(world, obj.name, t)
        except UserError as exc:
            self.label.setText(f"<b>{obj.name}</b><br>{exc}")
            return
        rows = [
            ("Kind", kind_title(obj)),
            ("Time", format_utc(t)),
            ("From the Sun", format_distance_au(state["distance_sun_au"])),
            ("From Earth", format_distance_au(state["distance_earth_au"])),
            ("Light-time from Earth", format_light_time(state["light_time_s"])),
            ("Speed around the Sun", f"{state['speed_km_s']:.2f} km/s"),
        ] + facts(obj, t)
        rows = self._with_economics(rows, obj, t)
        if isinstance(obj, Ship) and obj.plan.propulsion is not None:
            rows.append(("With the other engine", self._other_engine(obj, t)))
        table = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
        self.label.setText(f"<h3>{obj.name}</h3><p>{obj.summary}</p><table cellspacing=3>{table}</table>")
