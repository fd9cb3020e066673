"""BodiesVisual: spheres ray-cast in the fragment shader (shaders/body.*), shaded by the real
Sun direction, optionally mapped with a surface texture in the body-fixed frame.

Untextured bodies (asteroids, moons without a map) share one visual; each mapped body has a
visual of its own whose map is a pyramid of halvings, decoded when first needed, of which the
level matching the drawn size is on the GPU (no shimmering when small, full detail close).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from PIL import Image
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.core.astro.textures import load_image
from spaceviz.paths import shader_source
from spaceviz.render.occlusion import Occluders

_CORNERS = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32)
_ATTRIBUTES = [("a_center", 3), ("a_corner", 2), ("a_radius", 1), ("a_min_px", 1),
               ("a_color", 4), ("a_light", 3), ("a_emissive", 1), ("a_fixed_x", 3),
               ("a_fixed_y", 3), ("a_fixed_z", 3), ("a_oblate", 1)]
MIN_LEVEL_HEIGHT = 32


@functools.lru_cache(maxsize=64)
def map_level(path: Path, height: int) -> np.ndarray:
    """A surface map reduced to `height` rows (cached for the process: every scene, the app's
    and each export's, shares the decoded levels)."""
    return load_image(path, height)


def level_heights(full_height: int) -> list[int]:
    """Heights of a map's pyramid: the full map, then halvings down to MIN_LEVEL_HEIGHT."""
    heights = [full_height]
    while heights[-1] // 2 >= MIN_LEVEL_HEIGHT:
        heights.append(heights[-1] // 2)
    return heights


class BodiesVisual(Visual):
    """N spheres. Centres in AU relative to the scene origin; radii AU; colours RGBA; unit
    vectors to the Sun; body-fixed axes (display coordinates) for the `surface` map (a file);
    `atmosphere` the RGB of daylight scattered over the map (0 for airless bodies)."""

    def __init__(self, occluders: Occluders | None = None, surface: Path | None = None,
                 atmosphere: tuple[float, float, float] = (0.0, 0.0, 0.0)):
        super().__init__(vcode=shader_source("body.vert"), fcode=shader_source("body.frag"))
        self._draw_mode = "triangles"
        self._buffers = {name: gloo.VertexBuffer(np.zeros((4, size), dtype=np.float32))
                         for name, size in _ATTRIBUTES}
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._index = gloo.IndexBuffer(np.zeros(0, dtype=np.uint32))
        self._count = 0
        self._centers = np.zeros((0, 3), dtype=np.float32)
        self._occluders = occluders or Occluders()
        self._surface = surface
        self._levels = None
        if surface is not None:
            with Image.open(surface) as image:
                self._levels = level_heights(image.height)
        self._level = -1
        self._texture = gloo.Texture2D(np.full((1, 2, 3), 128, np.uint8),
                                       interpolation="linear", wrapping="repeat")
        self.shared_program["u_surface"] = self._texture
        self.shared_program["u_textured"] = 1.0 if self._levels else 0.0
        self.shared_program["u_atmosphere"] = tuple(float(v) for v in atmosphere)
        self.set_gl_state("translucent", depth_test=False, cull_face=False)
        self.set_camera(np.array([0, 0, 1.0]), np.eye(3), 1000.0)
        self.freeze()

    def set_data(self, centers: np.ndarray, radii_au: np.ndarray, colors: np.ndarray,
                 light_dirs: np.ndarray, min_px: np.ndarray, emissive: np.ndarray,
                 fixed_axes: np.ndarray | None = None, oblate: np.ndarray | None = None) -> None:
        """Per-body arrays: centres (N,3) AU in uploaded coordinates, radii (N,) AU, colours
        (N,4), unit vectors to the Sun (N,3), minimum diameters (N,) px, emissive flags (N,),
        body-fixed axes (N,3,3) whose columns are the frame's x, y, z in display axes, and
        equatorial / polar radius (N,) (1 for spheres; radii are the equatorial ones)."""
        n = len(centers)
        self._centers = np.asarray(centers, dtype=np.float32)
        axes = np.broadcast_to(np.eye(3), (n, 3, 3)) if fixed_axes is None else fixed_axes
        oblate = np.ones(n) if oblate is None else oblate

        def quad(values, width):
            values = np.asarray(values, dtype=np.float32).reshape(n, width)
            return np.repeat(values, 4, axis=0)

        data = {
            "a_center": quad(centers, 3), "a_corner": np.tile(_CORNERS, (n, 1)),
            "a_radius": quad(radii_au, 1), "a_min_px": quad(min_px, 1),
            "a_color": quad(colors, 4), "a_light": quad(light_dirs, 3),
            "a_emissive": quad(emissive, 1), "a_fixed_x": quad(axes[:, :, 0], 3),
            "a_fixed_y": quad(axes[:, :, 1], 3), "a_fixed_z": quad(axes[:, :, 2], 3),
            "a_oblate": quad(oblate, 1),
        }
        for name, values in data.items():
            self._buffers[name].set_data(np.ascontiguousarray(values))
        base = (np.arange(n, dtype=np.uint32) * 4)[:, None]
        self._index.set_data((base + np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32)).ravel())
        self._count = n
        self.update()

    def set_camera(self, cam_pos: np.ndarray, basis: np.ndarray, focal_px: float) -> None:
        """The eye in uploaded coordinates, basis rows (right, up, back), logical pixels per
        radian (VisPy scales logical pixels to any output size)."""
        program = self.shared_program
        program["u_cam_pos"] = np.asarray(cam_pos, dtype=np.float32)
        program["u_cam_up"] = np.asarray(basis[1], dtype=np.float32)
        program["u_focal_px"] = float(focal_px)

    def show_detail(self, diameter_px: float) -> None:
        """Put on the GPU the map level with about one texel per pixel for a body drawn this
        many framebuffer pixels across (a map's height spans pi radii of the equator)."""
        if self._levels is None:
            return
        heights = np.array(self._levels)
        enough = np.flatnonzero(heights >= 1.6 * diameter_px)
        level = int(enough[-1]) if len(enough) else 0
        if level != self._level:
            self._level = level
            self._texture.set_data(map_level(self._surface, int(heights[level])))
            self.update()

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view):
        if self._count == 0:
            return False
        self._occluders.bind(self.shared_program)
        self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        if len(self._centers) == 0:
            return None
        column = self._centers[:, axis]
        return column.min(), column.max()


Bodies = create_visual_node(BodiesVisual)
