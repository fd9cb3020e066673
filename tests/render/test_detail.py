"""Level of detail: the belt drawn within a frame-time budget while the view moves, a fair
sample at any density, and refined to every object (pixel for pixel) once the view rests."""

import numpy as np
import pytest

from spaceviz.render.detail import MIN_FRACTION, REST_S, DetailController


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_moving_frames_fit_the_budget_and_rest_refines_to_everything():
    clock = FakeClock()
    detail = DetailController(budget_ms=50.0, clock=clock)
    cost_per_object_ms = 400.0  # the whole belt costs 400 ms a frame; the rest 20 ms
    for _ in range(20):
        detail.moved()
        detail.frame_drawn(20.0 + cost_per_object_ms * detail.fraction)
        clock.now += 0.05
    assert 20.0 + cost_per_object_ms * detail.fraction <= 50.0 * 1.05
    assert detail.fraction >= MIN_FRACTION and not detail.refined
    moving = detail.fraction
    clock.now += REST_S  # the view rests: each frame doubles what is drawn
    steps = 0
    while detail.needs_refinement():
        detail.frame_drawn(20.0 + cost_per_object_ms * detail.fraction)
        steps += 1
    assert detail.refined and steps == int(np.ceil(np.log2(1.0 / moving)))
    detail.moved()  # moving again: back to what the budget allows
    assert detail.fraction == pytest.approx(moving)


def test_exports_always_draw_everything():
    detail = DetailController(enabled=False)
    detail.moved()
    detail.frame_drawn(10_000.0)
    assert detail.fraction == 1.0 and not detail.needs_refinement()


@pytest.fixture
def belt_story(make_scene, session):
    from spaceviz.core.astro.catalogs.synthetic import synthetic_belt

    session.world.add_catalog(synthetic_belt(60_000, seed=3))
    yield session
    session.world.populations.clear()
    session.world.catalogs.clear()


def test_any_prefix_of_the_drawing_order_is_a_fair_sample(make_scene, belt_story):
    scene = make_scene("Sun", 8.0)
    belt = scene.belt_layer()
    a = belt_story.world.populations[0].elements.a_au[belt.order]
    full = np.histogram(a, bins=np.linspace(1.5, 5.5, 41))[0] / len(a)
    for fraction in (1 / 64, 1 / 8):
        prefix = a[: int(len(a) * fraction)]
        part = np.histogram(prefix, bins=np.linspace(1.5, 5.5, 41))[0] / len(prefix)
        assert np.abs(part - full).max() < 0.02  # the Kirkwood gaps stay where they are


def test_a_rested_view_equals_the_full_density_render(make_scene, belt_story):
    """While moving the belt is thinned; after the refinement frames the picture is the
    exact full render of a scene without level of detail."""
    moving = make_scene("Sun", 8.0, size=(480, 320), elevation=50.0)
    moving.detail.enabled = True
    moving.detail.budget_ms = 1e-3  # any frame is over budget: thin as far as possible
    moving.belt_layer().node.min_drawn = 0  # no floor: the thinnest level
    moving.state.view.labels = False
    for _ in range(10):
        moving.state.camera.orbit(1.0, 0.0)
        moving.detail.moved()  # what the app's camera signal does
        moving.render_image()
        moving.detail.frame_drawn(1000.0)
    moving.detail.moved()
    assert moving.belt_layer().drawn_fraction <= 1 / 64
    thinned = moving.render_image()
    clock_rest = moving.detail._moved_at + REST_S + 0.01
    moving.detail._clock = lambda: clock_rest
    while moving.detail.needs_refinement():
        moving.render_image()
        moving.detail.frame_drawn(1000.0)
    rested = moving.render_image()
    assert moving.belt_layer().drawn_fraction == 1.0
    full = make_scene("Sun", 8.0, size=(480, 320), elevation=50.0)
    full.state.view.labels = False
    full.state.camera.set_pose(azimuth_deg=moving.state.camera.azimuth_deg)
    reference = full.render_image()
    assert np.array_equal(rested, reference)
    assert (thinned.sum(axis=2) > 60).sum() < 0.3 * (reference.sum(axis=2) > 60).sum()


def test_thinning_stops_at_the_floor_of_drawn_objects(make_scene, belt_story):
    """However slow the frames, a belt keeps at least MIN_DRAWN_OBJECTS drawn (the smallest
    level above it): of 60,000, half (a quarter would be 15,000)."""
    from spaceviz.render.visuals.belt import MIN_DRAWN_OBJECTS

    assert MIN_DRAWN_OBJECTS == 20_000
    scene = make_scene("Sun", 8.0, size=(320, 240))
    scene.detail.enabled = True
    scene.detail.budget_ms = 1e-3
    for _ in range(12):
        scene.detail.moved()
        scene.render_image()
        scene.detail.frame_drawn(1000.0)
    scene.detail.moved()
    scene.render_image()
    assert scene.detail.fraction <= 1 / 64
    assert scene.belt_layer().drawn_fraction == 0.5
