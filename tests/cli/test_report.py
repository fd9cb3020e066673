"""`spaceviz report`: JSON of every facility and shipment at a time; mass is conserved."""

import json

import pytest


@pytest.fixture(scope="module")
def report_2035(tmp_path_factory):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "spaceviz", "report", "--at", "2035-01-01"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_report_lists_every_facility_with_masses(report_2035):
    facilities = report_2035["facilities"]
    assert set(facilities) == {"Shackleton ice mine", "Cabeus ice plant",
                               "Aristarchus oxygen plant", "Tranquillitatis He-3 pilot plant",
                               "Psyche metal works", "Ryugu water extractor",
                               "Shackleton propellant plant", "Lunar orbit depot"}
    cabeus = facilities["Cabeus ice plant"]
    # Fission power (never idle in darkness), 1200 kg/day from 2032-01-01 after a 180-day
    # linear ramp; a 60 t shuttle every 90 days (first at day 90) cannot keep up, so the
    # 250 t store fills. Day 90 ships what the ramp made, 1200 x 90^2 / 360 = 27 t; the
    # other 11 departures (days 180 .. 1080) take 60 t each. The last left on 2034-12-16,
    # from a full store: 2035-01-01 finds 250 - 60 + 16 days x 1.2 t = 209.2 t.
    assert cabeus["status"] == "running"
    assert cabeus["shipped_kg"] == pytest.approx(27_000 + 11 * 60_000, abs=1.0)
    assert cabeus["stored_kg"] == pytest.approx(250_000 - 60_000 + 16 * 1200, abs=1.0)
    assert cabeus["mined_kg"] < 1200 * (1096 - 90)  # storage-limited
    for facility in facilities.values():
        # Mass is conserved: what came in (mined, delivered into it) is stored, shipped
        # (in transit or delivered) or loaded into ships as propellant.
        total = (facility["stored_kg"] + facility["in_transit_kg"] + facility["delivered_kg"]
                 + facility["propellant_loaded_kg"])
        assert facility["mined_kg"] + facility["received_kg"] == pytest.approx(total, abs=0.01)
        assert 0 <= facility["stored_kg"] <= (facility["storage_capacity_kg"] or float("inf"))
    assert report_2035["time_utc"] == "2035-01-01T00:00:00Z"


def test_report_ships_and_destinations(report_2035):
    ships = report_2035["ships"]
    assert {"Ice shuttle", "Oxygen tanker"} <= set(ships)
    delivered = report_2035["destinations"]["Earth"]
    # The plants shipping water (the propellant plant electrolyses its own and ships oxygen).
    water_plants = [f for f in report_2035["facilities"].values()
                    if f["resource"] == "water_ice" and f["process"] is None]
    assert len(water_plants) == 3
    assert delivered["water_ice"] == pytest.approx(sum(f["delivered_kg"] for f in water_plants),
                                                   abs=0.01)


def test_report_bad_time(run_cli):
    result = run_cli("report", "--at", "2099-01-01")
    assert result.returncode == 2 and "outside the DE421 ephemeris range" in result.stderr


def test_report_lists_transfers_with_delta_v_and_c3(report_2035):
    prospector = report_2035["transfers"]["Prospector-1"]
    assert (prospector["from"], prospector["to"], prospector["central_body"]) == ("Earth", "Psyche", "Sun")
    assert prospector["status"] == "arrived"
    # From a 400 km parking orbit: the burn is the vis-viva difference for v_inf = sqrt(C3).
    mu, r = 398600.435436, 6778.137
    burn = (prospector["c3_km2_s2"] + 2 * mu / r) ** 0.5 - (mu / r) ** 0.5
    assert prospector["departure_dv_km_s"] == pytest.approx(burn, rel=1e-5)
    assert prospector["legs"][0]["revolutions"] == 0
    tanker = report_2035["transfers"]["Polar Tanker"]
    # Moon to a 400 km Earth parking orbit: about 3.1 km/s to circularise (no aerobraking).
    assert tanker["central_body"] == "Earth" and 2.9 < tanker["arrival_dv_km_s"] < 3.3
    assert tanker["dv_km_s"] == pytest.approx(tanker["departure_dv_km_s"]
                                              + tanker["arrival_dv_km_s"], rel=1e-6)


def test_asteroid_operations_are_in_the_default_story(report_2035):
    psyche = report_2035["facilities"]["Psyche metal works"]
    assert psyche["at"] == "Psyche" and psyche["resource"] == "metals" and psyche["mined_kg"] > 1e6
