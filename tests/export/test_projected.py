"""Dome masters and 360 frames rendered from a cube map: pixel probes of real renders."""

import math

import numpy as np
import pytest

from spaceviz.core.scenario.session import Session
from spaceviz.core.state.app_state import AppState
from spaceviz.core.state.projection import Projection, parse_projection
from spaceviz.export.screenshot import FrameRenderer
from spaceviz.render.gpu import to_display
from tests.helpers import image_position


@pytest.fixture(scope="module")
def session(data_dir):
    """The Sun, planets and Moon without a belt, so probes see only bodies."""
    return Session.load(data_dir / "scenarios" / "solar_system.toml")


def render(session, projection, size, target="Sun", distance_au=7.0, azimuth=20.0,
           elevation=35.0, tile=None):
    """The image and the view-frame direction of each body from the render's eye."""
    state = AppState(session)
    state.view.stars = False  # probes see only the bodies
    state.camera.set_pose(target, distance_au, azimuth, elevation)
    renderer = FrameRenderer(state, size, projection)
    try:
        image = renderer.render(tile=tile).astype(int)
        frame = renderer.scene.sync()
    finally:
        renderer.close()
    right, up, back = frame.basis
    view = np.array([right, up, -back])

    def direction(name):
        rel = to_display((state.world.position(name, state.timeline.time) - frame.eye_au)[:, None])
        return view @ rel[:, 0]

    return image, direction


def pixel_of(projection, direction, size):
    """Output pixel (column, row from the top) where a view-frame direction lands."""
    u, v = image_position(projection, direction)
    return u * size[0], (1.0 - v) * size[1]


def bright(image, x, y, radius=2):
    patch = image[int(y) - radius:int(y) + radius + 1, int(x) - radius:int(x) + radius + 1]
    return patch.sum(axis=2).max()


def test_fisheye_sun_straight_ahead_at_the_centre_and_black_outside_the_disc(session):
    size = (480, 480)
    image, direction = render(session, parse_projection("fisheye"), size)
    assert np.allclose(direction("Sun") / np.linalg.norm(direction("Sun")), [0, 0, 1], atol=1e-6)
    centre = image[236:244, 236:244].reshape(-1, 3)
    assert centre[:, 0].min() > 200 and centre[:, 1].min() > 180  # the bright Sun
    yy, xx = np.mgrid[0:480, 0:480]
    r = np.hypot(xx + 0.5 - 240, yy + 0.5 - 240) / 240
    assert image[r > 1.0].max() == 0                  # pure black outside the dome disc
    assert image[(r < 0.98) & (image.sum(axis=2) == 0)].size == 0  # the dome itself is not


def test_a_body_90_degrees_off_axis_lands_on_the_rim_of_a_180_degree_dome(session):
    """Looking down on the Earth from the ecliptic north: the Sun is ~90 degrees off axis."""
    size = (480, 480)
    projection = parse_projection("fisheye", 180.0)
    image, direction = render(session, projection, size, target="Earth", distance_au=0.02,
                              elevation=89.9)
    sun = direction("Sun")
    off_axis = math.degrees(math.acos(sun[2] / np.linalg.norm(sun)))
    assert abs(off_axis - 90.0) < 1.5
    # Wider aperture: the same Sun lies well inside the disc, where the numpy mapping says.
    wide = parse_projection("fisheye", 220.0)
    image, direction = render(session, wide, size, target="Earth", distance_au=0.02,
                              elevation=89.9)
    x, y = pixel_of(wide, direction("Sun"), size)
    r = math.hypot(x - 240, y - 240) / 240
    assert r == pytest.approx(off_axis / 110.0, abs=0.01)
    assert bright(image, x, y) > 600
    # At 180 degrees it sits on the rim: r = off-axis angle / 90 degrees.
    assert off_axis / 90.0 == pytest.approx(1.0, abs=0.02)


def test_tilted_dome_puts_the_view_direction_below_the_centre(session):
    size = (480, 480)
    image, _ = render(session, parse_projection("fisheye", 180.0, 30.0), size)
    below = 240 + 240 * 30 / 90  # 30 of 90 degrees of radius, towards the bottom edge
    assert bright(image, 240, below) > 600
    assert bright(image, 240, 240, radius=3) < 300


def test_equirectangular_is_2_to_1_with_bodies_at_their_longitude_and_latitude(session):
    size = (800, 400)
    projection = parse_projection("equirectangular")
    image, direction = render(session, projection, size, target="Earth", distance_au=0.6,
                              azimuth=50.0, elevation=20.0)
    assert image.shape == (400, 800, 3)
    assert bright(image, 400, 200) > 300  # the Earth straight ahead, at the centre
    found = 0
    for name in ("Sun", "Venus", "Mars", "Jupiter"):
        x, y = pixel_of(projection, direction(name), size)
        assert bright(image, x, y) > 250, name
        found += 1
    assert found == 4


def test_tiles_join_without_seams(session):
    """A dome master remapped in 128-pixel tiles equals a single pass, pixel for pixel (an
    8K dome master is the same thing with tiles at the GL limit)."""
    size = (600, 600)
    projection = Projection("fisheye", 200.0, 20.0)
    single, _ = render(session, projection, size, target="Earth", distance_au=0.3)
    tiled, _ = render(session, projection, size, target="Earth", distance_au=0.3, tile=128)
    assert np.array_equal(single, tiled)
