"""The launch-window panel: a ship leg's transfer cost around its dates; clicking a cell flies
the leg on those dates (through the AppState, which every view observes)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from spaceviz.core.astro.time import format_utc
from spaceviz.core.errors import UserError
from spaceviz.core.mission.trajectories import Transfer, porkchop

GRID = 120
SETTLE_MS = 150


class PorkchopPanel(QWidget):
    """Pick a ship (and leg); its transfer cost around its dates is shown, its dates marked."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("PorkchopPanel")
        self.state = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Ship"))
        self.ships = QComboBox(self)
        self.ships.setToolTip("The ship (and leg) whose launch window is shown")
        self.ships.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.ships, 1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.plot = None  # the pyqtgraph plot, made when the panel is first seen
        self._layout = layout
        self.grid = None
        self._stale = True
        state.session_changed.connect(self._fill)
        state.ship_replanned.connect(lambda name: self.refresh())
        self._fill()

    def _fill(self, *args) -> None:
        """Only legs the engine can fly on other dates (transfers, not OEM files); the leg
        shown stays shown when the scenario was only edited."""
        shown = self.ships.currentData()
        self.ships.blockSignals(True)
        self.ships.clear()
        for ship in self.state.session.ships:
            legs = ship.plan.legs
            for index, leg in enumerate(legs):
                if not isinstance(leg, Transfer):
                    continue
                label = ship.name if len(legs) == 1 else (
                    f"{ship.name}, leg {index + 1}: {leg.from_name} to {leg.to_name}")
                self.ships.addItem(label, (ship.name, index))
        if shown is not None and self.ships.findData(shown) >= 0:
            self.ships.setCurrentIndex(self.ships.findData(shown))
        self.ships.blockSignals(False)
        self.refresh()

    def _leg(self) -> tuple[str, int, Transfer] | None:
        data = self.ships.currentData()
        if data is None:
            return None
        name, index = data
        return name, index, self.state.session.ship(name).plan.legs[index]

    def showEvent(self, event):  # noqa: N802 (Qt naming)
        """The plot is made and the grid computed when the panel is first seen (not at
        start-up, behind a tab)."""
        super().showEvent(event)
        self.maybe_seen()

    def maybe_seen(self) -> None:
        """The panel may have come into view (shown, or its dock tab raised): once the layout
        has settled, make the plot if it is really on screen."""
        QTimer.singleShot(SETTLE_MS, self._first_seen)

    def _first_seen(self) -> None:
        if not self.isVisible() or self.visibleRegion().isEmpty():
            return  # hidden behind another tab of its dock
        if self.plot is None:
            from spaceviz.ui.porkchop_plot import PorkchopPlot

            self.plot = PorkchopPlot(self)
            self.plot.setToolTip("Click a cell to fly the ship on those dates")
            self.plot.cell_clicked.connect(self.choose)
            self._layout.addWidget(self.plot, 1)
        if self._stale:
            self.refresh()

    def refresh(self, *args) -> None:
        if not self.isVisible() or self.plot is None:
            self._stale = True  # computed when shown
            return
        self._stale = False
        chosen = self._leg()
        if chosen is None:
            self.status.setText("<i>This scenario has no ships flying transfers.</i>")
            return
        name, _, leg = chosen
        world = self.state.world
        tof = leg.tof_days
        ephemeris = world.ephemeris
        start = max(leg.depart_tdb - max(tof, 60.0), ephemeris.start_tdb + 1)
        end = min(leg.depart_tdb + max(tof, 60.0), ephemeris.end_tdb - 2.5 * tof)
        flights = np.linspace(0.4 * tof, 2.0 * tof, GRID)
        self.grid = porkchop(leg.origin, leg.target, np.linspace(start, end, GRID), flights,
                             ephemeris)
        if not self.grid.solvable:
            self.status.setText(f"<b>{name}</b>: no transfer from {leg.from_name} to "
                                f"{leg.to_name} around these dates.")
            return
        self.plot.set_porkchop(self.grid, (leg.depart_tdb, tof))
        self.status.setText(
            f"<b>{name}</b>: {leg.from_name} to {leg.to_name}, departs "
            f"{format_utc(leg.depart_tdb, False)}, {tof:.1f} days; departure "
            f"{leg.departure_dv_km_s:.2f} km/s (C3 {leg.c3_km2_s2:.1f} km²/s²), arrival "
            f"{leg.arrival_dv_km_s:.2f} km/s.")

    def choose(self, depart_tdb: float, tof_days: float) -> None:
        """Fly the shown leg on the clicked dates; when that cannot be flown, say why."""
        chosen = self._leg()
        if chosen is None:
            return
        name, index, _ = chosen
        try:
            self.state.replan_ship(name, depart_tdb, depart_tdb + tof_days, index)
        except UserError as exc:
            self.status.setText(f"<b>{name}</b> cannot fly on those dates: {exc}")
