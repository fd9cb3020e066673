"""Catalogues and mining targets in a scenario: `where` finds catalogue asteroids by name."""

import numpy as np
import pytest

from spaceviz.core.astro.orbits import OrbitalElements, barycentric_states
from spaceviz.core.errors import InputFileError, UnknownNameError
from spaceviz.core.scenario.world import Asteroid
from tests.helpers import session_from_text


@pytest.fixture(scope="module")
def session(data_dir):
    text = (
        'schema_version = 1\ntitle = "catalogue"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
        "mining_targets = true\n"
        f'[[catalog]]\npath = "{data_dir / "MPCORB_sample.DAT"}"\n'
        "[[catalog]]\nsynthetic = 5000\nseed = 3\n")
    return session_from_text(text, "catalogue.toml", data_dir)


def test_catalogues_become_populations(session):
    sizes = [len(p) for p in session.world.populations]
    assert sizes[1] == 5000 and sizes[0] >= 15
    assert session.world.populations[1].synthetic and not session.world.populations[0].synthetic


@pytest.mark.parametrize("query", ["Hebe", "6", "(6) Hebe", "hebe"])
def test_where_finds_a_catalogue_asteroid_by_name_number_or_label(session, query):
    obj = session.world.get(query)
    assert isinstance(obj, Asteroid) and obj.target is None and obj.H is not None
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
    assert isinstance(psyche, Asteroid) and psyche.radius_km > 100
    assert "metal" in psyche.summary.lower() and psyche.target.delta_v_leo_km_s > 0


def test_unknown_catalogue_name(session):
    with pytest.raises(UnknownNameError):
        session.world.get("Xyzzy-not-an-asteroid")


def test_a_mining_target_wins_over_a_catalogue_row_of_the_same_name(session):
    vesta = session.world.get("Vesta")
    assert vesta.target is not None and vesta.summary  # the target, with its "why"


def test_provisional_designation(session):
    assert isinstance(session.world.get("2004 PC112"), Asteroid)


def test_references_to_catalogue_asteroids_are_checked(data_dir):
    """Names in a scenario with a catalogue are resolved in the catalogue too: a facility at
    a catalogue asteroid builds, one at a name nowhere is refused with its line."""
    text = ('schema_version = 1\ntitle = "c"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
            f'[[catalog]]\npath = "{data_dir / "MPCORB_sample.DAT"}"\n'
            '[[facility]]\nname = "Hebe works"\nat = "Hebe"\nresource = "metals"\n'
            'rate_kg_per_day = 10.0\nstart = "2030-02-01"\nstorage_kg = 1e6\n'
            '[[facility]]\nname = "Nowhere works"\nat = "Xyzzy"\nresource = "metals"\n'
            'rate_kg_per_day = 10.0\nstart = "2030-02-01"\nstorage_kg = 1e6\n')
    with pytest.raises(InputFileError) as info:
        session_from_text(text, "c.toml", data_dir)
    assert [(p.line, p.field) for p in info.value.problems] == [(16, "facility[Nowhere works].at")]
    works = session_from_text(text.split("[[facility]]\nname = \"Nowhere")[0], "c.toml", data_dir)
    assert works.world.resolve("Hebe works").host.name == "(6) Hebe"
