"""LinesVisual: line segments with a colour and a time per vertex, hidden behind bodies.

One visual for every line the scene draws: orbits (no times: always "flown"), ship arcs (a
current-time uniform splits the flown part from the part ahead, so a moving clock never
re-uploads them; legs further in time than a horizon fade out, so a shuttle's hundred trips
do not all cross the Moon at once) and shipment routes. Fragments behind an occluding body are discarded
(shaders/lines.*, shaders/occlusion.glsl).
"""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source
from spaceviz.render.occlusion import Occluders


class LinesVisual(Visual):
    """Line segments: vertices (N,3) with colours (N,4) and optional times (N,), and segment
    index pairs (M,2). `occluders` (shared with the scene) hide what is behind bodies."""

    def __init__(self, occluders: Occluders | None = None, flown_alpha: float = 1.0,
                 ahead_alpha: float = 1.0, width: float = 1.0, horizon_days: float = 1e30):
        super().__init__(vcode=shader_source("lines.vert"), fcode=shader_source("lines.frag"))
        self._draw_mode = "lines"
        self._buffers = {name: gloo.VertexBuffer(np.zeros((1, size), dtype=np.float32))
                         for name, size in (("a_position", 3), ("a_time", 1), ("a_color", 4),
                                            ("a_span", 2))}
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._index = gloo.IndexBuffer(np.zeros(0, dtype=np.uint32))
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._occluders = occluders or Occluders()
        self.shared_program["u_time"] = 0.0
        self.shared_program["u_flown_alpha"] = float(flown_alpha)
        self.shared_program["u_ahead_alpha"] = float(ahead_alpha)
        self.shared_program["u_opacity"] = 1.0
        self.shared_program["u_horizon"] = float(horizon_days)
        self._width = float(width)
        self.set_gl_state("translucent", depth_test=False, line_smooth=True)
        self.freeze()

    def set_data(self, positions: np.ndarray, colors: np.ndarray, segments: np.ndarray,
                 times: np.ndarray | None = None, spans: np.ndarray | None = None) -> None:
        """Upload the geometry: positions (N,3) float32 display AU, colours (N,4) or one RGBA,
        segments (M,2) vertex indices, times (N,) float32 days since the caller's epoch
        (omitted: every vertex counts as flown), spans (N,2) days, the start and end of each
        vertex's leg for the horizon fade (omitted: always near)."""
        n = len(positions)
        self._positions = np.ascontiguousarray(positions, dtype=np.float32)
        colors = np.asarray(colors, dtype=np.float32)
        if colors.ndim == 1:
            colors = np.tile(colors, (n, 1))
        times = np.full(n, -1e30, dtype=np.float32) if times is None else times
        spans = np.tile(np.float32([-1e30, 1e30]), (n, 1)) if spans is None else spans
        self._buffers["a_position"].set_data(self._positions)
        self._buffers["a_time"].set_data(np.ascontiguousarray(times, dtype=np.float32)[:, None])
        self._buffers["a_color"].set_data(np.ascontiguousarray(colors))
        self._buffers["a_span"].set_data(np.ascontiguousarray(spans, dtype=np.float32))
        self._index.set_data(np.ascontiguousarray(segments, dtype=np.uint32).ravel())
        self.update()

    def set_time(self, time_days: float) -> None:
        """The clock, in days since the epoch the vertex times count from."""
        self.shared_program["u_time"] = float(time_days)
        self.update()

    def set_opacity(self, opacity: float) -> None:
        """Scale every vertex's alpha (0..1)."""
        self.shared_program["u_opacity"] = float(opacity)
        self.update()

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()
        view.view_program.vert["to_scene"] = view.get_transform("visual", "scene")

    def _prepare_draw(self, view):
        if self._index.size == 0:
            return False
        self._occluders.bind(self.shared_program)
        # Widths are logical pixels: an export at twice the size draws lines twice as wide.
        self.update_gl_state(line_width=max(self._width * self.transforms.pixel_scale, 1.0))
        self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        if len(self._positions) == 0:
            return None
        column = self._positions[:, axis]
        return column.min(), column.max()


Lines = create_visual_node(LinesVisual)


def polyline_segments(lengths) -> np.ndarray:
    """Segment index pairs (M, 2) joining consecutive points of polylines of these lengths,
    concatenated in order."""
    starts = np.cumsum([0, *lengths[:-1]])
    return np.concatenate([np.stack([np.arange(s, s + n - 1), np.arange(s + 1, s + n)], axis=1)
                           for s, n in zip(starts, lengths, strict=True)]).astype(np.uint32)
