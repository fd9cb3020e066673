"""BodiesVisual: spheres as camera-facing impostors, shaded by the real Sun direction."""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source

_CORNERS = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32)


class BodiesVisual(Visual):
    """N shaded spheres. Centres in AU relative to the focus; radii in AU; colours RGBA."""

    def __init__(self):
        super().__init__(vcode=shader_source("body.vert"), fcode=shader_source("body.frag"))
        self._draw_mode = "triangles"
        self._buffers = {
            name: gloo.VertexBuffer(np.zeros((4, size), dtype=np.float32))
            for name, size in [("a_center", 3), ("a_corner", 2), ("a_radius", 1), ("a_min_px", 1),
                               ("a_color", 4), ("a_light", 3), ("a_emissive", 1)]
        }
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._index = gloo.IndexBuffer(np.zeros(0, dtype=np.uint32))
        self._count = 0
        self._centers = np.zeros((0, 3), dtype=np.float32)
        self.set_gl_state("translucent", depth_test=False, cull_face=False)
        self.set_camera(np.array([0, 0, 1.0]), np.eye(3), 1000.0)
        self.freeze()

    def set_data(self, centers: np.ndarray, radii_au: np.ndarray, colors: np.ndarray,
                 light_dirs: np.ndarray, min_px: np.ndarray, emissive: np.ndarray) -> None:
        """Per-body arrays: centres (N,3) AU rel. focus, radii (N,) AU, colours (N,4),
        unit vectors to the Sun (N,3), minimum diameters (N,) px, emissive flags (N,)."""
        n = len(centers)
        self._centers = np.asarray(centers, dtype=np.float32)

        def quad(values, width):
            values = np.asarray(values, dtype=np.float32).reshape(n, width)
            return np.repeat(values, 4, axis=0)

        data = {
            "a_center": quad(centers, 3), "a_corner": np.tile(_CORNERS, (n, 1)),
            "a_radius": quad(radii_au, 1), "a_min_px": quad(min_px, 1),
            "a_color": quad(colors, 4), "a_light": quad(light_dirs, 3),
            "a_emissive": quad(emissive, 1),
        }
        for name, values in data.items():
            self._buffers[name].set_data(np.ascontiguousarray(values))
        base = (np.arange(n, dtype=np.uint32) * 4)[:, None]
        self._index.set_data((base + np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32)).ravel())
        self._count = n
        self.update()

    def set_camera(self, cam_pos: np.ndarray, basis: np.ndarray, focal_px: float) -> None:
        """Camera position (AU rel. focus), basis rows (right, up, back), logical pixels per
        radian (VisPy scales logical pixels to any output size)."""
        program = self.shared_program
        program["u_cam_pos"] = np.asarray(cam_pos, dtype=np.float32)
        program["u_cam_right"] = np.asarray(basis[0], dtype=np.float32)
        program["u_cam_up"] = np.asarray(basis[1], dtype=np.float32)
        program["u_cam_back"] = np.asarray(basis[2], dtype=np.float32)
        program["u_focal_px"] = float(focal_px)

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view):
        if self._count == 0:
            return False
        self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        if len(self._centers) == 0:
            return None
        column = self._centers[:, axis]
        return column.min(), column.max()


Bodies = create_visual_node(BodiesVisual)
