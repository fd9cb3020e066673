"""Ships of the default scenario fly the engine's transfers: exactly at both ends, about the
right body, waiting in parking orbits (never at a body's centre), carrying cargo into the
operations model, re-planned through the session."""

import numpy as np
import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.constants import AU_KM
from spaceviz.core.errors import InputFileError, UserError
from spaceviz.core.scenario.session import Session
from spaceviz.core.scenario.world import Ship
from tests.helpers import session_from_text

ONE_METRE_AU = 1e-3 / AU_KM


@pytest.fixture(scope="module")
def session():
    return Session.load()


def test_a_ship_is_on_its_arc_at_both_ends(session):
    world = session.world
    leg = session.ship("Prospector-1").plan.legs[0]
    assert leg.central == "Sun" and leg.revolutions == 0
    assert np.linalg.norm(world.position("Prospector-1", leg.arrive_tdb - 1e-9)
                          - world.position("Psyche", leg.arrive_tdb)) < 1e-6
    assert np.linalg.norm(leg.state(leg.depart_tdb)[0]
                          - world.position("Earth", leg.depart_tdb)) < ONE_METRE_AU
    after = world.position("Prospector-1", leg.arrive_tdb + 10)
    np.testing.assert_allclose(after, world.position("Psyche", leg.arrive_tdb + 10), atol=1e-15)
    assert 4.5 < leg.departure_dv_km_s < 6.0  # from a 400 km parking orbit, C3 about 50


def test_ships_parked_at_a_body_are_in_orbit_not_at_its_centre(session):
    """Hayate waits at Earth until 2034: in low Earth orbit, 6,778 km from the centre;
    Polar Tanker waits on the Moon at its plant, on the surface (1,737 km from the centre)."""
    world = session.world
    t = parse_time("2031-06-01")
    gap_km = np.linalg.norm(world.position("Hayate", t) - world.position("Earth", t)) * AU_KM
    assert gap_km == pytest.approx(6778.137, rel=1e-9)
    assert session.ship("Hayate").plan.waiting_at(t) == "Earth"
    gap_km = np.linalg.norm(world.position("Polar Tanker", t) - world.position("Moon", t)) * AU_KM
    assert gap_km == pytest.approx(1737.4, rel=1e-3)


def test_central_bodies_of_the_default_ships(session):
    assert session.ship("Polar Tanker").plan.legs[0].central == "Earth"
    assert session.ship("Hayate").plan.legs[0].central == "Sun"
    moon_leg = session.world.place("Shackleton ice mine")
    assert moon_leg.system == "Earth" and moon_leg.body == "Moon" and moon_leg.surface


def test_a_loaded_ship_carries_its_cargo_into_the_operations_model(session):
    plan = session.ship("Polar Tanker").plan
    t_mid = 0.5 * (plan.start_tdb + plan.end_tdb)
    ships = session.report(t_mid)["ships"]
    assert ships["Polar Tanker"]["cargo_kg"] == 50_000 and ships["Polar Tanker"]["status"] == "in transit"
    after = session.report(plan.end_tdb + 1)["ships"]["Polar Tanker"]
    assert after["delivered_kg"] == 50_000 and after["cargo_kg"] == 0
    assert plan.cargo_at(t_mid) == 50_000 and plan.cargo_at(plan.end_tdb + 1) == 0


def test_departures_and_arrivals_are_timeline_events(session):
    names = {e.name for e in session.events}
    assert "Prospector-1 departs Earth" in names and "Prospector-1 arrives at Psyche" in names


def test_a_multi_leg_ship_waits_between_legs_and_carries_cargo_home(session):
    world = session.world
    plan = session.ship("Hayate").plan
    assert [leg.to_name for leg in plan.legs] == ["Ryugu water extractor", "Earth"]
    first, second = plan.legs
    waiting = 0.5 * (first.arrive_tdb + second.depart_tdb)
    np.testing.assert_allclose(world.position("Hayate", waiting), world.position("Ryugu", waiting))
    t_home = 0.5 * (second.depart_tdb + second.arrive_tdb)
    report = session.report(t_home)
    assert report["transfers"]["Hayate"]["cargo_kg"] == 100_000
    assert [leg["to"] for leg in report["transfers"]["Hayate"]["legs"]] == [
        "Ryugu water extractor", "Earth"]
    assert report["ships"]["Hayate"]["status"] == "in transit"


def test_replanning_a_ship_moves_its_arc_events_and_cargo():
    session = Session.load()
    old = session.ship("Polar Tanker").plan.legs[0]
    new_depart = old.depart_tdb + 20.0
    ship = session.replan_ship("Polar Tanker", new_depart, new_depart + 4.0)
    assert isinstance(ship, Ship) and session.ship("Polar Tanker") is ship
    assert ship.plan.legs[0].depart_tdb == new_depart
    departures = [e.t_tdb for e in session.events if e.target == "Polar Tanker"
                  and e.kind == "departure"]
    assert departures == [new_depart]
    legs = [leg for leg in session.operations.legs if leg.ship == "Polar Tanker"]
    assert [(leg.depart_tdb, leg.arrive_tdb) for leg in legs] == [(new_depart, new_depart + 4.0)]
    with pytest.raises(UserError, match="arrival must be after departure"):
        session.replan_ship("Polar Tanker", new_depart, new_depart - 1.0)


def oem_scenario(path, name="Courier"):
    text = ('schema_version = 1\ntitle = "oem"\nstart = "2029-12-01"\nend = "2030-03-01"\n'
            f'[[ship]]\nname = "{name}"\noem = "{path}"\n')
    return session_from_text(text, "oem.toml", path.parent)


def test_a_ship_flies_an_oem_file(data_dir):
    from spaceviz.core.astro.oem import read_oem
    from spaceviz.core.mission.trajectories import OemArc

    path = data_dir / "oem" / "heliocentric_lagrange.oem"
    session = oem_scenario(path)
    plan = session.ship("Courier").plan
    reference = OemArc(read_oem(path), session.world.ephemeris)
    t_mid = 0.5 * (plan.start_tdb + plan.end_tdb)
    np.testing.assert_allclose(session.world.position("Courier", t_mid), reference.state(t_mid)[0])
    before = session.world.position("Courier", plan.start_tdb - 5)
    np.testing.assert_allclose(before, reference.state(plan.start_tdb)[0])
    assert np.isfinite(session.world.position("Courier", plan.end_tdb + 5)).all()
    assert {"Courier: trajectory begins", "Courier: trajectory ends"} <= {e.name for e in session.events}


def test_an_invalid_oem_file_is_a_user_error_naming_its_line(data_dir):
    bad = sorted((data_dir / "oem" / "bad").glob("*.oem"))[0]
    with pytest.raises(InputFileError) as info:
        oem_scenario(bad)
    assert str(bad.name) in str(info.value) and info.value.problems[0].line > 0


def test_impossible_legs_are_refused_with_their_line():
    text = ('schema_version = 1\ntitle = "legs"\nstart = "2030-01-01"\nend = "2035-01-01"\n'
            '[[ship]]\nname = "Loop"\nfrom = "Earth"\nlegs = [\n'
            '  { to = "Mars", depart = "2031-01-01", arrive = "2031-09-01" },\n'
            '  { to = "Mars", depart = "2031-06-01", arrive = "2032-01-01" },\n]\n')
    with pytest.raises(InputFileError) as info:
        session_from_text(text, "legs.toml")
    messages = [(p.line, p.field, p.message) for p in info.value.problems]
    assert (10, "ship[Loop].legs[1].depart",
            "a leg cannot depart before the previous leg arrives") in messages
    assert any("goes nowhere" in m for _, _, m in messages)


def test_revolutions_and_branch_from_the_scenario():
    text = ('schema_version = 1\ntitle = "revs"\nstart = "2030-01-01"\nend = "2032-01-01"\n'
            '[[ship]]\nname = "Loop"\nfrom = "Earth"\nto = "Venus"\n'
            'depart = "2030-01-01"\narrive = "jd:2463002.5"\nrevolutions = 1\nbranch = "right"\n')
    leg = session_from_text(text, "revs.toml").ship("Loop").plan.legs[0]
    assert (leg.revolutions, leg.branch) == (1, "right")
    with pytest.raises(InputFileError, match="revs.toml:8: ship.Loop..to: .*3-revolution"):
        session_from_text(text.replace("revolutions = 1", "revolutions = 3")
                          .replace('arrive = "jd:2463002.5"', 'arrive = "2030-03-01"'),
                          "revs.toml")


def test_the_shackleton_rim_of_the_default_story_is_sunlit_as_published(session):
    """Published south-polar illumination (Bussey et al. 2010, Icarus 208; Mazarico et al.
    2011, Icarus 211): the best rim points near Shackleton are sunlit 80-95% of the time. The
    default story's rim site, and the solar mine on it, must agree (once it idled half a
    year under a text that promised near-permanent sunlight)."""
    site = session.world.resolve("Shackleton rim")
    t = session.scenario.start + np.arange(0.0, 3652.5, 0.25)
    lit = site.sunlit(t)
    assert 0.80 < lit.mean() < 0.95
    edges = np.flatnonzero(np.diff(np.concatenate(([1], lit.astype(int), [1]))))
    longest_night_days = np.max(np.diff(edges)[::2]) * 0.25
    assert longest_night_days < 30
    assert "83%" in site.summary
    # The solar mine runs on the visible part of the Sun's disk: near the pole the Sun often
    # grazes the horizon, so its energy is a little less than its hours of light.
    sim = session.operations
    sunlight = sim.availability[sim.facility_index("Shackleton ice mine")]  # per grid step
    steps = np.diff(sim.t_tdb)
    energy = np.sum(sunlight * steps) / np.sum(steps)
    assert 0.65 < energy < lit.mean()
    middle = 0.5 * (sim.t_tdb[:-1] + sim.t_tdb[1:])
    np.testing.assert_allclose(sunlight[::500], site.sunlight(middle[::500]))
