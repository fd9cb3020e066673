"""The main window under Xvfb: opens, plays, scrubs, focuses, reports bad files."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from spaceviz.core.astro.time import parse_time
from tests.helpers import screen_position


def test_window_opens_on_the_default_scenario(window):
    assert "Mining the inner solar system" in window.windowTitle()
    assert window.object_tree.findItems("Earth", Qt.MatchFlag.MatchRecursive)
    assert window.state.timeline.time == window.session.scenario.start
    assert window.timeline_bar.date_label.text() == "2030-01-01 00:00:00 UTC"
    assert window.scene.canvas.native.isVisible()


def test_play_advances_time_and_pause_stops_it(window, qtbot):
    start = window.state.timeline.time
    window.actions.trigger("play_pause")
    assert window.state.timeline.playing
    qtbot.waitUntil(lambda: window.state.timeline.time > start + 1.0, timeout=10_000)
    window.actions.trigger("play_pause")
    stopped = window.state.timeline.time
    qtbot.wait(200)
    assert window.state.timeline.time == stopped
    assert window.timeline_bar.slider.value() > 0


def test_slider_moves_the_earth(window, qtbot):
    window.scene.sync()
    before = screen_position(window.scene, "Earth")
    window.timeline_bar.slider.setValue(window.timeline_bar.slider.maximum() // 40)  # ~3 months
    assert window.state.timeline.time > window.session.scenario.start + 80
    window.scene.sync()
    after = screen_position(window.scene, "Earth")
    assert np.linalg.norm(after - before) > 20
    assert window.timeline_bar.date_label.text().startswith("2030-0")


def test_double_click_on_a_body_flies_to_it_and_keeps_it_centred(window, qtbot):
    window.scene.sync()
    x, y = screen_position(window.scene, "Mars")
    canvas = window.scene.canvas.native
    ratio = canvas.devicePixelRatioF() or 1.0
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(x / ratio), int(y / ratio)))
    qtbot.waitUntil(lambda: window.state.camera.target == "Mars", timeout=5_000)
    assert window.state.selection.name == "Mars"
    qtbot.waitUntil(lambda: not window.state.camera.in_transition, timeout=10_000)
    window.actions.trigger("play_pause")
    qtbot.wait(300)
    window.actions.trigger("play_pause")
    window.scene.sync()
    width, height = window.scene.canvas.size
    assert np.allclose(screen_position(window.scene, "Mars"), [width / 2, height / 2], atol=1.0)
    assert window.state.camera.distance_au < 0.01


def test_tree_double_click_and_info_panel(window, qtbot):
    (item,) = window.object_tree.findItems("Jupiter", Qt.MatchFlag.MatchRecursive)
    window.object_tree.itemDoubleClicked.emit(item, 0)
    assert window.state.camera.target == "Jupiter"
    text = window.info_panel.label.text()
    assert "Jupiter" in text and "AU" in text and "km/s" in text


def test_keyboard_shortcuts_drive_the_timeline(window, qtbot):
    window.state.timeline.set_time(parse_time("2030-03-01"))
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.state.timeline.time == parse_time("2030-06-01T00:00:00Z")
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.state.timeline.time == window.state.timeline.end
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.state.timeline.time == window.state.timeline.start
    rate = window.state.timeline.rate
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert window.state.timeline.rate > rate


def test_bad_scenario_shows_the_problems_and_keeps_the_current_one(window, qtbot, data_dir):
    title = window.windowTitle()
    assert not window.open_path(data_dir / "scenarios" / "bad_several.toml")
    box = window.problems_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "bad_several.toml:9: site[A].lat" in box.text()
    assert window.windowTitle() == title
    box.close()


def test_settings_remember_the_scenario(window, tmp_path):
    window.close()
    QApplication.processEvents()
    from spaceviz.ui.settings import Settings

    settings = Settings()
    assert settings.get("last_scenario", "").endswith("default.toml")
    assert settings.get("geometry")


def test_selecting_a_site_shows_its_sunlight_chart(window, qtbot):
    window.state.selection.set("Shackleton rim")
    chart = window.charts.sunlight
    assert chart.isVisible() and chart.series is not None
    x, elevation = chart.curve.getData()
    assert len(elevation) == 721
    # Near the south pole the Sun never climbs more than ~1.6 degrees (lunar obliquity
    # 1.54 deg plus the Sun's radius and parallax).
    assert np.nanmax(np.abs(elevation)) < 2.0
    assert "sunlit" in chart.summary.text()
    # The chart's cursor follows the timeline.
    window.state.timeline.set_time(window.state.timeline.time + 3.0)
    assert chart.chart.cursor.value() == pytest.approx(float(x[0]) + 4 * 86400, abs=120)
    window.state.selection.set("Earth")
    assert not chart.isVisible()


def test_unexpected_errors_show_a_dialog_with_the_log_path(window, monkeypatch, tmp_path):
    import sys

    from spaceviz.ui.app import install_crash_handler

    monkeypatch.setenv("SPACEVIZ_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_crash_handler(window)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    box = sys.excepthook.last_dialog
    assert box.isVisible() and "RuntimeError: boom" in box.text()
    assert str(tmp_path / "logs" / "spaceviz.log") in box.text()
    box.close()


def test_scrubbing_changes_facility_figures_and_chart_jumps_time(window, qtbot):
    from spaceviz.core.astro.time import parse_time

    table = window.facilities_panel.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("Cabeus ice plant")
    window.state.timeline.set_time(parse_time("2031-06-01"))
    assert table.item(row, 1).text() == "not built" and table.item(row, 3).text() == "0 t"
    window.state.timeline.set_time(parse_time("2035-01-01"))
    assert table.item(row, 1).text() == "running"
    stored = table.item(row, 4).text()
    assert stored.endswith(" t") and float(stored[:-2].replace(",", "")) == pytest.approx(209.2, abs=0.05)
    table.selectRow(row)
    assert window.state.selection.name == "Cabeus ice plant"
    chart = window.charts.facility
    assert chart.isVisible()
    x, stored = chart.curves["stored_kg"].getData()
    assert stored.max() == pytest.approx(250.0, abs=0.01)  # the store's capacity, in tonnes
    from spaceviz.ui.charts import axis_seconds_to_tdb

    class Click:  # what pyqtgraph hands to the click handler
        def scenePos(self):
            vb = chart.chart.getPlotItem().vb
            return vb.mapViewToScene(pg_point(float(x[len(x) // 2]), 100.0))

    chart.chart._clicked(Click())
    assert window.state.timeline.time == pytest.approx(axis_seconds_to_tdb(float(x[len(x) // 2])), abs=0.5)


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_reloading_does_not_leak_widgets_or_gl_scenes(window, qtbot):
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    from spaceviz.render.scene import SpaceScene

    def counts():
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run deleteLater()
        gc.collect()
        return (len(QApplication.allWidgets()),
                sum(isinstance(o, SpaceScene) for o in gc.get_objects()))

    window.reload()
    baseline = counts()
    for _ in range(3):
        window.reload()
    assert counts() == baseline
    assert baseline[1] == 1  # only the current scene is alive


def test_clicking_the_porkchop_replans_the_ship_and_the_timeline_follows(window, qtbot):
    panel = window.porkchop
    window.porkchop_dock.raise_()  # the user opens the "Launch windows" tab
    qtbot.waitUntil(lambda: panel.isVisible() and panel.grid is not None, timeout=10_000)
    panel.ships.setCurrentText("Prospector-1")
    grid = panel.grid
    assert grid.total_dv_km_s.shape == (120, 120)
    old_depart = window.session.ship("Prospector-1").plan.legs[0].depart_tdb
    new_depart, new_tof = float(grid.depart_tdb[90]), float(grid.tof_days[60])
    panel.choose(new_depart, new_tof)
    leg = window.session.ship("Prospector-1").plan.legs[0]
    assert leg.depart_tdb == pytest.approx(new_depart)
    assert leg.arrive_tdb == pytest.approx(new_depart + new_tof)
    assert leg.depart_tdb != pytest.approx(old_depart)
    assert window.state.timeline.time == pytest.approx(new_depart)
    assert window.state.selection.name == "Prospector-1"
    departure = [e for e in window.state.timeline.events if e.name == "Prospector-1 departs Earth"][0]
    assert departure.t_tdb == pytest.approx(new_depart)
    # The arc leaves from the Earth on the new date (the ship waited in low Earth orbit).
    assert np.linalg.norm(leg.state(new_depart)[0]
                          - window.session.world.position("Earth", new_depart)) < 1e-11


def test_hovering_names_the_object_under_the_mouse(window, qtbot):
    window.scene.sync()
    x, y = screen_position(window.scene, "Mars")
    canvas = window.scene.canvas.native
    ratio = canvas.devicePixelRatioF() or 1.0
    qtbot.mouseMove(canvas, QPoint(int(x / ratio), int(y / ratio)))
    qtbot.waitUntil(lambda: window.scene.interaction.hover_pos is not None, timeout=3000)
    window._hovered_at = None
    assert window.show_hover_name() == "Mars"
    assert window.statusBar().currentMessage() == "Mars"


def test_the_launch_window_grid_is_computed_when_the_panel_is_first_seen(window, qtbot):
    from spaceviz.ui.porkchop_panel import PorkchopPanel

    panel = PorkchopPanel(window.state)  # not shown: costs nothing at start-up
    qtbot.addWidget(panel)
    assert panel.grid is None and panel.ships.count() > 0
    panel.show()
    qtbot.waitUntil(lambda: panel.grid is not None, timeout=10_000)


def test_the_belt_loads_in_the_background_after_the_window_shows(qtbot, tmp_path, monkeypatch,
                                                                  small_story):
    """The window opens on the bodies; the asteroid catalogue arrives from a worker thread,
    the belt panel says it is loading meanwhile, and the scene gains its belt."""
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.ui.main_window import MainWindow
    from spaceviz.ui.settings import Settings

    monkeypatch.setenv("SPACEVIZ_CONFIG_DIR", str(tmp_path / "config"))
    session = Session.load(small_story, defer_catalogs=True)
    assert session.catalogs_pending and not session.world.populations
    main = MainWindow(AppState(session), Settings())
    qtbot.addWidget(main)
    # the window shows before any layer or shader: a placeholder stands for the 3D view
    assert not main.scene.built and not main.scene.layers
    assert main.view_stack.currentWidget() is not main.scene.canvas.native
    main.show()
    assert main.catalogs.busy and "Loading" in main.belt_panel.source_label.text()
    assert main.scene.belt_layer() is None
    qtbot.waitUntil(lambda: main.scene.built and not main.catalogs.busy, timeout=60_000)
    assert main.view_stack.currentWidget() is main.scene.canvas.native
    assert main.scene.belt_layer() is not None and main.scene.belt_layer().count == 2000
    assert "2,000" in main.belt_panel.source_label.text()
    assert "Loaded 2,000 asteroids" in main.statusBar().currentMessage()
    main.close()
