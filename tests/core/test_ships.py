"""Ships fly Lambert transfers: exactly at both ends, right central body, cargo, events.
(The solver itself is tested against published cases in test_lambert.py.)"""

import numpy as np
import pytest

from spaceviz.core.mission.ships import central_body
from spaceviz.core.scenario.session import Session


@pytest.fixture(scope="module")
def session():
    return Session.load()


def test_ship_is_exactly_at_both_ends_of_its_transfer(session):
    world = session.world
    ship = world.ships["Prospector-1"]
    leg = ship.leg
    assert leg.central == "Sun"
    depart, arrive = leg.depart_tdb, leg.arrive_tdb
    np.testing.assert_allclose(world.position("Prospector-1", depart + 1e-9),
                               world.position("Earth", depart + 1e-9), atol=1e-9)
    in_flight = world.position("Prospector-1", arrive - 1e-9)
    assert np.linalg.norm(in_flight - world.position("Psyche", arrive)) < 1e-6
    np.testing.assert_array_equal(world.position("Prospector-1", depart - 10),
                                  world.position("Earth", depart - 10))
    np.testing.assert_array_equal(world.position("Prospector-1", arrive + 10),
                                  world.position("Psyche", arrive + 10))
    assert 6.0 < leg.departure_dv_km_s < 8.0 and leg.c3_km2_s2 == pytest.approx(
        leg.departure_dv_km_s ** 2)


def test_central_body_is_the_earth_inside_the_earth_moon_system(session):
    world = session.world
    assert central_body(world, "Shackleton ice mine", "Earth") == "Earth"
    assert central_body(world, "Moon", "Earth") == "Earth"
    assert central_body(world, "Earth", "Psyche") == "Sun"


def test_a_loaded_ship_carries_its_cargo_into_the_operations_model(session):
    tanker = session.world.ships["Polar Tanker"]
    t_mid = 0.5 * (tanker.leg.depart_tdb + tanker.leg.arrive_tdb)
    ships = session.report(t_mid)["ships"]
    assert ships["Polar Tanker"]["cargo_kg"] == 50_000 and ships["Polar Tanker"]["status"] == "in transit"
    after = session.report(tanker.leg.arrive_tdb + 1)["ships"]["Polar Tanker"]
    assert after["delivered_kg"] == 50_000 and after["cargo_kg"] == 0
    assert tanker.carrying(t_mid) and not tanker.carrying(tanker.leg.arrive_tdb + 1)


def test_departures_and_arrivals_are_timeline_events(session):
    names = {e.name for e in session.events}
    assert "Prospector-1 departs Earth" in names and "Prospector-1 arrives at Psyche" in names


def oem_scenario(path, name="Courier"):
    from spaceviz.core.scenario.loader import parse_scenario_text

    text = ('schema_version = 1\ntitle = "oem"\nstart = "2029-12-01"\nend = "2030-03-01"\n'
            f'[[ship]]\nname = "{name}"\noem = "{path}"\n')
    return Session.from_scenario(parse_scenario_text(text, "oem.toml", path.parent))


def test_a_ship_flies_an_oem_file(data_dir):
    from spaceviz.core.astro.oem import read_oem
    from spaceviz.core.mission.trajectories import OemTrajectory

    path = data_dir / "oem" / "heliocentric_lagrange.oem"
    session = oem_scenario(path)
    ship = session.world.ships["Courier"]
    reference = OemTrajectory(read_oem(path))
    t_mid = 0.5 * (ship.depart_tdb + ship.arrive_tdb)
    np.testing.assert_allclose(session.world.position("Courier", t_mid), reference.state(t_mid)[0])
    # Outside the file's coverage the ship holds its first and last states (never NaN).
    before = session.world.position("Courier", ship.depart_tdb - 5)
    np.testing.assert_allclose(before, reference.state(ship.depart_tdb)[0])
    assert np.isfinite(session.world.position("Courier", ship.arrive_tdb + 5)).all()
    assert {"Courier: trajectory begins", "Courier: trajectory ends"} <= {e.name for e in session.events}


def test_an_invalid_oem_file_is_a_user_error_naming_its_line(data_dir):
    from spaceviz.core.errors import InputFileError

    bad = sorted((data_dir / "oem" / "bad").glob("*.oem"))[0]
    with pytest.raises(InputFileError) as info:
        oem_scenario(bad)
    assert str(bad.name) in str(info.value) and info.value.problems[0].line > 0


def test_a_multi_leg_ship_waits_between_legs_and_carries_cargo_home(session):
    world = session.world
    ship = world.ships["Hayate"]
    assert [leg.target for leg in ship.legs] == ["Ryugu water extractor", "Earth"]
    assert ship.leg is None  # several legs: not re-planned from a porkchop
    first, second = ship.legs
    waiting = 0.5 * (first.arrive_tdb + second.depart_tdb)
    np.testing.assert_allclose(world.position("Hayate", waiting), world.position("Ryugu", waiting))
    assert np.linalg.norm(world.position("Hayate", first.arrive_tdb - 1e-9)
                          - world.position("Ryugu", first.arrive_tdb)) < 1e-6
    t_home = 0.5 * (second.depart_tdb + second.arrive_tdb)
    assert ship.carrying(t_home) and not ship.carrying(waiting)
    report = session.report(t_home)
    assert report["transfers"]["Hayate"]["cargo_kg"] == 100_000
    assert [leg["to"] for leg in report["transfers"]["Hayate"]["legs"]] == ["Ryugu water extractor", "Earth"]
    assert report["ships"]["Hayate"]["status"] == "in transit"


def test_impossible_legs_are_refused_with_their_line():
    from spaceviz.core.errors import InputFileError
    from spaceviz.core.scenario.loader import parse_scenario_text

    text = ('schema_version = 1\ntitle = "legs"\nstart = "2030-01-01"\nend = "2035-01-01"\n'
            '[[ship]]\nname = "Loop"\nfrom = "Earth"\nlegs = [\n'
            '  { to = "Mars", depart = "2031-01-01", arrive = "2031-09-01" },\n'
            '  { to = "Mars", depart = "2031-06-01", arrive = "2032-01-01" },\n]\n')
    with pytest.raises(InputFileError) as info:
        parse_scenario_text(text, "legs.toml")
    messages = [(p.field, p.message) for p in info.value.problems]
    assert ("ship[Loop].legs[1].depart", "a leg cannot depart before the previous leg arrives") in messages
    assert any("goes nowhere" in m for _, m in messages)
