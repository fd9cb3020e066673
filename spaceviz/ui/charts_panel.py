"""The charts dock: the chart that fits the selected object (sunlight for lunar sites,
production and stock for facilities, mass and propellant for ships with an engine). The pyqtgraph charts are made when first needed, so
the window opens without loading pyqtgraph."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from spaceviz.core.scenario.world import Facility, Ship, Site


class ChartsPanel(QWidget):
    """Shows the chart that fits the selected object (sunlight for sites, production for
    facilities), kept current as the operations model changes."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("ChartsPanel")
        self.state = state
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        self.hint = QLabel("<i>Select a lunar site to see its sunlight over the next month, a "
                           "facility for its production and stock, or a ship for its mass and "
                           "propellant.</i>")
        self.hint.setWordWrap(True)
        self.layout_.addWidget(self.hint)
        self.sunlight = None  # made on first use (pyqtgraph)
        self.facility = None
        self.ship = None
        state.selection.changed.connect(self._show)
        state.session_changed.connect(self._show)
        state.operations_changed.connect(self._show)

    def _charts(self):
        if self.sunlight is None:
            from spaceviz.ui.charts import FacilityChart, ShipChart, SunlightChart

            self.sunlight = SunlightChart(self.state.timeline, self)
            self.layout_.addWidget(self.sunlight)
            self.facility = FacilityChart(self.state.timeline, self)
            self.layout_.addWidget(self.facility)
            self.ship = ShipChart(self.state.timeline, self)
            self.layout_.addWidget(self.ship)
        return self.sunlight, self.facility, self.ship

    def _show(self, *args) -> None:
        name = self.state.selection.name
        obj = self.state.world.exact(name) if name else None
        operations = self.state.session.operations
        site = obj if isinstance(obj, Site) else None
        facility = obj if isinstance(obj, Facility) and operations is not None else None
        ship = obj if isinstance(obj, Ship) and obj.plan.propulsion is not None else None
        self.hint.setVisible(site is None and facility is None and ship is None)
        if site is None and facility is None and ship is None and self.sunlight is None:
            return
        sunlight_chart, facility_chart, ship_chart = self._charts()
        sunlight_chart.setVisible(site is not None)
        facility_chart.setVisible(facility is not None)
        ship_chart.setVisible(ship is not None)
        sunlight_chart.set_site(site)
        if facility is not None:
            facility_chart.set_facility(operations, facility.name)
        if ship is not None:
            ship_chart.set_ship(ship)
