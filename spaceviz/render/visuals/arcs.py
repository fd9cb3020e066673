"""ArcsVisual: polylines with a time per vertex, drawn flown (bright) or ahead (faint) by a
current-time uniform, so a moving clock never re-uploads them (shaders/arc.*)."""

from __future__ import annotations

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.visuals import Visual

from spaceviz.paths import shader_source


class ArcsVisual(Visual):
    """Line segments: vertices (N,3) with times (N,) and colours (N,4), and an index of
    segment pairs (M,2); `set_time` moves the flown/ahead boundary."""

    def __init__(self, flown_alpha: float = 0.9, ahead_alpha: float = 0.3):
        super().__init__(vcode=shader_source("arc.vert"), fcode=shader_source("arc.frag"))
        self._draw_mode = "lines"
        self._buffers = {name: gloo.VertexBuffer(np.zeros((1, size), dtype=np.float32))
                         for name, size in (("a_position", 3), ("a_time", 1), ("a_color", 4))}
        for name, buffer in self._buffers.items():
            self.shared_program[name] = buffer
        self._index = gloo.IndexBuffer(np.zeros(0, dtype=np.uint32))
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self.shared_program["u_time"] = 0.0
        self.shared_program["u_flown_alpha"] = float(flown_alpha)
        self.shared_program["u_ahead_alpha"] = float(ahead_alpha)
        self.set_gl_state("translucent", depth_test=False, line_width=1.5)
        self.freeze()

    def set_data(self, positions: np.ndarray, times: np.ndarray, colors: np.ndarray,
                 segments: np.ndarray) -> None:
        """Upload the geometry: positions (N,3) float32 display AU, times (N,) float32 days
        since the caller's epoch, colours (N,4), segments (M,2) vertex indices."""
        self._positions = np.ascontiguousarray(positions, dtype=np.float32)
        self._buffers["a_position"].set_data(self._positions)
        self._buffers["a_time"].set_data(np.ascontiguousarray(times, dtype=np.float32)[:, None])
        self._buffers["a_color"].set_data(np.ascontiguousarray(colors, dtype=np.float32))
        self._index.set_data(np.ascontiguousarray(segments, dtype=np.uint32).ravel())
        self.update()

    def set_time(self, time_days: float) -> None:
        """The clock, in days since the epoch the vertex times count from."""
        self.shared_program["u_time"] = float(time_days)
        self.update()

    def _prepare_transforms(self, view):
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view):
        if self._index.size == 0:
            return False
        self._index_buffer = self._index
        return True

    def _compute_bounds(self, axis, view):
        if len(self._positions) == 0:
            return None
        column = self._positions[:, axis]
        return column.min(), column.max()


Arcs = create_visual_node(ArcsVisual)
