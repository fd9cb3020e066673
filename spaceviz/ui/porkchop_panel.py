"""The porkchop panel: a ship's launch window; clicking a cell re-plans the ship."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from spaceviz.core.astro.time import format_utc
from spaceviz.core.mission.porkchop import porkchop
from spaceviz.ui.porkchop_plot import PorkchopPlot

GRID = 120


class PorkchopPanel(QWidget):
    """Pick a ship; its transfer cost around its dates is shown with its dates marked."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("PorkchopPanel")
        self.window = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Ship"))
        self.ships = QComboBox(self)
        self.ships.setToolTip("The ship whose launch window is shown")
        self.ships.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.ships, 1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.plot = PorkchopPlot(self)
        self.plot.setToolTip("Click a cell to fly the ship on those dates")
        self.plot.cell_clicked.connect(self.choose)
        layout.addWidget(self.plot, 1)
        self.grid = None

    def set_session(self, session) -> None:
        self.session = session
        self.ships.blockSignals(True)
        self.ships.clear()
        self.ships.addItems([n for n, ship in session.world.ships.items() if ship.leg is not None])
        self.ships.blockSignals(False)
        self.refresh()

    def refresh(self, *args) -> None:
        name = self.ships.currentText()
        if not name:
            self.status.setText("<i>This scenario has no ships.</i>")
            return
        world = self.session.world
        leg = world.ships[name].leg
        tof = leg.arrive_tdb - leg.depart_tdb
        ephemeris = world.ephemeris
        start = max(leg.depart_tdb - max(tof, 60.0), ephemeris.start_tdb + 1)
        end = min(leg.depart_tdb + max(tof, 60.0), ephemeris.end_tdb - 2.5 * tof)
        flights = np.linspace(0.4 * tof, 2.0 * tof, GRID)
        self.grid = porkchop(world, leg.origin, leg.target, np.linspace(start, end, GRID), flights)
        self.plot.set_porkchop(self.grid, (leg.depart_tdb, tof))
        self.status.setText(
            f"<b>{name}</b>: {leg.origin} to {leg.target}, departs {format_utc(leg.depart_tdb, False)}, "
            f"{tof:.0f} days; departure {leg.departure_dv_km_s:.2f} km/s, arrival "
            f"{leg.arrival_dv_km_s:.2f} km/s, C3 {leg.c3_km2_s2:.1f} km²/s².")

    def choose(self, depart_tdb: float, tof_days: float) -> None:
        """Fly the shown ship on the clicked dates; the timeline and the view follow."""
        name = self.ships.currentText()
        if not name:
            return
        self.session.replan_ship(name, depart_tdb, depart_tdb + tof_days)
        self.window.ships_replanned(name)
        self.refresh()
