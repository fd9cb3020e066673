"""Charts bound to the selection and the timeline (pyqtgraph): a cursor follows the current
time, and clicking a chart moves the timeline there."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget  # noqa: E402

from spaceviz.core.scenario.world import Site  # noqa: E402
from spaceviz.core.state.timeline import Timeline  # noqa: E402

SUNLIGHT_SPAN_DAYS = 30.0
SUNLIGHT_STEP_DAYS = 1.0 / 24.0
UNIX_EPOCH_TDB = 2440587.5


def tdb_to_axis_seconds(t_tdb):
    """Chart x values: seconds since 1970 (pyqtgraph's DateAxisItem), ~1 min off UTC."""
    return (np.asarray(t_tdb) - UNIX_EPOCH_TDB) * 86400.0


def axis_seconds_to_tdb(x: float) -> float:
    return x / 86400.0 + UNIX_EPOCH_TDB


class TimeChart(pg.PlotWidget):
    """A plot over time with a cursor line at the timeline's time; click to jump there."""

    def __init__(self, timeline: Timeline, parent=None):
        super().__init__(parent=parent, axisItems={"bottom": pg.DateAxisItem()})
        self.timeline = timeline
        self.setBackground("#101218")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#ffb030", width=2))
        self.addItem(self.cursor)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.setToolTip("Click to move the timeline to that date")
        timeline.time_changed.connect(self._move_cursor)
        self._move_cursor(timeline.time)

    def _move_cursor(self, t_tdb: float) -> None:
        self.cursor.setValue(float(tdb_to_axis_seconds(t_tdb)))

    def _clicked(self, event) -> None:
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.timeline.set_time(axis_seconds_to_tdb(point.x()))


class TitledChart(QWidget):
    """A title line (rich text, wrapped) over a TimeChart; `units` labels the y axis."""

    def __init__(self, timeline: Timeline, name: str, units: tuple[str, str] | None = None,
                 legend: bool = True, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.chart = TimeChart(timeline, self)
        if units is not None:
            self.chart.setLabel("left", units[0], units=units[1])
        if legend:
            self.chart.addLegend(offset=(10, 10))
        layout.addWidget(self.chart)


class SunlightChart(TitledChart):
    """The Sun's elevation above a lunar site's horizon over the coming month."""

    def __init__(self, timeline: Timeline, parent=None):
        super().__init__(timeline, "SunlightChart", ("Sun elevation", "deg"), legend=False,
                         parent=parent)
        self.timeline = timeline
        self.site = None
        self.window_start = None
        self.series = None
        self.summary = self.title
        self.curve = self.chart.plot(pen=pg.mkPen("#ffd060", width=2))
        self.horizon = pg.InfiniteLine(angle=0, pen=pg.mkPen("#6080ff", style=pg.QtCore.Qt.DashLine))
        self.chart.addItem(self.horizon)
        self.lit_fill = self.chart.plot(pen=None, fillLevel=0, brush=(255, 210, 80, 50))
        timeline.time_changed.connect(self._time_moved)

    def set_site(self, site: Site | None) -> None:
        """The site to chart (None clears)."""
        self.site = site
        self.window_start = None
        self._time_moved(self.timeline.time)

    def _time_moved(self, t_tdb: float) -> None:
        if self.site is None:
            return
        start = self.window_start
        if start is None or not start <= t_tdb <= start + SUNLIGHT_SPAN_DAYS - 2:
            self._compute(t_tdb - 1.0)

    def _compute(self, start_tdb: float) -> None:
        from spaceviz.core.astro import moon

        site = self.site
        self.window_start = start_tdb
        self.series = moon.sunlight_series(site.lat_deg, site.lon_deg, start_tdb,
                                           start_tdb + SUNLIGHT_SPAN_DAYS, SUNLIGHT_STEP_DAYS,
                                           horizon_deg=site.horizon_deg,
                                           elevation_m=site.elevation_m)
        x = tdb_to_axis_seconds(self.series.t_tdb)
        self.curve.setData(x, self.series.elevation_deg)
        self.horizon.setValue(site.horizon_deg)
        lit_level = np.where(self.series.lit, np.maximum(self.series.elevation_deg, 0), 0)
        self.lit_fill.setData(x, lit_level)
        self.summary.setText(
            f"<b>{self.site.name}</b>: sunlit {100 * self.series.lit_fraction:.0f}% of the next "
            f"{SUNLIGHT_SPAN_DAYS:.0f} days; longest night {self.series.longest_darkness_days():.1f} d, "
            f"longest day {self.series.longest_daylight_days():.1f} d.")


class FacilityChart(TitledChart):
    """A facility's mined, stored and delivered mass over the scenario (tonnes)."""

    SERIES = (("mined_kg", "mined", "#4cff73"), ("stored_kg", "stored", "#ffb030"),
              ("delivered_kg", "delivered", "#66a3ff"))

    def __init__(self, timeline: Timeline, parent=None):
        super().__init__(timeline, "FacilityChart", ("Mass", "t"), parent=parent)
        self.curves = {key: self.chart.plot(pen=pg.mkPen(color, width=2), name=label)
                       for key, label, color in self.SERIES}

    def set_facility(self, sim, name: str | None) -> None:
        if sim is None or name is None:
            return
        series = sim.facility_series(name)
        x = tdb_to_axis_seconds(series["t_tdb"])
        for key, curve in self.curves.items():
            curve.setData(x, series[key] / 1000.0)
        self.title.setText(f"<b>{name}</b>: production and stock over the scenario "
                           "(click to move the timeline)")


class ShipChart(TitledChart):
    """A ship's mass and the propellant aboard over its flight (tonnes): steps at impulsive
    burns and refuelling, slopes while an electric engine thrusts."""

    SAMPLES = 2000

    def __init__(self, timeline: Timeline, parent=None):
        super().__init__(timeline, "ShipChart", ("Mass", "t"), parent=parent)
        self.mass = self.chart.plot(pen=pg.mkPen("#ff9a40", width=2), name="ship")
        self.propellant = self.chart.plot(pen=pg.mkPen("#5ad8ff", width=2), name="propellant")

    def set_ship(self, ship) -> None:
        plan = ship.plan
        span = plan.end_tdb - plan.start_tdb
        t = np.linspace(plan.start_tdb - 0.02 * span, plan.end_tdb + 0.02 * span, self.SAMPLES)
        x = tdb_to_axis_seconds(t)
        self.mass.setData(x, plan.mass_at(t) / 1000.0)
        self.propellant.setData(x, plan.propellant_at(t) / 1000.0)
        self.title.setText(f"<b>{ship.name}</b>: mass and propellant over its flight "
                           "(click to move the timeline)")


class EconomicsChart(TitledChart):
    """Cumulative value, cost and net over the scenario (USD) for the whole scenario or one
    facility or ship, with the band of low and high prices shaded, the break-even date
    marked; click to move the timeline."""

    def __init__(self, timeline: Timeline, parent=None):
        super().__init__(timeline, "EconomicsChart", parent=parent)
        self.zero = pg.InfiniteLine(angle=0, pen=pg.mkPen("#808080", width=1))
        self.chart.addItem(self.zero)
        self.bands = {}
        self.curves = {}
        for key, label, color in (("value_usd", "value", "#4cff73"), ("cost_usd", "cost", "#ff5a5a"),
                                  ("net_usd", "net", "#ffd24c")):
            if key != "cost_usd":
                # The band of low and high prices: dashed edges, the value's shaded between.
                c = QColor(color)
                edge = pg.mkPen(c.red(), c.green(), c.blue(), 110, width=1,
                                style=pg.QtCore.Qt.DashLine)
                low = self.chart.plot(pen=edge, name="low / high prices"
                                      if key == "value_usd" else None)
                high = self.chart.plot(pen=edge)
                if key == "value_usd":
                    self.chart.addItem(pg.FillBetweenItem(low, high, brush=pg.mkBrush(
                        c.red(), c.green(), c.blue(), 35)))
                self.bands[key] = (low, high)
            self.curves[key] = self.chart.plot(pen=pg.mkPen(color, width=2), name=label)
        self.break_even = pg.InfiniteLine(angle=90, pen=pg.mkPen("#ffd24c", width=1,
                                                                  style=pg.QtCore.Qt.DashLine),
                                          label="break-even", labelOpts={"position": 0.06,
                                                                         "color": "#ffd24c"})
        self.chart.addItem(self.break_even)
        self.owner: str | None = None

    def set_economics(self, economics, owner: str | None, title: str) -> None:
        """Chart `owner`'s figures (a facility or ship name; None: the whole scenario)."""
        from spaceviz.core.astro.time import format_utc
        from spaceviz.core.mission.economics import format_usd

        self.owner = owner
        series = economics.series(owner)
        x = tdb_to_axis_seconds(series["t_tdb"])
        typical = np.concatenate([series["value_usd"][1], series["cost_usd"],
                                  series["net_usd"][1]])
        largest = float(np.max(np.abs(typical))) if typical.size else 0.0
        scale, unit = (1e9, "billion USD") if largest >= 1e9 else (1e6, "million USD")
        self.chart.setLabel("left", unit)
        for key, curve in self.curves.items():
            values = series[key] if key == "cost_usd" else series[key][1]
            curve.setData(x, values / scale)
        for key, (low, high) in self.bands.items():
            low.setData(x, series[key][0] / scale)
            high.setData(x, series[key][2] / scale)
        # The typical curves set the scale; a high band may run off the top (it says so).
        top = max(float(np.max(typical)) if typical.size else 0.0, 1.0) / scale
        bottom = min(float(np.min(typical)) if typical.size else 0.0, 0.0) / scale
        pad = 0.08 * (top - bottom)
        self.chart.setYRange(bottom - pad, top + pad, padding=0)
        self.chart.setXRange(float(x[0]), float(x[-1]), padding=0.01)
        end = economics.cumulative(economics.t_end_tdb, owner)
        even = economics.break_even_tdb(owner)
        self.break_even.setVisible(bool(np.isfinite(even[1])))
        if np.isfinite(even[1]):
            self.break_even.setValue(float(tdb_to_axis_seconds(even[1])))
        when = (format_utc(even[1], seconds=False)[:10] if np.isfinite(even[1])
                else "not within the scenario")
        rate = economics.discount_rate
        self.title.setText(
            f"<b>{title}</b> by {format_utc(economics.t_end_tdb, seconds=False)[:10]}: value "
            f"{format_usd(end['value_usd'][1])} ({format_usd(end['value_usd'][0])} to "
            f"{format_usd(end['value_usd'][2])} at low and high prices), cost "
            f"{format_usd(end['cost_usd'])}, net {format_usd(end['net_usd'][1])}, NPV at "
            f"{100 * rate:.0f}%/yr {format_usd(end['npv_usd'][1])}; break-even {when}")
        self.setToolTip(economics_tooltip(economics))


def economics_tooltip(economics) -> str:
    """Where the figures come from: each price used with its source, the launch price, and
    the deliveries no price was known for."""
    from spaceviz.core.mission.economics import MARKET_NAMES

    rows = []
    seen = set()
    for sale in economics.sales:
        key = (sale.resource, sale.market)
        price = economics.prices.price(*key)
        if key in seen or price is None:
            continue
        seen.add(key)
        low, typ, high = price.usd_per_kg
        rows.append(f"{sale.resource} {MARKET_NAMES.get(sale.market, sale.market)}: {typ:,.4g} "
                    f"USD/kg ({low:,.4g}-{high:,.4g}; {price.source})")
    rows.append(f"launch to LEO: {economics.prices.launch_usd_per_kg:,.0f} USD/kg "
                f"({economics.prices.launch_source()})")
    for (resource, market), kg in economics.unpriced.items():
        rows.append(f"no price for {resource} {MARKET_NAMES.get(market, market)}: "
                    f"{kg / 1000:,.1f} t counted as 0")
    return "Prices (resources/economics/prices.csv, the scenario's [[price]]):\n" + "\n".join(rows)
