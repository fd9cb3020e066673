"""RingsVisual: a planet's rings as a textured annulus in its equator plane (shaders/rings.*),
with the planet's shadow and hidden behind the planet."""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source
from spaceviz.render.occlusion import Occluders

_CORNERS = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32)


class RingsVisual(Visual):
    """Rings from a radial RGBA strip (1 x W) spanning inner..outer radius (AU)."""

    def __init__(self, occluders: Occluders | None, strip: np.ndarray, inner_au: float,
                 outer_au: float):
        super().__init__(vcode=shader_source("rings.vert"), fcode=shader_source("rings.frag"))
        self._draw_mode = "triangles"
        self.shared_program["a_corner"] = gloo.VertexBuffer(_CORNERS)
        self._index = gloo.IndexBuffer(np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32))
        self._occluders = occluders or Occluders()
        rgba = strip if strip.shape[-1] == 4 else np.concatenate(
            [strip, np.full(strip.shape[:2] + (1,), 255, np.uint8)], axis=-1)
        self.shared_program["u_strip"] = gloo.Texture2D(rgba.reshape(1, -1, 4),
                                                        interpolation="linear",
                                                        wrapping="clamp_to_edge")
        self.outer_au = float(outer_au)
        self.shared_program["u_inner"] = float(inner_au / outer_au)
        self.shared_program["u_outer"] = self.outer_au
        self._center = np.zeros(3, dtype=np.float32)
        self.set_gl_state("translucent", depth_test=False, cull_face=False)
        self.freeze()

    def set_data(self, center: np.ndarray, pole: np.ndarray, light: np.ndarray,
                 planet_radius_au: float, eye: np.ndarray) -> None:
        """The planet's centre and the eye (uploaded coordinates, AU), its pole and the unit
        vector to the Sun (display axes), its radius (AU)."""
        normal = np.asarray(pole, dtype=np.float64) / np.linalg.norm(pole)
        helper = np.array([1.0, 0.0, 0.0]) if abs(normal[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        axis_1 = np.cross(normal, helper)
        axis_1 /= np.linalg.norm(axis_1)
        axis_2 = np.cross(normal, axis_1)
        self._center = np.asarray(center, dtype=np.float32)
        program = self.shared_program
        program["u_center"] = self._center
        program["u_axis_1"] = axis_1.astype(np.float32)
        program["u_axis_2"] = axis_2.astype(np.float32)
        program["u_normal"] = normal.astype(np.float32)
        program["u_light"] = np.asarray(light, dtype=np.float32)
        program["u_planet"] = float(planet_radius_au / self.outer_au)
        program["u_eye"] = np.asarray(eye, dtype=np.float32)
        program["u_eye_side"] = (np.asarray(eye, np.float64) - center).astype(np.float32)
        self.update()

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view):
        self._occluders.bind(self.shared_program)
        self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        return self._center[axis] - self.outer_au, self._center[axis] + self.outer_au


Rings = create_visual_node(RingsVisual)
