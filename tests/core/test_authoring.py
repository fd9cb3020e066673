"""Authoring an AppState's scenario: edits replace the session only when they load."""

import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import InputFileError, UserError
from spaceviz.core.scenario import document as doc
from spaceviz.core.scenario.session import Session
from spaceviz.core.state.app_state import AppState
from spaceviz.core.state.authoring import Authoring
from spaceviz.paths import RESOURCES_DIR


@pytest.fixture
def story(tmp_path, small_story):
    path = tmp_path / "story.toml"
    path.write_bytes(small_story.read_bytes())
    state = AppState(Session.load(path))
    return state, Authoring(state)


def test_an_edit_keeps_the_clock_camera_and_selection(story):
    state, authoring = story
    state.timeline.set_time(parse_time("2032-02-03"))
    state.camera.set_pose("Moon", 0.001, 40.0, 10.0)
    state.selection.set("Shackleton rim")
    shown = []
    state.session_changed.connect(shown.append)
    change = authoring.attempt(doc.add_site("Peary rim", 88.6, 33.0))
    assert state.session is not change.session and not shown  # tried, not yet shown
    authoring.install(change.after, change.session)
    assert shown == [change.session] and state.session is change.session
    assert state.timeline.time == parse_time("2032-02-03")
    assert (state.camera.target, state.camera.distance_au) == ("Moon", 0.001)
    assert state.selection.name == "Shackleton rim"
    assert "Peary rim" in state.world and authoring.modified
    authoring.install(change.before)  # undo
    assert "Peary rim" not in state.world and not authoring.modified


def test_a_bad_edit_keeps_the_last_good_session(story):
    state, authoring = story
    session = state.session
    with pytest.raises(InputFileError) as error:
        authoring.attempt(doc.add_site("Cabeus ice field", 0.0, 0.0))
    assert "duplicate name" in str(error.value)
    assert state.session is session and not authoring.modified


def test_a_replanned_ship_is_written_and_announced(story):
    state, authoring = story
    changes = []
    authoring.recorded.connect(changes.append)
    leg = state.session.ship("Polar Tanker").plan.legs[0]
    state.replan_ship("Polar Tanker", leg.depart_tdb + 10.0, leg.arrive_tdb + 10.0)
    (change,) = changes
    assert 'depart = "2034-03-11T00:00:00Z"' in change.after and change.session is state.session
    assert authoring.modified


def test_a_lesson_opens_as_an_unsaved_copy(story, tmp_path):
    state, authoring = story
    lesson = sorted((RESOURCES_DIR / "scenarios" / "lessons").glob("*.toml"))[0]
    session = authoring.open_copy(lesson)
    assert state.session is session and authoring.path is None and not authoring.modified
    with pytest.raises(UserError):
        authoring.save()
    saved = authoring.save(tmp_path / "mine.toml")
    assert state.session.scenario.source_path == saved
    assert saved.read_bytes() == lesson.read_bytes()
