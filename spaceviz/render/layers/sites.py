"""Surface sites: markers on their body, yellow in sunlight, blue in darkness.

A site on the hemisphere turned away from the camera is hidden (the body is drawn as an
impostor without per-pixel depth, so the marker would otherwise show through it).
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Markers

from spaceviz.render.gpu import to_display, to_gpu
from spaceviz.render.layers import Frame, Layer, Pickables

LIT = (1.0, 0.82, 0.25, 1.0)
DARK = (0.35, 0.55, 1.0, 1.0)
MIN_PARENT_PX = 12.0  # sites appear once their body's disc is at least this radius


class SitesLayer(Layer):
    """One Markers visual for every site of the world."""

    kind = "site"

    def __init__(self, scene):
        super().__init__(scene)
        self.objects = [o for o in scene.world if o.kind == self.kind]
        self.names = [o.name for o in self.objects]
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._visible = np.zeros(0, dtype=bool)
        self.node = None
        if self.objects:
            self.node = Markers(parent=scene.view.scene, antialias=1.0)
            self.node.set_gl_state("translucent", depth_test=False)
            self.node.order = 20

    def lit_flags(self, t_tdb: float) -> np.ndarray:
        from spaceviz.core.astro import moon

        return np.array([bool(moon.is_lit(o.info["lat_deg"], o.info["lon_deg"], t_tdb,
                                          o.info.get("horizon_deg", 0.0)))
                         for o in self.objects])  # a handful of sites

    def update(self, frame: Frame) -> None:
        if self.node is None:
            return
        world = self.scene.world
        pos_au = np.stack([world.position(n, frame.t_tdb) for n in self.names], axis=1)
        parents = np.stack([world.position(o.parent, frame.t_tdb) for o in self.objects], axis=1)
        self._positions = to_gpu(pos_au, frame.focus_au)
        normals = to_display(pos_au - parents).T
        to_camera = frame.cam_pos[None, :] - self._positions
        facing = np.einsum("ij,ij->i", normals, to_camera) > 0
        # Only once the body is drawn large enough for its surface to mean something.
        radius_au = np.linalg.norm(normals, axis=1)
        parent_gpu = to_gpu(parents, frame.focus_au)
        distance = np.linalg.norm(parent_gpu - frame.cam_pos[None, :].astype(np.float32), axis=1)
        apparent_px = radius_au / np.maximum(distance, 1e-30) * frame.focal_px
        self._visible = facing & (apparent_px > MIN_PARENT_PX)
        self.scene.site_visibility = dict(zip(self.names, self._visible.tolist(), strict=True))
        colors = np.array([LIT if lit else DARK for lit in self.lit_flags(frame.t_tdb)],
                          dtype=np.float32)
        colors[~self._visible, 3] = 0.0
        edges = np.tile(np.array([0.0, 0.0, 0.0, 0.8], dtype=np.float32), (len(colors), 1))
        edges[~self._visible, 3] = 0.0
        self.node.set_data(self._positions, face_color=colors, edge_color=edges,
                           size=9, edge_width=1.0, symbol="diamond")

    def pickables(self, frame: Frame) -> Pickables | None:
        if self.node is None:
            return None
        names = [n for n, v in zip(self.names, self._visible, strict=True) if v]
        return Pickables(names, self._positions[self._visible], np.full(len(names), 2.5))
