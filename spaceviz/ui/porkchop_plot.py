"""A porkchop plot (pyqtgraph): total delta-v over departure date x time of flight, with a
colour scale and contours; also written headless as PNG (`spaceviz porkchop`)."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Signal  # noqa: E402

from spaceviz.ui.charts import axis_seconds_to_tdb, tdb_to_axis_seconds  # noqa: E402

CONTOUR_STEP_KM_S = 2.0


class PorkchopPlot(pg.GraphicsLayoutWidget):
    """Heat map of total delta-v (km/s), contours every 2 km/s, the best cell marked.

    `cell_clicked(depart_tdb, tof_days)` fires when the user clicks the map."""

    cell_clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setBackground("#101218")
        self.plot = self.addPlot(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setLabel("bottom", "Departure")
        self.plot.setLabel("left", "Time of flight", units="days")
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), label="total Δv (km/s)",
                                        interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.contours: list[pg.IsocurveItem] = []
        self.best = pg.ScatterPlotItem(size=12, brush=pg.mkBrush(255, 80, 60), symbol="x")
        self.chosen = pg.ScatterPlotItem(size=12, brush=None, pen=pg.mkPen("w", width=2), symbol="o")
        self.plot.addItem(self.best)
        self.plot.addItem(self.chosen)
        self.grid = None
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    def set_porkchop(self, grid, chosen: tuple[float, float] | None = None) -> None:
        """Show a core.porkchop.Porkchop; `chosen` marks (depart_tdb, tof_days)."""
        self.grid = grid
        total = grid.total_dv_km_s
        finite = np.isfinite(total)
        high = np.nanpercentile(total[finite], 60) if finite.any() else 1.0
        low = np.nanmin(total) if finite.any() else 0.0
        shown = np.where(finite, np.minimum(total, high), high)
        x = tdb_to_axis_seconds(grid.depart_tdb)
        self.image.setImage(shown, autoLevels=False, levels=(low, high))
        self.image.setRect(pg.QtCore.QRectF(x[0], grid.tof_days[0], x[-1] - x[0],
                                            grid.tof_days[-1] - grid.tof_days[0]))
        self.colorbar.setLevels((low, high))
        for item in self.contours:
            self.plot.removeItem(item)
        self.contours = []
        for level in np.arange(np.ceil(low / CONTOUR_STEP_KM_S) * CONTOUR_STEP_KM_S, high,
                               CONTOUR_STEP_KM_S):
            curve = pg.IsocurveItem(data=shown, level=level, pen=pg.mkPen((255, 255, 255, 120)))
            curve.setParentItem(self.image)
            self.contours.append(curve)
        depart, arrive, best = grid.best()
        self.best.setData([float(tdb_to_axis_seconds(depart))], [arrive - depart])
        if chosen is not None:
            self.chosen.setData([float(tdb_to_axis_seconds(chosen[0]))], [chosen[1]])
        self.plot.setTitle(f"{grid.origin} to {grid.target}: best {best:.2f} km/s (red cross)")

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
