"""The Sun, planets and Moon (and any world object with a radius) as shaded spheres."""

from __future__ import annotations

import numpy as np

from spaceviz.core.constants import AU_KM
from spaceviz.render.gpu import rgba, to_gpu
from spaceviz.render.layers import Frame, Layer, Pickables
from spaceviz.render.visuals.bodies import Bodies

MIN_PX = {"star": 18.0, "planet": 8.0, "moon": 6.0, "asteroid": 5.0}
PRIORITY = {"star": 4, "planet": 3, "moon": 2, "asteroid": 1}
BODY_KINDS = ("star", "planet", "moon", "asteroid")


class BodiesLayer(Layer):
    """Major bodies drawn with BodiesVisual; positions re-uploaded per frame (tens of bodies)."""

    kinds = BODY_KINDS

    def __init__(self, scene):
        super().__init__(scene)
        world = scene.world
        self.objects = [o for o in world if o.kind in self.kinds]
        self.names = [o.name for o in self.objects]
        self.radii_au = np.array([o.radius_km / AU_KM for o in self.objects])
        self.colors = np.array([rgba(o.color) for o in self.objects], dtype=np.float32)
        self.min_px = np.array([MIN_PX.get(o.kind, 5.0) for o in self.objects], dtype=np.float32)
        self.emissive = np.array([o.kind == "star" for o in self.objects], dtype=np.float32)
        # Earth's label wins ties with its neighbours: it is the reference for everything else.
        self.priority = np.array([PRIORITY.get(o.kind, 1) + 0.5 * (o.name == "Earth")
                                  for o in self.objects])
        self.parent_index = np.array([self.names.index(o.parent)
                                      if o.kind == "moon" and o.parent in self.names else -1
                                      for o in self.objects])
        self.node = Bodies(parent=scene.view.scene)
        self.node.order = 10
        self._positions = np.zeros((0, 3), dtype=np.float32)

    def update(self, frame: Frame) -> None:
        pos_au = self.scene.world.positions(self.names, frame.t_tdb)  # (3, N) float64
        frame.cache.update(zip(self.names, pos_au.T, strict=True))
        to_sun = frame.sun_au[:, None] - pos_au
        norm = np.linalg.norm(to_sun, axis=0)
        norm[norm == 0] = 1.0
        light = to_gpu(to_sun / norm, np.zeros(3))
        self._positions = to_gpu(pos_au, frame.focus_au)
        colors = self.colors.copy()
        colors[:, 3] *= self._moon_visibility(frame)
        # Far to near, so nearer spheres cover farther ones.
        depth = np.linalg.norm(self._positions - frame.cam_pos.astype(np.float32), axis=1)
        order = np.argsort(-depth)
        self.node.set_camera(frame.cam_pos, frame.basis, frame.focal_px)
        self.node.set_data(self._positions[order], self.radii_au[order], colors[order],
                           light[order], self.min_px[order], self.emissive[order])

    def _moon_visibility(self, frame: Frame) -> np.ndarray:
        """1 for most bodies; a moon fades out when it sits inside its parent's marker."""
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

    def pickables(self, frame: Frame) -> Pickables:
        return Pickables(self.names, self._positions, self.priority, self.radii_au)
