"""Render fixtures: SpaceScenes of an AppState, rendered offscreen."""

import pytest


@pytest.fixture(scope="module")
def session(data_dir):
    """A scenario without a belt, so pixel probes see only what they test."""
    from spaceviz.core.scenario.session import Session

    return Session.load(data_dir / "scenarios" / "solar_system.toml")


@pytest.fixture
def make_scene(session):
    from spaceviz.core.state.app_state import AppState
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    scenes = []

    def make(target="Sun", distance_au=7.0, size=(640, 360), t_tdb=None, azimuth=20.0,
             elevation=35.0, of=None, stars=False):
        """A scene of `of` (a Session; default: the belt-less solar system), without the
        star background unless asked (pixel probes see only what they test)."""
        state = AppState(of or session)
        state.view.stars = stars
        if t_tdb is not None:
            state.timeline.set_time(t_tdb)
        state.camera.set_pose(target, distance_au, azimuth, elevation)
        scene = SpaceScene(state, size=size, interactive=False)
        scenes.append(scene)
        return scene

    yield make
    for scene in scenes:
        scene.close()
