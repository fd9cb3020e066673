"""Render fixtures: a SpaceScene on the default scenario, rendered offscreen."""

import pytest


@pytest.fixture(scope="module")
def session(data_dir):
    """A scene without a belt, so pixel probes see only what they test."""
    from spaceviz.core.scenario.session import Session

    return Session.load(data_dir / "scenarios" / "solar_system.toml")


@pytest.fixture
def make_scene(session):
    from spaceviz.core.state.camera import CameraModel
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    scenes = []

    def make(target="Sun", distance_au=7.0, size=(640, 360), t_tdb=None, azimuth=20.0,
             elevation=35.0):
        timeline = session.make_timeline()
        if t_tdb is not None:
            timeline.set_time(t_tdb)
        camera = CameraModel(target, distance_au, azimuth, elevation)
        scene = SpaceScene.from_session(session, timeline, camera, size=size, interactive=False)
        scenes.append(scene)
        return scene

    yield make
    for scene in scenes:
        scene.close()
