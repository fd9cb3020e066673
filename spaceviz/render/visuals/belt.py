"""BeltVisual: up to millions of asteroids propagated by the vertex shader (shaders/belt.*).

Elements are uploaded once as perifocal vectors; each frame sets two uniforms (the time
offset from a reference epoch, float32 days, and the Sun's position relative to the focus).
Filters and colour modes are uniforms too, so they never re-upload the elements. Asteroids
behind a body are not drawn (shaders/occlusion.glsl). The caller uploads objects in an order
where every prefix is a fair sample; `set_detail` then draws a prefix (a level of detail) by
choosing one of a few prefix index buffers uploaded with the orbits.
"""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source
from spaceviz.render.occlusion import Occluders

PALETTE_SLOTS = 32
DETAIL_LEVELS = tuple(2.0 ** -k for k in range(9))
"""Fractions of the objects that can be drawn: 1, 1/2, ... 1/256."""
MIN_DRAWN_OBJECTS = 20_000
"""Thinning stops here: fewer points cost next to nothing, and a thinner belt stops reading
as a belt (on software GL the bodies and stars, not the belt, are then what costs)."""


class BeltVisual(Visual):
    """Points for N orbits; see `set_orbits` for the per-object arrays."""

    def __init__(self, occluders: Occluders | None = None):
        super().__init__(vcode=shader_source("belt.vert"), fcode=shader_source("belt.frag"))
        self._occluders = occluders or Occluders()
        self._draw_mode = "points"
        self._buffers = {name: gloo.VertexBuffer(np.zeros((1, size), dtype=np.float32))
                         for name, size in [("a_p", 3), ("a_q", 3), ("a_orbit", 4), ("a_meta", 4)]}
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._palette = gloo.Texture2D(np.zeros((1, PALETTE_SLOTS, 4), dtype=np.float32),
                                       interpolation="nearest", internalformat="rgba32f")
        self.shared_program["u_palette"] = self._palette
        self._count = 0
        self.min_drawn = MIN_DRAWN_OBJECTS
        self._prefixes: list[tuple[float, gloo.IndexBuffer]] = []
        self.drawn_fraction = 1.0
        self._extent = 1.0
        self.set_gl_state("translucent", depth_test=False)
        defaults = {"u_dt_days": 0.0, "u_sun": (0.0, 0.0, 0.0), "u_px_scale": 1.0,
                    "u_size_scale": 1.0, "u_color_by": 0.0, "u_pick": 0.0,
                    "u_groups_a": (1, 1, 1, 1), "u_groups_b": (1, 1, 1, 1),
                    "u_n_range": (0.0, 1e9), "u_e_range": (0.0, 1.0), "u_i_range": (0.0, 180.0),
                    "u_h_range": (-100.0, 100.0)}
        for name, value in defaults.items():
            self.shared_program[name] = value
        self.freeze()

    def set_orbits(self, p_au: np.ndarray, q_au: np.ndarray, orbit: np.ndarray,
                   meta: np.ndarray) -> None:
        """Upload once: (N,3) a*P and a*sqrt(1-e^2)*Q in display AU; (N,4) e, n (rad/day),
        M at the reference epoch (rad), index; (N,4) group, class, H, inclination (deg)."""
        for name, values in (("a_p", p_au), ("a_q", q_au), ("a_orbit", orbit), ("a_meta", meta)):
            self._buffers[name].set_data(np.ascontiguousarray(values, dtype=np.float32))
        self._count = len(p_au)
        self._extent = float(np.max(np.linalg.norm(p_au, axis=1))) * 2 if len(p_au) else 1.0
        self._prefixes = [(fraction, gloo.IndexBuffer(np.arange(max(int(self._count * fraction),
                                                                     1), dtype=np.uint32)))
                          for fraction in DETAIL_LEVELS[1:] if self._count * fraction >= 1]
        self.update()

    def set_detail(self, fraction: float) -> float:
        """Draw the largest prefix level not above `fraction` of the objects, but never fewer
        than `min_drawn` objects (nor less than the smallest level); returns the fraction
        drawn."""
        drawn = 1.0
        if fraction < 1.0 and self._prefixes:
            drawn = next((f for f, _ in self._prefixes if f <= fraction), self._prefixes[-1][0])
            floor = min((f for f, _ in self._prefixes if self._count * f >= self.min_drawn),
                        default=1.0)
            drawn = max(drawn, floor)
        if drawn != self.drawn_fraction:
            self.drawn_fraction = drawn
            self.update()
        return drawn

    def set_palette(self, group_colors: np.ndarray, class_colors: np.ndarray) -> None:
        """RGBA colours (up to 16 each) for groups and spectral classes."""
        palette = np.zeros((1, PALETTE_SLOTS, 4), dtype=np.float32)
        palette[0, : len(group_colors)] = group_colors
        palette[0, 16: 16 + len(class_colors)] = class_colors
        self._palette.set_data(palette)
        self.update()

    def set_frame(self, dt_days: float, sun_au: np.ndarray) -> None:
        """When time moves: the float32 time offset from the reference epoch and the Sun's
        position in the layer's coordinates (display AU)."""
        self.shared_program["u_dt_days"] = float(dt_days)
        self.shared_program["u_sun"] = tuple(float(v) for v in sun_au)
        self.update()

    def set_uniforms(self, **values) -> None:
        """Filters and display settings (u_groups_a, u_n_range, u_color_by, ...)."""
        for name, value in values.items():
            self.shared_program[name] = value
        self.update()

    def _prepare_transforms(self, view):
        # One matrix instead of VisPy's chain of transform functions: per-vertex work counts
        # when there are a million vertices.
        view.view_program.vert["transform"] = view.get_transform().simplified
        view.view_program.vert["to_scene"] = view.get_transform("visual", "scene")

    def _prepare_draw(self, view):
        if self._count == 0:
            return False
        self._occluders.bind(self.shared_program)
        self._index_buffer = next((buffer for f, buffer in self._prefixes
                                   if f == self.drawn_fraction), None)  # None: every object
        return True

    def _compute_bounds(self, axis, view):
        return -self._extent, self._extent


Belt = create_visual_node(BeltVisual)
