"""Facilities (state-coloured glyphs sized by throughput) and shipment cargo in flight.

Colours: running green, ramping pale green, idle in darkness blue, storage full orange,
not yet built grey. Statuses and rates come from the session's operations model (re-read
when it is re-simulated); cargo positions from core (`cargo_in_flight`).
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Markers

from spaceviz.core.scenario.session import cargo_in_flight
from spaceviz.core.scenario.world import Facility
from spaceviz.render.layers.base import Frame, Layer, Pickables
from spaceviz.render.layers.sites import shown_on_surface
from spaceviz.render.visuals.lines import Lines

STATUS_COLORS = {
    "running": (0.30, 1.00, 0.45, 1.0),
    "ramping": (0.70, 1.00, 0.60, 1.0),
    "idle (darkness)": (0.40, 0.55, 1.00, 1.0),
    "storage full": (1.00, 0.60, 0.15, 1.0),
    "not built": (0.55, 0.55, 0.55, 0.6),
}
CARGO_COLOR = (1.0, 0.95, 0.6, 1.0)


class FacilitiesLayer(Layer):
    """Glyphs for facilities and dots for shipments in transit."""

    def __init__(self, scene, records: list[Facility]):
        super().__init__(scene, records)
        self.names = [o.name for o in records]
        self.nameplate = np.array([o.spec.rate_kg_per_day for o in records])
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._visible = np.zeros(len(records), dtype=bool)
        self._status: list[str] = ["not built"] * len(records)
        self._rate = np.zeros(len(records))
        self._cargo_positions: np.ndarray | None = None
        self._sizes = np.full(len(records), 12.0)
        self.routes = Lines(scene.occluders, parent=self.root)
        self.routes.order = 18
        self.node = Markers(parent=self.root, antialias=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 21
        self.cargo = Markers(parent=self.root, antialias=1.0)
        self.cargo.set_gl_state("translucent", depth_test=False)
        self.cargo.order = 22
        state = scene.state
        self.watch(state.timeline.time_changed)
        self.watch(state.operations_changed)

    def refresh(self, frame: Frame) -> None:
        t = frame.t_tdb
        pos_au = np.stack([o.position(t) for o in self.records], axis=1)
        self._positions = frame.to_gpu(pos_au)
        sim = self.scene.state.session.operations
        if sim is not None:
            state = sim.state_at(t)
            order = [state.facility_names.index(n) for n in self.names]
            self._status = [state.status[i] for i in order]
            self._rate = np.asarray(state.rate_kg_per_day)[order]
        self._refresh_cargo(frame)

    def _refresh_cargo(self, frame: Frame) -> None:
        cargo = cargo_in_flight(self.scene.state.session, frame.t_tdb)
        moving = len(cargo.ships) > 0
        self.cargo.visible = self.routes.visible = moving
        self._cargo_positions = frame.to_gpu(cargo.position_au) if moving else None
        if not moving:
            return
        ends = np.stack([cargo.route_start_au, cargo.route_end_au], axis=2).reshape(3, -1)
        pairs = np.arange(ends.shape[1], dtype=np.uint32).reshape(-1, 2)
        self.routes.set_data(frame.to_gpu(ends), np.array([1.0, 0.9, 0.5, 0.35]), pairs)

    def on_view(self, frame: Frame) -> None:
        self._visible = shown_on_surface(self.scene, self.records, self._positions, frame)
        colors = np.array([STATUS_COLORS.get(s, STATUS_COLORS["running"]) for s in self._status],
                          dtype=np.float32)
        colors[~self._visible, 3] = 0.0
        # Throughput glyph: the ring grows with the current rate relative to nameplate.
        load = np.clip(self._rate / np.maximum(self.nameplate, 1e-12), 0.0, 1.0)
        edge = colors.copy()
        edge[:, 3] *= 0.9
        self._sizes = 12.0 + 10.0 * load
        self.node.set_data(self._positions, face_color=np.zeros_like(colors), edge_color=edge,
                           size=self._sizes, edge_width=2.5, symbol="square")
        if self._cargo_positions is not None:
            shown = ~self.scene.hidden(self._cargo_positions)
            face = np.tile(np.array(CARGO_COLOR, dtype=np.float32), (len(shown), 1))
            edge = np.tile(np.array([0.0, 0.0, 0.0, 0.7], dtype=np.float32), (len(shown), 1))
            face[~shown, 3] = edge[~shown, 3] = 0.0
            self.cargo.set_data(self._cargo_positions, face_color=face, edge_color=edge, size=7,
                                symbol="disc")

    def pickables(self) -> Pickables:
        names = [n for n, v in zip(self.names, self._visible, strict=True) if v]
        return Pickables(names, self._positions[self._visible], np.full(len(names), 2.2),
                         marker_px=0.5 * self._sizes[self._visible] + 1.0)
