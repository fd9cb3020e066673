"""Good default camera directions, as (azimuth, elevation) in degrees around a target.

Angles are in the display frame, ecliptic J2000 axes (+z to the north ecliptic pole); the
turntable camera sits at (sin az cos el, -cos az cos el, sin el) from its focus.
"""

from __future__ import annotations

import math

import numpy as np

from spaceviz.core.constants import OBLIQUITY_J2000_ARCSEC

_EPS = math.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
ICRF_TO_ECLIPTIC = np.array([[1.0, 0.0, 0.0],
                             [0.0, math.cos(_EPS), math.sin(_EPS)],
                             [0.0, -math.sin(_EPS), math.cos(_EPS)]])
"""Rotation from ICRF (equatorial) to ecliptic J2000 axes."""


def azimuth_towards(direction: np.ndarray) -> float:
    """The azimuth (degrees) that puts the camera on the side of an ecliptic-axes direction."""
    x, y = float(direction[0]), float(direction[1])
    return math.degrees(math.atan2(x, -y)) % 360.0


def sunlit_azimuth(world, target: str, t_tdb: float, phase_offset_deg: float = 40.0) -> float:
    """An azimuth from which the target is seen mostly lit (the Sun behind the camera's shoulder)."""
    to_sun = ICRF_TO_ECLIPTIC @ (world.position("Sun", t_tdb) - world.position(target, t_tdb))
    return (azimuth_towards(to_sun) + phase_offset_deg) % 360.0


def overhead_angles(world, name: str, t_tdb: float, tilt_deg: float = 25.0) -> tuple[float, float]:
    """(azimuth, elevation) that put the camera above a surface object, looking down its
    local vertical, tilted a little for relief."""
    obj = world.get(name)
    body = world.get(obj.parent)
    while body.kind in ("site", "facility") and body.parent:  # a plant at a site: the Moon
        body = world.get(body.parent)
    normal = ICRF_TO_ECLIPTIC @ (world.position(obj.name, t_tdb) - world.position(body.name, t_tdb))
    normal = normal / np.linalg.norm(normal)
    elevation = math.degrees(math.asin(float(np.clip(normal[2], -1.0, 1.0))))
    tilted = elevation - math.copysign(tilt_deg, elevation) if abs(elevation) > tilt_deg else elevation
    return azimuth_towards(normal), max(min(tilted, 89.0), -89.0)


def viewing_angles(world, name: str, t_tdb: float) -> tuple[float, float | None]:
    """A good default (azimuth, elevation or None) to look at an object: from above for
    surface objects, from the Sun's side for bodies."""
    obj = world.get(name)
    if obj.kind in ("site", "facility") and obj.parent:
        return overhead_angles(world, obj.name, t_tdb)
    return sunlit_azimuth(world, obj.name, t_tdb), None


def framing_distance_au(obj) -> float:
    """A camera distance (AU) that shows a world object and its neighbourhood."""
    from spaceviz.core.constants import AU_KM

    if obj.kind == "star":
        return 3.0
    if obj.kind in ("site", "facility"):
        return 3000.0 / AU_KM
    if obj.kind == "ship":
        return 0.02
    if obj.radius_km:
        return max(obj.radius_km * 12.0 / AU_KM, 2e-6)
    return 0.05
