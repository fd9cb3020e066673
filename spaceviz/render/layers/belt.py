"""Asteroid populations (BeltData) drawn by BeltVisual: elements once, two uniforms a frame.

Mean anomalies are re-referred on the CPU in float64 to an epoch near the timeline (t_ref);
the shader then only adds n * (t - t_ref) with t - t_ref small enough for float32.
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.astro.catalogs.population import CLASS_COLORS, GROUP_COLORS, BeltData
from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2
from spaceviz.render.gpu import perifocal_arrays, to_gpu
from spaceviz.render.layers import Frame, Layer
from spaceviz.render.visuals.belt import Belt

REBASE_DAYS = 20_000.0  # re-refer mean anomalies when the clock runs this far from t_ref
PICK_RADIUS_PX = 6


class BeltLayer(Layer):
    """One BeltVisual holding every population of the world (concatenated)."""

    def __init__(self, scene):
        super().__init__(scene)
        self.belts: list[BeltData] = list(getattr(scene.world, "belts", []))
        self.offsets = np.cumsum([0] + [len(b) for b in self.belts])
        self.node = None
        self.t_ref = None
        self.filters = {"groups": [True] * 8, "a": (0.0, 1e9), "e": (0.0, 1.0), "i": (0.0, 180.0),
                        "H": (-100.0, 100.0), "color_by": "group"}
        if int(self.offsets[-1]) == 0:
            return
        self.node = Belt(parent=scene.view.scene)
        self.node.order = 5
        self.node.set_palette(np.array(GROUP_COLORS), np.array(CLASS_COLORS))
        p_parts, q_parts, meta_parts = [], [], []
        for belt in self.belts:
            p, q = perifocal_arrays(belt.a_au, belt.e, belt.i_rad, belt.node_rad, belt.peri_rad,
                                    belt.equatorial)
            p_parts.append(p)
            q_parts.append(q)
            h = np.where(np.isfinite(belt.H), belt.H, 16.0)
            meta_parts.append(np.stack([belt.group, belt.spectral, h, np.degrees(belt.i_rad)], 1))
        self._p = np.concatenate(p_parts)
        self._q = np.concatenate(q_parts)
        self._meta = np.concatenate(meta_parts).astype(np.float32)
        self._upload(scene.timeline.time)

    @property
    def count(self) -> int:
        return int(self.offsets[-1])

    def _upload(self, t_ref: float) -> None:
        """(Re)upload the elements with mean anomalies referred to t_ref (float64 on the CPU)."""
        self.t_ref = float(t_ref)
        orbit = np.empty((self.count, 4), dtype=np.float32)
        for belt, start in zip(self.belts, self.offsets[:-1], strict=False):
            rows = slice(int(start), int(start) + len(belt))
            orbit[rows, 0] = belt.e
            orbit[rows, 1] = belt.mean_motion_rad_per_day
            orbit[rows, 2] = belt.mean_anomaly_at(self.t_ref)
        orbit[:, 3] = np.arange(self.count, dtype=np.float32)
        self.node.set_orbits(self._p, self._q, orbit, self._meta)

    def update(self, frame: Frame) -> None:
        if self.node is None:
            return
        if abs(frame.t_tdb - self.t_ref) > REBASE_DAYS:
            self._upload(frame.t_tdb)
        sun = to_gpu(frame.sun_au, frame.focus_au)[0]
        self.node.set_frame(frame.t_tdb - self.t_ref, sun, frame.px_scale)

    # --- filters -----------------------------------------------------------------------
    def set_filters(self, **changes) -> None:
        """groups (8 bools), a/e/i/H (min, max) ranges, color_by ('group' | 'class')."""
        if self.node is None:
            return
        self.filters.update(changes)
        f = self.filters
        groups = [1.0 if shown else 0.0 for shown in f["groups"]] + [1.0] * 8
        a_low, a_high = f["a"]
        # a in [a_low, a_high] <=> mean motion in [n(a_high), n(a_low)] (n falls with a).
        n_range = (float(np.sqrt(GM_SUN_AU3_PER_DAY2 / max(a_high, 1e-6) ** 3)) * (1 - 1e-6),
                   float(np.sqrt(GM_SUN_AU3_PER_DAY2 / max(a_low, 1e-6) ** 3)) * (1 + 1e-6))
        self.node.set_uniforms(u_groups_a=tuple(groups[:4]), u_groups_b=tuple(groups[4:8]),
                               u_n_range=n_range, u_e_range=tuple(f["e"]),
                               u_i_range=tuple(f["i"]), u_h_range=tuple(f["H"]),
                               u_color_by=1.0 if f["color_by"] == "class" else 0.0)
        self.scene.canvas.update()

    def visible_count_cpu(self) -> int:
        """How many objects pass the current filters (numpy, for the legend)."""
        f = self.filters
        a = np.linalg.norm(self._p, axis=1)
        e = np.concatenate([b.e for b in self.belts])
        i_deg, h = self._meta[:, 3], self._meta[:, 2]
        group_ok = np.asarray(f["groups"])[self._meta[:, 0].astype(int)]
        mask = (group_ok & (a >= f["a"][0]) & (a <= f["a"][1]) & (e >= f["e"][0]) & (e <= f["e"][1])
                & (i_deg >= f["i"][0]) & (i_deg <= f["i"][1]) & (h >= f["H"][0]) & (h <= f["H"][1]))
        return int(mask.sum())

    # --- picking -----------------------------------------------------------------------
    def pick_index(self, x: float, y: float, radius_px: int = PICK_RADIUS_PX) -> int | None:
        """Global index of the asteroid drawn nearest to canvas pixel (x, y), via an ID pass."""
        if self.node is None:
            return None
        canvas = self.scene.canvas
        width, height = canvas.size
        size = 2 * radius_px + 1
        left = int(round(x)) - radius_px
        top = int(round(y)) - radius_px
        region = (left, height - top - size, size, size)
        from spaceviz.render.scene import render_region

        hidden = [n for n in (*self.scene.view.scene.children, *self.scene.overlay.nodes)
                  if n is not self.node and n is not self.scene.view.camera and n.visible]
        for node in hidden:
            node.visible = False
        view_background = self.scene.view.bgcolor
        self.scene.view.bgcolor = None  # ID 0 (black) must mean "nothing here"
        self.node.set_uniforms(u_pick=1.0)
        try:
            image = render_region(canvas, region, (size, size), bgcolor=(0, 0, 0, 1))
        finally:
            self.node.set_uniforms(u_pick=0.0)
            self.scene.view.bgcolor = view_background
            for node in hidden:
                node.visible = True
        ids = (image[..., 0].astype(np.int64) + 256 * image[..., 1].astype(np.int64)
               + 65536 * image[..., 2].astype(np.int64))
        hits = np.argwhere((ids > 0) & (ids <= self.count))
        if len(hits) == 0:
            return None
        distance = np.linalg.norm(hits - radius_px, axis=1)
        row, column = hits[np.argmin(distance)]
        return int(ids[row, column] - 1)

    def name_of(self, index: int) -> str:
        which = int(np.searchsorted(self.offsets, index, side="right") - 1)
        return str(self.belts[which].names[index - self.offsets[which]])
