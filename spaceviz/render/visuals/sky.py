"""SkyVisual: stars (points) or constellation figures (lines) at infinity (shaders/sky.*).

Directions are uploaded once (display axes, float32: a direction needs no origin); sizes are
logical pixels, scaled to the framebuffer, so stars stay sharp in an 8K screenshot.
"""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source


class SkyVisual(Visual):
    """Directions (N,3), colours (N,4) and sizes (N,) px; `lines=True` joins pairs of
    vertices (segments (M,2)) instead of drawing points."""

    def __init__(self, lines: bool = False):
        super().__init__(vcode=shader_source("sky.vert"), fcode=shader_source("sky.frag"))
        self._draw_mode = "lines" if lines else "points"
        self._buffers = {name: gloo.VertexBuffer(np.zeros((1, size), dtype=np.float32))
                         for name, size in (("a_direction", 3), ("a_color", 4), ("a_size", 1),
                                            ("a_mag", 1))}
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._index = gloo.IndexBuffer(np.zeros(0, dtype=np.uint32)) if lines else None
        self._count = 0
        self.shared_program["u_points"] = 0.0 if lines else 1.0
        self.shared_program["u_px_scale"] = 1.0
        self.shared_program["u_alpha"] = 1.0
        self.shared_program["u_mag_limit"] = 99.0
        self.set_gl_state("translucent", depth_test=False, line_smooth=True)
        self.freeze()

    def set_data(self, directions: np.ndarray, colors: np.ndarray, sizes_px: np.ndarray,
                 segments: np.ndarray | None = None, mags: np.ndarray | None = None) -> None:
        """Upload once: unit directions (N,3) in display axes, RGBA colours (N,4), sizes
        (N,) logical pixels, magnitudes (N,) for stars; for lines, segment index pairs
        (M,2)."""
        mags = np.zeros(len(directions)) if mags is None else mags
        self._buffers["a_mag"].set_data(np.ascontiguousarray(mags, np.float32)[:, None])
        self._buffers["a_direction"].set_data(np.ascontiguousarray(directions, np.float32))
        self._buffers["a_color"].set_data(np.ascontiguousarray(colors, np.float32))
        self._buffers["a_size"].set_data(np.ascontiguousarray(sizes_px, np.float32)[:, None])
        if self._index is not None and segments is not None:
            self._index.set_data(np.ascontiguousarray(segments, dtype=np.uint32).ravel())
        self._count = len(directions)
        self.update()

    def set_look(self, px_scale: float, alpha: float, mag_limit: float = 99.0) -> None:
        """Framebuffer pixels per logical pixel, an overall opacity, the faintest star."""
        self.shared_program["u_px_scale"] = float(px_scale)
        self.shared_program["u_alpha"] = float(alpha)
        self.shared_program["u_mag_limit"] = float(mag_limit)
        self.update()

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view):
        if self._count == 0:
            return False
        if self._index is not None:
            self.update_gl_state(line_width=max(self.transforms.pixel_scale, 1.0))
            self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        return None


Sky = create_visual_node(SkyVisual)
