"""World: name resolution (aliases, ambiguity) and states relative to origins."""

import numpy as np
import pytest

from spaceviz.core.errors import UnknownNameError
from spaceviz.core.scenario.world import World, WorldObject


def fixed(position):
    """A state function for an object that stays at `position` (AU)."""
    def state(t):
        shape = (3,) + np.shape(t)
        pos = np.broadcast_to(np.reshape(position, (3,) + (1,) * np.ndim(t)), shape)
        return pos.copy(), np.zeros(shape)
    return state


@pytest.fixture(scope="module")
def world():
    w = World()
    w.add(WorldObject("(1) Ceres", "asteroid", fixed([1.0, 0, 0]), aliases=("Ceres", "1")))
    w.add(WorldObject("2014 AA", "asteroid", fixed([0, 1.0, 0]), aliases=("K14A00A",)))
    w.add(WorldObject("Ceres station", "facility", fixed([0, 0, 1.0])))
    return w


def test_names_aliases_and_case(world):
    assert world.get("ceres").name == "(1) Ceres"
    assert world.get("1").name == "(1) Ceres"
    assert world.get("k14a00a").name == "2014 AA"
    assert world.get("MARS").name == "Mars"


def test_ambiguous_partial_name_lists_candidates(world):
    with pytest.raises(UnknownNameError, match="ambiguous.*Ceres station"):
        world.get("cere")


def test_unknown_name_lists_known(world):
    with pytest.raises(UnknownNameError, match="unknown name 'Vulcan'.*Sun"):
        world.get("Vulcan")


def test_origins(world):
    t = 2462502.5
    pos_ssb, _ = world.state("(1) Ceres", t)
    pos_sun, _ = world.state("(1) Ceres", t, origin="Sun")
    np.testing.assert_allclose(pos_ssb - pos_sun, world.position("Sun", t), atol=1e-15)
    with pytest.raises(UnknownNameError):
        world.state("Mars", t, origin="Jupiter")


def test_positions_of_mixed_objects(world):
    t = 2462502.5
    both = world.positions(["Earth", "2014 AA"], t)
    np.testing.assert_allclose(both[:, 0], world.position("Earth", t))
    np.testing.assert_allclose(both[:, 1], [0, 1, 0])
