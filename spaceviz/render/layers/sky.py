"""The sky: Hipparcos stars to magnitude 8 at infinity, sized and coloured by magnitude and
B-V, constellation figures (off by default), and the IAU-named stars as pickable objects whose
names show on demand (the star-names toggle, or when selected).

Directions are uploaded once per scenario (proper motion applied at the timeline's time,
refreshed only when the clock moves decades); a star needs no origin, so nothing follows the
camera but the view rotation.
"""

from __future__ import annotations

import json

import numpy as np

from spaceviz.core.astro.stars import STARS_DIR, bv_to_rgb, default_stars
from spaceviz.render.gpu import to_display
from spaceviz.render.layers.base import Frame, Layer, Pickables
from spaceviz.render.visuals.sky import Sky

MAG_LIMIT = 8.0
"""Faintest star drawn (Johnson V)."""
REFRESH_DAYS = 3652.5
"""Proper motion moves the brightest-moving stars by arcminutes per century: re-place the stars
when the clock has moved this far."""
CONSTELLATION_COLOR = (0.35, 0.55, 0.85, 0.45)
STAR_PRIORITY = 0.2


def magnitude_limit(view_height_px: float) -> float:
    """The faintest star drawn in a view this many logical pixels high: MAG_LIMIT from 1080
    px up, two magnitudes brighter at 270 px (the same 45-degree sky on fewer pixels would
    be crowded)."""
    shrink = np.clip(np.log2(1080.0 / max(view_height_px, 1.0)) / 2.0, 0.0, 1.0)
    return float(MAG_LIMIT - 2.0 * shrink)


def star_size_px(mag: np.ndarray) -> np.ndarray:
    """Drawn diameter (logical pixels): 1 px for magnitude 6 and fainter (the naked-eye
    limit), growing by 0.7 px a magnitude to 6.3 px for Sirius (-1.5)."""
    return np.clip(1.0 + (6.0 - np.asarray(mag)) * 0.7, 1.0, 6.5)


def star_brightness(mag: np.ndarray) -> np.ndarray:
    """Opacity: 0.12 at magnitude 8, 0.46 at 6, opaque from magnitude 3."""
    return np.clip(0.12 + (MAG_LIMIT - np.asarray(mag)) * 0.17, 0.12, 1.0)


def star_rgb(bv: np.ndarray, mag: np.ndarray) -> np.ndarray:
    """Colour (N, 3) from B-V, desaturated for faint stars as the eye sees them: 30% of the
    blackbody colour at magnitude 6 and fainter, 70% for the brightest."""
    saturation = np.clip(0.3 + 0.1 * (6.0 - np.asarray(mag)), 0.3, 0.7)[:, None]
    return 1.0 - saturation * (1.0 - bv_to_rgb(bv))


class SkyLayer(Layer):
    """Stars, constellation lines and star names (scene-wide, drawn first)."""

    def __init__(self, scene):
        super().__init__(scene, [])
        self.root.order = -100  # behind everything: drawn first
        catalog = default_stars()
        self.rows = np.flatnonzero(catalog.mag <= MAG_LIMIT)
        self.named_rows = np.flatnonzero(catalog.names != "")
        self.named = [catalog.label(int(i)) for i in self.named_rows]
        self.catalog = catalog
        mag = catalog.mag[self.rows]
        colors = np.concatenate([star_rgb(catalog.bv[self.rows], mag),
                                 star_brightness(mag)[:, None]], axis=1)
        self._colors = colors.astype(np.float32)
        self._sizes = star_size_px(mag).astype(np.float32)
        self._mags = mag.astype(np.float32)
        self.stars = Sky(parent=self.root)
        self.stars.order = -20
        self.figures = Sky(lines=True, parent=self.root)
        self.figures.order = -19
        self._figure_pairs = self._constellation_pairs()
        self._placed_at: float | None = None
        self._named_directions = np.zeros((0, 3))
        view = scene.state.view
        self.watch(scene.state.timeline.time_changed)
        self.watch(view.events.stars)
        self.watch(view.events.constellations)
        self.watch(view.events.star_names)
        self.watch(scene.state.selection.changed)  # a selected star is labelled

    def _constellation_pairs(self) -> np.ndarray:
        """Catalogue rows (M, 2) joined by the constellation figures."""
        figures = json.loads((STARS_DIR / "constellations.json").read_text(encoding="utf-8"))
        hips = np.array([pair for figure in figures.values() for pair in figure["lines"]])
        rows = np.searchsorted(self.catalog.hip, hips)
        found = self.catalog.hip[np.minimum(rows, len(self.catalog) - 1)] == hips
        return rows[found.all(axis=1)]

    def refresh(self, frame: Frame) -> None:
        view = self.scene.state.view
        self.stars.visible = view.stars
        self.figures.visible = view.stars and view.constellations
        if self._placed_at is not None and abs(frame.t_tdb - self._placed_at) < REFRESH_DAYS:
            return
        self._placed_at = frame.t_tdb
        directions = to_display(self.catalog.unit_vectors_icrf(frame.t_tdb)).T  # (N, 3)
        self.stars.set_data(directions[self.rows], self._colors, self._sizes, mags=self._mags)
        ends = self._figure_pairs.ravel()
        self.figures.set_data(directions[ends], np.tile(CONSTELLATION_COLOR, (len(ends), 1)),
                              np.ones(len(ends)),
                              np.arange(len(ends), dtype=np.uint32).reshape(-1, 2))
        self._named_directions = directions[self.named_rows]

    def on_view(self, frame: Frame) -> None:
        height = self.scene.canvas.size[1]
        self.stars.set_look(frame.px_scale, 1.0, magnitude_limit(height))
        self.figures.set_look(frame.px_scale, 1.0)

    def pickables(self) -> Pickables | None:
        """The named stars, placed far beyond everything along their directions (they project
        where they are drawn); labelled only with star names on, or when selected."""
        if not self.scene.state.view.stars or self.scene._frame is None:
            return None
        frame = self.scene._frame
        far = 1e6 * max(frame.distance_au, 1e-12)
        positions = (frame.cam_local.astype(np.float64)
                     + self._named_directions * far).astype(np.float32)
        selected = self.scene.state.selection.name
        labelled = np.array([self.scene.state.view.star_names or name == selected
                             for name in self.named])
        return Pickables(self.named, positions, np.full(len(self.named), STAR_PRIORITY),
                         labelled=labelled, far=True,
                         marker_px=0.5 * star_size_px(self.catalog.mag[self.named_rows]))
