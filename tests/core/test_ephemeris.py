"""The DE421 ephemeris against skyfield called directly on the same kernel and times."""

import numpy as np
import pytest

from spaceviz.core.astro.bodies import MAJOR_BODY_NAMES
from spaceviz.core.astro.ephemeris import de421_path, default_ephemeris
from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import EphemerisRangeError, UnknownNameError

SKYFIELD_NAMES = {
    "Sun": "sun", "Mercury": "mercury", "Venus": "venus", "Earth": "earth", "Moon": "moon",
    "Mars": "mars", "Jupiter": "jupiter barycenter", "Saturn": "saturn barycenter",
    "Uranus": "uranus barycenter", "Neptune": "neptune barycenter",
}


@pytest.fixture(scope="module")
def sky():
    from skyfield.api import load
    from skyfield.jpllib import SpiceKernel

    kernel = SpiceKernel(de421_path())
    yield load.timescale(builtin=True), kernel
    kernel.close()


@pytest.mark.parametrize("name", MAJOR_BODY_NAMES)
def test_positions_and_velocities_match_skyfield(sky, name):
    ts, kernel = sky
    times = np.linspace(2433282.5, parse_time("2050-01-01"), 37)  # 1950 (TDB) to 2050
    pos, vel = default_ephemeris().state(name, times)
    t = ts.tdb_jd(times)
    reference = kernel[SKYFIELD_NAMES[name]].at(t)
    assert pos.shape == (3, times.size)
    # 1e-12 AU = 15 cm: the same kernel evaluated the same way.
    np.testing.assert_allclose(pos, reference.position.au, rtol=0, atol=1e-12)
    np.testing.assert_allclose(vel, reference.velocity.au_per_d, rtol=0, atol=1e-13)


def test_scalar_time_gives_vector():
    pos = default_ephemeris().position("Earth", 2451545.0)
    assert pos.shape == (3,)
    # Earth at J2000 is ~0.983 AU from the Sun (near perihelion, early January).
    sun = default_ephemeris().position("Sun", 2451545.0)
    assert np.linalg.norm(pos - sun) == pytest.approx(0.9833, abs=1e-3)


def test_positions_of_many_bodies_match_single_calls():
    e = default_ephemeris()
    t = parse_time("2035-06-01")
    many = e.positions(["Sun", "Earth", "Moon", "Mars"], t)
    for column, name in enumerate(["Sun", "Earth", "Moon", "Mars"]):
        np.testing.assert_array_equal(many[:, column], e.position(name, t))


def test_moon_distance_is_lunar():
    e = default_ephemeris()
    t = np.linspace(parse_time("2030-01-01"), parse_time("2030-03-01"), 100)
    d_km = np.linalg.norm(e.position("Moon", t) - e.position("Earth", t), axis=0) * 149597870.7
    assert 356_000 < d_km.min() < 370_000 and 400_000 < d_km.max() < 407_000


@pytest.mark.parametrize("when", ["jd:2396758.5", "2060-01-01"])  # 1850 (TDB), 2060
def test_out_of_range_names_the_range(when):
    with pytest.raises(EphemerisRangeError, match=r"1899-07-2\d to 2053-10-0\d"):
        default_ephemeris().position("Earth", np.array([2451545.0, parse_time(when)]))


def test_unknown_body():
    with pytest.raises(UnknownNameError, match="Pluto"):
        default_ephemeris().position("Pluto", 2451545.0)


def test_a_remembered_single_time_state_is_exact_and_not_shared():
    """States at one time are remembered within a frame; callers get their own arrays."""
    from spaceviz.core.astro.ephemeris import default_ephemeris

    eph = default_ephemeris()
    t = 2462503.25
    first, _ = eph.state("Sun", t)
    first += 1.0  # a caller changing its copy
    again, velocity = eph.state("Sun", t)
    fresh, fresh_velocity = eph.state("Sun", np.array([t]))
    np.testing.assert_array_equal(again, fresh[:, 0])
    np.testing.assert_array_equal(velocity, fresh_velocity[:, 0])
