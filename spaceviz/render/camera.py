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


class SceneCamera(TurntableCamera):
    """A TurntableCamera that can also look along a cube-map face from the same eye.

    `face` is None (the ordinary view) or (rotation, fov_deg): a (3, 3) rotation whose rows
    are the face's right, up and forward in the view frame (x right, y up, z forward), and
    the face's field of view. The rotation turns the view about the eye; the pose (focus,
    distance, angles) and the depth range stay those of the model."""

    def __init__(self, *args, **kwargs):
        self._face: tuple[np.ndarray, float] | None = None
        super().__init__(*args, **kwargs)

    @property
    def face(self) -> tuple[np.ndarray, float] | None:
        return self._face

    @face.setter
    def face(self, face: tuple[np.ndarray, float] | None) -> None:
        self._face = face
        self.view_changed()

    def _update_camera_pos(self):
        super()._update_camera_pos()
        if self._face is None:
            return
        rows = self._face[0]
        # Camera-local axes are x right, y up, -z forward; VisPy maps row vectors (p @ M).
        local = np.eye(4)
        local[:3, :3] = rows * np.array([1.0, 1.0, -1.0])
        local[2, :3] *= -1.0
        with self.events.transform_change.blocker(self._update_transform):
            self.transform.matrix = local @ self.transform.matrix


def make_vispy_camera(fov_deg: float = 45.0) -> SceneCamera:
    camera = SceneCamera(fov=fov_deg, up="+z", center=(0.0, 0.0, 0.0))
    camera.interactive = False  # the core CameraModel owns the pose; render/interaction.py drives it
    camera.depth_value = DEPTH_RANGE
    return camera


def apply_pose(camera: TurntableCamera, model: CameraModel) -> None:
    """Copy the model's distance and angles into the VisPy camera (with a cube face's field
    of view while the camera looks along one)."""
    distance = float(model.distance_au)
    face = getattr(camera, "face", None)
    fov = model.fov_deg if face is None else face[1]
    camera.fov = fov
    camera.scale_factor = 2.0 * distance * math.tan(math.radians(fov) / 2.0)
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
