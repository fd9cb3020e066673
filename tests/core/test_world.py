"""World: typed records, name resolution (aliases, prefixes, ambiguity), places for ships and
states relative to origins."""

import numpy as np
import pytest

from spaceviz.core.astro.orbits import OrbitalElements
from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.core.scenario.world import Asteroid, Body, Facility, Site, World

T = 2462502.5


def asteroid(world, name, a_au, aliases=()):
    elements = OrbitalElements.from_degrees(a_au, 0.1, 5.0, 10.0, 20.0, 30.0, 2458600.5)
    return Asteroid(name, aliases=aliases, elements=elements, ephemeris=world.ephemeris)


@pytest.fixture(scope="module")
def world():
    w = World()
    w.add(asteroid(w, "(1) Ceres", 2.77, aliases=("Ceres", "1")))
    w.add(asteroid(w, "2014 AA", 1.1, aliases=("K14A00A",)))
    moon = w.resolve("Moon")
    site = Site("Shackleton rim", body=moon, lat_deg=-89.9, lon_deg=0.0, ephemeris=w.ephemeris)
    w.add(site)
    w.add(Facility("Shackleton ice mine", host=site, spec=None, ephemeris=w.ephemeris))
    w.add(Facility("Ceres station", host=w.resolve("Ceres"), spec=None, ephemeris=w.ephemeris))
    return w


def test_names_aliases_and_case(world):
    assert world.resolve("ceres").name == "(1) Ceres"
    assert world.resolve("1").name == "(1) Ceres"
    assert world.resolve("k14a00a").name == "2014 AA"
    assert world.resolve("MARS").name == "Mars"
    assert isinstance(world.resolve("Luna"), Body)


def test_a_prefix_resolves_but_never_a_substring(world):
    """`where Ce` once matched 'Shackleton ice mine' by substring; only prefixes count."""
    with pytest.raises(UnknownNameError, match="ambiguous.*Ceres station"):
        world.resolve("ce")  # Ceres and Ceres station both start so
    assert world.resolve("ceres s").name == "Ceres station"
    with pytest.raises(UnknownNameError, match="ambiguous"):
        world.resolve("Shack")
    with pytest.raises(UnknownNameError, match="unknown name 'ice mine'"):
        world.resolve("ice mine")


def test_unknown_name_lists_known(world):
    with pytest.raises(UnknownNameError, match="unknown name 'Vulcan'.*Sun"):
        world.resolve("Vulcan")


def test_duplicate_names_are_refused(world):
    with pytest.raises(UserError, match="duplicate name 'ceres'"):
        world.add(asteroid(world, "ceres", 3.0))


def test_places_know_their_body(world):
    assert world.place("Earth").system == "Earth" and world.place("Earth").body == "Earth"
    mine = world.place("Shackleton ice mine")
    assert (mine.system, mine.body, mine.surface) == ("Earth", "Moon", True)
    station = world.place("Ceres station")
    assert (station.system, station.body) == ("Sun", None)
    assert world.place("Mars").orbit_radius_km == pytest.approx(3396.2 + 400.0)
    with pytest.raises(UserError, match="do not fly to the Sun"):
        world.place("Sun")


def test_origins(world):
    pos_ssb, _ = world.state("(1) Ceres", T)
    pos_sun, _ = world.state("(1) Ceres", T, origin="Sun")
    np.testing.assert_allclose(pos_ssb - pos_sun, world.position("Sun", T), atol=1e-15)
    with pytest.raises(UnknownNameError):
        world.state("Mars", T, origin="Jupiter")


def test_positions_of_mixed_objects(world):
    both = world.positions(["Earth", "2014 AA"], T)
    np.testing.assert_allclose(both[:, 0], world.position("Earth", T))
    np.testing.assert_allclose(both[:, 1], world.position("2014 AA", T))
    np.testing.assert_allclose(world.position("Ceres station", T), world.position("Ceres", T))
