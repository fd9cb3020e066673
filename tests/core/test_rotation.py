"""Body-fixed frames against independent implementations and published rotation figures."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro import moon, rotation
from spaceviz.core.astro.bodies import BODIES
from spaceviz.core.astro.ephemeris import default_ephemeris
from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import UnknownNameError

J2000 = 2451545.0
DATES = np.array([2447892.5, 2451545.0, 2455000.125, 2462502.5, 2469807.75])  # 1990 .. 2050
IAU_BODIES = sorted(rotation.IAU_ROTATION)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    cos = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


@pytest.mark.parametrize("name", rotation.ORIENTED_BODIES)
def test_matrices_are_proper_rotations_and_vectorised(name):
    m = rotation.body_to_icrf(name, DATES)
    assert m.shape == (3, 3, DATES.size) and m.dtype == np.float64
    identity = np.einsum("jin,jkn->ikn", m, m)
    np.testing.assert_allclose(identity, np.repeat(np.eye(3)[:, :, None], DATES.size, 2),
                               atol=1e-13)
    np.testing.assert_allclose(np.linalg.det(np.moveaxis(m, 2, 0)), 1.0, atol=1e-13)
    for i, t in enumerate(DATES):
        single = rotation.body_to_icrf(name, t)
        assert single.shape == (3, 3)
        np.testing.assert_allclose(single, m[:, :, i], atol=1e-13)


@pytest.mark.parametrize("name", IAU_BODIES)
def test_iau_bodies_match_astronomy_engine(name):
    """astronomy-engine (Don Cross) implements the WGCCRE rotation elements independently,
    including the 2015 models of Mercury, Mars and Neptune: same pole, same W."""
    astronomy = pytest.importorskip("astronomy")
    m = rotation.body_to_icrf(name, DATES)
    _, _, w = rotation.IAU_ROTATION[name].angles_deg(DATES)
    for i, t in enumerate(DATES):
        axis = astronomy.RotationAxis(getattr(astronomy.Body, name),
                                      astronomy.Time.FromTerrestrialTime(t - J2000))
        pole = np.array([axis.north.x, axis.north.y, axis.north.z])
        assert _angle_deg(m[:, 2, i], pole) < 1e-6
        assert (w[i] - axis.spin + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=1e-6)


def test_mars_2015_model_meets_the_2009_model_at_j2000():
    """The 2015 Mars model (a new polynomial plus periodic terms) reaches the 2009 report's
    values at J2000 (Archinal et al. 2011: alpha0 317.68143, delta0 52.88650, W 176.630 deg)."""
    ra, dec, w = rotation.IAU_ROTATION["Mars"].angles_deg(J2000)
    assert ra == pytest.approx(317.68143, abs=0.001)
    assert dec == pytest.approx(52.88650, abs=0.001)
    assert w == pytest.approx(176.630, abs=0.005)
    np.testing.assert_allclose(rotation.body_to_icrf("Mars", J2000)[:, 2],
                               rotation.iau_rotation_to_icrf(317.68143, 52.88650, 176.630)[:, 2],
                               atol=2e-5)


@pytest.mark.parametrize(("name", "period_hours", "rel", "source"), [
    ("Sun", 25.38 * 24.0, 2e-4, "Carrington's sidereal rotation, 25.38 d"),
    ("Mercury", 2.0 / 3.0 * BODIES["Mercury"].orbital_period_days * 24.0, 2e-4,
     "3:2 spin-orbit resonance with its 87.969 d orbit (the 88-day libration of 38 arcsec "
     "moves the instantaneous rate by ~1e-4)"),
    ("Venus", -243.0185 * 24.0, 1e-6, "Davies et al. 1992 (Magellan), retrograde"),
    ("Earth", 86164.0989 / 3600.0, 1e-7, "IERS stellar day, 86,164.0989 s"),
    ("Mars", 24.0 + 37.0 / 60.0 + 22.663 / 3600.0, 1e-7, "sidereal day 24 h 37 min 22.663 s"),
    ("Jupiter", 9.0 + 55.0 / 60.0 + 29.711 / 3600.0, 1e-7, "System III, 9 h 55 min 29.711 s"),
    ("Saturn", 10.0 + 39.0 / 60.0 + 22.4 / 3600.0, 1e-6,
     "System III (Voyager radio), 10 h 39 min 22.4 s"),
    ("Uranus", -17.24, 1e-6, "Voyager 2 radio period 17.24 h (Desch et al. 1986), retrograde"),
    ("Neptune", 15.9663, 1e-6, "Karkoschka 2011, 15.9663 h"),
])
def test_rotation_periods_are_the_published_ones(name, period_hours, rel, source):
    """The spin about the pole read off the matrices one hour apart (negative: retrograde)."""
    t = 2461000.25
    step = 1.0 / 24.0
    relative = rotation.body_to_icrf(name, t).T @ rotation.body_to_icrf(name, t + step)
    turned_deg = np.degrees(np.arctan2(relative[1, 0], relative[0, 0]))
    measured_hours = 360.0 / turned_deg * step * 24.0
    assert measured_hours == pytest.approx(period_hours, rel=rel), source


def test_greenwich_meridian_matches_astropy_itrs():
    """astropy (ERFA, IERS-B UT1) turns ITRS (1, 0, 0) and (0, 0, 1) into GCRS axes."""
    astropy_units = pytest.importorskip("astropy.units")
    from astropy.coordinates import GCRS, ITRS, CartesianRepresentation
    from astropy.time import Time
    from astropy.utils import iers

    utc = Time("2020-03-01T06:00:00", scale="utc")
    mine = rotation.body_to_icrf("Earth", utc.tdb.jd1 + utc.tdb.jd2)
    with iers.conf.set_temp("auto_download", False):
        for column in (0, 2):
            axis = np.zeros(3)
            axis[column] = 1.0
            itrs = ITRS(CartesianRepresentation(axis * astropy_units.km), obstime=utc)
            gcrs = itrs.transform_to(GCRS(obstime=utc)).cartesian.xyz.to_value(astropy_units.km)
            assert _angle_deg(mine[:, column], gcrs) < 1.0 / 3600.0  # 1 arcsecond


def test_sun_is_over_greenwich_at_noon_near_the_june_solstice():
    """2030-06-21 12:00 UTC: the equation of time is about -1.7 min, so the Sun stands ~0.43
    deg east of Greenwich, at the Tropic of Cancer; astronomy-engine's apparent Sun minus its
    Greenwich apparent sidereal time agrees within the aberration (~0.006 deg)."""
    t = parse_time("2030-06-21T12:00:00Z")
    eph = default_ephemeris()
    to_sun = rotation.body_to_icrf("Earth", t).T @ (eph.position("Sun", t) - eph.position("Earth", t))
    lon = np.degrees(np.arctan2(to_sun[1], to_sun[0]))
    lat = np.degrees(np.arcsin(to_sun[2] / np.linalg.norm(to_sun)))
    assert lon == pytest.approx(0.43, abs=0.1)
    assert lat == pytest.approx(23.44, abs=0.01)
    astronomy = pytest.importorskip("astronomy")
    when = astronomy.Time.Make(2030, 6, 21, 12, 0, 0.0)
    sun = astronomy.Equator(astronomy.Body.Sun, when, astronomy.Observer(0.0, 0.0, 0.0), True, True)
    expected = ((sun.ra - astronomy.SiderealTime(when)) * 15.0 + 180.0) % 360.0 - 180.0
    assert lon == pytest.approx(expected, abs=0.02)


def test_the_moon_is_moon_py_frame():
    np.testing.assert_array_equal(rotation.body_to_icrf("Moon", DATES), moon.rotation_to_icrf(DATES))


def test_unknown_body_is_a_user_error():
    with pytest.raises(UnknownNameError):
        rotation.body_to_icrf("Ceres", J2000)
