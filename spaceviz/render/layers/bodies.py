"""The Sun, planets, Moon and named asteroids as ray-cast spheres (BodiesVisual), mapped with
their surface textures where the project ships one (resources/textures), turning in their
IAU body-fixed frames; Saturn with its rings."""

from __future__ import annotations

import numpy as np

from spaceviz.core.astro.rotation import ORIENTED_BODIES, body_to_icrf
from spaceviz.core.astro.textures import body_textures, load_image
from spaceviz.core.constants import AU_KM
from spaceviz.core.scenario.economy import target_colors
from spaceviz.core.scenario.world import Asteroid, Body
from spaceviz.render.gpu import ICRF_TO_DISPLAY, rgba, to_gpu
from spaceviz.render.layers.base import Frame, Layer, Pickables
from spaceviz.render.visuals.bodies import Bodies
from spaceviz.render.visuals.rings import Rings

MIN_PX = {"star": 18.0, "planet": 8.0, "moon": 6.0, "asteroid": 5.0}
PRIORITY = {"star": 4, "planet": 3, "moon": 2, "asteroid": 1}
ATMOSPHERES = {"Earth": (0.08, 0.17, 0.38), "Venus": (0.10, 0.09, 0.05),
               "Mars": (0.05, 0.025, 0.01)}
"""Daylight scattered by an atmosphere, added over the map (RGB): Earth's blue haze."""
MAP_FROM_PX = 5.0
"""A mapped body gets its own visual (its map, its rings) once drawn this many logical
pixels in radius; smaller, it is a marker in the shared visual (the shader blends map and
marker colour from 6 to 24 px)."""
MIN_PEAK = 0.7
"""Exposure: an untextured body's colour is scaled up until its brightest channel reaches
this (Ceres' albedo is 0.09: drawn at its true darkness it would vanish)."""


def _kind(obj) -> str:
    return obj.info.kind if isinstance(obj, Body) else "asteroid"


def exposed(color) -> np.ndarray:
    """An RGBA colour brightened to MIN_PEAK in its brightest channel (hue kept)."""
    c = rgba(color)
    peak = float(c[:3].max())
    if 0.0 < peak < MIN_PEAK:
        c[:3] *= MIN_PEAK / peak
    return c


class BodiesLayer(Layer):
    """Bodies and named asteroids: positions and orientations recomputed when time moves
    (tens of objects), drawn far to near; a moon fades into its planet's marker."""

    def __init__(self, scene, records: list[Body | Asteroid]):
        super().__init__(scene, records)
        self.names = [o.name for o in records]
        kinds = [_kind(o) for o in records]
        self.radii_au = np.array([o.radius_km / AU_KM for o in records])
        self.oblate = np.array([o.info.radius_km / o.info.polar_radius_km
                                if isinstance(o, Body) else 1.0 for o in records])
        maps = body_textures()
        # A body without a map (or whose file is missing) is a shaded sphere of its colour.
        self.mapped = np.array([isinstance(o, Body) and o.name in maps
                                and o.name in ORIENTED_BODIES and maps[o.name].path.is_file()
                                for o in records], dtype=bool)
        # Marker colours (a mapped body shows its map when drawn at its true size).
        self.colors = np.array([exposed(o.info.color if isinstance(o, Body) else o.color)
                                for o in records], dtype=np.float32)
        self.min_px = np.array([MIN_PX[k] for k in kinds], dtype=np.float32)
        self.emissive = np.array([k == "star" for k in kinds], dtype=np.float32)
        # Earth's label wins ties with its neighbours: it is the reference for everything else.
        self.priority = np.array([PRIORITY[k] + 0.5 * (o.name == "Earth")
                                  for k, o in zip(kinds, records, strict=True)])
        self.parent_index = np.array([self.names.index(o.info.parent)
                                      if isinstance(o, Body) and o.info.kind == "moon"
                                      and o.info.parent in self.names else -1 for o in records])
        self.node = Bodies(scene.occluders, parent=self.root)  # bodies drawn without a map
        self.node.order = 10
        self.maps = maps
        self.mapped_nodes: dict[int, Bodies] = {}  # made when a body is first drawn large
        self.rings: list[tuple[int, Rings]] = []
        self._positions = np.zeros((0, 3), dtype=np.float32)
        self._light = np.zeros((0, 3), dtype=np.float32)
        self._axes = np.broadcast_to(np.eye(3), (len(records), 3, 3)).copy()
        self._by_value: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.watch(scene.state.timeline.time_changed)
        self.watch(scene.state.belt_filters.events.targets_by)

    def _marker_colors(self) -> np.ndarray:
        """Marker colours, the mining targets' by value when the asteroid panel asks."""
        colors = self.colors.copy()
        mode = self.scene.state.belt_filters.targets_by
        if mode != "class":
            if mode not in self._by_value:
                self._by_value[mode] = target_colors(self.scene.state.session.economics.prices,
                                                     self.records, mode)
            rows, rgb = self._by_value[mode]
            colors[rows, :3] = rgb
        return colors

    def _mapped_node(self, k: int):
        """The mapped visual of body k (and its rings), made on first use: a planet seen as
        a marker needs neither its map nor a shader program of its own."""
        node = self.mapped_nodes.get(k)
        if node is None:
            texture = self.maps[self.names[k]]
            node = Bodies(self.scene.occluders, texture.path,
                          ATMOSPHERES.get(self.names[k], (0, 0, 0)), parent=self.root)
            self.mapped_nodes[k] = node
            self._axes[k] = ICRF_TO_DISPLAY @ body_to_icrf(self.names[k],
                                                           self.scene.state.timeline.time)
            if texture.rings is not None:
                rings = texture.rings
                self.rings.append((k, Rings(self.scene.occluders, load_image(rings.path),
                                            rings.inner_radius_km / AU_KM,
                                            rings.outer_radius_km / AU_KM, parent=self.root)))
        return node

    def refresh(self, frame: Frame) -> None:
        pos_au = self.scene.state.world.positions(self.names, frame.t_tdb)  # (3, N) float64
        frame.cache.update(zip(self.names, pos_au.T, strict=True))
        to_sun = frame.sun_au[:, None] - pos_au
        norm = np.linalg.norm(to_sun, axis=0)
        norm[norm == 0] = 1.0
        self._light = to_gpu(to_sun / norm, np.zeros(3))
        self._positions = frame.to_gpu(pos_au)
        for k in self.mapped_nodes:
            self._axes[k] = ICRF_TO_DISPLAY @ body_to_icrf(self.names[k], frame.t_tdb)

    def on_view(self, frame: Frame) -> None:
        colors = self._marker_colors()
        colors[:, 3] *= self._moon_visibility()
        # Far to near, so nearer spheres cover farther ones.
        depth = np.linalg.norm(self._positions - frame.cam_local.astype(np.float32), axis=1)
        order = np.argsort(-depth)
        radius_px = self.radii_au / np.maximum(depth, 1e-30) * frame.focal_px
        with_map = self.mapped & (radius_px >= MAP_FROM_PX)
        plain = order[~with_map[order]]
        self.node.set_camera(frame.cam_local, frame.basis, frame.focal_px)
        self.node.set_data(self._positions[plain], self.radii_au[plain], colors[plain],
                           self._light[plain], self.min_px[plain], self.emissive[plain])
        for node in self.mapped_nodes.values():
            node.visible = False
        for rank, k in enumerate(order):
            if not with_map[k]:
                continue
            node = self._mapped_node(int(k))
            node.visible = True
            node.order = 10 + rank / len(order)  # painter's order among the mapped bodies
            node.set_camera(frame.cam_local, frame.basis, frame.focal_px)
            node.set_data(self._positions[[k]], self.radii_au[[k]], colors[[k]],
                          self._light[[k]], self.min_px[[k]], self.emissive[[k]],
                          self._axes[[k]], self.oblate[[k]])
            diameter = 2.0 * self.radii_au[k] / max(depth[k], 1e-30) * frame.focal_px
            node.show_detail(max(diameter, self.min_px[k]) * frame.px_scale)
        self.node.order = 11  # the small unmapped bodies after the planets
        for k, rings in self.rings:
            rings.visible = bool(with_map[k])
            if not rings.visible:
                continue
            rings.order = 10 + (list(order).index(k) + 0.5) / len(order)
            rings.set_data(self._positions[k], self._axes[k][:, 2], self._light[k],
                           self.radii_au[k], frame.cam_local)

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
        return Pickables(self.names, self._positions, self.priority, self.radii_au,
                         marker_px=0.5 * self.min_px)
