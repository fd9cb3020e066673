"""Layers are views of the AppState: they refresh only when what they show changes, ship arcs
are propagated and uploaded once, parked ships never hide their body or its label, and an
export never touches the live scene."""

import numpy as np
import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.constants import AU_KM
from spaceviz.render.layers.belt import BeltLayer
from spaceviz.render.layers.bodies import BodiesLayer
from spaceviz.render.layers.ships import ShipsLayer
from tests.helpers import screen_position


@pytest.fixture(scope="module")
def story(small_story):
    from spaceviz.core.scenario.session import Session

    return Session.load(small_story)


@pytest.fixture
def story_scene(make_scene, story):
    """Scenes of the default story; `t` is a time string."""
    def make(target="Sun", distance_au=7.0, t=None, size=(800, 500), **angles):
        return make_scene(target, distance_au, size, None if t is None else parse_time(t),
                          of=story, **angles)

    return make


def count_calls(monkeypatch, obj, name):
    calls = []
    original = getattr(obj, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, counted)
    return calls


def layer(scene, kind):
    return next(lay for lay in scene.layers if isinstance(lay, kind))


def test_the_registry_builds_one_layer_per_kind(story_scene):
    scene = story_scene()
    kinds = [type(lay).__name__ for lay in scene.layers]
    assert kinds == ["OrbitsLayer", "MoonOrbitLayer", "AsteroidOrbitsLayer", "BeltLayer",
                     "BodiesLayer", "SitesLayer", "FacilitiesLayer", "ShipsLayer"]
    bodies = layer(scene, BodiesLayer)
    assert "Earth" in bodies.names and "Ceres" in bodies.names  # bodies and named asteroids


def test_turning_the_camera_refreshes_no_layer_and_time_refreshes_only_time_layers(
        story_scene, monkeypatch):
    scene = story_scene()
    scene.sync()
    refreshes = {type(lay).__name__: count_calls(monkeypatch, lay, "refresh")
                 for lay in scene.layers}
    ships = layer(scene, ShipsLayer)
    sampled = count_calls(monkeypatch, ships, "_sample")
    belt_uploads = count_calls(monkeypatch, layer(scene, BeltLayer).node, "set_orbits")
    arc_uploads = [count_calls(monkeypatch, arcs, "set_data")
                   for _, arcs in ships._anchors.values()]
    scene.state.camera.orbit(15.0, 5.0)
    scene.sync()
    assert all(not calls for calls in refreshes.values())
    scene.state.timeline.set_time(scene.state.timeline.time + 10.0)
    scene.sync()
    assert all(len(calls) == 1 for calls in refreshes.values())  # each time layer once
    # Ship arcs: propagated and uploaded once; the clock only moves a uniform.
    assert not sampled and not any(arc_uploads) and not belt_uploads


def test_replanning_a_ship_resamples_only_its_layer(story_scene, monkeypatch):
    scene = story_scene()
    scene.sync()
    ships = layer(scene, ShipsLayer)
    sampled = count_calls(monkeypatch, ships, "_sample")
    bodies = count_calls(monkeypatch, layer(scene, BodiesLayer), "refresh")
    state = scene.state
    leg = state.session.ship("Prospector-1").plan.legs[0]
    try:
        state.replan_ship("Prospector-1", leg.depart_tdb + 5.0, leg.arrive_tdb + 5.0)
        scene.sync()
        assert len(sampled) == 1 and not bodies
    finally:
        state.replan_ship("Prospector-1", leg.depart_tdb, leg.arrive_tdb)


def test_parked_ships_never_hide_their_body_or_its_label(story_scene):
    """Hayate waits in low Earth orbit until 2034 and Polar Tanker on the Moon at its mine:
    at the tour stop 'Earth and the Moon' their markers sit outside the discs and the Earth
    and the Moon keep their labels."""
    scene = story_scene("Earth", 0.0065, t="2030-05-20T00:00:00Z", azimuth=200.0, elevation=30.0)
    scene.sync()
    labels = scene.labels.shown
    assert "Earth" in labels and "Moon" in labels
    earth = screen_position(scene, "Earth")
    hayate = screen_position(scene, "Hayate")
    assert np.linalg.norm(hayate - earth) >= 4.0 + 9.0 - 0.5  # disc (min 8 px) + gap
    close = story_scene("Earth", 30_000 / AU_KM, t="2031-06-01T00:00:00Z")
    close.sync()
    focal = close._frame.focal_px
    disc_px = 6378.137 / 30_000 * focal
    gap = np.linalg.norm(screen_position(close, "Hayate") - screen_position(close, "Earth"))
    assert gap > disc_px  # drawn outside the disc, in orbit around it


def test_an_export_leaves_the_live_scene_as_it_was(story_scene, tmp_path):
    """Exports draw a snapshot of the state in their own scene: the live scene keeps its point
    scale (belt points once swelled 2-3x after an export), time, camera and image."""
    from spaceviz.export.screenshot import screenshot
    from spaceviz.export.video import export_video

    live = story_scene("Sun", 7.0, size=(640, 360))
    before = live.render_image()
    state = live.state
    pose = (state.camera.target, state.camera.distance_au, state.timeline.time)
    screenshot(state.snapshot(), (1920, 1080), tmp_path / "big.png")
    export_video(state.snapshot(), state.timeline.start, state.timeline.start + 30, 0.2, 10,
                 (320, 180), tmp_path / "clip.mp4")
    assert live.px_scale == 1.0
    assert (state.camera.target, state.camera.distance_au, state.timeline.time) == pose
    after = live.render_image()
    assert np.abs(after.astype(int) - before.astype(int)).mean() < 0.5


def test_electric_thrust_arcs_are_blue_and_a_dense_spiral_is_a_veil(story_scene):
    """The ion tug spirals out of low Earth orbit for most of two years: its thrust arcs are
    drawn ion blue (coasting and impulsive arcs orange), faded by how many turns they wind so
    the Earth still shows through."""
    from spaceviz.render.layers.ships import THRUST_COLOR, spiral_opacity

    scene = story_scene("Earth", 0.0004, t="2031-01-15T00:00:00Z", azimuth=30.0,
                        elevation=35.0)
    scene.state.view.labels = False
    image = scene.render_image().astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    cyan = (b > r + 40) & (g > r + 20)
    assert cyan.sum() > 2000  # the veil of the spiral
    x, y = np.round(screen_position(scene, "Earth")).astype(int)
    earth_centre = image[y - 5:y + 5, x - 5:x + 5].reshape(-1, 3).mean(axis=0)
    assert earth_centre[2] > earth_centre[0] + 10  # the Earth's blue shows through
    turns = np.linspace(0, 200 * 2 * np.pi, 20000)
    spiral = np.stack([np.cos(turns), np.sin(turns), np.zeros_like(turns)])
    assert spiral_opacity(spiral) == pytest.approx(0.025)
    assert spiral_opacity(spiral[:, :50]) == 1.0
    assert THRUST_COLOR[2] > THRUST_COLOR[0]


def test_cislunar_legs_far_from_now_fade_out(story_scene):
    """The lunar shuttle flies an hour up and back every 90 days for seven years (60 legs):
    while it flies, its arc shows; six weeks from any trip, none of its arcs crosses the
    Moon (legs beyond CISLUNAR_HORIZON_DAYS fade, gone at twice that)."""
    from spaceviz.render.layers.ships import CISLUNAR_HORIZON_DAYS

    assert CISLUNAR_HORIZON_DAYS == 15.0

    def ship_pixels(t):
        scene = story_scene("Moon", 0.00006, t=t, azimuth=200.0, elevation=-60.0)
        scene.state.view.labels = False
        image = scene.render_image().astype(int)
        r, g, b = image[..., 0], image[..., 1], image[..., 2]
        orange = (r > b + 80) & (r > g + 30)
        cyan = (b > r + 40) & (g > r + 20)
        return int((orange | cyan).sum())

    flying = ship_pixels("2032-06-01T00:30:00Z")  # first ascent to the depot
    between = ship_pixels("2032-07-16T00:00:00Z")  # 42 days after it, 46 before the next
    # between trips only the markers stay (a parked ship's triangle, the plant's diamond:
    # about 100 px); all 60 legs drawn, as before the fade, cover the disc with arcs
    assert between < 150
    assert flying > between + 200
