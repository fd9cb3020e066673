"""How a scenario's objects become World objects (asteroids, sites, catalogues, ships...).

Each builder is `builder(world, scenario) -> None`; `BUILDERS` runs in order, so later kinds
(facilities, ships) can refer to earlier ones (asteroids, sites).
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.bodies import BODIES
from spaceviz.core.world import World, WorldObject

BUILDERS: list = []


def builder(function):
    """Register a world builder (run in registration order)."""
    BUILDERS.append(function)
    return function


def _asteroid_state(elements, ephemeris):
    """t_tdb -> barycentric ICRF (pos AU, vel AU/day), (3,) for a scalar time, (3, T) else."""
    from spaceviz.core.orbits import barycentric_states

    def state(t):
        pos, vel = barycentric_states(elements, t, ephemeris)
        if pos.ndim == 2 and pos.shape[1] == 1 and np.ndim(t) == 0:
            return pos[:, 0], vel[:, 0]
        return pos, vel

    return state


@builder
def add_asteroids(world: World, scenario) -> None:
    """The scenario's [[asteroid]] entries (targets drawn as bodies with orbit lines)."""
    from spaceviz.core.orbits import OrbitalElements

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
def add_sites(world: World, scenario) -> None:
    """Lunar surface sites: state from the IAU Moon orientation (core.moon)."""
    from spaceviz.core import moon

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


def parent_radius_km(world: World, name: str) -> float:
    obj = world.get(name)
    return obj.radius_km or BODIES.get(name, BODIES["Moon"]).radius_km


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
