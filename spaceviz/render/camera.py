"""Apply the core CameraModel to a VisPy camera, and read back the camera's basis.

The scene is drawn relative to the focus, so the VisPy camera always orbits the origin;
its distance is the model's distance in AU. Nothing here keeps state of its own.
"""

from __future__ import annotations

import math

import numpy as np
from vispy.scene.cameras import TurntableCamera

from spaceviz.core.state.camera import CameraModel

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
