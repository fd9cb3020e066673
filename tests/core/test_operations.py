"""The mining operations model: production, ramp-up, storage, darkness, shipments, mass balance."""

from __future__ import annotations

import dataclasses
import json
import tomllib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from spaceviz.core.astro import moon
from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.core.mission.operations.report import report
from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.mission.operations.simulation import (
    EVENT_KINDS,
    FACILITY_STATUSES,
    CargoLeg,
    OperationsSim,
    simulate,
)
from spaceviz.core.scenario.schema import FacilitySpec, ShipmentSpec
from tests.helpers import session_from_text

T0 = 2462502.5  # 2030-01-01 TDB


def facility(name="Ice plant", *, rate=100.0, start=T0, ramp=0.0, storage=1e9, power="solar",
             dark=None, at="Shackleton rim", resource="water_ice") -> FacilitySpec:
    data = {"name": name, "at": at, "resource": resource, "rate_kg_per_day": rate,
            "start": f"jd:{start}", "ramp_up_days": ramp, "power": power, "storage_kg": storage}
    if dark is not None:
        data["stops_in_darkness"] = dark
    return FacilitySpec.model_validate(data)


def shipment(name="Hauler", *, origin="Ice plant", to="Earth", every=10.0, first=None,
             payload=600.0, transit=5.0, times=None) -> ShipmentSpec:
    data = {"name": name, "from": origin, "to": to, "payload_kg": payload, "transit_days": transit}
    if times is not None:
        data["times"] = [f"jd:{t}" for t in times]
    else:
        data["every_days"] = every
        if first is not None:
            data["first"] = f"jd:{first}"
    return ShipmentSpec.model_validate(data)


def assert_mass_conserved(sim, times=None):
    np.testing.assert_allclose(sim.mined_kg, sim.stored_kg + sim.in_transit_kg + sim.delivered_kg,
                               rtol=1e-12, atol=1e-6)
    if times is not None:
        v = sim.values_at(times)
        np.testing.assert_allclose(v["mined_kg"],
                                   v["stored_kg"] + v["shipped_kg"] - v["delivered_kg"] + v["delivered_kg"],
                                   rtol=1e-12, atol=1e-6)


# ---------------------------------------------------------------------------------------
# Production


def test_ramp_up_integral():
    sim = simulate([facility(rate=100.0, ramp=10.0)], t_start_tdb=T0, t_end_tdb=T0 + 40.0)
    ice = sim.state_at(T0 + 20.0).facility("Ice plant")
    assert ice.mined_kg == pytest.approx(100.0 * (20.0 - 5.0), abs=1e-9)
    assert sim.state_at(T0 + 5.0).facility("ice plant").mined_kg == pytest.approx(125.0, abs=1e-9)
    assert sim.state_at(T0 + 10.0).facility("Ice plant").mined_kg == pytest.approx(500.0, abs=1e-9)
    # Between grid points: linear interpolation of the quadratic (error <= h^2/8 * 10 kg/day^2).
    assert sim.state_at(T0 + 5.1).facility("Ice plant").mined_kg == pytest.approx(130.05, abs=0.08)
    assert sim.state_at(T0 + 20.1).facility("Ice plant").mined_kg == pytest.approx(1510.0, abs=1e-6)
    assert sim.state_at(T0 + 40.0).facility("Ice plant").mined_kg == pytest.approx(3500.0, abs=1e-9)


def test_status_and_rate_through_the_life_of_a_plant():
    sim = simulate([facility(rate=100.0, ramp=10.0, start=T0 + 5.0, storage=2000.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 60.0)
    assert sim.state_at(T0 + 1.0).status == ("not built",)
    assert sim.state_at(T0 + 10.0).status == ("ramping",)
    assert sim.state_at(T0 + 10.0).rate_kg_per_day[0] == pytest.approx(50.0)
    assert sim.state_at(T0 + 20.0).status == ("running",)
    assert sim.state_at(T0 + 20.0).rate_kg_per_day[0] == pytest.approx(100.0)
    # 2000 kg is reached when 100*(t - 5 - 5) = 2000: day 30.
    assert sim.state_at(T0 + 31.0).status == ("storage full",)
    assert sim.state_at(T0 + 31.0).rate_kg_per_day[0] == 0.0
    assert set(sim.state_at(T0 + 31.0).status) <= set(FACILITY_STATUSES)


def test_grid_starts_at_the_first_plant_start():
    sim = simulate([facility(rate=10.0, start=T0 - 100.0)], t_start_tdb=T0, t_end_tdb=T0 + 10.0)
    assert sim.t_tdb[0] == T0 - 100.0
    assert sim.state_at(T0).facility("Ice plant").mined_kg == pytest.approx(1000.0)
    # Before any start and after the end the state is clamped.
    assert sim.state_at(T0 - 500.0).facility("Ice plant").mined_kg == 0.0
    assert sim.state_at(T0 + 500.0).facility("Ice plant").mined_kg == pytest.approx(1100.0)


def test_storage_capacity_stops_extraction():
    sim = simulate([facility(rate=100.0, storage=1000.0)], t_start_tdb=T0, t_end_tdb=T0 + 30.0)
    assert sim.state_at(T0 + 9.0).facility("Ice plant").stored_kg == pytest.approx(900.0)
    for day in (10.0, 12.3, 30.0):
        s = sim.state_at(T0 + day).facility("Ice plant")
        assert s.stored_kg == pytest.approx(1000.0)
        assert s.mined_kg == pytest.approx(1000.0)
    assert np.max(sim.stored_kg) <= 1000.0
    full = [e for e in sim.events if e.kind == "storage full"]
    assert len(full) == 1 and full[0].t_tdb == pytest.approx(T0 + 10.0, abs=1e-9)


def test_storage_full_event_time_is_interpolated_inside_a_step():
    sim = simulate([facility(rate=100.0, storage=1010.0)], t_start_tdb=T0, t_end_tdb=T0 + 30.0)
    (full,) = [e for e in sim.events if e.kind == "storage full"]
    assert full.t_tdb == pytest.approx(T0 + 10.1, abs=1e-9)


# ---------------------------------------------------------------------------------------
# Darkness


def half_lit(t):
    """Lit for the first 5 days of every 10 (from T0)."""
    return ((np.asarray(t) - T0) % 10.0) < 5.0


def test_darkness_stops_solar_plants_but_not_nuclear():
    plants = [facility("Solar", rate=100.0), facility("Reactor", rate=100.0, power="fission"),
              facility("Solar but insensitive", rate=100.0, dark=False)]
    lit = {"Solar": half_lit, "Reactor": half_lit, "Solar but insensitive": half_lit}
    sim = simulate(plants, t_start_tdb=T0, t_end_tdb=T0 + 20.0, lit=lit)
    state = sim.state_at(T0 + 20.0)
    assert state.facility("Solar").mined_kg == pytest.approx(1000.0, abs=1e-9)
    assert state.facility("Reactor").mined_kg == pytest.approx(2000.0, abs=1e-9)
    assert state.facility("Solar but insensitive").mined_kg == pytest.approx(2000.0, abs=1e-9)
    assert sim.state_at(T0 + 7.0).status == ("idle (darkness)", "running", "running")
    assert sim.state_at(T0 + 7.0).rate_kg_per_day[0] == 0.0
    assert sim.state_at(T0 + 7.0).facility("Solar").mined_kg == pytest.approx(500.0, abs=1e-9)


def test_sampled_and_fractional_sunlight():
    samples = (np.array([T0, T0 + 4.0, T0 + 6.0]), np.array([1.0, 0.0, 0.5]))
    sim = simulate([facility("A"), facility("B")], t_start_tdb=T0, t_end_tdb=T0 + 10.0,
                   lit={"A": samples, "B": 0.25})
    state = sim.state_at(T0 + 10.0)
    assert state.facility("A").mined_kg == pytest.approx(100.0 * (4.0 + 0.0 + 0.5 * 4.0))
    assert state.facility("B").mined_kg == pytest.approx(250.0)


def test_lunar_sites_light_their_facilities():
    """Solar plants at lunar sites stop in darkness (the session wires each site's sunlight
    to its plants); reactors, and plants on asteroids, never do."""

    text = f"""schema_version = 1
title = "light"
start = "jd:{T0}"
end = "jd:{T0 + 59.0}"
[[asteroid]]
name = "Rock"
epoch = "jd:2458600.5"
a = 2.77
e = 0.076
i = 10.6
node = 80.3
peri = 73.6
M = 77.4
[[site]]
name = "Equator"
lat = 0.0
lon = 0.0
[[site]]
name = "Dark crater"
lat = -89.0
lon = 0.0
horizon_deg = 5.0
"""
    for name, at, power in (("Eq solar", "Equator", "solar"), ("Eq reactor", "Equator", "nuclear"),
                            ("Crater solar", "Dark crater", "solar"), ("Belt", "Rock", "solar")):
        text += (f'[[facility]]\nname = "{name}"\nat = "{at}"\nresource = "water_ice"\n'
                 f'rate_kg_per_day = 100.0\nstart = "jd:{T0}"\npower = "{power}"\n'
                 'storage_kg = 1e9\n')
    sim = session_from_text(text, "light.toml").operations
    state = sim.state_at(T0 + 59.0)
    series = moon.sunlight_series(0.0, 0.0, T0, T0 + 59.0, step_days=0.25)
    expected = 100.0 * 59.0 * series.lit_fraction
    assert state.facility("Eq solar").mined_kg == pytest.approx(expected, rel=0.02)
    assert 2500.0 < state.facility("Eq solar").mined_kg < 3400.0
    assert state.facility("Eq reactor").mined_kg == pytest.approx(5900.0)
    assert state.facility("Crater solar").mined_kg == 0.0
    assert state.facility("Belt").mined_kg == pytest.approx(5900.0)


# ---------------------------------------------------------------------------------------
# Shipments


def test_shipments_take_cargo_at_departure_and_deliver_at_arrival():
    sim = simulate([facility(rate=100.0)], [shipment(every=10.0, payload=600.0, transit=5.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 40.0)
    before = sim.state_at(T0 + 10.0 - 1e-6).facility("Ice plant")
    at = sim.state_at(T0 + 10.0)
    assert before.stored_kg == pytest.approx(1000.0, abs=1e-3)
    assert at.facility("Ice plant").stored_kg == pytest.approx(400.0)
    assert at.ship_names == ("Hauler",)
    assert at.ship_cargo_kg[0] == pytest.approx(600.0)
    day17 = sim.state_at(T0 + 17.0).facility("Ice plant")
    assert (day17.mined_kg, day17.stored_kg, day17.in_transit_kg, day17.delivered_kg) == \
        pytest.approx((1700.0, 1100.0, 0.0, 600.0))
    day22 = sim.state_at(T0 + 22.0).facility("Ice plant")
    assert (day22.mined_kg, day22.stored_kg, day22.shipped_kg, day22.in_transit_kg, day22.delivered_kg) == \
        pytest.approx((2200.0, 1000.0, 1200.0, 600.0, 600.0))
    np.testing.assert_allclose(sim.leg_cargo_kg, [600.0, 600.0, 600.0, 600.0])
    assert_mass_conserved(sim, T0 + np.linspace(-1.0, 41.0, 500))


def test_payload_takes_only_what_is_stored():
    sim = simulate([facility(rate=100.0, start=T0 + 2.0)],
                   [shipment(times=[T0 + 1.0, T0 + 12.0, T0 + 12.0], payload=700.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 30.0)
    # Before the plant starts: nothing to load. Two trips at one moment share the stock (1000 kg).
    np.testing.assert_allclose(sim.leg_cargo_kg, [0.0, 700.0, 300.0])
    assert sim.state_at(T0 + 12.0).facility("Ice plant").stored_kg == pytest.approx(0.0, abs=1e-9)
    assert sim.state_at(T0 + 20.0).facility("Ice plant").delivered_kg == pytest.approx(1000.0)
    assert_mass_conserved(sim)


def test_full_storage_resumes_after_a_departure():
    sim = simulate([facility(rate=100.0, storage=500.0)], [shipment(times=[T0 + 10.0], payload=400.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 30.0)
    ice = sim.state_at(T0 + 12.0).facility("Ice plant")
    assert ice.stored_kg == pytest.approx(300.0)
    assert ice.mined_kg == pytest.approx(700.0)
    assert sim.state_at(T0 + 30.0).facility("Ice plant").mined_kg == pytest.approx(900.0)
    assert [e.kind for e in sim.events if e.kind == "storage full"] == ["storage full"] * 2


def test_shipment_default_first_departure_is_one_cadence_after_start():
    spec = shipment(every=30.0)
    np.testing.assert_allclose(spec.departures(T0, T0 + 100.0), [T0 + 30.0, T0 + 60.0, T0 + 90.0])
    spec = shipment(every=30.0, first=T0 + 5.0)
    np.testing.assert_allclose(spec.departures(T0, T0 + 65.0), [T0 + 5.0, T0 + 35.0, T0 + 65.0])


def test_external_legs_from_transfer_ships():
    leg = CargoLeg("Prospector-1", "Ice plant", "Ceres", T0 + 12.0, T0 + 200.0, 2000.0)
    sim = simulate([facility(rate=100.0)], t_start_tdb=T0, t_end_tdb=T0 + 100.0, legs=[leg])
    rep = report(sim, T0 + 50.0)
    ship = rep["ships"]["Prospector-1"]
    assert ship["status"] == "in transit"
    assert ship["cargo_kg"] == pytest.approx(1200.0)
    assert ship["to"] == "Ceres" and ship["from"] == "Ice plant"
    # Arrival after the span: still in transit at the end, never delivered.
    assert report(sim, T0 + 100.0)["facilities"]["Ice plant"]["in_transit_kg"] == pytest.approx(1200.0)
    assert [e.kind for e in sim.events] == ["plant start", "departure"]
    with pytest.raises(UnknownNameError):
        simulate([facility()], t_start_tdb=T0, t_end_tdb=T0 + 10.0,
                 legs=[CargoLeg("X", "Nowhere", "Earth", T0 + 1.0, T0 + 2.0, 1.0)])
    with pytest.raises(UserError):
        simulate([facility()], t_start_tdb=T0, t_end_tdb=T0 + 10.0,
                 legs=[CargoLeg("X", "Ice plant", "Earth", T0 + 2.0, T0 + 1.0, 1.0)])


def test_events_for_the_timeline():
    sim = simulate([facility(rate=100.0, ramp=4.0, storage=5000.0)],
                   [shipment(times=[T0 + 10.0], payload=300.0, transit=3.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 100.0)
    got = [(round(e.t_tdb - T0, 6), e.target, e.kind) for e in sim.events]
    # Full: 100 (t - 2) - 300 = 5000 at t = 55.
    assert got == [(0.0, "Ice plant", "plant start"), (4.0, "Ice plant", "ramp-up complete"),
                   (10.0, "Hauler", "departure"), (13.0, "Hauler", "arrival"),
                   (55.0, "Ice plant", "storage full")]
    assert all(e.kind in EVENT_KINDS for e in sim.events)
    assert "300 kg of water ice" in sim.events[2].description
    assert sim.events[2].name == "Hauler: departure"


# ---------------------------------------------------------------------------------------
# Report


def test_report_json_keys_and_values():
    plants = [facility(rate=100.0), facility("Oxygen plant", rate=50.0, resource="oxygen", at="Aristarchus"),
              facility("Second ice", rate=10.0)]
    sim = simulate(plants, [shipment(every=10.0, payload=600.0, transit=5.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 40.0)
    rep = report(sim, T0 + 22.0)
    text = json.dumps(rep)
    assert json.loads(text) == rep
    assert set(rep) == {"jd_tdb", "time_utc", "facilities", "ships", "resources", "destinations"}
    assert rep["jd_tdb"] == T0 + 22.0
    assert rep["time_utc"].startswith("2030-01-22T23:58")  # TDB - UTC = 69.184 s
    ice = rep["facilities"]["Ice plant"]
    assert set(ice) == {"at", "role", "process", "resource", "resource_name", "power",
                        "status", "rate_kg_per_day", "nameplate_rate_kg_per_day",
                        "storage_capacity_kg", "mined_kg", "stored_kg", "shipped_kg",
                        "in_transit_kg", "delivered_kg", "received_kg", "processed_kg",
                        "propellant_loaded_kg", "stock_kg"}
    assert ice["stock_kg"] == {"water_ice": 1000.0} and ice["received_kg"] == 0.0
    assert ice["resource"] == "water_ice" and ice["resource_name"] == "Water ice"
    assert (ice["mined_kg"], ice["stored_kg"], ice["shipped_kg"], ice["in_transit_kg"],
            ice["delivered_kg"]) == (2200.0, 1000.0, 1200.0, 600.0, 600.0)
    assert ice["status"] == "running" and ice["rate_kg_per_day"] == 100.0
    ship = rep["ships"]["Hauler"]
    assert set(ship) == {"from", "to", "resource", "status", "cargo_kg", "shipped_kg",
                         "delivered_kg", "trips_departed", "trips_arrived", "next_departure_jd_tdb"}
    assert (ship["cargo_kg"], ship["trips_departed"], ship["trips_arrived"]) == (600.0, 2, 1)
    assert ship["next_departure_jd_tdb"] == T0 + 30.0 and ship["status"] == "in transit"
    water = rep["resources"]["water_ice"]
    assert water["mined_kg"] == pytest.approx(2200.0 + 220.0)
    assert water["stored_kg"] == pytest.approx(1000.0 + 220.0)
    assert rep["resources"]["oxygen"]["mined_kg"] == pytest.approx(1100.0)
    assert rep["destinations"] == {"Earth": {"water_ice": 600.0}}
    assert report(sim, T0 + 26.0)["ships"]["Hauler"]["status"] == "waiting"
    assert report(sim, T0 + 5.0)["ships"]["Hauler"]["status"] == "scheduled"


def test_values_at_is_vectorised_and_matches_state_at():
    sim = simulate([facility(rate=100.0, ramp=3.0), facility("B", rate=7.0, storage=50.0)],
                   [shipment(every=7.0, payload=250.0, transit=9.0)],
                   t_start_tdb=T0, t_end_tdb=T0 + 60.0)
    times = T0 + np.array([-3.0, 0.0, 7.0, 7.1, 16.0, 33.3, 60.0, 70.0])
    v = sim.values_at(times)
    assert v["mined_kg"].shape == (2, times.size)
    for k, t in enumerate(times):
        s = sim.state_at(t)
        np.testing.assert_allclose(v["mined_kg"][:, k], s.mined_kg)
        np.testing.assert_allclose(v["ship_shipped_kg"][:, k] - v["ship_delivered_kg"][:, k],
                                   s.ship_cargo_kg)
    # A result assembled from separate arrays (not simulate's single block) answers the same.
    fields = {f.name: getattr(sim, f.name) for f in dataclasses.fields(sim)}
    copied = OperationsSim(**{k: (a.copy() if isinstance(a, np.ndarray) else a) for k, a in fields.items()})
    np.testing.assert_array_equal(copied.values_at(times)["stored_kg"], v["stored_kg"])
    assert np.shares_memory(sim.mined_kg, sim.stored_kg) is False
    assert copied.state_at(T0 + 7.0).status == sim.state_at(T0 + 7.0).status


# ---------------------------------------------------------------------------------------
# Specs and scenario checks


def test_specs_from_toml():
    data = tomllib.loads("""
[[facility]]
name = "Shackleton ice"
at = "Shackleton rim"
resource = "water_ice"
rate_kg_per_day = 2000.0
start = "2030-06-01T00:00:00Z"
ramp_up_days = 90
storage_kg = 5e5

[[shipment]]
name = "Ice tanker"
from = "Shackleton ice"
to = "Earth"
every_days = 30
payload_kg = 40000
transit_days = 4
""")
    f = FacilitySpec.model_validate(data["facility"][0])
    assert f.resource is Resource.WATER_ICE and f.power == "solar" and f.stops_in_darkness is True
    assert f.start == pytest.approx(2462653.5008, abs=1e-3)
    s = ShipmentSpec.model_validate(data["shipment"][0])
    assert s.from_ == "Shackleton ice" and s.every_days == 30.0
    assert FacilitySpec.model_validate({**data["facility"][0], "power": "nuclear"}).stops_in_darkness is False
    assert Resource.HELIUM3.display_name == "Helium-3" and Resource.PGM.unit == "kg"


@pytest.mark.parametrize("change, message", [
    ({"rate_kg_per_day": 0.0}, "greater than 0"),
    ({"resource": "unobtainium"}, "water_ice"),
    ({"storage_kg": -1.0}, "greater than 0"),
    ({"ramp_up_days": -1.0}, "greater than or equal to 0"),
    ({"power": "wind"}, "solar"),
    ({"rate": 3.0}, "Extra inputs"),
    ({"start": "soon"}, "is not a time"),
])
def test_facility_spec_rejects_bad_values(change, message):
    data = {"name": "F", "at": "S", "resource": "oxygen", "rate_kg_per_day": 1.0,
            "start": "2030-01-01", "storage_kg": 10.0, **change}
    with pytest.raises(ValidationError, match=message):
        FacilitySpec.model_validate(data)


@pytest.mark.parametrize("change, message", [
    ({}, "exactly one of 'every_days' or 'times'"),
    ({"every_days": 5.0, "times": ["2030-01-01"]}, "exactly one"),
    ({"times": ["2030-01-01"], "first": "2030-01-01"}, "'first' and 'last'"),
    ({"every_days": 5.0, "first": "2030-02-01", "last": "2030-01-01"}, "'last' must not be before"),
    ({"every_days": 0.01}, "greater than or equal to 0.25"),
    ({"every_days": 5.0, "payload_kg": 0.0}, "greater than 0"),
])
def test_shipment_spec_rejects_bad_values(change, message):
    data = {"name": "S", "from": "F", "to": "Earth", "payload_kg": 10.0, "transit_days": 3.0, **change}
    with pytest.raises(ValidationError, match=message):
        ShipmentSpec.model_validate(data)


def test_operations_problems_name_lines_and_fields():
    """References in [[facility]] and [[shipment]] are resolved in the world as it is built;
    each problem names its line and field (one pass reports them all)."""
    from spaceviz.core.errors import InputFileError

    text = """schema_version = 1
title = "t"
start = "2030-01-01"
end = "2031-01-01"
[[site]]
name = "Shackleton rim"
lat = -89.9
lon = 0.0

[[facility]]
name = "Ice"
at = "Shackleton rim"
resource = "water_ice"
rate_kg_per_day = 10.0
start = "2030-02-01"
storage_kg = 1000.0

[[facility]]
name = "Rock"
at = "Atlantis"
resource = "regolith"
rate_kg_per_day = 10.0
start = "2030-02-01"
storage_kg = 1000.0

[[shipment]]
name = "Tanker"
from = "Ice"
to = "Earth"
resource = "oxygen"
payload_kg = 10.0
transit_days = 3.0
every_days = 30.0

[[shipment]]
name = "Ghost"
from = "Nope"
to = "Narnia"
payload_kg = 10.0
transit_days = 3.0
every_days = 30.0

[[shipment]]
name = "Ice"
from = "Rock"
to = "Ice"
payload_kg = 10.0
transit_days = 3.0
every_days = 30.0
"""
    with pytest.raises(InputFileError) as info:
        session_from_text(text, "s.toml")
    got = [(p.line, p.field, p.message) for p in info.value.problems]
    assert (20, "facility[Rock].at", "'Atlantis' is not a site or asteroid of this scenario") in got
    assert (30, "shipment[Tanker].resource", "'Ice' extracts water_ice, not oxygen") in got
    assert (37, "shipment[Ghost].from", "'Nope' is not a facility of this scenario") in got
    assert (38, "shipment[Ghost].to",
            "'Narnia' is not a body, site, asteroid or facility of this scenario") in got
    assert (44, "shipment[Ice].name", "duplicate name 'Ice' (already used by line 10)") in got
    assert len(got) == 5, got
    assert str(info.value.problems[0]).startswith("s.toml:")


# ---------------------------------------------------------------------------------------
# Mass conservation over random operations


@st.composite
def operations(draw):
    count = draw(st.integers(1, 4))
    plants = []
    for i in range(count):
        plants.append(facility(
            f"F{i}", rate=draw(st.floats(0.1, 1e5)), start=T0 + draw(st.floats(-20.0, 80.0)),
            ramp=draw(st.floats(0.0, 50.0)), storage=draw(st.floats(1.0, 1e7)),
            power=draw(st.sampled_from(["solar", "fission"]))))
    routes = []
    for j in range(draw(st.integers(0, 4))):
        origin = f"F{draw(st.integers(0, count - 1))}"
        if draw(st.booleans()):
            routes.append(shipment(f"S{j}", origin=origin, every=draw(st.floats(0.25, 40.0)),
                                   payload=draw(st.floats(1.0, 1e6)), transit=draw(st.floats(0.1, 60.0))))
        else:
            times = draw(st.lists(st.floats(-30.0, 130.0), min_size=1, max_size=6))
            routes.append(shipment(f"S{j}", origin=origin, times=[T0 + x for x in times],
                                   payload=draw(st.floats(1.0, 1e6)), transit=draw(st.floats(0.1, 60.0))))
    legs = [CargoLeg(f"L{k}", f"F{draw(st.integers(0, count - 1))}", "Mars",
                     T0 + (d := draw(st.floats(0.0, 100.0))), T0 + d + draw(st.floats(0.0, 200.0)),
                     draw(st.floats(0.0, 1e6))) for k in range(draw(st.integers(0, 3)))]
    period = draw(st.floats(1.0, 30.0))
    phase = draw(st.floats(0.0, 1.0))
    lit = {p.name: (lambda t, period=period, phase=phase: ((t - T0) / period + phase) % 1.0 < 0.5)
           for p in plants}
    step = draw(st.sampled_from([0.25, 0.5, 1.0, 0.3]))
    return plants, routes, legs, lit, step


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations(), st.lists(st.floats(-40.0, 140.0), min_size=1, max_size=20))
def test_mass_is_conserved_for_random_operations(ops, query_days):
    plants, routes, legs, lit, step = ops
    sim = simulate(plants, routes, t_start_tdb=T0, t_end_tdb=T0 + 100.0, legs=legs, lit=lit,
                   step_days=step)
    scale = 1e-9 * max(1.0, float(np.max(np.abs(sim.mined_kg))))
    np.testing.assert_allclose(sim.mined_kg, sim.stored_kg + sim.in_transit_kg + sim.delivered_kg,
                               rtol=0, atol=scale)
    caps = np.array([p.storage_kg for p in plants])[:, None]
    assert np.all(sim.stored_kg <= caps * (1 + 1e-12))
    assert np.all(sim.stored_kg >= -scale)
    for name in ("mined_kg", "shipped_kg", "delivered_kg", "ship_shipped_kg", "ship_delivered_kg"):
        assert np.all(np.diff(getattr(sim, name), axis=1) >= -scale), name
    assert np.all(sim.in_transit_kg >= -scale)
    payloads = np.array([leg.payload_kg for leg in sim.legs])
    assert np.all(sim.leg_cargo_kg <= payloads) and np.all(sim.leg_cargo_kg >= 0)
    # Ships carry exactly what facilities shipped.
    np.testing.assert_allclose(sim.ship_shipped_kg.sum(axis=0), sim.shipped_kg.sum(axis=0), atol=scale)
    times = T0 + np.array(query_days)
    v = sim.values_at(times)
    np.testing.assert_allclose(v["mined_kg"], v["stored_kg"] + v["shipped_kg"], rtol=0, atol=scale)
    for t in times[:3]:
        rep = report(sim, float(t))
        for entry in rep["facilities"].values():
            total = entry["stored_kg"] + entry["in_transit_kg"] + entry["delivered_kg"]
            assert entry["mined_kg"] == pytest.approx(total, abs=0.01 + scale)
            assert entry["status"] in FACILITY_STATUSES
