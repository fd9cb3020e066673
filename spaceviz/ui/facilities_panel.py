"""The facilities table: every plant's status and figures at the timeline's current time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from spaceviz.core.state.selection import Selection
from spaceviz.core.state.timeline import Timeline

COLUMNS = ("Facility", "Status", "Rate (kg/day)", "Mined (t)", "Stored (t)", "Shipped (t)",
           "Delivered (t)")
STATUS_QCOLORS = {"running": "#4cff73", "ramping": "#b3ff99", "idle (darkness)": "#668cff",
                  "storage full": "#ff9926", "not built": "#8c8c8c"}


def tonnes(kg: float) -> str:
    """Tonnes for the table: kilograms below one tonne stay readable (helium-3 is grams)."""
    if 0 < kg < 100:
        return f"{kg:.3g} kg"
    return f"{kg / 1000:,.1f}" if kg < 1e7 else f"{kg / 1000:,.0f}"


class FacilitiesTable(QTableWidget):
    """Rows per facility, refreshed when time moves; clicking a row selects the facility."""

    def __init__(self, selection: Selection, timeline: Timeline, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("FacilitiesTable")
        self.selection = selection
        self.timeline = timeline
        self.sim = None
        self.setHorizontalHeaderLabels(COLUMNS)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setToolTip("Figures at the current time; click a row to select the facility")
        self.itemSelectionChanged.connect(self._row_selected)
        timeline.time_changed.connect(self.refresh)

    def set_operations(self, sim) -> None:
        self.sim = sim
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
        state = self.sim.state_at(self.timeline.time)
        for row, facility in enumerate(self.sim.facilities):
            figures = state.facility(facility.name)
            rate = figures.rate_kg_per_day
            rate_text = f"{rate:,.1f}" if rate >= 10 or rate == 0 else f"{rate:.3g}"
            values = (figures.status, rate_text, tonnes(figures.mined_kg),
                      tonnes(figures.stored_kg), tonnes(figures.shipped_kg),
                      tonnes(figures.delivered_kg))
            for column, text in enumerate(values, start=1):
                self.item(row, column).setText(text)
            self.item(row, 1).setForeground(QColor(STATUS_QCOLORS.get(figures.status, "#ffffff")))

    def _row_selected(self) -> None:
        rows = {index.row() for index in self.selectedIndexes()}
        if rows and self.sim is not None:
            self.selection.set(self.sim.facilities[min(rows)].name)
