"""Catalogues and mining targets in a scenario: `where` finds catalogue asteroids by name."""

import numpy as np
import pytest

from spaceviz.core.astro.orbits import OrbitalElements, barycentric_states
from spaceviz.core.errors import UnknownNameError
from spaceviz.core.scenario.loader import parse_scenario_text
from spaceviz.core.scenario.session import Session


@pytest.fixture(scope="module")
def session(data_dir):
    text = (
        'schema_version = 1\ntitle = "catalogue"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
        "mining_targets = true\n"
        f'[[catalog]]\npath = "{data_dir / "MPCORB_sample.DAT"}"\n'
        "[[catalog]]\nsynthetic = 5000\nseed = 3\n")
    return Session.from_scenario(parse_scenario_text(text, "catalogue.toml", data_dir))


def test_catalogues_become_belts(session):
    sizes = [len(belt) for belt in session.world.belts]
    assert sizes[1] == 5000 and sizes[0] >= 15
    assert session.world.belts[1].synthetic and not session.world.belts[0].synthetic


@pytest.mark.parametrize("query", ["Hebe", "6", "(6) Hebe", "hebe"])
def test_where_finds_a_catalogue_asteroid_by_name_number_or_label(session, query):
    obj = session.world.get(query)
    assert obj.kind == "asteroid"
    t = 2462700.5
    pos, _ = session.world.state(obj.name, t)
    catalog = session.world.catalogs[0]
    row = catalog.find("Hebe")
    r = catalog.records[row]
    elements = OrbitalElements(r["a_au"], r["e"], r["i_rad"], r["node_rad"], r["peri_rad"],
                               r["M_rad"], r["epoch_tdb"])
    expected, _ = barycentric_states(elements, t)
    np.testing.assert_allclose(pos, expected[:, 0], atol=1e-12)


def test_mining_targets_carry_their_why(session):
    psyche = session.world.get("Psyche")
    assert psyche.kind == "asteroid" and psyche.radius_km > 100
    assert "metal" in psyche.info["summary"].lower() and "km/s" in psyche.info["delta-v from low Earth orbit"]


def test_unknown_catalogue_name(session):
    with pytest.raises(UnknownNameError):
        session.world.get("Xyzzy-not-an-asteroid")


def test_a_mining_target_wins_over_a_catalogue_row_of_the_same_name(session):
    assert session.world.get("Vesta").info["summary"]  # the target, with its "why"


def test_provisional_designation(session):
    assert session.world.get("2004 PC112").kind == "asteroid"
