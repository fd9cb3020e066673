"""Where a click lands on a body's surface: the ray through a canvas pixel, met with the body's
sphere (float64). The result is an ICRF direction from the body's centre; core turns it into
coordinates (`core.astro.moon.selenographic_latlon` for the Moon)."""

from __future__ import annotations

import numpy as np

from spaceviz.core.constants import AU_KM
from spaceviz.render.gpu import ICRF_TO_DISPLAY


def click_ray(scene, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
    """The eye and the unit direction (display axes, relative to the scene's origin) of the
    ray through canvas pixel (x, y) (logical pixels, y down) in the frame shown.

    Three points in front of the eye are projected with the scene's own transform (the
    forward mapping is well conditioned, unlike un-projecting a depth near the far plane):
    pixel offsets are linear in the tangents of the angles off the view axis."""
    frame = scene.current_frame()
    eye = np.asarray(frame.cam_local, dtype=np.float64)
    right, up, back = (np.asarray(v, dtype=np.float64) for v in frame.basis)
    centre = eye - back * frame.distance_au
    step = 0.1 * frame.distance_au
    pixels = scene.project(np.stack([centre, centre + right * step, centre + up * step]))
    columns = np.stack([pixels[1] - pixels[0], pixels[2] - pixels[0]], axis=1) / 0.1
    tangents = np.linalg.solve(columns, np.array([x, y], dtype=np.float64) - pixels[0])
    direction = -back + tangents[0] * right + tangents[1] * up
    return eye, direction / np.linalg.norm(direction)


def surface_direction(scene, body: str, radius_km: float, x: float, y: float
                      ) -> np.ndarray | None:
    """The ICRF unit vector from a body's centre to the surface point under canvas pixel
    (x, y), or None when the ray misses the body (a sphere of `radius_km`)."""
    frame = scene.current_frame()
    eye, direction = click_ray(scene, x, y)
    centre = ICRF_TO_DISPLAY @ (scene.state.world.position(body, frame.t_tdb) - frame.origin_au)
    radius = radius_km / AU_KM
    to_centre = centre - eye
    along = to_centre @ direction
    miss_sq = to_centre @ to_centre - along * along
    if along <= 0 or miss_sq > radius * radius:
        return None
    hit = eye + (along - np.sqrt(radius * radius - miss_sq)) * direction
    normal = ICRF_TO_DISPLAY.T @ (hit - centre)
    return normal / np.linalg.norm(normal)
