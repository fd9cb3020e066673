"""Bodies hide what lies behind them: lines, belt points, markers and labels (render/occlusion.py,
shaders/occlusion.glsl), at the Moon's scale and at the planets'."""

import numpy as np

from spaceviz.core.constants import AU_KM
from spaceviz.render.occlusion import Occluders
from tests.helpers import screen_position


def occluders(centre, radius, eye=(0.0, 0.0, 0.0)):
    o = Occluders()
    o.update(np.array([centre]), np.array([radius]), np.array(eye), focal_px=1000.0)
    return o


def test_points_behind_a_sphere_are_hidden_and_its_near_surface_is_not():
    o = occluders([0.0, 0.0, -10.0], 1.0)
    points = np.array([
        [0.0, 0.0, -20.0],    # straight behind
        [0.0, 0.0, -5.0],     # in front
        [0.0, 0.0, -9.0],     # on the surface facing the eye
        [0.0, 0.0, -11.0],    # on the far surface
        [3.0, 0.0, -20.0],    # behind, but outside the disc (0.15 rad off; the disc is 0.1)
        [0.3, 0.2, -10.0],    # inside
        [0.0, 0.0, 5.0],      # behind the eye
    ])
    assert o.hidden(points).tolist() == [True, False, False, True, False, True, False]


def test_the_eye_inside_a_sphere_hides_nothing_and_tiny_discs_do_not_occlude():
    inside = occluders([0.0, 0.0, -0.5], 1.0)
    assert inside.spheres.shape == (0, 4)  # nothing drawn around the eye occludes
    tiny = occluders([0.0, 0.0, -1000.0], 0.5)  # 0.5 px on screen
    assert not tiny.hidden(np.array([[0.0, 0.0, -2000.0]])).any()


def test_at_the_moons_scale_float32_keeps_the_limb_sharp():
    """A lunar close-up: the Moon (1737.4 km) 20,000 km from the eye; a point 400,000 km away
    whose line of sight passes 9 km outside the limb stays visible, 9 km inside it is hidden."""
    r = 1737.4 / AU_KM
    d = 20_000.0 / AU_KM
    o = occluders([0.0, 0.0, -d], r)
    limb_angle = np.arcsin(r / d)
    far = 400_000.0 / AU_KM
    just_out = far * np.array([np.sin(limb_angle) * 1.005, 0.0, -np.cos(limb_angle)])
    just_in = far * np.array([np.sin(limb_angle) * 0.995, 0.0, -np.cos(limb_angle)])
    assert o.hidden(np.stack([just_out, just_in])).tolist() == [False, True]


def test_lines_behind_the_moon_are_hidden_by_its_disc(make_scene):
    """The Moon seen from 20,000 km with orbit lines behind it (the planets', and its own
    orbit through its centre): inside its disc the picture is the same with and without the
    lines; outside, the lines show."""
    scene = make_scene("Moon", 20_000.0 / AU_KM, size=(640, 400), t_tdb=None, azimuth=30.0,
                       elevation=8.0)
    with_lines = scene.render_image().astype(int)
    scene.state.view.orbits = False
    without = scene.render_image().astype(int)
    centre = screen_position(scene, "Moon")
    radius_px = 1737.4 / 20_000.0 * scene._frame.focal_px
    ys, xs = np.mgrid[0:400, 0:640]
    r = np.hypot(xs - centre[0], ys - centre[1])
    changed = np.abs(with_lines - without).sum(axis=2) > 30
    assert radius_px > 30
    assert changed[r < 0.95 * radius_px].sum() == 0
    assert changed[r > 1.2 * radius_px].sum() > 200


def test_a_site_on_the_far_side_of_the_moon_is_hidden(make_scene):
    """Shackleton rim (89.9 S) seen from far below the south pole shows; from far above the
    north pole the Moon hides it."""
    below = make_scene("Moon", 20_000.0 / AU_KM, azimuth=0.0, elevation=-89.0)
    above = make_scene("Moon", 20_000.0 / AU_KM, azimuth=0.0, elevation=89.0)
    for scene in (below, above):
        scene.sync()
    assert "Shackleton rim" in scene_names(below)
    assert "Shackleton rim" not in scene_names(above)


def test_the_moons_label_hides_when_the_moon_passes_behind_the_earth(make_scene, session):
    """From the side of the Earth opposite the Moon, the Moon is behind the Earth's disc: its
    label is not drawn; 40 degrees round, it is."""
    from spaceviz.core.state.viewpoints import ICRF_TO_ECLIPTIC, azimuth_towards

    t = session.scenario.start
    world = session.world
    away = ICRF_TO_ECLIPTIC @ (world.position("Earth", t) - world.position("Moon", t))
    away /= np.linalg.norm(away)
    azimuth = azimuth_towards(away)
    elevation = float(np.degrees(np.arcsin(away[2])))
    behind = make_scene("Earth", 0.01, t_tdb=t, azimuth=azimuth, elevation=elevation)
    aside = make_scene("Earth", 0.01, t_tdb=t, azimuth=azimuth + 40.0, elevation=elevation)
    for scene in (behind, aside):
        scene.sync()
    assert "Earth" in label_texts(behind) and "Moon" not in label_texts(behind)
    assert "Moon" in label_texts(aside)


def scene_names(scene):
    return scene.collect_pickables().names


def label_texts(scene):
    return scene.labels.shown
