"""Surface sites: markers on their body, yellow in sunlight, blue in darkness.

A site on the hemisphere turned away from the camera is hidden, and so is one behind another
body (render/occlusion.py); so is every site while its body's disc is too small for a
surface to mean anything. Sunlight and which side faces the
camera come from core (Site.sunlit, viewpoints.surface_visibility).
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Markers

from spaceviz.core.scenario.world import Site
from spaceviz.core.state.viewpoints import surface_visibility
from spaceviz.render.layers.base import Frame, Layer, Pickables

LIT = (1.0, 0.82, 0.25, 1.0)
DARK = (0.35, 0.55, 1.0, 1.0)
SITE_PX = 9.0
MIN_BODY_PX = 12.0  # surface markers appear once their body's disc is at least this radius


def shown_on_surface(scene, objects: list, positions: np.ndarray, frame: Frame) -> np.ndarray:
    """Which surface objects to draw: facing the camera, on a body drawn large enough, not
    behind another body (positions in uploaded coordinates)."""
    facing, angular = surface_visibility(objects, frame.t_tdb, frame.eye_au)
    return facing & (angular * frame.focal_px > MIN_BODY_PX) & ~scene.hidden(positions)


class SitesLayer(Layer):
    """One Markers visual for every site."""

    def __init__(self, scene, records: list[Site]):
        super().__init__(scene, records)
        self.names = [o.name for o in records]
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._lit = np.zeros(len(records), dtype=bool)
        self._visible = np.zeros(len(records), dtype=bool)
        self.node = Markers(parent=self.root, antialias=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 20
        self.watch(scene.state.timeline.time_changed)

    def refresh(self, frame: Frame) -> None:
        pos_au = np.stack([o.position(frame.t_tdb) for o in self.records], axis=1)
        self._positions = frame.to_gpu(pos_au)
        self._lit = np.array([bool(o.sunlit(frame.t_tdb)) for o in self.records])

    def on_view(self, frame: Frame) -> None:
        self._visible = shown_on_surface(self.scene, self.records, self._positions, frame)
        colors = np.array([LIT if lit else DARK for lit in self._lit], dtype=np.float32)
        colors[~self._visible, 3] = 0.0
        edges = np.tile(np.array([0.0, 0.0, 0.0, 0.8], dtype=np.float32), (len(colors), 1))
        edges[~self._visible, 3] = 0.0
        self.node.set_data(self._positions, face_color=colors, edge_color=edges,
                           size=SITE_PX, edge_width=1.0, symbol="diamond")

    def pickables(self) -> Pickables:
        names = [n for n, v in zip(self.names, self._visible, strict=True) if v]
        return Pickables(names, self._positions[self._visible], np.full(len(names), 2.5),
                         marker_px=0.5 * SITE_PX)
