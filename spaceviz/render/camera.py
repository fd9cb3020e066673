"""Apply the core CameraModel to a VisPy camera, and read back the camera's basis.

The scene is drawn relative to the focus, so the VisPy camera always orbits the origin;
its distance is the model's distance in AU. Nothing here keeps state of its own.
"""

from __future__ import annotations

import math

import numpy as np
from vispy.scene.cameras import TurntableCamera

from spaceviz.core.camera import CameraModel

DEPTH_RANGE = 1e10  # near = distance / 1e5, far = distance * 1e5


def make_vispy_camera(fov_deg: float = 45.0) -> TurntableCamera:
    camera = TurntableCamera(fov=fov_deg, up="+z", center=(0.0, 0.0, 0.0))
    camera.interactive = False  # the core CameraModel owns the pose; render/interaction.py drives it
    camera.depth_value = DEPTH_RANGE
    return camera


def apply_pose(camera: TurntableCamera, model: CameraModel) -> None:
    """Copy the model's distance and angles into the VisPy camera."""
    distance = float(model.distance_au)
    camera.fov = model.fov_deg
    camera.scale_factor = 2.0 * distance * math.tan(math.radians(model.fov_deg) / 2.0)
    camera.distance = distance
    camera.set_state({"azimuth": model.azimuth_deg, "elevation": model.elevation_deg,
                      "center": (0.0, 0.0, 0.0)})


def camera_basis(camera: TurntableCamera) -> tuple[np.ndarray, np.ndarray]:
    """Camera position (scene units, relative to focus) and basis rows (right, up, back)."""
    transform = camera.transform
    points = transform.map(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float64))
    points = points[:, :3] / points[:, 3:4]
    origin = points[0]
    basis = points[1:] - origin
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    return origin, basis


def focal_length_px(fov_deg: float, viewport_height_px: float) -> float:
    """Pixels per radian at the view centre for a vertical field of view."""
    return 0.5 * viewport_height_px / math.tan(math.radians(fov_deg) / 2.0)


def azimuth_towards(direction_display: np.ndarray) -> float:
    """The camera azimuth (degrees) that puts the camera on the side of a display-axes
    direction: the turntable places the camera at (sin az cos el, -cos az cos el, sin el)."""
    x, y = float(direction_display[0]), float(direction_display[1])
    return math.degrees(math.atan2(x, -y)) % 360.0


def sunlit_azimuth(world, target: str, t_tdb: float, phase_offset_deg: float = 40.0) -> float:
    """An azimuth from which the target is seen mostly lit (Sun behind the camera's shoulder)."""
    from spaceviz.render.gpu import to_display

    to_sun = world.position("Sun", t_tdb) - world.position(target, t_tdb)
    return (azimuth_towards(to_display(to_sun)) + phase_offset_deg) % 360.0


def overhead_angles(world, name: str, t_tdb: float, tilt_deg: float = 25.0) -> tuple[float, float]:
    """(azimuth, elevation) in degrees that put the camera above a surface object, looking
    down along its local vertical (tilted a little for relief), in display axes."""
    from spaceviz.render.gpu import to_display

    obj = world.get(name)
    body = world.get(obj.parent)
    while body.kind in ("site", "facility") and body.parent:  # a plant at a site: the Moon
        body = world.get(body.parent)
    normal = to_display(world.position(obj.name, t_tdb) - world.position(body.name, t_tdb))
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
