"""The facilities table: every plant's status and figures at the timeline's current time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

COLUMNS = ("Facility", "Status", "Rate (kg/day)", "Mined", "Stored", "Shipped", "Delivered")
STATUS_QCOLORS = {"running": "#4cff73", "ramping": "#b3ff99", "idle (darkness)": "#668cff",
                  "storage full": "#ff9926", "not built": "#8c8c8c"}


def mass_text(kg: float) -> str:
    """A mass with its unit, readable from grams (helium-3) to kilotonnes: 12.5 g, 640 kg,
    1,234.5 t, 3,000 t."""
    if kg == 0:
        return "0 t"
    if kg < 1:
        return f"{kg * 1000:.3g} g"
    if kg < 1000:
        return f"{kg:.3g} kg"
    return f"{kg / 1000:,.1f} t" if kg < 1e7 else f"{kg / 1000:,.0f} t"


class FacilitiesTable(QTableWidget):
    """Rows per facility, refreshed when time moves or the operations change; clicking a row
    selects the facility."""

    def __init__(self, state, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("FacilitiesTable")
        self.state = state
        self.sim = None
        self.setHorizontalHeaderLabels(COLUMNS)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setToolTip("Figures at the current time; click a row to select the facility")
        self.itemSelectionChanged.connect(self._row_selected)
        state.timeline.time_changed.connect(self.refresh)
        state.session_changed.connect(self._rebuild)
        state.operations_changed.connect(self._rebuild)
        self._rebuild()

    def _rebuild(self, *args) -> None:
        sim = self.sim = self.state.session.operations
        names = [f.name for f in sim.facilities] if sim is not None else []
        self.setRowCount(len(names))
        for row, name in enumerate(names):
            for column in range(len(COLUMNS)):
                item = QTableWidgetItem(name if column == 0 else "")
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
        self.refresh()

    def refresh(self, *args) -> None:
        if self.sim is None:
            return
        now = self.sim.state_at(self.state.timeline.time)
        for row, facility in enumerate(self.sim.facilities):
            figures = now.facility(facility.name)
            rate = figures.rate_kg_per_day
            rate_text = f"{rate:,.1f}" if rate >= 10 or rate == 0 else f"{rate:.3g}"
            values = (figures.status, rate_text, mass_text(figures.mined_kg),
                      mass_text(figures.stored_kg), mass_text(figures.shipped_kg),
                      mass_text(figures.delivered_kg))
            for column, text in enumerate(values, start=1):
                self.item(row, column).setText(text)
            self.item(row, 1).setForeground(QColor(STATUS_QCOLORS.get(figures.status, "#ffffff")))

    def _row_selected(self) -> None:
        rows = {index.row() for index in self.selectedIndexes()}
        if rows and self.sim is not None:
            self.state.selection.set(self.sim.facilities[min(rows)].name)
