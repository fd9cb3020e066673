"""Authoring in the app: a tour built in the editor, undo and redo, save and reload, sites
placed by a click on the Moon, bad edits refused beside their field, lessons, presenting."""

import shutil

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from spaceviz.core.astro import moon
from spaceviz.core.astro.time import format_iso, parse_time
from spaceviz.core.scenario import document as edits
from spaceviz.core.scenario.session import Session
from spaceviz.render.gpu import to_gpu
from spaceviz.ui.authoring import LESSONS_DIR


@pytest.fixture
def story(window, tmp_path, small_story):
    """The window on a copy of the story in a folder of the test (so Save writes there)."""
    path = tmp_path / "story.toml"
    shutil.copy(small_story, path)
    assert window.open_path(path)
    return path


def click(window, qtbot, x, y):
    canvas = window.scene.canvas.native
    ratio = canvas.devicePixelRatioF() or 1.0
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(round(x / ratio)), int(round(y / ratio))))


def test_a_three_stop_tour_built_in_the_editor_saves_and_reloads(window, qtbot, story):
    state, editor = window.state, window.tour_editor
    window.actions.trigger("tour_editor")
    assert window.tour_editor_dock.isVisible()
    editor.tours.setCurrentIndex(-1)
    state.camera.set_pose("Earth", 0.006, 160.0, 30.0)
    state.timeline.set_time(parse_time("2031-01-01"))
    qtbot.mouseClick(editor.new_tour, Qt.MouseButton.LeftButton)  # a new tour, stop 1
    state.camera.set_pose("Moon", 0.0002, 200.0, -40.0)
    state.timeline.set_time(parse_time("2031-02-01"))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    state.camera.set_pose("Shackleton ice mine", 0.00003, 10.0, 60.0)
    state.timeline.set_time(parse_time("2031-03-01"))
    window.actions.trigger("tour_add_stop")  # the shortcut's command does the same
    tour = state.session.scenario.tour[-1]
    assert [s.target for s in tour.stop] == ["Earth", "Moon", "Shackleton ice mine"]
    assert editor.stops.count() == 3 and editor.stops.currentRow() == 2
    assert window.isWindowModified()

    editor.stops.setCurrentRow(1)
    editor.caption.setPlainText("The Moon from below: its south pole faces us.")
    editor.flush()
    editor.duration.setValue(5.0)
    editor.until.setText("2031-02-10T00:00:00Z")
    editor.until.editingFinished.emit()
    stop = state.session.scenario.tour[-1].stop[1]
    assert (stop.caption, stop.duration_s) == ("The Moon from below: its south pole faces us.",
                                               5.0)
    assert stop.until == pytest.approx(parse_time("2031-02-10"))

    window.actions.trigger("undo")  # the time range goes again
    assert state.session.scenario.tour[-1].stop[1].until is None
    assert window.actions["redo"].isEnabled()
    window.actions.trigger("redo")
    assert state.session.scenario.tour[-1].stop[1].until == pytest.approx(parse_time("2031-02-10"))

    qtbot.mouseClick(editor.up, Qt.MouseButton.LeftButton)  # stop 2 becomes the first
    assert [s.target for s in state.session.scenario.tour[-1].stop] == \
        ["Moon", "Earth", "Shackleton ice mine"]
    assert editor.stops.currentRow() == 0

    qtbot.mouseClick(editor.play_all, Qt.MouseButton.LeftButton)
    assert state.tour is not None and state.tour.playing
    assert "next: Earth" in window.tour_label.text()
    assert "next: Earth" in editor.coming.text()
    state.stop_tour()

    window.actions.trigger("save_scenario")
    assert not window.isWindowModified()
    text = story.read_text()
    assert "# spaceviz default scenario" in text  # the author's comments stay
    saved = state.session.scenario.tour[-1]
    reloaded = Session.load(story).scenario.tour[-1]
    assert reloaded.name == saved.name
    for mine, read in zip(saved.stop, reloaded.stop, strict=True):
        assert (read.target, read.caption, read.duration_s, read.until) == (
            mine.target, mine.caption, mine.duration_s, mine.until)
        assert read.time == pytest.approx(mine.time, abs=1e-5)
        assert read.distance_au == pytest.approx(mine.distance_au, rel=1e-3)
    assert reloaded.stop[0].elevation == pytest.approx(-40.0)


def test_a_site_placed_by_a_click_lands_at_its_latitude_and_longitude(window, qtbot, story):
    state = window.state
    state.camera.set_pose("Moon", 0.00005, 300.0, 25.0)
    frame = window.scene.sync()
    t = state.timeline.time
    below = frame.eye_au - state.world.position("Moon", t)  # the point under the camera
    lat, lon = (float(v) for v in moon.selenographic_latlon(below, t))
    lat, lon = lat + 12.0, lon - 20.0  # somewhere off the centre of the disc
    position, _ = moon.site_state(lat, lon, 0.0, t)
    normal = position - state.world.position("Moon", t)
    assert normal @ (frame.eye_au - position) > 0  # on the side facing the camera
    x, y = window.scene.project(to_gpu(position, frame.origin_au).astype(np.float64))[0]
    window.actions.trigger("add_site")
    click(window, qtbot, 3, 3)  # space: the pick keeps waiting
    assert "missed the Moon" in window.statusBar().currentMessage()
    click(window, qtbot, x, y)
    dialog = window.authoring.last_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.name.setText("Landing zone")
    assert dialog.try_edit()
    site = state.world.resolve("Landing zone")
    assert site.lat_deg == pytest.approx(lat, abs=1.0)
    assert site.lon_deg == pytest.approx(lon, abs=1.0)
    window.actions.trigger("undo")
    assert "Landing zone" not in state.world


def test_a_bad_edit_shows_its_problem_next_to_the_field_and_keeps_the_session(window, qtbot,
                                                                              story):
    state = window.state
    session = state.session
    dialog_name = "Cabeus ice field"  # already a site
    state.camera.set_pose("Moon", 0.00005, 300.0, 25.0)
    window.scene.sync()
    window.authoring.pick_site()
    width, height = window.scene.canvas.size
    assert window.authoring.place_site_at(width / 2, height / 2)
    dialog = window.authoring.last_dialog
    dialog.name.setText(dialog_name)
    assert not dialog.try_edit()
    widget, label = dialog.form.fields["name"]
    assert label.isVisibleTo(dialog) and "duplicate name 'Cabeus ice field'" in label.text()
    assert state.session is session and dialog.isVisible()
    dialog.reject()

    editor = window.tour_editor
    window.show_tour_editor()
    editor.stops.setCurrentRow(2)
    editor.target.setText("Atlantis")
    editor.target.editingFinished.emit()
    widget, label = editor.form.fields["target"]
    assert label.isVisibleTo(editor) and "'Atlantis' is not" in label.text()
    assert state.session is session and not window.isWindowModified()


def test_unsaved_changes_are_asked_about_on_close(window, qtbot, story, monkeypatch):
    assert window.authoring.apply(edits.add_site("Peary rim", 88.6, 33.0)) == []
    assert window.isWindowModified()
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    window.close()
    assert window.isVisible()  # cancelled
    window.close()
    QApplication.processEvents()
    assert not window.isVisible() and not answers
    assert "Peary rim" not in story.read_text()


def test_a_lesson_opens_as_a_copy_and_save_asks_where(window, qtbot, tmp_path, monkeypatch):
    window.actions.trigger("new_lesson")
    gallery = window.gallery
    assert gallery.list.count() >= 4
    titles = [gallery.list.item(i).text() for i in range(gallery.list.count())]
    assert any("Psyche" in t for t in titles) and any("helium-3" in t for t in titles)
    gallery.list.setCurrentRow(titles.index(next(t for t in titles if "Psyche" in t)))
    assert "Questions for the class" in gallery.notes.toPlainText()
    assert gallery.open_chosen()
    assert "Psyche" in window.session.title and window.authoring.authoring.path is None
    assert not window.isWindowModified()
    out = tmp_path / "my psyche lesson"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.actions.trigger("save_scenario")  # no file yet: asks where
    saved = tmp_path / "my psyche lesson.toml"
    assert saved.read_bytes() == (LESSONS_DIR / "psyche-metal.toml").read_bytes()
    assert "my psyche lesson.toml" in window.windowTitle()
    window.actions.trigger("teacher_notes")
    assert "Psyche" in window.notes_dialog.view.toPlainText()
    window.notes_dialog.close()


def test_facility_and_ship_dialogs_and_porkchop_clicks_are_undoable(window, qtbot, story):
    state = window.state
    state.selection.set("Aristarchus plateau")
    window.actions.trigger("add_facility")
    dialog = window.authoring.last_dialog
    assert dialog.at.currentText() == "Aristarchus plateau"
    dialog.name.setText("Regolith pit")
    dialog.resource.setCurrentIndex(dialog.resource.findData("regolith"))
    dialog.rate.setValue(0.0)  # not allowed: shown under the rate
    assert not dialog.try_edit()
    assert "greater than 0" in dialog.form.fields["rate_kg_per_day"][1].text()
    dialog.rate.setValue(500.0)
    assert dialog.try_edit()
    assert state.world.resolve("Regolith pit").host.name == "Aristarchus plateau"

    state.selection.set("Moon")
    window.actions.trigger("add_ship")
    dialog = window.authoring.last_dialog
    assert (dialog.origin.currentText(), dialog.target.currentText()) == ("Earth", "Moon")
    grid = dialog.plot.grid
    assert grid is not None and grid.solvable
    depart = float(grid.depart_tdb[10])
    dialog.choose(depart, float(grid.tof_days[50]))
    assert dialog.depart.text() == format_iso(depart)
    dialog.name.setText("Lunar shuttle")  # the default story's shuttle has this name
    assert not dialog.try_edit()
    assert "duplicate name" in dialog.form.fields["name"][1].text()
    dialog.name.setText("Supply run")
    assert dialog.try_edit()
    leg = state.session.ship("Supply run").plan.legs[0]
    assert leg.depart_tdb == pytest.approx(depart, abs=1e-5)
    assert leg.tof_days == pytest.approx(float(grid.tof_days[50]), abs=1e-4)

    # A click on the launch-window panel re-plans a ship: written to the file, undoable.
    polar = state.session.ship("Polar Tanker").plan.legs[0]
    state.replan_ship("Polar Tanker", polar.depart_tdb + 3.0, polar.arrive_tdb + 3.0)
    assert window.authoring.stack.undoText().startswith("Fly 'Polar Tanker'")
    window.actions.trigger("save_scenario")
    assert 'depart = "2034-03-04T00:00:00Z"' in story.read_text()
    window.actions.trigger("undo")
    assert state.session.ship("Polar Tanker").plan.legs[0].depart_tdb == \
        pytest.approx(polar.depart_tdb)
    assert window.isWindowModified()


def test_the_presentation_screen_is_chosen_in_the_view_menu(window, qtbot):
    window._fill_screens()
    entries = window.screens_menu.actions()
    assert len(entries) == len(QApplication.screens()) >= 1
    assert entries[0].isChecked()
    entries[0].trigger()
    assert window.settings.get("present_screen") == 0
    window.actions.trigger("present")
    assert window.isFullScreen() or window.windowState() & Qt.WindowState.WindowFullScreen
    window.actions.trigger("leave_present")
    assert not window._presenting
