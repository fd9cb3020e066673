"""The supply chain conserves mass: mines, depots and electrolysis plants, deliveries into
stocks, propellant drawn by ships and burnt to exhaust (hypothesis over random chains, and the
default story at every time)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spaceviz.core.astro.time import parse_time
from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.mission.operations.simulation import (
    ELECTROLYSIS_SPLIT,
    CargoLeg,
    PropellantDraw,
    simulate,
)
from spaceviz.core.scenario.schema import FacilitySpec
from tests.helpers import session_from_text

T0 = 2462502.5  # 2030-01-01 TDB
RESOURCES = ["water_ice", "oxygen", "hydrogen", "metals"]


def test_electrolysis_splits_water_by_its_atoms():
    """2 H2O -> 2 H2 + O2: 0.888 kg of oxygen and 0.112 kg of hydrogen per kg of water
    (IUPAC standard atomic weights: O 15.999, H 1.008)."""
    assert ELECTROLYSIS_SPLIT[Resource.OXYGEN] == pytest.approx(0.888, abs=5e-4)
    assert ELECTROLYSIS_SPLIT[Resource.HYDROGEN] == pytest.approx(0.112, abs=5e-4)
    assert sum(ELECTROLYSIS_SPLIT.values()) == pytest.approx(1.0, abs=1e-12)


def plant(name, *, role="mine", resource="water_ice", rate=100.0, start=T0, storage=1e9,
          process=None) -> FacilitySpec:
    data = {"name": name, "at": "Somewhere", "role": role, "power": "fission"}
    if role == "mine":
        data.update(resource=resource, rate_kg_per_day=rate, start=f"jd:{start}",
                    storage_kg=storage)
    if process:
        data["process"] = process
    return FacilitySpec.model_validate(data)


def test_deliveries_enter_stocks_and_are_electrolysed_there():
    mine = plant("Mine", rate=100.0)
    depot = plant("Depot", role="depot", process="electrolysis")
    legs = [CargoLeg("Hauler", "Mine", "Depot", T0 + 10.0, T0 + 12.0, 600.0)]
    draws = [PropellantDraw("Shuttle", "Depot", T0 + 20.0, "hydrogen", 50.0),
             PropellantDraw("Shuttle", "Depot", T0 + 20.0, "oxygen", 1000.0)]
    sim = simulate([mine, depot], t_start_tdb=T0, t_end_tdb=T0 + 30.0, legs=legs, draws=draws)
    before = sim.state_at(T0 + 11.0).facility("Depot")
    assert before.stored_kg == 0.0
    after = sim.state_at(T0 + 12.0).facility("Depot")
    assert after.received_kg == 600.0 and after.processed_kg == 600.0
    assert after.stock_kg["oxygen"] == pytest.approx(600.0 * ELECTROLYSIS_SPLIT[Resource.OXYGEN])
    assert after.stock_kg["hydrogen"] == pytest.approx(600.0 * ELECTROLYSIS_SPLIT[Resource.HYDROGEN])
    # The draw takes what there is: all 50 kg of hydrogen, the 533 kg of oxygen of 1000 asked.
    np.testing.assert_allclose(sim.draw_kg, [50.0, 600.0 * ELECTROLYSIS_SPLIT[Resource.OXYGEN]])
    assert sim.draw_shortfall_kg[1] == pytest.approx(1000.0 - 532.83, abs=0.1)
    late = sim.state_at(T0 + 25.0).facility("Depot")
    assert late.propellant_loaded_kg == pytest.approx(sum(sim.draw_kg))
    assert late.stored_kg == pytest.approx(600.0 - sum(sim.draw_kg))
    ledger = sim.ledger(T0 + 25.0)
    assert all(abs(entry["balance_kg"]) < 1e-9 for entry in ledger.values())
    assert ledger["oxygen"]["made_kg"] + ledger["hydrogen"]["made_kg"] == pytest.approx(600.0)


@st.composite
def chains(draw):
    count = draw(st.integers(2, 5))
    plants = []
    for i in range(count):
        if draw(st.booleans()):
            plants.append(plant(f"F{i}", role="depot",
                                process=draw(st.sampled_from([None, "electrolysis"]))))
        else:
            resource = draw(st.sampled_from(RESOURCES))
            plants.append(plant(f"F{i}", resource=resource, rate=draw(st.floats(1.0, 1e4)),
                                start=T0 + draw(st.floats(-10.0, 50.0)),
                                storage=draw(st.floats(10.0, 1e6)),
                                process=draw(st.sampled_from([None, "electrolysis"]))))
    legs = []
    for k in range(draw(st.integers(0, 8))):
        origin = draw(st.integers(0, count - 1))
        to = draw(st.sampled_from([f"F{j}" for j in range(count) if j != origin] + ["Earth"]))
        depart = T0 + draw(st.floats(0.0, 90.0))
        legs.append(CargoLeg(f"S{k}", f"F{origin}", to, depart,
                             depart + draw(st.floats(0.0, 20.0)), draw(st.floats(0.0, 1e5)),
                             draw(st.sampled_from(RESOURCES))))
    draws = [PropellantDraw(f"P{k}", f"F{draw(st.integers(0, count - 1))}",
                            T0 + draw(st.floats(0.0, 100.0)),
                            draw(st.sampled_from(["oxygen", "hydrogen"])),
                            draw(st.floats(0.0, 1e5))) for k in range(draw(st.integers(0, 5)))]
    return plants, legs, draws, draw(st.sampled_from([0.25, 0.5, 1.0]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains(), st.lists(st.floats(-5.0, 105.0), min_size=1, max_size=10))
def test_mass_is_conserved_through_random_supply_chains(chain, query_days):
    """Per facility: mined + received = stored + shipped + propellant loaded. Per resource:
    mined + made - processed = stored + in transit + delivered + propellant loaded. Stocks
    never go negative, nothing takes more than asked, electrolysis makes what it splits."""
    plants, legs, draws, step = chain
    sim = simulate(plants, t_start_tdb=T0, t_end_tdb=T0 + 100.0, legs=legs, draws=draws,
                   step_days=step)
    scale = 1e-9 * max(1.0, float(np.max(np.abs(sim.mined_kg))), float(np.max(sim.received_kg)))
    np.testing.assert_allclose(sim.mined_kg + sim.received_kg,
                               sim.stored_kg + sim.shipped_kg + sim.propellant_kg, atol=scale)
    assert np.all(sim.account_kg >= -scale)
    assert np.all(sim.draw_kg <= np.array([d.kg for d in sim.draws]) + scale)
    assert np.all(sim.leg_cargo_kg <= np.array([leg.payload_kg for leg in sim.legs]) + scale)
    for t in T0 + np.array(query_days):
        ledger = sim.ledger(float(t))
        for entry in ledger.values():
            assert abs(entry["balance_kg"]) <= 10 * scale
        made = sum(ledger.get(r, {}).get("made_kg", 0.0) for r in ("oxygen", "hydrogen"))
        assert made == pytest.approx(ledger.get("water_ice", {}).get("processed_kg", 0.0),
                                     abs=10 * scale)
        v = sim.values_at(float(t))
        np.testing.assert_allclose(v["mined_kg"] + v["received_kg"],
                                   v["stored_kg"] + v["shipped_kg"] + v["propellant_kg"],
                                   atol=10 * scale)


def test_the_default_story_accounts_for_every_kg_mined():
    """mined = stored + in transit + delivered + propellant still aboard + burnt to exhaust,
    at any time of the story; what ships loaded from the chain is what is aboard plus what
    they burnt."""
    from spaceviz.core.scenario.session import Session

    session = Session.load()
    for t in np.linspace(session.scenario.start, session.scenario.end, 23):
        chain = session.supply_chain(float(t))
        assert abs(chain["balance_kg"]) < 1e-3 * max(1.0, chain["mined_kg"] * 1e-6)
        assert chain["propellant_loaded_kg"] == pytest.approx(
            chain["propellant_aboard_kg"] + chain["exhaust_kg"], abs=0.01)
    end = session.supply_chain(parse_time("2040-01-01"))
    shuttle = session.ship("Lunar shuttle").plan
    assert end["exhaust_kg"] == pytest.approx(sum(b.propellant_kg for b in shuttle.budgets),
                                              abs=0.01)
    assert end["surplus_oxygen_kg"] > 0
    depot = session.report(parse_time("2040-01-01"))["facilities"]["Lunar orbit depot"]
    assert depot["stock_kg"] == {"oxygen": 5000.0 * len(shuttle.legs) / 2}


SHORT = """schema_version = 1
title = "short"
start = "2031-01-01"
end = "2032-01-01"
[[site]]
name = "Rim"
lat = -89.68
lon = -166.0
[[orbit]]
name = "LLO"
around = "Moon"
altitude_km = 100.0
inclination_deg = 90.0
[[facility]]
name = "Plant"
at = "Rim"
resource = "water_ice"
rate_kg_per_day = 100.0
start = "2031-01-01"
power = "fission"
storage_kg = 1e6
process = "electrolysis"
[[ship]]
name = "Shuttle"
from = "Plant"
engine = "lox-lh2"
dry_mass_kg = 3000.0
propellant_kg = 0.0
tank_kg = 8000.0
refuel_at = "Plant"
legs = [
  { to = "LLO", depart = "2031-01-20", arrive = "2031-01-20T01:00:00Z" },
]
"""


def test_a_refuelling_the_stock_cannot_fill_is_refused_with_its_line():
    """Nineteen days of a 100 kg/day plant make 1.9 t of water: 1.7 t of oxygen and 0.2 t of
    hydrogen, not the 6.8 t and 1.2 t an 8 t tank takes at 5.5:1."""
    from spaceviz.core.errors import InputFileError

    with pytest.raises(InputFileError) as info:
        session_from_text(SHORT, "short.toml")
    (problem, *_) = info.value.problems
    assert (problem.line, problem.field) == (30, "ship[Shuttle].refuel_at")
    messages = " ".join(p.message for p in info.value.problems)
    assert "'Plant' holds only 1,687 kg of oxygen of the 6,769 kg" in messages
    assert "'Plant' holds only 213 kg of hydrogen of the 1,231 kg" in messages
    fine = session_from_text(SHORT.replace('depart = "2031-01-20", arrive = "2031-01-20T01',
                                           'depart = "2031-07-20", arrive = "2031-07-20T01'),
                             "short.toml")
    assert fine.operations.draw_shortfall_kg.max() == 0.0
