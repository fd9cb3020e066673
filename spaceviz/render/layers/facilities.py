"""Facilities (state-coloured glyphs sized by throughput) and cargo moving between places.

Colours: running green, ramping pale green, idle in darkness blue, storage full orange,
not yet built grey. Cargo in transit is a dot moving on the straight line from the plant
(at departure) to the destination (at arrival), with a faint line showing the route.
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Line, Markers

from spaceviz.render.gpu import to_gpu
from spaceviz.render.layers import Frame, Layer, Pickables

STATUS_COLORS = {
    "running": (0.30, 1.00, 0.45, 1.0),
    "ramping": (0.70, 1.00, 0.60, 1.0),
    "idle (darkness)": (0.40, 0.55, 1.00, 1.0),
    "storage full": (1.00, 0.60, 0.15, 1.0),
    "not built": (0.55, 0.55, 0.55, 0.6),
}
CARGO_COLOR = (1.0, 0.95, 0.6, 1.0)


class FacilitiesLayer(Layer):
    """Glyphs for facilities and dots for cargo legs in transit (operations model)."""

    def __init__(self, scene):
        super().__init__(scene)
        self.sim = getattr(scene, "operations", None)
        self.objects = [o for o in scene.world if o.kind == "facility"]
        self.names = [o.name for o in self.objects]
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._visible = np.zeros(0, dtype=bool)
        self.node = self.cargo = self.routes = None
        if not self.objects or self.sim is None:
            return
        self.routes = Line(parent=scene.view.scene, method="gl", width=1.0, connect="segments")
        self.routes.set_gl_state("translucent", depth_test=False)
        self.routes.order = 18
        self.node = Markers(parent=scene.view.scene, antialias=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 21
        self.cargo = Markers(parent=scene.view.scene, antialias=1.0)
        self.cargo.set_gl_state("translucent", depth_test=False)
        self.cargo.order = 22
        self.nameplate = np.array([f.rate_kg_per_day for f in self.sim.facilities])
        self.legs = list(self.sim.legs)
        self.leg_cargo = np.asarray(self.sim.leg_cargo_kg, dtype=float).reshape(len(self.legs), -1).sum(axis=1) \
            if len(self.legs) else np.zeros(0)
        self.leg_depart = np.array([leg.depart_tdb for leg in self.legs])
        self.leg_arrive = np.array([leg.arrive_tdb for leg in self.legs])

    def update(self, frame: Frame) -> None:
        if self.node is None:
            return
        world, t = self.scene.world, frame.t_tdb
        pos_au = np.stack([world.position(n, t) for n in self.names], axis=1)
        self._positions = to_gpu(pos_au, frame.focus_au)
        sites = getattr(self.scene, "site_visibility", {})
        self._visible = np.array([sites.get(o.parent, True) for o in self.objects], dtype=bool)
        state = self.sim.state_at(t)
        order = [state.facility_names.index(n) for n in self.names]
        status = [state.status[i] for i in order]
        rate = np.asarray(state.rate_kg_per_day)[order]
        colors = np.array([STATUS_COLORS.get(s, STATUS_COLORS["running"]) for s in status],
                          dtype=np.float32)
        colors[~self._visible, 3] = 0.0
        # Throughput glyph: the ring grows with the current rate relative to nameplate.
        load = np.clip(rate / np.maximum(self.nameplate[order], 1e-12), 0.0, 1.0)
        sizes = (12.0 + 10.0 * load)
        edge = colors.copy()
        edge[:, 3] *= 0.9
        self.node.set_data(self._positions, face_color=np.zeros_like(colors), edge_color=edge,
                           size=sizes, edge_width=2.5, symbol="square")
        self._update_cargo(frame)

    def _update_cargo(self, frame: Frame) -> None:
        t = frame.t_tdb
        moving = np.flatnonzero((self.leg_depart <= t) & (t < self.leg_arrive) & (self.leg_cargo > 0))
        if len(moving) == 0:
            self.cargo.visible = self.routes.visible = False
            return
        world = self.scene.world
        starts, ends = [], []
        for index in moving:  # only the legs in flight right now (a handful)
            leg = self.legs[index]
            starts.append(world.position(leg.from_facility, leg.depart_tdb)
                          - world.position("Earth", leg.depart_tdb) + world.position("Earth", t))
            ends.append(world.position(leg.to, t))
        starts, ends = np.stack(starts, axis=1), np.stack(ends, axis=1)
        u = (t - self.leg_depart[moving]) / (self.leg_arrive[moving] - self.leg_depart[moving])
        here = starts + (ends - starts) * u
        self.cargo.visible = self.routes.visible = True
        self.cargo.set_data(to_gpu(here, frame.focus_au), face_color=CARGO_COLOR,
                            edge_color=(0, 0, 0, 0.7), size=7, symbol="disc")
        segments = to_gpu(np.stack([starts, ends], axis=2).reshape(3, -1), frame.focus_au)
        self.routes.set_data(pos=segments, color=(1.0, 0.9, 0.5, 0.35), connect="segments")

    def pickables(self, frame: Frame) -> Pickables | None:
        if self.node is None:
            return None
        names = [n for n, v in zip(self.names, self._visible, strict=True) if v]
        return Pickables(names, self._positions[self._visible], np.full(len(names), 2.2))
