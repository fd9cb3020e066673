"""Asteroid populations drawn by BeltVisual: elements uploaded once, two uniforms a frame.

Mean anomalies are re-referred on the CPU in float64 to an epoch near the timeline (t_ref);
the shader then only adds n * (t - t_ref) with t - t_ref small enough for float32. Filters and
the colour mode come from the AppState's BeltFilters and are uniforms: never a re-upload.
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.astro.catalogs.population import CLASS_COLORS, GROUP_COLORS, Population
from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2
from spaceviz.render.gpu import perifocal_arrays, to_gpu
from spaceviz.render.layers.base import Frame, Layer
from spaceviz.render.offscreen import render_region
from spaceviz.render.visuals.belt import Belt

REBASE_DAYS = 20_000.0  # re-refer mean anomalies when the clock runs this far from t_ref
PICK_RADIUS_PX = 6
DRAW_ORDER_SEED = 20_301


class BeltLayer(Layer):
    """One BeltVisual holding every population of the world (concatenated)."""

    def __init__(self, scene, records: list[Population]):
        super().__init__(scene, records)
        self.offsets = np.cumsum([0] + [len(p) for p in records])
        self.t_ref: float | None = None
        self.node = Belt(scene.occluders, parent=self.root)
        self.node.order = 5
        self.node.set_palette(np.array(GROUP_COLORS), np.array(CLASS_COLORS))
        p_parts, q_parts, meta_parts = [], [], []
        for population in records:
            el = population.elements
            p, q = perifocal_arrays(el.a_au, el.e, el.i_rad, el.node_rad, el.peri_rad,
                                    el.equatorial)
            p_parts.append(p)
            q_parts.append(q)
            h = np.where(np.isfinite(population.H), population.H, 16.0)
            meta_parts.append(np.stack([population.group, population.spectral, h,
                                        np.degrees(el.i_rad)], 1))
        # Uploaded in a random (seeded) order: every prefix is a fair sample of the whole
        # belt, so a level of detail draws a prefix and looks like the belt, thinned.
        self.order = np.random.default_rng(DRAW_ORDER_SEED).permutation(self.count)
        self._p = np.concatenate(p_parts)[self.order]
        self._q = np.concatenate(q_parts)[self.order]
        self._meta = np.concatenate(meta_parts).astype(np.float32)[self.order]
        self._upload(scene.state.timeline.time)
        state = scene.state
        self.watch(state.timeline.time_changed)
        self.watch(state.belt_filters.events.all)
        self.watch(state.view.events.belt)
        self._apply_filters()

    @property
    def count(self) -> int:
        return int(self.offsets[-1])

    def _upload(self, t_ref: float) -> None:
        """(Re)upload the elements with mean anomalies referred to t_ref (float64 on the CPU)."""
        self.t_ref = float(t_ref)
        orbit = np.empty((self.count, 4), dtype=np.float32)
        for population, start in zip(self.records, self.offsets[:-1], strict=False):
            rows = slice(int(start), int(start) + len(population))
            el = population.elements
            orbit[rows, 0] = el.e
            orbit[rows, 1] = el.mean_motion_rad_per_day
            orbit[rows, 2] = el.mean_anomaly_at(self.t_ref)
        orbit[:, 3] = np.arange(self.count, dtype=np.float32)  # the object's index: picking
        self.node.set_orbits(self._p, self._q, orbit[self.order], self._meta)

    def refresh(self, frame: Frame) -> None:
        self.node.visible = self.scene.state.view.belt
        if abs(frame.t_tdb - self.t_ref) > REBASE_DAYS:
            self._upload(frame.t_tdb)
        self._apply_filters()
        sun = to_gpu(frame.sun_au, frame.origin_au)[0]
        self.node.set_frame(frame.t_tdb - self.t_ref, sun)

    def on_view(self, frame: Frame) -> None:
        self.node.set_uniforms(u_px_scale=float(frame.px_scale))
        self.node.set_detail(self.scene.detail.fraction)

    @property
    def drawn_fraction(self) -> float:
        """The share of the objects drawn in the last frame (1 at full detail)."""
        return self.node.drawn_fraction

    # --- filters -----------------------------------------------------------------------
    def _apply_filters(self) -> None:
        f = self.scene.state.belt_filters
        groups = [1.0 if shown else 0.0 for shown in f.groups] + [1.0] * 8
        a_low, a_high = f.a_au
        # a in [a_low, a_high] <=> mean motion in [n(a_high), n(a_low)] (n falls with a).
        n_range = (float(np.sqrt(GM_SUN_AU3_PER_DAY2 / max(a_high, 1e-6) ** 3)) * (1 - 1e-6),
                   float(np.sqrt(GM_SUN_AU3_PER_DAY2 / max(a_low, 1e-6) ** 3)) * (1 + 1e-6))
        self.node.set_uniforms(u_groups_a=tuple(groups[:4]), u_groups_b=tuple(groups[4:8]),
                               u_n_range=n_range, u_e_range=tuple(f.e),
                               u_i_range=tuple(f.i_deg), u_h_range=tuple(f.H),
                               u_color_by=1.0 if f.color_by == "class" else 0.0)

    # --- picking -----------------------------------------------------------------------
    def pick_index(self, x: float, y: float, radius_px: int = PICK_RADIUS_PX) -> int | None:
        """Global index of the asteroid drawn nearest to canvas pixel (x, y), via an ID pass."""
        if not self.node.visible:
            return None
        canvas = self.scene.canvas
        width, height = canvas.size
        size = 2 * radius_px + 1
        left = int(round(x)) - radius_px
        top = int(round(y)) - radius_px
        region = (left, height - top - size, size, size)
        self.scene.sync()
        hidden = [n for n in self.scene.drawn_nodes() if n is not self.root and n.visible]
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
        return self.records[which].name(int(index - self.offsets[which]))
