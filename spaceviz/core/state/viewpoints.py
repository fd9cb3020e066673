"""Good default camera directions, as (azimuth, elevation) in degrees around a target.

Angles are in the display frame, ecliptic J2000 axes (+z to the north ecliptic pole); the
turntable camera sits at (sin az cos el, -cos az cos el, sin el) from its focus.
"""

from __future__ import annotations

import math

import numpy as np

from spaceviz.core.constants import AU_KM, OBLIQUITY_J2000_ARCSEC
from spaceviz.core.scenario.world import Body, Facility, Orbit, Ship, Site

_EPS = math.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
ICRF_TO_ECLIPTIC = np.array([[1.0, 0.0, 0.0],
                             [0.0, math.cos(_EPS), math.sin(_EPS)],
                             [0.0, -math.sin(_EPS), math.cos(_EPS)]])
"""Rotation from ICRF (equatorial) to ecliptic J2000 axes."""


def azimuth_towards(direction: np.ndarray) -> float:
    """The azimuth (degrees) that puts the camera on the side of an ecliptic-axes direction."""
    x, y = float(direction[0]), float(direction[1])
    return math.degrees(math.atan2(x, -y)) % 360.0


def angles_towards(direction: np.ndarray) -> tuple[float, float]:
    """(azimuth, elevation) in degrees that put the camera on the side of an ecliptic-axes
    direction (any length)."""
    d = np.asarray(direction, dtype=np.float64)
    elevation = math.degrees(math.asin(float(np.clip(d[2] / np.linalg.norm(d), -1.0, 1.0))))
    return azimuth_towards(d), elevation


def sunlit_azimuth(world, target: str, t_tdb: float, phase_offset_deg: float = 40.0) -> float:
    """An azimuth from which the target is seen mostly lit (the Sun behind the camera's shoulder)."""
    to_sun = ICRF_TO_ECLIPTIC @ (world.position("Sun", t_tdb) - world.position(target, t_tdb))
    return (azimuth_towards(to_sun) + phase_offset_deg) % 360.0


def _surface_body(obj) -> Body | None:
    """The body a surface object stands on (a site's Moon; the Moon for a plant at a site)."""
    host = obj.host if isinstance(obj, Facility) else obj
    return host.body if isinstance(host, Site) else None


def overhead_angles(world, name: str, t_tdb: float, tilt_deg: float = 25.0) -> tuple[float, float]:
    """(azimuth, elevation) that put the camera above a surface object, looking down its
    local vertical, tilted a little for relief."""
    obj = world.resolve(name)
    body = _surface_body(obj)
    if body is None:
        raise ValueError(f"{obj.name} is not on a surface")
    normal = ICRF_TO_ECLIPTIC @ (obj.position(t_tdb) - body.position(t_tdb))
    normal = normal / np.linalg.norm(normal)
    elevation = math.degrees(math.asin(float(np.clip(normal[2], -1.0, 1.0))))
    tilted = elevation - math.copysign(tilt_deg, elevation) if abs(elevation) > tilt_deg else elevation
    return azimuth_towards(normal), max(min(tilted, 89.0), -89.0)


def viewing_angles(world, name: str, t_tdb: float) -> tuple[float, float | None]:
    """A good default (azimuth, elevation or None) to look at an object: from above for
    surface objects, from the Sun's side for everything else."""
    obj = world.resolve(name)
    if _surface_body(obj) is not None:
        return overhead_angles(world, obj.name, t_tdb)
    return sunlit_azimuth(world, obj.name, t_tdb), None


def framing_distance_au(obj) -> float:
    """A camera distance (AU) that shows a world object and its neighbourhood."""
    if isinstance(obj, Body) and obj.info.kind == "star":
        return 3.0
    if _surface_body(obj) is not None:
        return 3000.0 / AU_KM
    if isinstance(obj, Ship):
        return 0.02
    radius_km = getattr(obj, "radius_km", 0.0)
    if radius_km:
        return max(radius_km * 12.0 / AU_KM, 2e-6)
    return 0.05


def surface_visibility(objects: list, t_tdb: float, eye_au: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Which surface objects (sites, plants at sites) an eye at `eye_au` (barycentric ICRF AU)
    can see: True where the point lies on the hemisphere of its body that faces the eye, and
    the body's angular radius (radians) from the eye. A depot in orbit is always facing, with
    its body's angular radius (shown, like the surface, once the body is drawn large);
    objects neither on a surface nor in an orbit have an infinite angular radius."""
    facing = np.ones(len(objects), dtype=bool)
    angular = np.full(len(objects), np.inf)
    for k, obj in enumerate(objects):  # a handful of sites and plants
        host = obj.host if isinstance(obj, Facility) else obj
        body = host.body if isinstance(host, Site | Orbit) else None
        if body is None:
            continue
        centre = body.position(t_tdb)
        if isinstance(host, Site):
            normal = obj.position(t_tdb) - centre
            facing[k] = float(normal @ (eye_au - obj.position(t_tdb))) > 0.0
        distance = float(np.linalg.norm(eye_au - centre))
        angular[k] = math.asin(min(1.0, body.radius_km / AU_KM / max(distance, 1e-30)))
    return facing, angular
