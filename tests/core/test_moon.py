"""The Moon's orientation, sites and sunlight against independent computations and published values."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro import moon
from spaceviz.core.astro.ephemeris import default_ephemeris
from spaceviz.core.constants import AU_KM
from spaceviz.core.errors import EphemerisRangeError

J2000 = 2451545.0
T_2030 = 2462502.5  # 2030-01-01 TDB
DATES = np.array([2448724.5, 2455000.125, 2461000.25, 2462502.5, 2465000.75])


def test_rotation_is_a_proper_rotation_whose_third_column_is_the_pole():
    m = moon.rotation_to_icrf(DATES)
    assert m.shape == (3, 3, DATES.size)
    identity = np.einsum("jin,jkn->ikn", m, m)
    np.testing.assert_allclose(identity, np.repeat(np.eye(3)[:, :, None], DATES.size, 2), atol=1e-14)
    np.testing.assert_allclose(np.linalg.det(np.moveaxis(m, 2, 0)), 1.0, atol=1e-14)
    np.testing.assert_allclose(m[:, 2, :], moon.rotation_to_icrf(DATES)[:, 2, :], atol=1e-14)


def test_scalar_and_array_times_agree():
    array = moon.rotation_to_icrf(DATES)
    for i, t in enumerate(DATES):
        np.testing.assert_allclose(moon.rotation_to_icrf(t), array[:, :, i], atol=1e-15)
    pos = moon.site_state(-89.9, 0.0, 0.0, DATES)[0]
    assert pos.shape == (3, DATES.size)
    np.testing.assert_allclose(moon.site_state(-89.9, 0.0, 0.0, DATES[2])[0], pos[:, 2], rtol=0, atol=1e-15)


def test_iau_angles_match_astronomy_engine():
    """astronomy-engine implements the same WGCCRE 2009 Moon model independently."""
    astronomy = pytest.importorskip("astronomy")
    ra, dec, w = moon.orientation_angles_deg(DATES)
    for i, t in enumerate(DATES):
        axis = astronomy.RotationAxis(astronomy.Body.Moon,
                                      astronomy.Time.FromTerrestrialTime(t - J2000))
        assert ra[i] == pytest.approx(axis.ra * 15.0, abs=1e-8)
        assert dec[i] == pytest.approx(axis.dec, abs=1e-8)
        assert (w[i] - axis.spin + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=1e-8)


def test_librations_match_meeus_example_53a():
    """Meeus, Astronomical Algorithms (2nd ed.), example 53.a, 1992-04-12 0h TD:
    total libration l = -1.23, b = +4.20 deg; selenographic Sun l0 = 67.89, b0 = +1.46 deg."""
    t = 2448724.5
    lat, lon = moon.sub_earth_point(t)
    assert lon == pytest.approx(-1.23, abs=0.05)
    assert lat == pytest.approx(4.20, abs=0.05)
    sun_lat, sun_lon = moon.sub_solar_point(t)
    assert sun_lon == pytest.approx(67.89, abs=0.05)
    assert sun_lat == pytest.approx(1.46, abs=0.05)


def test_librations_match_astronomy_engine_meeus_model():
    """astronomy-engine's Libration (Meeus's series, a different route) within 0.06 deg."""
    astronomy = pytest.importorskip("astronomy")
    t = T_2030 + np.arange(0.0, 60.0, 3.7)
    lat, lon = moon.sub_earth_point(t)
    for i, ti in enumerate(t):
        lib = astronomy.Libration(astronomy.Time.FromTerrestrialTime(ti - J2000))
        assert lat[i] == pytest.approx(lib.elat, abs=0.06)
        assert lon[i] == pytest.approx(lib.elon, abs=0.06)


def test_near_side_faces_earth_within_libration_over_a_year():
    t = T_2030 + np.arange(0.0, 365.25, 1.0 / 24.0)
    lat, lon = moon.sub_earth_point(t)
    # Libration: about +-6.8 deg in latitude and +-7.9 deg in longitude, averaging to zero.
    assert 6.0 < np.max(np.abs(lat)) < 7.0
    assert 7.0 < np.max(np.abs(lon)) < 8.2
    assert abs(np.mean(lat)) < 0.5
    assert abs(np.mean(lon)) < 0.5
    month = slice(0, 30 * 24)
    assert np.max(np.hypot(lat[month], lon[month])) < 10.0


def test_pole_tilt_and_cassini_law():
    """The spin axis is ~1.54 deg from the ecliptic pole, on the far side of it from the
    orbit normal (Cassini's third law), with the orbit normal ~5.15 deg from the ecliptic pole."""
    eps = np.radians(84381.448 / 3600.0)
    ecliptic_pole = np.array([0.0, -np.sin(eps), np.cos(eps)])
    t = T_2030 + np.arange(0.0, 27.32, 0.05)
    pole = moon.rotation_to_icrf(t)[:, 2, :].mean(axis=1)
    pole /= np.linalg.norm(pole)
    eph = default_ephemeris()
    pm, vm = eph.state("Moon", t)
    pe, ve = eph.state("Earth", t)
    normal = np.cross(pm - pe, vm - ve, axis=0).mean(axis=1)
    normal /= np.linalg.norm(normal)
    tilt = np.degrees(np.arccos(pole @ ecliptic_pole))
    inclination = np.degrees(np.arccos(normal @ ecliptic_pole))
    assert tilt == pytest.approx(1.543, abs=0.02)
    assert inclination == pytest.approx(5.15, abs=0.2)
    assert np.degrees(np.arccos(pole @ normal)) == pytest.approx(tilt + inclination, abs=0.15)


def test_sun_elevation_at_the_pole_equals_the_suns_selenographic_latitude():
    t = T_2030 + np.arange(0.0, 400.0, 0.5)
    eph = default_ephemeris()
    to_sun = eph.position("Sun", t) - eph.position("Moon", t)
    to_sun /= np.linalg.norm(to_sun, axis=0)
    expected = np.degrees(np.arcsin(np.sum(moon.rotation_to_icrf(t)[:, 2, :] * to_sun, axis=0)))
    elevation = moon.sun_elevation_deg(90.0, 0.0, t)
    # Parallax of the 1737 km offset at 1 AU is < 0.001 deg.
    np.testing.assert_allclose(elevation, expected, atol=0.002)
    np.testing.assert_allclose(moon.sun_elevation_deg(-90.0, 123.0, t), -expected, atol=0.002)
    assert np.max(np.abs(expected)) == pytest.approx(1.54, abs=0.05)


def test_sun_overhead_at_subsolar_point_and_below_at_antipode():
    for t in DATES[1:]:
        lat, lon = moon.sub_solar_point(t)
        assert moon.sun_elevation_deg(float(lat), float(lon), t) == pytest.approx(90.0, abs=0.01)
        assert moon.sun_elevation_deg(-float(lat), float(lon) + 180.0, t) == pytest.approx(-90.0, abs=0.01)
        assert moon.is_lit(float(lat), float(lon), t)
        assert not moon.is_lit(-float(lat), float(lon) + 180.0, t)


def test_equatorial_site_has_two_week_days_and_nights():
    s = moon.sunlight_series(0.0, 0.0, T_2030, T_2030 + 365.25, step_days=1.0 / 24.0)
    assert s.t_tdb.shape == s.elevation_deg.shape == s.lit.shape
    assert 14.0 < s.longest_daylight_days() < 15.5
    assert 14.0 < s.longest_darkness_days() < 15.5
    assert s.lit_fraction == pytest.approx(0.5, abs=0.02)
    assert s.elevation_deg.max() == pytest.approx(90.0, abs=1.0)


def test_polar_site_has_months_long_days_and_nights():
    s = moon.sunlight_series(-90.0, 0.0, T_2030, T_2030 + 365.25, step_days=0.25)
    assert s.longest_daylight_days() > 120.0
    assert s.longest_darkness_days() > 120.0
    assert np.max(np.abs(s.elevation_deg)) < 1.7


def test_permanently_shadowed_crater_never_sees_the_sun():
    s = moon.sunlight_series(-89.0, 0.0, T_2030, T_2030 + 365.25, step_days=0.25, horizon_deg=5.0)
    assert not np.any(s.lit)
    assert s.lit_fraction == 0.0
    assert s.elevation_deg.max() < 2.6
    # The same site with a flat horizon is lit part of the time.
    assert moon.sunlight_series(-89.0, 0.0, T_2030, T_2030 + 365.25, 0.25).lit_fraction > 0.3


def test_solar_disk_fraction_geometry():
    assert moon.solar_disk_fraction(0.0, 0.27) == pytest.approx(0.5, abs=1e-12)
    assert moon.solar_disk_fraction(0.27, 0.27) == pytest.approx(1.0, abs=1e-12)
    assert moon.solar_disk_fraction(-0.3, 0.27) == pytest.approx(0.0, abs=1e-12)
    h = np.linspace(-0.3, 0.3, 31)
    np.testing.assert_allclose(moon.solar_disk_fraction(h, 0.27) + moon.solar_disk_fraction(-h, 0.27),
                               1.0, atol=1e-12)
    # Half the radius above the horizon: 1 - (acos(0.5) - 0.5 sqrt(0.75)) / pi = 0.80450
    assert moon.solar_disk_fraction(1.0, 0.27, horizon_deg=0.865) == pytest.approx(0.80450, abs=1e-4)


def test_horizon_profile_interpolates_periodically():
    profile = [0.0, 4.0, 2.0, 6.0]  # at azimuths 0, 90, 180, 270
    np.testing.assert_allclose(moon.horizon_at([0.0, 45.0, 90.0, 315.0, 360.0], profile),
                               [0.0, 2.0, 4.0, 3.0, 0.0])
    np.testing.assert_allclose(moon.horizon_at([10.0, 200.0], 3.5), [3.5, 3.5])


def test_horizon_profile_blocks_sun_only_in_its_direction():
    t = T_2030 + np.arange(0.0, 60.0, 0.25)
    lat, lon = 89.5, 0.0  # the north pole is in its long day in early 2030
    _, azimuth, _ = moon.sun_horizontal(lat, lon, t)
    flat = moon.is_lit(lat, lon, t)
    wall = np.zeros(36)
    wall[9:18] = 30.0  # a 30-degree wall from azimuth 90 to 170 deg
    walled = moon.is_lit(lat, lon, t, horizon_deg=wall)
    behind_wall = (azimuth > 92.0) & (azimuth < 168.0)
    assert np.any(flat & behind_wall)
    assert not np.any(walled & behind_wall)
    np.testing.assert_array_equal(walled[~((azimuth > 75.0) & (azimuth < 185.0))],
                                  flat[~((azimuth > 75.0) & (azimuth < 185.0))])


def test_site_position_is_on_the_sphere_and_near_side_faces_earth():
    eph = default_ephemeris()
    t = T_2030 + np.arange(0.0, 30.0, 0.5)
    site = moon.site_state(0.0, 0.0, 2000.0, t)[0]
    centre = eph.position("Moon", t)
    earth = eph.position("Earth", t)
    np.testing.assert_allclose(np.linalg.norm(site - centre, axis=0) * AU_KM, 1739.4, atol=1e-6)
    closer_km = (np.linalg.norm(earth - centre, axis=0) - np.linalg.norm(earth - site, axis=0)) * AU_KM
    # cos(10 deg) * 1739.4 km = 1713 km
    assert np.all(closer_km > 1713.0) and np.all(closer_km < 1739.5)
    far = moon.site_state(0.0, 180.0, 0.0, t)[0]
    assert np.all(np.linalg.norm(earth - far, axis=0) > np.linalg.norm(earth - centre, axis=0))


def test_site_velocity_is_the_moons_plus_rotation():
    eph = default_ephemeris()
    t = T_2030 + np.arange(0.0, 30.0, 1.5)
    pos, vel = moon.site_state(0.0, 0.0, 0.0, t)
    moon_pos, moon_vel = eph.state("Moon", t)
    np.testing.assert_allclose(pos, moon.site_state(0.0, 0.0, 0.0, t)[0], atol=1e-15)
    spin_m_per_s = np.linalg.norm(vel - moon_vel, axis=0) * AU_KM * 1000.0 / 86400.0
    # 2 pi 1737.4 km per sidereal month (27.3217 d) = 4.624 m/s
    np.testing.assert_allclose(spin_m_per_s, 4.624, rtol=0.02)
    # Independent check: central difference of positions over +-1 minute.
    t_plus, t_minus = t + 1.0 / 1440.0, t - 1.0 / 1440.0
    fd = ((moon.site_state(30.0, 40.0, 0.0, t_plus)[0] - moon.site_state(30.0, 40.0, 0.0, t_minus)[0])
          / (t_plus - t_minus))
    _, vel30 = moon.site_state(30.0, 40.0, 0.0, t)
    np.testing.assert_allclose(vel30, fd, rtol=0, atol=1e-11)  # 1e-11 AU/day = 0.02 mm/s


def test_time_outside_the_ephemeris_is_a_user_error():
    with pytest.raises(EphemerisRangeError):
        moon.site_state(0.0, 0.0, 0.0, 2500000.0)[0]
    with pytest.raises(ValueError):
        moon.sunlight_series(0.0, 0.0, T_2030, T_2030 - 1.0)
