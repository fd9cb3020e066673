"""Rendered pixels: the Sun is bright, space is dark, bodies land where core says they are."""

import numpy as np
import pytest

from spaceviz.core.constants import AU_KM
from spaceviz.render.gpu import to_gpu
from tests.helpers import screen_position


def luminance(pixel):
    return float(np.mean(pixel[:3]))


def test_sun_is_bright_and_space_is_dark(make_scene):
    scene = make_scene("Sun", 7.0)
    image = scene.render_image()
    assert image.shape == (360, 640, 3)
    h, w = image.shape[:2]
    center = image[h // 2 - 2:h // 2 + 3, w // 2 - 2:w // 2 + 3].reshape(-1, 3)
    assert center.min(axis=0)[0] > 200 and center.mean(axis=0)[1] > 180  # yellow-white Sun
    corners = [image[0:10, 0:10], image[-10:, -10:], image[0:10, -10:]]
    assert max(c.mean() for c in corners) < 12


def test_earth_drawn_where_projected_and_moves_with_time(make_scene, session):
    scene = make_scene("Sun", 3.0)
    t0 = scene.state.timeline.time
    first = screen_position(scene, "Earth")
    image = scene.render_image()
    x, y = np.round(first).astype(int)
    # Rows at and below the centre: the label's glyphs sit above and to the right.
    patch = image[y:y + 3, x - 2:x + 1].reshape(-1, 3).astype(float)
    brightest = patch[np.argmax(patch[:, 2])]
    assert brightest[2] > 120 and brightest[2] > brightest[0] + 40  # blue Earth
    scene.state.timeline.set_time(t0 + 91.0)  # a quarter orbit later
    scene.sync()
    second = screen_position(scene, "Earth")
    assert np.linalg.norm(second - first) > 50
    image = scene.render_image()
    x2, y2 = np.round(second).astype(int)
    assert image[y2 - 2:y2 + 3, x2 - 2:x2 + 3, 2].max() > 120
    # The old place holds only the faint orbit line now (the disc was ~190 blue).
    assert image[y - 1:y + 2, x - 1:x + 2, 2].max() < 125


def test_true_size_when_close_and_minimum_size_when_far(make_scene, session):
    # Earth's radius is 6378 km; at 60,000 km with a 45 degree fov on 360 px the disc is
    # 2 * atan(6378/60000) / (2 * atan(tan(22.5 deg))) * 360 ~ 100 px wide. Seen from the
    # Sun's side, so the whole disc is lit.
    from spaceviz.core.state.viewpoints import sunlit_azimuth

    start = session.scenario.start
    scene = make_scene("Earth", 60_000 / AU_KM, t_tdb=start, elevation=0.0,
                       azimuth=sunlit_azimuth(session.world, "Earth", start, 0.0))
    image = scene.render_image()
    column = image[:, 320, :].astype(float).sum(axis=1)  # a column through the centre
    drawn = column > 25
    top = 180 - np.argmin(drawn[180::-1])
    bottom = 180 + np.argmin(drawn[180:])
    assert 85 <= bottom - top <= 110
    far = make_scene("Sun", 40.0).render_image()
    assert (far.sum(axis=2) > 150).sum() >= 8 * 8 // 2  # bodies stay visible at 40 AU


def test_no_jitter_close_to_the_moon(make_scene):
    # 500 km from the Moon, advancing time by 1 s steps keeps the Moon exactly centred:
    # positions are relative to the focus in float64 before the float32 cast.
    scene = make_scene("Moon", 500 / AU_KM)
    positions = []
    for k in range(5):
        scene.state.timeline.set_time(scene.state.timeline.start + 100 + k / 86400)
        scene.sync()
        positions.append(screen_position(scene, "Moon"))
    positions = np.array(positions)
    assert np.abs(positions - np.array([320, 180])).max() < 0.5


def test_to_gpu_keeps_precision_far_from_the_origin():
    focus = np.array([30.0, -12.0, 5.0])
    offset_au = np.array([1e-9, -2e-9, 0.5e-9])  # ~150 m
    rel = to_gpu((focus + offset_au)[:, None], focus)
    assert rel.dtype == np.float32
    assert np.linalg.norm(rel[0]) == pytest.approx(np.linalg.norm(offset_au), rel=1e-3)


def test_pick_returns_the_body_under_the_cursor(make_scene):
    scene = make_scene("Sun", 3.0)
    scene.sync()
    x, y = screen_position(scene, "Mars")
    assert scene.pick(x + 3, y - 2) == "Mars"
    assert scene.pick(5, 5) is None


def test_tiled_render_matches_single_pass(make_scene):
    from spaceviz.export.screenshot import render_tiled

    scene = make_scene("Earth", 0.004, size=(600, 400))
    whole = render_tiled(scene, (600, 400), tile=4096)
    tiled = render_tiled(scene, (600, 400), tile=256)
    assert tiled.shape == whole.shape == (400, 600, 3)
    difference = np.abs(tiled.astype(int) - whole.astype(int))
    # Antialiased lines rasterise a few levels differently per tile; geometry is identical.
    assert difference.max() <= 24
    assert difference.mean() < 0.05
    seams = difference[[255, 256], :, :]  # the rows either side of the tile boundary
    assert seams.max() <= 24 and seams.mean() < 0.5
    assert np.abs(np.argwhere(whole.sum(axis=2) > 200).mean(axis=0)
                  - np.argwhere(tiled.sum(axis=2) > 200).mean(axis=0)).max() < 0.5
    assert whole.max() > 100  # not a blank image compared with another blank one


def test_azimuth_towards_matches_the_turntable_convention(make_scene):
    from spaceviz.core.state.camera import CameraModel
    from spaceviz.core.state.viewpoints import azimuth_towards
    from spaceviz.render.camera import apply_pose, camera_basis

    scene = make_scene()
    for direction in ([1.0, 0.0, 0.0], [0.0, 1.0, 0.2], [-0.5, -0.5, 0.0]):
        azimuth = azimuth_towards(np.array(direction))
        apply_pose(scene.view.camera, CameraModel("Sun", 1.0, azimuth, 0.0))
        position, _ = camera_basis(scene.view.camera)
        horizontal = np.array(direction[:2]) / np.linalg.norm(direction[:2])
        np.testing.assert_allclose(position[:2], horizontal, atol=1e-9)


def test_scaled_and_tiled_render_matches_scaled_single_pass(make_scene):
    """A 1200x800 output from a 600x400 logical canvas (2x), in 512-px tiles and whole."""
    from spaceviz.export.screenshot import render_tiled

    scene = make_scene("Earth", 0.004, size=(600, 400))
    small = render_tiled(scene, (600, 400), tile=4096)
    whole = render_tiled(scene, (1200, 800), tile=4096)
    tiled = render_tiled(scene, (1200, 800), tile=512)
    difference = np.abs(tiled.astype(int) - whole.astype(int))
    assert difference.mean() < 0.05 and difference[[511, 512]].mean() < 0.5
    # The scaled image is the small one twice as large: the Earth's disc is still centred and
    # covers about four times as many pixels.
    def earth_pixels(image):
        ys, xs = np.nonzero(image[..., 2].astype(int) - image[..., 0] > 60)
        return np.array([xs.mean(), ys.mean()]), len(xs)
    (centre_small, count_small), (centre_whole, count_whole) = earth_pixels(small), earth_pixels(whole)
    np.testing.assert_allclose(centre_small, [300, 200], atol=8)  # lit side: off-centre a bit
    np.testing.assert_allclose(centre_whole, 2 * centre_small + 0.5, atol=5)
    assert 3.0 < count_whole / count_small < 7.0  # ~4x the area (more edge pixels pass at 2x)
