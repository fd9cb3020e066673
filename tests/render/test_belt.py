"""The GPU belt: the vertex shader lands asteroids on the same pixels as numpy propagation,
filters are uniforms, and clicking picks the asteroid under the cursor."""

import numpy as np
import pytest

from spaceviz.core.astro.catalogs.population import GROUP_NAMES, Population
from spaceviz.core.astro.orbits import OrbitalElements, propagate_positions
from spaceviz.render.gpu import to_gpu


def handful_belt(t_epoch):
    """Five asteroids on well separated orbits (a, e, i in AU and degrees)."""
    a = np.array([1.5, 2.2, 2.7, 3.1, 4.0])
    e = np.array([0.05, 0.15, 0.3, 0.1, 0.2])
    i = np.radians([2.0, 10.0, 25.0, 5.0, 15.0])
    node = np.radians([10.0, 80.0, 150.0, 220.0, 300.0])
    peri = np.radians([30.0, 100.0, 200.0, 250.0, 40.0])
    M = np.radians([0.0, 70.0, 140.0, 210.0, 280.0])
    elements = OrbitalElements(a, e, i, node, peri, M, np.full(5, t_epoch))
    return Population(elements, np.array([f"Rock {k}" for k in range(5)]), np.full(5, 8.0),
                      np.full(5, GROUP_NAMES.index("Mining target"), np.int8),
                      np.zeros(5, dtype=np.int8), source="test")


@pytest.fixture
def belt_scene(make_scene, session):
    session.world.populations[:] = [handful_belt(session.scenario.start - 3000.0)]
    scene = make_scene("Sun", 12.0, size=(800, 600), elevation=60.0)
    belt = scene.belt_layer()
    for layer in scene.layers:  # only the belt, on black
        layer.root.visible = layer is belt
    scene.state.view.labels = False  # labels off, as the app's L key does
    scene.state.presentation.update({"show_date": False, "show_scale": False})
    yield scene
    session.world.populations[:] = []


def numpy_pixels(scene, belt, t_tdb):
    """Where numpy propagation (the reference path) puts each asteroid on the canvas."""
    helio = propagate_positions(belt.elements, t_tdb)
    frame = scene.sync()
    barycentric = helio + frame.sun_au[:, None]
    return scene.project(to_gpu(barycentric, frame.origin_au))


def bright_spots(image, threshold=40, radius=6.0):
    """Centroids (x, y) of clusters of bright pixels (one cluster per asteroid point)."""
    ys, xs = np.nonzero(image.sum(axis=2) > threshold)
    points = np.stack([xs, ys], axis=1).astype(float)
    spots = []
    while len(points):
        near = np.linalg.norm(points - points[0], axis=1) < radius
        spots.append(points[near].mean(axis=0))
        points = points[~near]
    return np.array(spots).reshape(-1, 2)


@pytest.mark.parametrize("days_after_start", [0.0, 1234.5])
def test_shader_and_numpy_put_asteroids_on_the_same_pixels(belt_scene, session, days_after_start):
    belt = session.world.populations[0]
    t = session.scenario.start + days_after_start
    belt_scene.state.timeline.set_time(t)
    expected = numpy_pixels(belt_scene, belt, t)
    image = belt_scene.render_image()
    spots = bright_spots(image)
    assert len(spots) == 5
    for x, y in expected:
        nearest = np.min(np.linalg.norm(spots - [x, y], axis=1))
        assert nearest < 1.0  # float32 Kepler on the GPU agrees with float64 numpy to < 1 px


def test_filters_are_uniforms_and_hide_without_reupload(belt_scene):
    layer = belt_scene.belt_layer()
    uploads = []
    original = layer.node.set_orbits
    layer.node.set_orbits = lambda *a, **k: uploads.append(1) or original(*a, **k)
    filters = belt_scene.state.belt_filters
    filters.a_au = (2.0, 3.5)
    assert len(bright_spots(belt_scene.render_image())) == 3  # 2.2, 2.7 and 3.1 AU remain
    assert filters.shown(layer.records[0]).sum() == 3
    filters.update({"a_au": (0.0, 1e9), "e": (0.0, 0.12)})
    assert len(bright_spots(belt_scene.render_image())) == 2  # e = 0.05 and 0.10
    assert uploads == []


def test_click_picks_the_asteroid_under_the_cursor(belt_scene, session):
    belt = session.world.populations[0]
    t = belt_scene.state.timeline.time
    expected = numpy_pixels(belt_scene, belt, t)
    for index in (1, 3):
        x, y = expected[index]
        assert belt_scene.pick_belt(x + 2, y - 1) == f"Rock {index}"
    assert belt_scene.pick_belt(5, 5) is None
