"""The picture is the solar system: the Moon's near side the right way round seen from Earth,
the stars where their ICRF directions project, textures in the body-fixed frames, labels
readable and beside what they name (issue 13)."""

import numpy as np
import pytest

from spaceviz.core.astro import moon
from spaceviz.core.astro.stars import default_stars
from spaceviz.core.astro.time import parse_time
from spaceviz.core.constants import AU_KM
from spaceviz.core.state.viewpoints import azimuth_towards
from spaceviz.render.camera import camera_basis
from spaceviz.render.gpu import ICRF_TO_DISPLAY

FULL_MOON = "2030-01-20T16:00:00Z"  # full Moon of January 2030 (15:54 UTC, USNO phases)


def brightness(image, xy, radius=3):
    x, y = np.round(xy).astype(int)
    return float(image[y - radius:y + radius + 1, x - radius:x + radius + 1].mean())


def surface_pixel(scene, lat_deg, lon_deg, t):
    """Where a selenographic point of the Moon's surface is drawn (canvas pixels)."""
    world = scene.state.world
    centre = world.position("Moon", t)
    offset = moon.rotation_to_icrf(t) @ moon.surface_vector_km(lat_deg, lon_deg) / AU_KM
    frame = scene.sync()
    return scene.project(frame.to_gpu(centre + offset))[0]


@pytest.fixture
def full_moon_from_earth(make_scene, session):
    t = parse_time(FULL_MOON)
    scene = make_scene("Moon", 12_000 / AU_KM, size=(700, 700), t_tdb=t)
    scene.state.look_at("Moon", t, 12_000 / AU_KM, from_body="Earth")
    scene.state.view.labels = False
    scene.state.presentation.update({"show_date": False, "show_scale": False})
    return scene, t


def test_the_full_moon_from_earth_shows_the_near_side_the_right_way_round(full_moon_from_earth):
    """Bright Aristarchus (23.7 N, 47.4 W) sits in dark Oceanus Procellarum, where its mirror
    image across the central meridian (47.4 E) falls on dark Mare Crisium's edge; bright ray
    crater Tycho (43.3 S, 11.4 W) mirrored north lands in dark Mare Imbrium / Serenitatis.
    Seen from Earth, north is up and lunar east is on the right."""
    scene, t = full_moon_from_earth
    image = scene.render_image().mean(axis=2)
    aristarchus = surface_pixel(scene, 23.7, -47.4, t)
    mirrored = surface_pixel(scene, 23.7, 47.4, t)
    tycho = surface_pixel(scene, -43.3, -11.4, t)
    north_of_tycho = surface_pixel(scene, 43.3, -11.4, t)
    crisium = surface_pixel(scene, 17.0, 59.1, t)
    assert aristarchus[0] < 350 < crisium[0]  # west (Aristarchus) left, east (Crisium) right
    assert tycho[1] > 350 > aristarchus[1]  # south down
    assert brightness(image, aristarchus) > 1.25 * brightness(image, mirrored)
    assert brightness(image, tycho) > 1.25 * brightness(image, north_of_tycho)


def test_stars_land_where_their_icrf_directions_project(make_scene):
    """Sirius and Betelgeuse (Hipparcos, proper motion to the date) are drawn as bright points
    where a pinhole camera with the scene's basis and focal length puts them."""
    scene = make_scene("Earth", 0.01, size=(800, 600), stars=True)
    state = scene.state
    state.view.labels = False
    state.view.orbits = False
    state.presentation.update({"show_date": False, "show_scale": False})
    stars = default_stars()
    t = state.timeline.time
    sirius, betelgeuse = (ICRF_TO_DISPLAY @ stars.unit_vectors_icrf(t, stars.find(name))
                          for name in ("Sirius", "Betelgeuse"))
    middle = sirius + betelgeuse  # 27 degrees apart: look between them
    state.camera.set_pose(azimuth_deg=azimuth_towards(-middle),
                          elevation_deg=float(np.degrees(np.arcsin(-middle[2]
                                                                   / np.linalg.norm(middle)))))
    scene.sync()
    image = scene.render_image().mean(axis=2)
    cam_pos, basis = camera_basis(scene.view.camera)
    focal = scene._frame.focal_px
    for name in ("Sirius", "Betelgeuse"):
        d = ICRF_TO_DISPLAY @ stars.unit_vectors_icrf(t, stars.find(name))
        forward = -basis[2]
        assert d @ forward > 0.5, f"{name} should be in front of the camera"
        x = 400 + focal * (d @ basis[0]) / (d @ forward)
        y = 300 - focal * (d @ basis[1]) / (d @ forward)
        assert 20 < x < 780 and 20 < y < 580
        assert brightness(image, (x, y), 2) > 60, name
        assert brightness(image, (x + 15, y + 15), 2) < 30  # a point, not a smear



def test_double_clicking_a_star_turns_the_view_towards_it(make_scene):
    """A star is light-years away: flying to it turns the camera to look at it, keeping the
    focus; Sirius is then 8 degrees above the view's centre (the focus does not hide it)."""
    scene = make_scene("Earth", 0.01, stars=True)
    state = scene.state
    stars = default_stars()
    state.fly_to("sirius")
    state.camera.step(10.0)
    scene.sync()
    _, basis = camera_basis(scene.view.camera)
    sirius = ICRF_TO_DISPLAY @ stars.unit_vectors_icrf(state.timeline.time, stars.find("Sirius"))
    assert state.selection.name == "Sirius" and state.camera.target == "Earth"
    assert np.degrees(np.arccos(sirius @ -basis[2])) == pytest.approx(8.0, abs=0.1)
    assert sirius @ basis[1] > 0  # above


def test_constellation_figures_are_drawn_only_when_asked(make_scene):
    scene = make_scene("Earth", 0.01, stars=True)
    scene.state.view.labels = False
    without = scene.render_image().astype(int)
    scene.state.view.constellations = True
    with_figures = scene.render_image().astype(int)
    changed = np.abs(with_figures - without).sum(axis=2) > 20
    assert changed.sum() > 200  # line pixels across a 45-degree view
    scene.state.view.stars = False
    assert scene.render_image().mean() < without.mean()  # no stars, no figures


def test_a_body_without_its_map_file_is_a_shaded_sphere(make_scene, monkeypatch, tmp_path):
    """A missing texture file falls back to the body's colour (no error, no black disc)."""
    import dataclasses

    from spaceviz.core.astro import textures
    from spaceviz.render.layers import bodies

    maps = dict(textures.body_textures())
    maps["Earth"] = dataclasses.replace(maps["Earth"], path=tmp_path / "missing.jpg")
    monkeypatch.setattr(bodies, "body_textures", lambda: maps)
    from spaceviz.core.state.viewpoints import sunlit_azimuth

    state_t = None
    scene = make_scene("Earth", 60_000 / AU_KM, t_tdb=state_t, elevation=0.0)
    t = scene.state.timeline.time
    scene.state.camera.set_pose(azimuth_deg=sunlit_azimuth(scene.state.world, "Earth", t, 0.0))
    layer = next(layer for layer in scene.layers if isinstance(layer, bodies.BodiesLayer))
    assert not layer.mapped[layer.names.index("Earth")] and layer.mapped[layer.names.index("Moon")]
    image = scene.render_image().astype(float)
    centre = image[170:190, 310:330].reshape(-1, 3).mean(axis=0)
    assert centre[2] > 120 and centre[2] > centre[0] + 40  # Earth's blue, lit


def test_labels_sit_beside_discs_and_flip_at_the_right_edge(make_scene):
    """A label starts past the drawn disc of its body (never over it); a body near the right
    edge gets its name on its left; nothing is labelled under the date or scale overlay."""
    from spaceviz.render.layers.labels import label_points
    from tests.helpers import screen_position

    scene = make_scene("Moon", 20_000 / AU_KM, size=(640, 400), azimuth=30.0, elevation=8.0)
    scene.sync()
    moon_px = screen_position(scene, "Moon")
    radius_px = 1737.4 / 20_000 * scene._frame.focal_px
    node = scene.labels.nodes["right"]
    names = list(node.text)
    assert "Moon" in names
    anchor = scene.project(node.pos[[names.index("Moon")]].astype(np.float64))[0]
    assert anchor[0] >= moon_px[0] + radius_px  # beside the disc, not on it
    # Turn so the Earth sits near the right edge.
    for azimuth in np.arange(0.0, 360.0, 2.0):
        scene.state.camera.set_pose("Moon", 0.004, float(azimuth), 0.0)
        scene.sync()
        x, y = screen_position(scene, "Earth")
        if 615 < x < 636 and 60 < y < 340:
            break
    else:
        pytest.skip("no azimuth put the Earth near the right edge")
    assert scene.labels.shown.get("Earth") == "left"
    assert label_points(1080) > label_points(760) == 9.0  # a 1080p video: larger names


def test_labels_keep_clear_of_overlays_and_other_objects_markers():
    """A name never covers the date overlay, nor another object's disc: it moves to the other
    side of its object, or is left out; the focus's name may cover markers."""
    from spaceviz.render.layers.labels import place_labels

    def sides(x, y, width=60.0):
        return np.array([[x + 8, y - 7, x + 8 + width, y + 7], [x - 8 - width, y - 7, x - 8, y + 7]])

    unnamed = np.full((2, 4), np.nan)  # a body whose name is not shown: only its disc
    candidates = np.stack([sides(20.0, 12.0), sides(300.0, 200.0), sides(400.0, 300.0),
                           unnamed])
    screen = np.array([[20.0, 12.0], [300.0, 200.0], [400.0, 300.0], [430.0, 300.0]])
    markers = np.array([[15.0, 7.0, 25.0, 17.0], [295.0, 195.0, 305.0, 205.0],
                        [395.0, 295.0, 405.0, 305.0], [420.0, 290.0, 440.0, 310.0]])
    priority = np.array([5.0, 1.0, 1.0, 0.0])
    side = place_labels(candidates, screen, priority, 12.0, None, [(0.0, 0.0, 200.0, 30.0)],
                        markers)
    assert side.tolist() == [-1, 0, 1, -1]  # under the date: none; free: right; blocked: left
    side = place_labels(candidates, screen, priority, 12.0, 2, [], markers)
    assert side[2] == 0  # the focus keeps its right-hand place over the disc


def test_a_planet_flanked_by_lower_ranking_markers_keeps_its_name():
    """The Earth at the default story's start has parked ships beside its disc on both sides:
    its name covers a ship's marker rather than vanish; a name never covers the marker of an
    object that ranks as high, and still prefers a clean place."""
    from spaceviz.render.layers.labels import place_labels

    earth = np.array([[[108.0, 93.0, 150.0, 107.0], [50.0, 93.0, 92.0, 107.0]]])
    ships = np.full((2, 2, 4), np.nan)  # parked ships: markers only
    candidates = np.concatenate([earth, ships])
    screen = np.array([[100.0, 100.0], [115.0, 100.0], [85.0, 100.0]])
    markers = np.array([[96.0, 96.0, 104.0, 104.0], [110.0, 95.0, 120.0, 105.0],
                        [80.0, 95.0, 90.0, 105.0]])
    planet_over_ships = np.array([3.5, 0.5, 0.5])
    assert place_labels(candidates, screen, planet_over_ships, 1.0, None, [], markers)[0] == 0
    equal_ranks = np.array([3.5, 3.5, 3.5])
    assert place_labels(candidates, screen, equal_ranks, 1.0, None, [], markers)[0] == -1
    left_clear = markers.copy()
    left_clear[2] = np.nan  # nothing on the left: the clean place wins
    assert place_labels(candidates, screen, planet_over_ships, 1.0, None, [], left_clear)[0] == 1


def test_jupiter_is_drawn_oblate(make_scene):
    """Seen from its equator plane, Jupiter's disc is 66,854 / 71,492 = 0.935 as tall (along
    its projected pole) as wide (IAU 2015 radii)."""
    from spaceviz.core.astro.rotation import body_to_icrf
    from spaceviz.core.state.viewpoints import angles_towards
    from tests.helpers import screen_position

    scene = make_scene("Jupiter", 800_000 / AU_KM, size=(600, 600))
    state = scene.state
    t = state.timeline.time
    pole = ICRF_TO_DISPLAY @ body_to_icrf("Jupiter", t)[:, 2]
    sun = ICRF_TO_DISPLAY @ (state.world.position("Sun", t) - state.world.position("Jupiter", t))
    sideways = sun - (sun @ pole) * pole  # in the equator plane, on the sunlit side
    azimuth, elevation = angles_towards(sideways)
    state.camera.set_pose(azimuth_deg=azimuth, elevation_deg=elevation)
    state.view.labels = state.view.orbits = False
    state.presentation.update({"show_date": False, "show_scale": False})
    image = scene.render_image().astype(float).sum(axis=2)
    centre = screen_position(scene, "Jupiter")
    frame = scene._frame
    along = np.array([frame.basis[0] @ pole, -(frame.basis[1] @ pole)])  # image x, y (down)
    along /= np.linalg.norm(along)
    across = np.array([along[1], -along[0]])

    def extent(direction):
        steps = np.arange(-150, 150)
        points = centre[None, :] + steps[:, None] * direction[None, :]
        inside = (points >= 0).all(axis=1) & (points < 599).all(axis=1)
        values = image[points[inside, 1].astype(int), points[inside, 0].astype(int)]
        lit = np.flatnonzero(values > 30)
        return lit.max() - lit.min() + 1
    ratio = extent(along) / extent(across)
    assert ratio == pytest.approx(66_854 / 71_492, abs=0.02)
