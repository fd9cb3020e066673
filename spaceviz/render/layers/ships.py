"""Ships: their transfer arcs (flown part bright, the rest faint; blue where an electric
engine thrusts, orange where the ship coasts) and markers, filled while they carry cargo,
hollow when empty.

Arcs are propagated and uploaded once per flight plan, with a time per vertex; as the clock
runs only a uniform changes (LinesVisual), and each arc follows its central body by
translation. A ship waiting at a planet or the Moon is in its parking orbit; when that is
within the body's drawn disc, its marker is drawn just outside the disc so that it never
hides the body (and its label gives way to the body's).
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Markers

from spaceviz.core.constants import AU_KM
from spaceviz.core.mission.trajectories import flight_path
from spaceviz.core.scenario.world import Body, Ship
from spaceviz.render.layers.base import Anchor, Frame, Layer, Pickables
from spaceviz.render.layers.bodies import MIN_PX
from spaceviz.render.visuals.lines import Lines, polyline_segments

SHIP_COLOR = np.array([1.0, 0.55, 0.2, 1.0], dtype=np.float32)
THRUST_COLOR = np.array([0.35, 0.85, 1.0, 1.0], dtype=np.float32)
"""Stretches where an electric engine thrusts (ion blue); coasting and impulsive arcs are
SHIP_COLOR."""
FLOWN_ALPHA, AHEAD_ALPHA = 0.9, 0.3
CISLUNAR_HORIZON_DAYS = 15.0
"""Arcs about the Earth or the Moon more than this from now fade out (gone at twice): a
shuttle flying every few weeks for years would otherwise draw every trip at once."""
PARKED_GAP_PX = 9.0
SHIP_PX = 11.0
FLYING_PRIORITY, PARKED_PRIORITY = 2.8, 0.5


def spiral_opacity(positions: np.ndarray) -> float:
    """Opacity for an arc by how many times it winds round its centre: a spiral of hundreds
    of turns (an electric tug raising its orbit) would otherwise paint a solid disc over its
    planet; it fades to a veil in which single turns still show."""
    if positions.shape[1] < 3:
        return 1.0
    a, b = positions[:, :-1], positions[:, 1:]
    cos = np.einsum("ij,ij->j", a, b) / np.maximum(
        np.linalg.norm(a, axis=0) * np.linalg.norm(b, axis=0), 1e-300)
    turns = float(np.arccos(np.clip(cos, -1.0, 1.0)).sum()) / (2.0 * np.pi)
    return float(np.clip(4.0 / max(turns, 1e-9), 0.025, 1.0))


class ShipsLayer(Layer):
    """Arcs grouped by central body (Sun, Earth, or none for OEM files), one marker each."""

    def __init__(self, scene, records: list[Ship]):
        super().__init__(scene, records)
        self._anchors: dict[str | None, tuple[Anchor, object]] = {}
        self._paths: dict[str | None, list[tuple[np.ndarray, np.ndarray]]] = {}
        self.t_ref = scene.state.timeline.time
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._drawn = np.zeros((0, 3), dtype=np.float32)
        self._shown = np.zeros(0, dtype=bool)
        self._waiting: list[str | None] = []
        self.node = Markers(parent=self.root, antialias=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 23
        state = scene.state
        self.watch(state.timeline.time_changed)
        self.watch(state.ship_replanned, also=self._replanned)
        self.watch(state.view.events.ships)
        self._sample()

    @property
    def names(self) -> list[str]:
        return [ship.name for ship in self.records]

    def _replanned(self, name: str) -> None:
        self.records = self.scene.state.world.of_type(Ship)
        self._sample()

    def _sample(self) -> None:
        """Propagate every leg once: (times, positions) per central body, kept in float64."""
        self._paths = {}
        for ship in self.records:
            for central, times, positions in flight_path(ship.plan):
                scale = 1.0 / AU_KM if central is not None else 1.0
                colors = np.where(ship.plan.thrusting_at(times)[:, None], THRUST_COLOR,
                                  SHIP_COLOR).astype(np.float32)
                colors[:, 3] *= spiral_opacity(positions)
                self._paths.setdefault(central, []).append((times, positions * scale, colors))
        for anchor, _arcs in self._anchors.values():
            anchor.uploaded_at = None
            anchor.body = None
        for central in self._paths:
            if central not in self._anchors:
                anchor = Anchor(self.root, central)
                arcs = Lines(self.scene.occluders, FLOWN_ALPHA, AHEAD_ALPHA, width=1.5,
                             horizon_days=CISLUNAR_HORIZON_DAYS if central in ("Earth", "Moon")
                             else 1e30, parent=anchor.node)
                arcs.order = 15
                self._anchors[central] = (anchor, arcs)
            self._anchors[central][0].body = central
        for central, (anchor, _arcs) in self._anchors.items():
            anchor.node.visible = central in self._paths

    def refresh(self, frame: Frame) -> None:
        shown = self.scene.state.view.ships
        self.node.visible = shown
        world = self.scene.state.world
        for central, (anchor, arcs) in self._anchors.items():
            if central not in self._paths:
                continue
            anchor.node.visible = shown
            body_au = world.position(central, frame.t_tdb) if central else None
            if anchor.needs_upload(frame, body_au):
                self._upload(arcs, self._paths[central], body_au, frame)
                anchor.uploaded(body_au)
            anchor.follow(body_au)
            arcs.set_time(frame.t_tdb - self.t_ref)
        t = frame.t_tdb
        pos = np.stack([ship.state(t)[0] for ship in self.records], axis=1)
        self._positions = frame.to_gpu(pos)
        self._waiting = [ship.plan.waiting_at(t) for ship in self.records]
        loaded = np.array([float(ship.plan.cargo_at(t)) > 0 for ship in self.records])
        self._faces = np.where(loaded[:, None], SHIP_COLOR, np.zeros(4, dtype=np.float32))

    def _upload(self, arcs, paths, body_au, frame: Frame) -> None:
        offset = body_au[:, None] if body_au is not None else 0.0
        positions = frame.to_gpu(np.concatenate([p for _, p, _ in paths], axis=1) + offset)
        times = np.concatenate([t for t, _, _ in paths]) - self.t_ref
        spans = np.concatenate([np.tile([t[0], t[-1]], (len(t), 1)) for t, _, _ in paths])
        segments = polyline_segments([len(t) for t, _, _ in paths])
        arcs.set_data(positions, np.concatenate([c for _, _, c in paths]), segments, times,
                      spans - self.t_ref)

    def on_view(self, frame: Frame) -> None:
        """Place waiting ships beside the disc of the body they wait at."""
        self._drawn = self._positions.copy()
        world = self.scene.state.world
        for k, place in enumerate(self._waiting):  # a handful of ships
            obj = world.exact(place) if place else None
            if obj is None:
                continue
            centre = frame.to_gpu(obj.position(frame.t_tdb))[0]
            distance = float(np.linalg.norm(centre - frame.cam_local))
            if isinstance(obj, Body):
                radius_px = max(0.5 * MIN_PX[obj.info.kind],
                                obj.radius_km / AU_KM / max(distance, 1e-30) * frame.focal_px)
            else:
                radius_px = 4.0
            ship_screen, centre_screen = self.scene.project(
                np.stack([self._positions[k], centre]))
            gap = ship_screen - centre_screen
            if not np.all(np.isfinite(gap)) or np.hypot(*gap) >= radius_px + PARKED_GAP_PX:
                continue
            side = frame.basis[0] if np.hypot(*gap) < 1e-3 else (
                frame.basis[0] * gap[0] - frame.basis[1] * gap[1])
            side = side / np.linalg.norm(side)
            offset_au = (radius_px + PARKED_GAP_PX) / frame.focal_px * distance
            self._drawn[k] = centre + side * offset_au
        self._shown = ~self.scene.hidden(self._drawn)
        faces = self._faces.astype(np.float32)
        edges = np.tile(SHIP_COLOR, (len(faces), 1))
        faces[~self._shown, 3] = edges[~self._shown, 3] = 0.0
        self.node.set_data(self._drawn, face_color=faces, edge_color=edges, edge_width=2.0,
                           size=SHIP_PX, symbol="triangle_up")

    def pickables(self) -> Pickables | None:
        if not self.scene.state.view.ships:
            return None
        shown = self._shown
        priority = np.array([PARKED_PRIORITY if w else FLYING_PRIORITY for w in self._waiting])
        return Pickables([n for n, s in zip(self.names, shown, strict=True) if s],
                         self._drawn[shown], priority[shown], marker_px=0.5 * SHIP_PX)


