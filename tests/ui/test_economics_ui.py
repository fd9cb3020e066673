"""Economics in the app (qtbot under Xvfb): the scenario's and a facility's economics chart
(click to move the timeline), the facilities table's value, net and operator filter, a
target's worth in the info panel, targets coloured by value, the CO2e counter."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from spaceviz.core.astro.time import parse_time
from spaceviz.ui.charts import axis_seconds_to_tdb, tdb_to_axis_seconds


def click_chart(chart, x_seconds: float) -> None:
    """Click a TimeChart where its x axis reads `x_seconds` (what pyqtgraph hands over)."""

    class Click:
        def scenePos(self):  # noqa: N802 (pyqtgraph's name)
            vb = chart.getPlotItem().vb
            return vb.mapViewToScene(QPointF(x_seconds, 0.0))

    chart._clicked(Click())


def test_scenario_economics_chart_shows_and_clicking_moves_the_timeline(window, qtbot):
    panel = window.charts
    assert panel.scenario_button.isVisible()
    qtbot.mouseClick(panel.scenario_button, pg_left())
    chart = panel.economics
    assert chart.isVisible() and chart.owner is None
    economics = window.state.session.economics
    x, value = chart.curves["value_usd"].getData()
    end = economics.cumulative(economics.t_end_tdb)
    assert value[-1] == pytest.approx(end["value_usd"][1] / 1e9)  # billion USD
    _, low = chart.bands["value_usd"][0].getData()
    _, high = chart.bands["value_usd"][1].getData()
    assert np.all(low <= value + 1e-9) and np.all(value <= high + 1e-9)
    assert "break-even" in chart.title.text() and "NPV at 10%/yr" in chart.title.text()
    target = parse_time("2035-06-01")
    click_chart(chart.chart, float(tdb_to_axis_seconds(target)))
    assert window.state.timeline.time == pytest.approx(target, abs=0.01)
    assert chart.chart.cursor.value() == pytest.approx(float(tdb_to_axis_seconds(target)), abs=1)


def test_a_facility_shows_its_economics_and_break_even(window, qtbot):
    window.state.selection.set("Shackleton ice mine")
    panel = window.charts
    assert panel.facility.isVisible() and panel.economics.isVisible()
    chart = panel.economics
    assert chart.owner == "Shackleton ice mine"
    assert chart.break_even.isVisible()
    even = window.state.session.economics.break_even_tdb("Shackleton ice mine")[1]
    assert axis_seconds_to_tdb(chart.break_even.value()) == pytest.approx(even, abs=1e-3)
    window.state.selection.set("Earth")  # nothing of its own: the scenario's economics
    assert chart.isVisible() and chart.owner is None and not panel.facility.isVisible()


def test_the_facilities_table_tells_value_net_and_who_runs_it(window, qtbot):
    from spaceviz.ui.facilities_panel import ALL_OPERATORS, COLUMNS, SHARED

    table = window.facilities_panel.table
    window.state.timeline.set_time(parse_time("2035-01-01"))
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    row = names.index("Cabeus ice plant")
    value = table.item(row, COLUMNS.index("Value so far")).text()
    assert value.endswith("USD") and value != "0 USD"
    assert table.item(row, COLUMNS.index("Net so far")).text().endswith("USD")
    assert table.item(row, COLUMNS.index("Operator")).text() == \
        "Polar Resources + Selene Mining (shared) [US, JP]"
    combo = window.facilities_panel.filter
    assert [combo.itemText(i) for i in range(combo.count())][0] == ALL_OPERATORS
    combo.setCurrentText("Selene Mining")
    shown = [names[r] for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert shown == ["Cabeus ice plant", "Aristarchus oxygen plant"]
    combo.setCurrentText(SHARED)
    assert [names[r] for r in range(table.rowCount()) if not table.isRowHidden(r)] == \
        ["Cabeus ice plant"]
    combo.setCurrentText(ALL_OPERATORS)
    assert not any(table.isRowHidden(r) for r in range(table.rowCount()))


def test_a_targets_worth_sits_next_to_its_delta_v(window):
    window.state.selection.set("Psyche")
    text = window.info_panel.label.text()
    assert "Worth at today's prices" in text and "per km/s of delta-v" in text
    assert text.index("Delta-v from low Earth orbit") < text.index("Worth at today's prices")
    assert "USGS Mineral Commodity Summaries 2025" in text


def test_mining_targets_coloured_by_value(window, qtbot):
    from spaceviz.render.layers.bodies import BodiesLayer

    layer = next(la for la in window.scene.layers if isinstance(la, BodiesLayer))
    before = layer._marker_colors()
    window.belt_panel.targets_by.setCurrentIndex(1)  # value at today's prices
    assert window.state.belt_filters.targets_by == "value"
    after = layer._marker_colors()
    psyche = layer.names.index("Psyche")
    assert not np.allclose(before[psyche], after[psyche])
    assert window.belt_panel.targets_legend.isVisible()
    window.belt_panel.targets_by.setCurrentIndex(2)
    assert window.state.belt_filters.targets_by == "value_per_dv"


def test_presentation_mode_counts_the_co2e_avoided(window, qtbot):
    window.state.timeline.set_time(parse_time("2036-01-01"))
    window.set_presenting(True)
    try:
        assert window.state.presentation.footprint
        overlay = window.scene.overlay
        window.scene.request_draw()
        qtbot.waitUntil(lambda: "CO2e avoided" in str(overlay.scale.text), timeout=10_000)
        assert "launches emitted" in str(overlay.scale.text)
    finally:
        window.set_presenting(False)
    assert not window.state.presentation.footprint


def pg_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
