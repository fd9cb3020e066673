"""A porkchop plot (pyqtgraph) as mission designers draw them: total delta-v as a colour map
over departure date x time of flight (its scale spent on the cheap end), contours of departure
C3 and arrival v-infinity with labelled levels, the ridge of near-180-degree transfers masked,
the cheapest cell marked; also written headless as PNG (`spaceviz porkchop`)."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Signal  # noqa: E402

from spaceviz.ui.charts import axis_seconds_to_tdb, tdb_to_axis_seconds  # noqa: E402

RIDGE_DEG = 4.0
"""Cells whose transfer angle is within this of 180 degrees are masked (the plane flips)."""
C3_COLOR = (255, 255, 255, 170)
VINF_COLOR = (255, 170, 60, 200)
MASK_COLOR = (45, 45, 55, 255)
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)


def nice_levels(values: np.ndarray, count: int = 6) -> np.ndarray:
    """About `count` round contour levels spanning the lower part of the finite values
    (from the minimum to the 75th percentile: where a designer looks)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(0)
    low, high = float(finite.min()), float(np.percentile(finite, 75))
    if high <= low:
        return np.array([low])
    raw = (high - low) / count
    power = 10.0 ** np.floor(np.log10(raw))
    step = next((s * power for s in NICE_STEPS if s * power >= raw), 10.0 * power)
    return np.arange(np.ceil(low / step) * step, high + 0.5 * step, step)


def contour_segments(x: np.ndarray, y: np.ndarray, values: np.ndarray, level: float
                     ) -> np.ndarray:
    """Marching squares, vectorised: line segments (M, 2, 2) of the contour `level` of
    `values` (X, Y) sampled at x (X,) and y (Y,). Cells touching NaN give no segment."""
    v00, v10 = values[:-1, :-1], values[1:, :-1]
    v01, v11 = values[:-1, 1:], values[1:, 1:]
    x0, x1 = x[:-1, None], x[1:, None]
    y0, y1 = y[None, :-1], y[None, 1:]

    def crossing(a, b, pa, pb):
        """Where the level crosses the edge a-b (points pa, pb), NaN where it does not."""
        with np.errstate(invalid="ignore", divide="ignore"):
            f = (level - a) / (b - a)
        hit = ((a < level) != (b < level)) & np.isfinite(f)
        return [np.where(hit, pa_k + f * (pb_k - pa_k), np.nan) for pa_k, pb_k in zip(pa, pb, strict=True)]

    ones = np.ones_like(v00)
    edges = [crossing(v00, v10, (x0 * ones, y0 * ones), (x1 * ones, y0 * ones)),  # bottom
             crossing(v10, v11, (x1 * ones, y0 * ones), (x1 * ones, y1 * ones)),  # right
             crossing(v01, v11, (x0 * ones, y1 * ones), (x1 * ones, y1 * ones)),  # top
             crossing(v00, v01, (x0 * ones, y0 * ones), (x0 * ones, y1 * ones))]  # left
    points = np.stack([np.stack(e, axis=-1) for e in edges], axis=2)  # (X-1, Y-1, 4, 2)
    points = points.reshape(-1, 4, 2)
    found = np.isfinite(points[:, :, 0])
    count = found.sum(axis=1)
    segments = []
    two = count == 2
    if two.any():
        pairs = points[two][found[two]].reshape(-1, 2, 2)
        segments.append(pairs)
    four = count == 4  # a saddle: join the crossings pairwise
    if four.any():
        segments += [points[four][:, [0, 1]], points[four][:, [2, 3]]]
    return np.concatenate(segments) if segments else np.zeros((0, 2, 2))


class PorkchopPlot(pg.GraphicsLayoutWidget):
    """Total delta-v colour map with C3 and arrival v-infinity contours, the ridge masked,
    the best cell marked. `cell_clicked(depart_tdb, tof_days)` fires on a click."""

    cell_clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setBackground("#101218")
        self.plot = self.addPlot(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setLabel("bottom", "Departure")
        self.plot.setLabel("left", "Time of flight", units="days")
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.mask = pg.ImageItem()
        self.plot.addItem(self.mask)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"),
                                        label="total Δv (km/s)", interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.contours: list = []
        self.legend = self.plot.addLegend(offset=(-10, 10), labelTextColor="w")
        self.best = pg.ScatterPlotItem(size=12, brush=pg.mkBrush(255, 80, 60), symbol="x")
        self.chosen = pg.ScatterPlotItem(size=12, brush=None, pen=pg.mkPen("w", width=2), symbol="o")
        self.plot.addItem(self.best)
        self.plot.addItem(self.chosen)
        self.grid = None
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    def set_porkchop(self, grid, chosen: tuple[float, float] | None = None) -> None:
        """Show a trajectories.Porkchop; `chosen` marks (depart_tdb, tof_days)."""
        self.grid = grid
        total = grid.total_dv_km_s
        ridge = np.abs(grid.transfer_angle_deg - 180.0) < RIDGE_DEG
        usable = np.isfinite(total) & ~ridge
        low = float(np.min(total[usable])) if usable.any() else 0.0
        high = float(np.percentile(total[usable], 60)) if usable.any() else 1.0
        high = max(high, low + 0.1)
        shown = np.where(usable, np.clip(total, low, high), high)
        x = tdb_to_axis_seconds(grid.depart_tdb)
        rect = pg.QtCore.QRectF(x[0], grid.tof_days[0], x[-1] - x[0],
                                grid.tof_days[-1] - grid.tof_days[0])
        self.image.setImage(shown, autoLevels=False, levels=(low, high))
        self.image.setRect(rect)
        self.colorbar.setLevels((low, high))
        mask = np.zeros(total.shape + (4,), dtype=np.uint8)
        mask[~usable] = MASK_COLOR
        self.mask.setImage(mask, levels=(0, 255))
        self.mask.setRect(rect)
        self._draw_contours(grid, x, usable)
        self.best.setData([], [])
        if usable.any():
            i, j = np.unravel_index(np.argmin(np.where(usable, total, np.inf)), total.shape)
            self.best.setData([float(x[i])], [float(grid.tof_days[j])])
            self.plot.setTitle(f"{grid.origin} to {grid.target}: best {total[i, j]:.2f} km/s "
                               "(red cross); grey: no transfer or the 180° ridge")
        self.chosen.setData([], [])
        if chosen is not None:
            self.chosen.setData([float(tdb_to_axis_seconds(chosen[0]))], [chosen[1]])

    def _draw_contours(self, grid, x: np.ndarray, usable: np.ndarray) -> None:
        for item in self.contours:
            self.plot.removeItem(item)
        self.contours = []
        self.legend.clear()
        y = grid.tof_days
        span = np.array([x[-1] - x[0], y[-1] - y[0]], dtype=float)
        origin = np.array([x[0], y[0]], dtype=float)
        ridge_distance = np.abs(grid.transfer_angle_deg - 180.0)
        placed: list[np.ndarray] = []

        def label_spot(segments: np.ndarray) -> np.ndarray:
            """A point of the contour away from other labels and from the ridge (where
            contours crowd), in plot coordinates."""
            middles = segments.mean(axis=1)
            unit_xy = (middles - origin) / span
            i = np.clip((unit_xy[:, 0] * (len(x) - 1)).astype(int), 0, len(x) - 1)
            j = np.clip((unit_xy[:, 1] * (len(y) - 1)).astype(int), 0, len(y) - 1)
            score = np.minimum(ridge_distance[i, j] / 60.0, 1.0)
            score += np.minimum(np.minimum(unit_xy, 1.0 - unit_xy).min(axis=1) * 5.0, 0.5)
            if placed:
                apart = np.linalg.norm(unit_xy[:, None, :] - np.array(placed)[None], axis=2)
                score += np.minimum(apart.min(axis=1) * 4.0, 1.0)
            best = int(np.argmax(score))
            placed.append(unit_xy[best])
            return middles[best]

        for values, color, unit, name in (
                (grid.c3_km2_s2, C3_COLOR, "", "departure C3 (km²/s²)"),
                (grid.arrival_v_inf_km_s, VINF_COLOR, "", "arrival v∞ (km/s)")):
            masked = np.where(usable, values, np.nan)
            pen = pg.mkPen(color, width=1.2)
            first = True
            for level in nice_levels(masked):
                segments = contour_segments(x, y, masked, level)
                if len(segments) == 0:
                    continue
                flat = segments.reshape(-1, 2)
                line = pg.PlotDataItem(flat[:, 0], flat[:, 1], connect="pairs", pen=pen,
                                       name=name if first else None)
                first = False
                self.plot.addItem(line)
                middle = label_spot(segments)
                label = pg.TextItem(f"{level:g}{unit}", color=color[:3], anchor=(0.5, 0.5),
                                    fill=pg.mkBrush(16, 18, 24, 170))
                label.setPos(float(middle[0]), float(middle[1]))
                self.plot.addItem(label)
                self.contours += [line, label]

    def _clicked(self, event) -> None:
        if self.grid is None:
            return
        point = self.plot.vb.mapSceneToView(event.scenePos())
        tof = float(np.clip(point.y(), self.grid.tof_days[0], self.grid.tof_days[-1]))
        depart = float(np.clip(axis_seconds_to_tdb(point.x()), self.grid.depart_tdb[0],
                               self.grid.depart_tdb[-1]))
        self.cell_clicked.emit(depart, tof)


def write_porkchop_png(grid, out, size=(1000, 700)) -> None:
    """Render the plot offscreen and write a PNG (atomically)."""
    import pyqtgraph.exporters

    from spaceviz.export.files import atomic_output

    plot = PorkchopPlot()
    plot.resize(*size)
    plot.set_porkchop(grid)
    plot.show()
    pg.QtWidgets.QApplication.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(plot.scene())
    exporter.parameters()["width"] = size[0]
    with atomic_output(out) as part:
        exporter.export(str(part.with_suffix(".png")))
        os.replace(part.with_suffix(".png"), part)
    plot.close()
