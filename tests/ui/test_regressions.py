"""Defects found when the app was tried as a new user would, each pinned by a test."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget, QToolTip

from spaceviz.core.astro.time import parse_time
from spaceviz.ui import main_window as main_window_module


def dock_layout(window):
    """What a presenter sees of the docks: visible, size, and which tab is in front."""
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    return {name: (d.isVisible(), d.width(), d.height(), d.visibleRegion().isEmpty())
            for name, d in docks.items()}


def test_f11_then_escape_restores_the_docks_their_sizes_and_tabs(window, qtbot):
    window.porkchop_dock.raise_()  # the second tab in front, as a presenter left it
    window.resizeDocks([window.facilities_dock], [300], Qt.Orientation.Vertical)
    qtbot.wait(100)
    before = dock_layout(window)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.object_tree.isVisible(), timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.object_tree.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: not window._layout_timer.isActive(), timeout=3000)
    qtbot.wait(100)
    after = dock_layout(window)
    assert after == before
    assert not window.porkchop_dock.visibleRegion().isEmpty()  # still the tab in front
    assert window.porkchop.plot.height() > 100  # not squashed


def test_during_a_tour_the_play_button_says_pause(window, qtbot):
    button = window.timeline_bar.buttons["play_pause"]
    assert button.toolTip() == "Play (Space)"
    window.start_tour(None)
    assert window.state.playing and button.toolTip() == "Pause (Space)"
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the presenter pauses the tour
    assert not window.state.playing and button.toolTip() == "Play (Space)"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert button.toolTip() == "Pause (Space)"
    window.state.stop_tour()
    assert button.toolTip() == "Play (Space)"


def test_hover_names_disappear_when_the_view_moves(window, qtbot):
    canvas = window.scene.canvas.native
    QToolTip.showText(canvas.mapToGlobal(QPoint(100, 100)), "Mars", canvas)
    window._hover_shown = True
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    window.state.camera.orbit(10.0, 0.0)  # a tour, a flight or a drag moves the view
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


def test_scenario_time_follows_the_wall_clock_when_frames_are_slow(window, monkeypatch):
    """At 30 d/s with 1 frame per second, a second of playback is 30 days (it was about 7:
    each slow frame counted as a quarter of a second)."""
    clock = [5000.0]
    monkeypatch.setattr(main_window_module.wallclock, "perf_counter", lambda: clock[0])
    timeline = window.state.timeline
    timeline.set_rate(30.0)
    timeline.play()
    window._last_tick = clock[0]
    start = timeline.time
    for _ in range(4):  # four frames that each take a second to draw
        clock[0] += 0.5
        window._frame_pending = True
        window._tick()  # the frame is still being drawn: time waits for it
        clock[0] += 0.5
        window._frame_pending = False
        window._tick()
    assert timeline.time - start == pytest.approx(120.0, abs=1e-6)
    timeline.pause()


def test_screenshot_size_is_checked_in_the_dialog_and_remembered(window):
    from spaceviz.ui.export_dialogs import ScreenshotDialog

    dialog = ScreenshotDialog(window.settings, window)
    dialog.size_box.setCurrentText("big")
    dialog._try_accept()
    assert dialog.result() != ScreenshotDialog.DialogCode.Accepted
    assert not dialog.error.isHidden()
    assert "Size 'big' is not WIDTHxHEIGHT" in dialog.error.text()
    assert "--size" not in dialog.error.text()
    dialog.size_box.setCurrentText("2000x1000")
    dialog._try_accept()
    assert dialog.result() == ScreenshotDialog.DialogCode.Accepted
    assert dialog.chosen_size == (2000, 1000)
    assert ScreenshotDialog(window.settings, window).size_box.currentText() == "2000x1000"


def test_the_video_dialog_remembers_its_settings(window):
    from spaceviz.ui.export_dialogs import VideoDialog

    dialog = VideoDialog(window.state, window.settings, window)
    dialog.fps.setValue(24)
    dialog.quality.setCurrentText("high")
    dialog.size_box.setCurrentText("1280x720")
    dialog._try_accept()
    options = dialog.options()
    assert (options.fps, options.quality, options.size) == (24.0, "high", (1280, 720))
    again = VideoDialog(window.state, window.settings, window)
    assert (again.fps.value(), again.quality.currentText(), again.size_box.currentText()) == (
        24, "high", "1280x720")
    again.t_to.setText("yesterday")
    again._try_accept()
    assert "To: 'yesterday' is not a time" in again.error.text()


def test_the_info_panel_explains_without_code_names(window):
    window.state.selection.set("Psyche")
    text = window.info_panel.label.text()
    assert "Shoemaker" in text and "km/s" in text
    assert "spaceviz." not in text and "_km_s" not in text


def test_the_info_panel_shows_a_ship_and_its_transfer_orbit(window):
    window.state.timeline.set_time(parse_time("2031-03-01"))  # Prospector-1 under way
    window.state.selection.set("Prospector-1")
    text = window.info_panel.label.text()
    assert "km/s departing (C3" in text and "Transfer orbit now" in text and "perihelion" in text


def test_the_info_panel_shows_an_engine_its_propellant_and_the_other_engine(window, qtbot):
    """The ion tug: engine, mass now, the leg's propellant, and (worked out in a thread) what
    a chemical stage would burn on the same leg (the story's caption: about 15 t)."""
    window.state.timeline.set_time(parse_time("2030-06-01"))
    window.state.selection.set("Ion tug")
    text = window.info_panel.label.text()
    assert "Isp 3100 s" in text and "propellant aboard" in text and "thrusting" in text
    assert "Edelbaum" in text and "Propellant" in text
    qtbot.waitUntil(lambda: "working it out" not in window.info_panel.label.text(),
                    timeout=120_000)
    other = window.info_panel.label.text()
    assert "With the other engine" in other and " t of propellant" in other


def test_the_planner_says_why_a_leg_cannot_be_flown(window):
    panel = window.porkchop
    labels = [panel.ships.itemText(k) for k in range(panel.ships.count())]
    assert "Hayate, leg 1: Earth to Ryugu water extractor" in labels
    panel.ships.setCurrentIndex(labels.index("Hayate, leg 1: Earth to Ryugu water extractor"))
    second = window.session.ship("Hayate").plan.legs[1]
    panel.choose(second.depart_tdb - 10.0, 30.0)  # would arrive after leg 2 leaves
    assert "cannot fly on those dates" in panel.status.text()
    assert "after its next leg departs" in panel.status.text()
