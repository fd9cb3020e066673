"""The facilities table: every plant's status and figures at the timeline's current time, its
value and net so far (USD, typical prices) and who runs it, with a filter by operator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spaceviz.core.mission.economics import format_usd
from spaceviz.core.scenario.economy import operators

COLUMNS = ("Facility", "Status", "Rate (kg/day)", "Mined", "Stored", "Shipped", "Delivered",
           "Value so far", "Net so far", "Operator")
ALL_OPERATORS = "All operators"
SHARED = "Shared ventures"
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
        self.setToolTip("Figures at the current time (value and net: typical prices, USD, "
                        "undiscounted); click a row to select the facility")
        self.operator_filter = ALL_OPERATORS
        self.itemSelectionChanged.connect(self._row_selected)
        state.timeline.time_changed.connect(self.refresh)
        state.session_changed.connect(self._rebuild)
        state.operations_changed.connect(self._rebuild)
        self._rebuild()

    def _rebuild(self, *args) -> None:
        sim = self.sim = self.state.session.operations
        # kept with the rows they were built for (the clock may move before a new session's
        # rows are built)
        self.economics = self.state.session.economics
        names = [f.name for f in sim.facilities] if sim is not None else []
        self.who = operators(self.state.session.scenario)
        self.setRowCount(len(names))
        for row, name in enumerate(names):
            for column in range(len(COLUMNS)):
                item = QTableWidgetItem(name if column == 0 else "")
                if 2 <= column < len(COLUMNS) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
            who, flags = self.who.get(name, ((), ()))
            text = " + ".join(who) + (" (shared)" if len(who) > 1 else "")
            text += f" [{', '.join(flags)}]" if flags else ""
            self.item(row, len(COLUMNS) - 1).setText(text or "-")
        self.set_operator_filter(self.operator_filter)
        self.refresh()

    def operator_names(self) -> list[str]:
        """Every operator of the scenario's facilities, in order of appearance."""
        names = [f.name for f in self.sim.facilities] if self.sim is not None else []
        return list(dict.fromkeys(o for n in names for o in self.who.get(n, ((), ()))[0]))

    def set_operator_filter(self, choice: str) -> None:
        """Show only one operator's facilities (its shared ventures too), only shared
        ventures, or all (ALL_OPERATORS)."""
        self.operator_filter = choice
        for row in range(self.rowCount()):
            who = self.who.get(self.item(row, 0).text(), ((), ()))[0]
            shown = (choice == ALL_OPERATORS or (choice == SHARED and len(who) > 1)
                     or choice in who)
            self.setRowHidden(row, not shown)

    def refresh(self, *args) -> None:
        if self.sim is None:
            return
        t = self.state.timeline.time
        now = self.sim.state_at(t)
        economics = self.economics
        for row, facility in enumerate(self.sim.facilities):
            figures = now.facility(facility.name)
            rate = figures.rate_kg_per_day
            rate_text = f"{rate:,.1f}" if rate >= 10 or rate == 0 else f"{rate:.3g}"
            money = economics.cumulative(t, facility.name)
            values = (figures.status, rate_text, mass_text(figures.mined_kg),
                      mass_text(figures.stored_kg), mass_text(figures.shipped_kg),
                      mass_text(figures.delivered_kg), format_usd(money["value_usd"][1]),
                      format_usd(money["net_usd"][1]))
            for column, text in enumerate(values, start=1):
                self.item(row, column).setText(text)
            self.item(row, 1).setForeground(QColor(STATUS_QCOLORS.get(figures.status, "#ffffff")))

    def _row_selected(self) -> None:
        rows = {index.row() for index in self.selectedIndexes()}
        if rows and self.sim is not None:
            self.state.selection.set(self.sim.facilities[min(rows)].name)


class FacilitiesPanel(QWidget):
    """The facilities table under a filter by operator (a legend of who runs what: shared
    ventures are listed with all their operators)."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("FacilitiesPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Operator"))
        self.filter = QComboBox(self)
        self.filter.setToolTip("Show the facilities one operator runs (alone or in a shared "
                               "venture), or only the shared ventures")
        row.addWidget(self.filter)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = FacilitiesTable(state, self)
        layout.addWidget(self.table)
        self.filter.currentTextChanged.connect(
            lambda text: text and self.table.set_operator_filter(text))
        state.session_changed.connect(self._fill_filter)
        self._fill_filter()

    def _fill_filter(self, *args) -> None:
        self.filter.blockSignals(True)
        self.filter.clear()
        names = self.table.operator_names()
        shared = any(len(who) > 1 for who, _ in self.table.who.values())
        self.filter.addItems([ALL_OPERATORS] + names + ([SHARED] if shared else []))
        self.filter.blockSignals(False)
        self.table.set_operator_filter(ALL_OPERATORS)
