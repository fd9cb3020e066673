"""A click on the Moon lands where core puts that latitude and longitude."""

import numpy as np
import pytest

from spaceviz.core.astro import moon
from spaceviz.render.gpu import to_gpu
from spaceviz.render.surface_pick import surface_direction


@pytest.mark.parametrize(("azimuth", "elevation", "size"),
                         [(20.0, 35.0, (640, 360)), (250.0, -60.0, (300, 500))])
def test_clicked_points_on_the_moon_give_their_coordinates(make_scene, azimuth, elevation, size):
    scene = make_scene("Moon", 0.00005, size=size, azimuth=azimuth, elevation=elevation)
    frame = scene.current_frame()
    t = frame.t_tdb
    eye = frame.eye_au
    checked = 0
    for lat in range(-80, 81, 20):
        for lon in range(-180, 180, 30):
            position, _ = moon.site_state(lat, lon, 0.0, t)
            normal = position - scene.state.world.position("Moon", t)
            if normal @ (eye - position) <= 0.4 * np.linalg.norm(normal) * np.linalg.norm(
                    eye - position):
                continue  # on the far side or too near the limb to click reliably
            x, y = scene.project(to_gpu(position, frame.origin_au).astype(np.float64))[0]
            direction = surface_direction(scene, "Moon", moon.MOON_RADIUS_KM, x, y)
            assert direction is not None
            got_lat, got_lon = moon.selenographic_latlon(direction, t)
            assert got_lat == pytest.approx(lat, abs=0.05)
            assert (got_lon - lon + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=0.05 / max(
                np.cos(np.radians(lat)), 0.2))
            checked += 1
    assert checked >= 8
    assert surface_direction(scene, "Moon", moon.MOON_RADIUS_KM, 2.0, 2.0) is None  # space
