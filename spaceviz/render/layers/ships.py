"""Ships: their transfer arcs (flown part solid, the rest faded) and markers, filled while
they carry cargo, hollow when empty."""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Line, Markers

from spaceviz.render.gpu import to_gpu
from spaceviz.render.layers import Frame, Layer, Pickables

SHIP_COLOR = np.array([1.0, 0.55, 0.2, 1.0], dtype=np.float32)
FLOWN_ALPHA, AHEAD_ALPHA = 0.9, 0.3


class ShipsLayer(Layer):
    """One Line for every arc and one Markers visual for the ships."""

    def __init__(self, scene):
        super().__init__(scene)
        self.ships = list(getattr(scene.world, "ships", {}).values())  # Ship or OemShip
        self.names = [ship.name for ship in self.ships]
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self.arcs = self.node = None
        if not self.ships:
            return
        self.arcs = Line(parent=scene.view.scene, method="gl", antialias=True, width=1.5)
        self.arcs.set_gl_state("translucent", depth_test=False)
        self.arcs.order = 15
        self.node = Markers(parent=scene.view.scene, antialias=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 23

    def update(self, frame: Frame) -> None:
        if self.node is None:
            return
        world, t = self.scene.world, frame.t_tdb
        vertices, colors, connect, start = [], [], [], 0
        for ship in self.ships:
            path, times = ship.path(world, t)
            alpha = np.where(times <= t, FLOWN_ALPHA, AHEAD_ALPHA)
            color = np.tile(SHIP_COLOR, (len(times), 1))
            color[:, 3] = alpha
            vertices.append(path)
            colors.append(color)
            count = path.shape[1]
            connect.append(np.stack([np.arange(start, start + count - 1),
                                     np.arange(start + 1, start + count)], axis=1))
            start += count
        self.arcs.set_data(pos=to_gpu(np.concatenate(vertices, axis=1), frame.focus_au),
                           color=np.concatenate(colors).astype(np.float32),
                           connect=np.concatenate(connect).astype(np.uint32))
        positions = np.stack([ship.state(world, t)[0] for ship in self.ships], axis=1)
        self._positions = to_gpu(positions, frame.focus_au)
        loaded = np.array([ship.carrying(t) for ship in self.ships])
        faces = np.where(loaded[:, None], SHIP_COLOR, np.array([0, 0, 0, 0], dtype=np.float32))
        self.node.set_data(self._positions, face_color=faces.astype(np.float32),
                           edge_color=SHIP_COLOR, edge_width=2.0, size=11, symbol="triangle_up")

    def pickables(self, frame: Frame) -> Pickables | None:
        if self.node is None:
            return None
        return Pickables(self.names, self._positions, np.full(len(self.names), 2.8))
