"""The Sun, planets, Moon and named asteroids as shaded spheres (BodiesVisual)."""

from __future__ import annotations

import numpy as np

from spaceviz.core.constants import AU_KM
from spaceviz.core.scenario.world import Asteroid, Body
from spaceviz.render.gpu import rgba, to_gpu
from spaceviz.render.layers.base import Frame, Layer, Pickables
from spaceviz.render.visuals.bodies import Bodies

MIN_PX = {"star": 18.0, "planet": 8.0, "moon": 6.0, "asteroid": 5.0}
PRIORITY = {"star": 4, "planet": 3, "moon": 2, "asteroid": 1}


def _kind(obj) -> str:
    return obj.info.kind if isinstance(obj, Body) else "asteroid"


class BodiesLayer(Layer):
    """Bodies and named asteroids: positions re-uploaded when time moves (tens of objects),
    drawn far to near and a moon faded into its planet's marker when the camera turns."""

    def __init__(self, scene, records: list[Body | Asteroid]):
        super().__init__(scene, records)
        self.names = [o.name for o in records]
        kinds = [_kind(o) for o in records]
        self.radii_au = np.array([o.radius_km / AU_KM for o in records])
        self.colors = np.array([rgba(o.info.color if isinstance(o, Body) else o.color)
                                for o in records], dtype=np.float32)
        self.min_px = np.array([MIN_PX[k] for k in kinds], dtype=np.float32)
        self.emissive = np.array([k == "star" for k in kinds], dtype=np.float32)
        # Earth's label wins ties with its neighbours: it is the reference for everything else.
        self.priority = np.array([PRIORITY[k] + 0.5 * (o.name == "Earth")
                                  for k, o in zip(kinds, records, strict=True)])
        self.parent_index = np.array([self.names.index(o.info.parent)
                                      if isinstance(o, Body) and o.info.kind == "moon"
                                      and o.info.parent in self.names else -1 for o in records])
        self.node = Bodies(parent=self.root)
        self.node.order = 10
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._light = np.zeros((0, 3), dtype=np.float32)
        self.watch(scene.state.timeline.time_changed)

    def refresh(self, frame: Frame) -> None:
        pos_au = self.scene.state.world.positions(self.names, frame.t_tdb)  # (3, N) float64
        frame.cache.update(zip(self.names, pos_au.T, strict=True))
        to_sun = frame.sun_au[:, None] - pos_au
        norm = np.linalg.norm(to_sun, axis=0)
        norm[norm == 0] = 1.0
        self._light = to_gpu(to_sun / norm, np.zeros(3))
        self._positions = frame.to_gpu(pos_au)

    def on_view(self, frame: Frame) -> None:
        colors = self.colors.copy()
        colors[:, 3] *= self._moon_visibility()
        # Far to near, so nearer spheres cover farther ones.
        depth = np.linalg.norm(self._positions - frame.cam_local.astype(np.float32), axis=1)
        order = np.argsort(-depth)
        self.node.set_camera(frame.cam_local, frame.basis, frame.focal_px)
        self.node.set_data(self._positions[order], self.radii_au[order], colors[order],
                           self._light[order], self.min_px[order], self.emissive[order])

    def _moon_visibility(self) -> np.ndarray:
        """1 for most bodies; a moon fades out when it sits inside its planet's marker."""
        alpha = np.ones(len(self.names), dtype=np.float32)
        moons = np.flatnonzero(self.parent_index >= 0)
        if len(moons) == 0:
            return alpha
        screen = self.scene.project(self._positions[np.concatenate([moons, self.parent_index[moons]])])
        separation = np.linalg.norm(screen[: len(moons)] - screen[len(moons):], axis=1)
        threshold = self.min_px[self.parent_index[moons]]
        fade = np.clip((separation - threshold) / threshold, 0.0, 1.0)
        alpha[moons] = np.where(np.isfinite(fade), fade, 1.0)
        return alpha

    def pickables(self) -> Pickables:
        return Pickables(self.names, self._positions, self.priority, self.radii_au)
