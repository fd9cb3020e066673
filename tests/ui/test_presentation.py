"""Presentation mode and tours driven by a presenter's keys (qtbot under Xvfb)."""

import pytest
from PySide6.QtCore import Qt


def test_tour_stepped_with_clicker_keys(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_T)  # start the scenario's tour
    player = window.state.tour
    assert player is not None and player.playing
    tour = player.tour
    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause: the presenter talks
    assert not player.playing
    for index, stop in enumerate(tour.stops):
        if index > 0:
            qtbot.keyClick(window, Qt.Key.Key_PageDown)
        assert player.tau_s == pytest.approx(tour.arrive_s[index])
        assert window.state.timeline.time == pytest.approx(stop.time_tdb, abs=1e-6)
        assert window.state.camera.target == stop.target
        assert window.state.camera.distance_au == pytest.approx(stop.distance_au)
        assert window.state.presentation.caption == stop.caption and stop.caption
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.state.camera.target == tour.stops[-2].target
    qtbot.keyClick(window, Qt.Key.Key_Left)  # Left steps back too
    assert window.state.camera.target == tour.stops[-3].target
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.state.camera.target == tour.stops[0].target and player.tau_s == 0.0


def test_tour_plays_by_itself_between_stops(window, qtbot):
    window.start_tour("mining-story")
    player = window.state.tour
    first = window.state.timeline.time
    qtbot.waitUntil(lambda: player.tau_s > 1.0, timeout=10_000)
    # The first stop plays its time range (2030-01-01 .. 2030-05-01 over 12 s).
    assert window.state.timeline.time > first
    window.state.stop_tour()
    assert window.state.presentation.caption == "" and window.state.tour is None


def test_presentation_mode_hides_chrome_and_escape_leaves(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen() and window.state.presentation.large
    assert not window.menuBar().isVisible() and not window.timeline_bar.isVisible()
    assert not window.object_tree.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.state.presentation.black
    window.scene.sync()
    image = window.scene.render_image(size=(320, 200))
    assert image.max() <= 8  # a black screen is black
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not window.state.presentation.black
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen() and window.menuBar().isVisible()
    assert window.object_tree.isVisible()


def test_help_overlay_explains_the_view(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert window.state.presentation.title == "What am I looking at?"
    assert "orbits" in window.state.presentation.caption
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert window.state.presentation.caption == ""


def test_unknown_tour_from_the_command_line_is_a_user_error(run_cli):
    result = run_cli("--tour", "nope")
    assert result.returncode == 2 and "no tour named 'nope'" in result.stderr
