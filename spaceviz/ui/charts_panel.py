"""The charts dock: the chart that fits the selected object (sunlight for lunar sites,
production and stock with value, cost and net for facilities, mass and propellant for ships
with an engine), and the whole scenario's economics when nothing with a chart of its own is
selected ("Scenario economics"). The pyqtgraph charts are made when first needed, so the
window opens without loading pyqtgraph."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from spaceviz.core.scenario.world import Facility, Ship, Site


class ChartsPanel(QWidget):
    """Shows the chart that fits the selected object (sunlight for sites, production and
    economics for facilities, mass for ships) or the scenario's economics, kept current as
    the operations model changes."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("ChartsPanel")
        self.state = state
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.hint = QLabel("<i>Select a lunar site to see its sunlight over the next month, a "
                           "facility for its production, value and cost, or a ship for its mass "
                           "and propellant.</i>")
        self.hint.setWordWrap(True)
        header.addWidget(self.hint, 1)
        self.scenario_button = QPushButton("Scenario economics", self)
        self.scenario_button.setToolTip("Value, cost and net of the whole scenario over time, "
                                        "with the band of low and high prices")
        self.scenario_button.clicked.connect(self.show_scenario)
        header.addWidget(self.scenario_button)
        self.layout_.addLayout(header)
        self.sunlight = None  # made on first use (pyqtgraph)
        self.facility = None
        self.ship = None
        self.economics = None
        self.scenario_chosen = False
        state.selection.changed.connect(self._show)
        state.session_changed.connect(self._show)
        state.operations_changed.connect(self._show)

    def _charts(self):
        if self.sunlight is None:
            from spaceviz.ui.charts import EconomicsChart, FacilityChart, ShipChart, SunlightChart

            self.sunlight = SunlightChart(self.state.timeline, self)
            self.layout_.addWidget(self.sunlight)
            row = QHBoxLayout()
            self.facility = FacilityChart(self.state.timeline, self)
            row.addWidget(self.facility, 1)
            self.economics = EconomicsChart(self.state.timeline, self)
            row.addWidget(self.economics, 1)
            self.layout_.addLayout(row, 1)
            self.ship = ShipChart(self.state.timeline, self)
            self.layout_.addWidget(self.ship)
        return self.sunlight, self.facility, self.ship, self.economics

    def show_scenario(self) -> None:
        """The whole scenario's economics (the selection is cleared)."""
        self.scenario_chosen = True
        if self.state.selection.name:
            self.state.selection.clear()
        else:
            self._show()

    def _show(self, *args) -> None:
        name = self.state.selection.name
        obj = self.state.world.exact(name) if name else None
        operations = self.state.session.operations
        site = obj if isinstance(obj, Site) else None
        facility = obj if isinstance(obj, Facility) and operations is not None else None
        ship = obj if isinstance(obj, Ship) and obj.plan.propulsion is not None else None
        own_chart = site is not None or facility is not None or ship is not None
        scenario = not own_chart and (self.scenario_chosen or self.sunlight is not None)
        self.hint.setVisible(not own_chart and not scenario)
        self.scenario_button.setVisible(not scenario)
        if not own_chart and not scenario:
            return
        sunlight_chart, facility_chart, ship_chart, economics_chart = self._charts()
        sunlight_chart.setVisible(site is not None)
        facility_chart.setVisible(facility is not None)
        ship_chart.setVisible(ship is not None)
        economics_chart.setVisible(facility is not None or scenario)
        sunlight_chart.set_site(site)
        economics = self.state.session.economics
        if facility is not None:
            facility_chart.set_facility(operations, facility.name)
            economics_chart.set_economics(economics, facility.name, facility.name)
        elif scenario:
            economics_chart.set_economics(economics, None, self.state.session.title)
        if ship is not None:
            ship_chart.set_ship(ship)
