"""Projection math: pixels <-> view directions for dome masters and 360 frames, cube faces."""

import math

import numpy as np
import pytest

from spaceviz.core.errors import UserError
from spaceviz.core.state.projection import (
    FACE_NAMES,
    Projection,
    face_basis,
    face_of,
    parse_projection,
)
from tests.helpers import image_position

FISHEYE = Projection("fisheye", 180.0, 0.0)
EQUIRECT = Projection("equirectangular")


def test_fisheye_centre_is_the_view_direction_and_the_rim_is_90_degrees_off():
    d, inside = FISHEYE.directions(np.array([0.5, 1.0, 0.5, 0.0]), np.array([0.5, 0.5, 1.0, 0.5]))
    np.testing.assert_allclose(d, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [-1, 0, 0]], atol=1e-12)
    assert inside.all()
    _, corner_inside = FISHEYE.directions(np.array([0.0]), np.array([0.0]))
    assert not corner_inside[0]  # corners are outside the dome disc


def test_fisheye_aperture_and_tilt():
    wide = Projection("fisheye", 220.0, 0.0)
    d, _ = wide.directions(np.array([1.0]), np.array([0.5]))  # the rim: 110 degrees off axis
    assert math.degrees(math.acos(d[0, 2])) == pytest.approx(110.0)
    tilted = Projection("fisheye", 180.0, 30.0)
    zenith, _ = tilted.directions(np.array([0.5]), np.array([0.5]))
    # The zenith lies 30 degrees above the view direction (towards the camera's up) ...
    np.testing.assert_allclose(zenith[0], [0, math.sin(math.radians(30)), math.cos(math.radians(30))],
                               atol=1e-12)
    # ... so what the camera looks at appears 30/90 of the radius below the centre.
    np.testing.assert_allclose(image_position(tilted, np.array([0.0, 0.0, 1.0])), [0.5, 0.5 - 1 / 6],
                               atol=1e-12)


def test_equirectangular_longitude_and_latitude():
    u = np.array([0.5, 0.75, 0.25, 0.5, 0.5, 0.0])
    v = np.array([0.5, 0.5, 0.5, 1.0, 0.0, 0.5])
    d, inside = EQUIRECT.directions(u, v)
    np.testing.assert_allclose(d, [[0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0],
                                   [0, 0, -1]], atol=1e-12)
    assert inside.all()


@pytest.mark.parametrize("projection", [FISHEYE, Projection("fisheye", 200.0, 25.0), EQUIRECT])
def test_directions_and_image_positions_round_trip(projection):
    rng = np.random.default_rng(1)
    u, v = rng.uniform(0.02, 0.98, (2, 500))
    d, inside = projection.directions(u, v)
    uv = image_position(projection, d[inside])
    np.testing.assert_allclose(uv, np.stack([u[inside], v[inside]], axis=-1), atol=1e-9)


def test_cube_faces_cover_the_sphere_consistently():
    for index, name in enumerate(FACE_NAMES):
        right, up, forward = face_basis(index)
        np.testing.assert_allclose(np.cross(right, up), forward)  # right-handed like the view
        assert face_of(forward[None, :])[0] == index, name
    assert FISHEYE.faces_used() == [0, 2, 3, 4, 5]  # no back face for a 180-degree dome
    assert Projection("fisheye", 220.0, 40.0).faces_used() == [0, 1, 2, 3, 4, 5]
    assert EQUIRECT.faces_used() == [0, 1, 2, 3, 4, 5]


def test_face_size_matches_the_output_resolution_at_the_centre():
    assert FISHEYE.face_size((4096, 4096)) == 2608   # 2 W / pi
    assert EQUIRECT.face_size((8192, 4096)) == 2608  # W / pi
    assert Projection("fisheye", 180.0, 0.0).face_size((8192, 8192)) == 5216


@pytest.mark.parametrize("args, fragment", [
    (("dome", None, None), "not one of perspective, fisheye, equirectangular"),
    (("fisheye", 300.0, None), "a fisheye covers 1 to 220 degrees"),
    (("fisheye", 180.0, 120.0), "tilts -90 to 90"),
    (("equirectangular", 90.0, None), "--fov does not apply"),
    (("perspective", None, 20.0), "--tilt applies to a fisheye"),
    (("perspective", 179.0, None), "1 to 170 degrees"),
])
def test_bad_projection_options(args, fragment):
    with pytest.raises(UserError, match=fragment):
        parse_projection(*args)


def test_sizes_that_do_not_suit_the_projection():
    parse_projection("fisheye").check_size((2048, 2048))
    with pytest.raises(UserError, match="dome master is square"):
        parse_projection("fisheye").check_size((1920, 1080))
    with pytest.raises(UserError, match="twice as wide"):
        parse_projection("equirectangular").check_size((1920, 1080))
    assert parse_projection(None) == Projection("perspective", None, 0.0)
