"""How a scenario's objects become World objects (asteroids, sites, catalogues, ships...).

Each builder is `builder(world, scenario) -> None`; `BUILDERS` runs in order, so later kinds
(facilities, ships) can refer to earlier ones (asteroids, sites).
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.scenario.world import World, WorldObject

BUILDERS: list = []


def builder(function):
    """Register a world builder (run in registration order)."""
    BUILDERS.append(function)
    return function


def _asteroid_state(elements, ephemeris):
    """t_tdb -> barycentric ICRF (pos AU, vel AU/day), (3,) for a scalar time, (3, T) else."""
    from spaceviz.core.astro.orbits import barycentric_states

    def state(t):
        pos, vel = barycentric_states(elements, t, ephemeris)
        if pos.ndim == 2 and pos.shape[1] == 1 and np.ndim(t) == 0:
            return pos[:, 0], vel[:, 0]
        return pos, vel

    return state


@builder
def add_asteroids(world: World, scenario) -> None:
    """The scenario's [[asteroid]] entries (targets drawn as bodies with orbit lines)."""
    from spaceviz.core.astro.orbits import OrbitalElements

    for spec in scenario.asteroid:
        elements = OrbitalElements.from_degrees(spec.a, spec.e, spec.i, spec.node, spec.peri, spec.M,
                                                spec.epoch, plane=spec.plane, names=[spec.name])
        aliases = tuple(a for a in (spec.designation,
                                    f"({spec.designation}) {spec.name}" if spec.designation else None)
                        if a)
        info = {"summary": spec.info or "", "a": f"{spec.a:.4f} AU", "e": f"{spec.e:.4f}",
                "i": f"{spec.i:.2f} deg"}
        if spec.spectral_class:
            info["spectral class"] = spec.spectral_class
        world.add(WorldObject(
            name=spec.name, kind="asteroid", state=_asteroid_state(elements, world.ephemeris),
            parent="Sun", aliases=aliases,
            radius_km=(spec.diameter_km or 1.0) / 2.0,
            color=spec.color or (0.78, 0.72, 0.62), info=info))
        world.asteroid_elements[spec.name] = elements


@builder
def add_mining_targets(world: World, scenario) -> None:
    """The shipped mining targets (when the scenario asks for them), with their facts."""
    if not scenario.mining_targets:
        return
    from spaceviz.core.mission.targets import mining_targets

    targets = mining_targets()
    for row, target in enumerate(targets):
        if target.name in world or target.label in world:
            continue  # the scenario defines this asteroid itself
        elements = targets.elements[row]
        aliases = tuple(a for a in {target.label, target.designation,
                                    str(target.number) if target.number else ""} if a)
        world.add(WorldObject(
            name=target.name, kind="asteroid", state=_asteroid_state(elements, world.ephemeris),
            parent="Sun", aliases=aliases, radius_km=target.diameter_km / 2.0,
            color=TARGET_COLORS.get(target.spectral_class[:1].upper(), (0.8, 0.75, 0.6)),
            info=target_info(target)))
        world.asteroid_elements[target.name] = elements


TARGET_COLORS = {"M": (0.80, 0.80, 0.88), "X": (0.74, 0.74, 0.80), "C": (0.45, 0.47, 0.55),
                 "B": (0.42, 0.48, 0.62), "S": (0.80, 0.62, 0.45), "V": (0.85, 0.55, 0.60),
                 "Q": (0.78, 0.62, 0.50)}


def _range(values, unit: str, scale: float = 1.0, digits: int = 3) -> str:
    low, high = (v * scale for v in values)
    return f"{low:.{digits}g} to {high:.{digits}g} {unit}" if low != high else f"{low:.{digits}g} {unit}"


def target_info(target) -> dict:
    """Plain-language facts for the info panel ("why this target"), with ranges and sources."""
    composition = target.composition
    return {
        "summary": target.why,
        "designation": target.label,
        "diameter": f"{target.diameter_km:,.3g} km",
        "spectral class": target.spectral_class,
        "water": _range(composition.water_wt_pct, "% by mass"),
        "metal (iron-nickel)": _range(composition.metal_wt_pct, "% by mass"),
        "platinum-group metals": _range(composition.pgm_ppm, "ppm"),
        "estimated resource mass": _range(target.resource_mass_kg, "kg"),
        "delta-v from low Earth orbit": f"{target.delta_v_leo_km_s:.1f} km/s ({target.delta_v_method})",
        "missions": "; ".join(target.missions) or "none yet",
        "sources": "; ".join(target.sources),
        "elements": target.elements_source,
    }


@builder
def add_catalogs(world: World, scenario) -> None:
    """[[catalog]] populations: drawn by the belt layer, found by `where` on demand."""
    from spaceviz.core.astro.catalogs.load import load_catalog
    from spaceviz.core.astro.catalogs.synthetic import synthetic_belt

    for spec in scenario.catalog:
        catalog = (synthetic_belt(spec.synthetic, spec.seed) if spec.synthetic
                   else load_catalog(spec.path))
        if spec.limit is not None and len(catalog) > spec.limit:
            catalog.records = catalog.records[: spec.limit]
        world.catalogs.append(catalog)
        world.belts.append(catalog.to_belt_data())
        world.add_resolver(_catalog_resolver(world, catalog))


def _catalog_resolver(world: World, catalog):
    """name -> WorldObject for one catalogue row (None when the catalogue has no such name)."""
    from spaceviz.core.errors import UnknownNameError

    def resolve(name: str):
        try:
            row = catalog.find(name)
        except UnknownNameError as exc:
            if exc.candidates:
                raise
            return None
        record = catalog.records[row]
        label = str(catalog.display_names([row])[0])
        info = {"summary": "From " + (catalog.summary.source or "a catalogue")
                + (" (synthetic: not a real asteroid)" if catalog.synthetic else ""),
                "a": f"{record['a_au']:.4f} AU", "e": f"{record['e']:.4f}",
                "H": f"{record['H']:.2f}"}
        return WorldObject(name=label, kind="asteroid",
                           state=_asteroid_state(catalog.elements()[row], world.ephemeris),
                           parent="Sun", aliases=(name,), radius_km=0.0, info=info)

    return resolve


@builder
def add_sites(world: World, scenario) -> None:
    """Lunar surface sites: state from the IAU Moon orientation (core.moon)."""
    from spaceviz.core.astro import moon

    for site in scenario.site:
        def state(t, site=site):
            return moon.site_state(site.lat, site.lon, site.elevation_m, t, world.ephemeris)

        world.add(WorldObject(
            name=site.name, kind="site", state=state, parent=site.body,
            color=(1.0, 0.85, 0.3), radius_km=0.0,
            info={"summary": site.info or "", "latitude": f"{site.lat:.3f} deg",
                  "longitude": f"{site.lon:.3f} deg east", "lat_deg": site.lat,
                  "lon_deg": site.lon, "horizon_deg": site.horizon_deg,
                  "elevation_m": site.elevation_m}))



@builder
def add_facilities(world: World, scenario) -> None:
    """Plants sit at a site or asteroid and share its state."""
    for facility in scenario.facility:
        host = world.get(facility.at)
        world.add(WorldObject(
            name=facility.name, kind="facility", state=host.state, parent=host.name,
            color=(0.3, 1.0, 0.6),
            info={"summary": facility.info or "", "at": host.name,
                  "resource": str(facility.resource), "power": facility.power,
                  "nameplate rate": f"{facility.rate_kg_per_day:,.0f} kg/day",
                  "storage": f"{facility.storage_kg:,.0f} kg"}))


@builder
def add_ships(world: World, scenario) -> None:
    """[[ship]] transfers (Lambert arcs), their departure/arrival events and cargo legs."""
    from spaceviz.core.mission.operations.simulation import CargoLeg
    from spaceviz.core.mission.ships import OemShip, Ship, solve_leg
    from spaceviz.core.mission.trajectories import OemTrajectory
    from spaceviz.core.state.timeline import TimelineEvent

    facilities = {f.name for f in scenario.facility}
    for spec in scenario.ship:
        if spec.oem is not None:
            trajectory = OemTrajectory.from_file(spec.oem, world.ephemeris)
            ship = OemShip(spec.name, trajectory, spec.cargo_kg)
            world.ships[spec.name] = ship
            world.add(WorldObject(
                name=spec.name, kind="ship", state=lambda t, ship=ship: ship.state(world, t),
                parent="Sun", color=(1.0, 0.55, 0.2),
                info={"summary": spec.info or f"Trajectory from {spec.oem.name}.",
                      "trajectory file": str(spec.oem)}))
            world.extra_events += [
                TimelineEvent(ship.depart_tdb, f"{spec.name}: trajectory begins", "departure",
                              spec.name),
                TimelineEvent(ship.arrive_tdb, f"{spec.name}: trajectory ends", "arrival", spec.name)]
            continue
        origin = world.get(spec.from_).name
        legs, cargo, place = [], [], origin
        for to, depart, arrive, cargo_kg in spec.leg_list():
            target = world.get(to).name
            legs.append(solve_leg(world, place, target, depart, arrive))
            cargo.append(cargo_kg)
            place = target
        ship = Ship(spec.name, legs, cargo)
        world.ships[spec.name] = ship
        first = legs[0]
        info = {"summary": spec.info or f"Transfer from {origin} to {place}.",
                "route": " -> ".join([origin] + [leg.target for leg in legs])}
        for number, leg in enumerate(legs, start=1):
            prefix = f"leg {number} " if len(legs) > 1 else ""
            info[prefix + "departure delta-v"] = f"{leg.departure_dv_km_s:.3f} km/s"
            info[prefix + "arrival delta-v"] = f"{leg.arrival_dv_km_s:.3f} km/s"
            info[prefix + "C3 at departure"] = f"{leg.c3_km2_s2:.2f} km2/s2"
        info["cargo"] = ", ".join(f"{c:,.0f} kg" for c in cargo)
        world.add(WorldObject(
            name=spec.name, kind="ship", state=lambda t, ship=ship: ship.state(world, t),
            parent=first.central, color=(1.0, 0.55, 0.2), info=info))
        for leg, cargo_kg in zip(legs, cargo, strict=True):
            world.extra_events += [
                TimelineEvent(leg.depart_tdb, f"{spec.name} departs {leg.origin}", "departure",
                              spec.name),
                TimelineEvent(leg.arrive_tdb, f"{spec.name} arrives at {leg.target}", "arrival",
                              spec.name)]
            if leg.origin in facilities and cargo_kg > 0:
                world.cargo_legs.append(CargoLeg(spec.name, leg.origin, leg.target,
                                                 leg.depart_tdb, leg.arrive_tdb, cargo_kg))
