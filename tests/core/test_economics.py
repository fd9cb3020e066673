"""Economics (core.mission.economics, core.scenario.economy) against hand calculations and the
reference figures of resources/economics (each number's source named beside it)."""

import math

import numpy as np
import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.mission.economics import (
    Cost,
    PriceOverride,
    RunningCost,
    Sale,
    body_mass_kg,
    default_prices,
    evaluate,
    target_value,
    value_colors,
)
from tests.helpers import session_from_text

T0 = 2462502.5  # 2030-01-01 TDB
YEAR = 365.25


def one_dollar_water():
    """The shipped table with water at exactly 1 USD/kg (low 0.5, high 2) everywhere."""
    return default_prices().with_scenario([PriceOverride("water_ice", (0.5, 1.0, 2.0), "test")])


def hand_case(rate):
    """Capex 100 USD at the start; 60 kg of water (60 USD) sold after one and two years."""
    return evaluate([("Plant", "facility")],
                    [Sale("Plant", T0 + YEAR, "water_ice", 60.0, "leo"),
                     Sale("Plant", T0 + 2 * YEAR, "water_ice", 60.0, "leo")],
                    [Cost("Plant", T0, 100.0, "capex")], [], one_dollar_water(),
                    t_start_tdb=T0, t_end_tdb=T0 + 3 * YEAR, discount_rate=rate)


def test_npv_equals_net_at_zero_rate_and_is_lower_at_a_positive_rate():
    end = T0 + 3 * YEAR
    flat = hand_case(0.0).cumulative(end)
    assert flat["net_usd"][1] == pytest.approx(20.0)  # -100 + 60 + 60
    assert flat["npv_usd"][1] == pytest.approx(flat["net_usd"][1])
    ten = hand_case(0.10).cumulative(end)
    # By hand: -100 + 60 / 1.1 + 60 / 1.1**2 = -100 + 54.5455 + 49.5868 = 4.1322.
    assert ten["npv_usd"][1] == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21, rel=1e-12)
    assert ten["npv_usd"][1] == pytest.approx(4.1322314, abs=1e-6)
    assert ten["npv_usd"][1] < ten["net_usd"][1] == pytest.approx(20.0)
    # The band: water at 0.5 and 2 USD/kg.
    assert flat["net_usd"][0] == pytest.approx(-40.0) and flat["net_usd"][2] == pytest.approx(140.0)


def test_break_even_on_a_hand_computed_case():
    econ = hand_case(0.0)
    # Net: -100 at the start, -40 after a year, +20 after two: typical break-even at two
    # years; at 0.5 USD/kg (net -70, -40) never; at 2 USD/kg (+20 after a year) at one.
    low, typ, high = econ.break_even_tdb()
    assert typ == pytest.approx(T0 + 2 * YEAR)
    assert math.isnan(low)
    assert high == pytest.approx(T0 + YEAR)
    # Cumulative figures over time: before and after each sale.
    series = econ.cumulative(np.array([T0 + YEAR - 1, T0 + YEAR, T0 + 2 * YEAR]))
    assert series["net_usd"][1].tolist() == pytest.approx([-100.0, -40.0, 20.0])


def test_break_even_waits_for_net_to_stay_positive():
    # 150 USD of sales after one year pay the 100 USD capex; then opex of 100 USD/yr drags
    # net below zero until the second sale of 150 USD at year 2.5:
    # net(2.5 y, before) = 150 - 100 - 100 x 1.5 = -100; after: +50; end (3 y): 0.
    econ = evaluate([("Plant", "facility")],
                    [Sale("Plant", T0 + YEAR, "water_ice", 150.0, "leo"),
                     Sale("Plant", T0 + 2.5 * YEAR, "water_ice", 150.0, "leo")],
                    [Cost("Plant", T0, 100.0, "capex")],
                    [RunningCost("Plant", T0 + YEAR, T0 + 3 * YEAR, 100.0)], one_dollar_water(),
                    t_start_tdb=T0, t_end_tdb=T0 + 3 * YEAR, discount_rate=0.0)
    assert econ.break_even_tdb()[1] == pytest.approx(T0 + 2.5 * YEAR)
    assert econ.cumulative(T0 + 3 * YEAR)["net_usd"][1] == pytest.approx(0.0, abs=1e-9)


def test_running_costs_are_discounted_continuously():
    econ = evaluate([("Plant", "facility")], [], [], [RunningCost("Plant", T0, T0 + 2 * YEAR, 10.0)],
                    one_dollar_water(), t_start_tdb=T0, t_end_tdb=T0 + 3 * YEAR,
                    discount_rate=0.10)
    now = econ.cumulative(T0 + 3 * YEAR)
    assert now["cost_usd"] == pytest.approx(20.0)  # 10 USD/yr for 2 years
    # The integral of 10 x 1.1**-t over 0..2 years: 10 (1 - 1.1**-2) / ln 1.1 = 18.2093.
    assert now["pv_cost_usd"] == pytest.approx(10 * (1 - 1.1 ** -2) / math.log(1.1), rel=1e-12)
    assert now["pv_cost_usd"] == pytest.approx(18.2093, abs=1e-4)


STORY = """
schema_version = 1
title = "Economics test"
start = "2030-01-01T00:00:00Z"
end = "2031-01-01T00:00:00Z"
[economics]
discount_rate = 0.0
[[site]]
name = "Pole"
lat = -89.7
lon = 0.0
[[orbit]]
name = "Lunar orbit"
around = "Moon"
altitude_km = 100.0
[[facility]]
name = "Mine"
at = "Pole"
resource = "water_ice"
rate_kg_per_day = 1000.0
start = "2030-01-01T00:00:00Z"
power = "nuclear"
storage_kg = 1e9
capex_usd = 5.0e6
opex_usd_per_year = 1.0e6
operator = ["A", "B"]
country = "US"
[[facility]]
name = "Depot"
at = "Lunar orbit"
role = "depot"
[[shipment]]
name = "To Earth"
from = "Mine"
to = "Earth"
payload_kg = 10000.0
every_days = 30.0
transit_days = 3.0
cost_per_trip_usd = 1.0e5
[[shipment]]
name = "To the depot"
from = "Mine"
to = "Depot"
payload_kg = 5000.0
every_days = 30.0
first = "2030-01-20T00:00:00Z"
transit_days = 1.0
[[price]]
resource = "water_ice"
usd_per_kg = 1000.0
low = 500.0
high = 2000.0
at = "leo"
source = "a test price"
"""


@pytest.fixture(scope="module")
def story():
    return session_from_text(STORY, "economics.toml")


def test_value_is_delivered_mass_times_price(story):
    t = parse_time("2031-01-01")
    report = story.report(t)
    economics = report["economics"]
    to_earth = report["destinations"]["Earth"]["water_ice"]
    into_depot = report["facilities"]["Depot"]["received_kg"]
    assert to_earth > 0 and into_depot > 0
    # Water to Earth at the scenario's 1,000 USD/kg (low 500, high 2,000); water into a depot
    # in lunar orbit at the shipped 1,100 / 1,700 / 3,750 USD/kg (Sowers NIAC 2020; Kornuta
    # et al. 2019).
    assert economics["value_usd"] == pytest.approx(to_earth * 1000.0 + into_depot * 1700.0,
                                                   abs=0.01)
    assert economics["low"]["value_usd"] == pytest.approx(to_earth * 500.0 + into_depot * 1100.0,
                                                          abs=0.01)
    assert economics["high"]["value_usd"] == pytest.approx(to_earth * 2000 + into_depot * 3750,
                                                           abs=0.01)
    # Costs: capex 5 M USD, opex 1 M USD per Julian year for the 365 days of 2030, 100 k USD
    # per trip to Earth.
    trips = report["ships"]["To Earth"]["trips_departed"]
    assert economics["cost_usd"] == pytest.approx(5e6 + 1e6 * 365 / 365.25 + 1e5 * trips,
                                                  abs=0.01)
    assert economics["npv_usd"] == pytest.approx(economics["net_usd"], abs=0.01)  # 0%/yr
    mine = economics["facilities"]["Mine"]
    assert mine["operator"] == ["A", "B"] and mine["country"] == ["US"]
    assert economics["operators"]["A"]["value_usd"] == pytest.approx(mine["value_usd"] / 2,
                                                                     abs=0.01)
    # Footprint: water in LEO or lunar orbit avoids the 15/25/37 kg CO2e of launching a kg
    # (ORACLE, Kukreja et al. 2025); no ore.
    footprint = economics["footprint"]
    assert footprint["co2e_avoided_kg"]["typ"] == pytest.approx(25 * (to_earth + into_depot),
                                                                abs=0.1)
    assert footprint["ore_avoided_kg"] == 0.0
    assert report["facilities"]["Mine"]["operator"] == ["A", "B"]


def test_report_fields_of_the_default_story():
    from spaceviz.core.scenario.session import Session

    session = Session.load()
    economics = session.report(session.scenario.end)["economics"]
    for key in ("value_usd", "cost_usd", "net_usd", "npv_usd", "break_even_utc", "low", "high",
                "facilities", "ships", "operators", "footprint", "prices"):
        assert key in economics
    for band in ("low", "high"):
        assert set(economics[band]) == {"value_usd", "net_usd", "npv_usd", "break_even_utc"}
    assert economics["low"]["value_usd"] < economics["value_usd"] < economics["high"]["value_usd"]
    assert economics["discount_rate"] == 0.10
    assert economics["npv_usd"] != economics["net_usd"]
    mine = economics["facilities"]["Shackleton ice mine"]
    # Sowers (2020) scaled: 1.70 G USD capex, 52.2 M USD/yr from 2030-06-01.
    assert mine["cost_usd"] > 1.70e9
    assert economics["footprint"]["unsourced_placeholders"]  # nickel and cobalt ore grades
    assert any("Kukreja" in line for line in economics["footprint"]["sources"])
    # The ion tug's 24 t (6 t dry, 6 t xenon, 12 t cargo) lifted at 2,720 USD/kg.
    assert economics["ships"]["Ion tug"]["cost_usd"] == pytest.approx(24_000 * 2720.0)
    assert economics["footprint"]["launch_co2e_kg"]["typ"] == pytest.approx(24_000 * 25.0)


def test_the_presentation_counter_reads_the_footprint_and_its_band():
    """The one-line counter of presentation mode: the default story by 2040 avoids about
    217,000 t CO2e (134,000 to 316,000 t) and its launches emit 600 t (24 t x 25 kg/kg,
    ORACLE, Kukreja et al. 2025)."""
    from spaceviz.core.scenario.session import Session

    economics = Session.load().economics
    text = economics.footprint_text(economics.t_end_tdb)
    assert text.startswith("CO2e avoided on Earth so far: 216,607 t (134,430 t to 315,799 t)")
    assert text.endswith("launches emitted 600 t")


def test_mixtures_are_priced_from_their_components():
    prices = default_prices()
    metals = prices.price("metals", "leo")
    # 0.91 iron (0.192 USD/kg, USGS MCS 2025 ore value per kg Fe) + 0.085 nickel (17,
    # USGS MCS 2025) + 0.005 cobalt (37.5, USGS MCS 2025).
    assert metals.usd_per_kg[1] == pytest.approx(0.91 * 0.192 + 0.085 * 17 + 0.005 * 37.5)
    assert prices.price("water_ice", "lunar_surface").usd_per_kg == (500.0, 35000.0, 1200000.0)
    assert prices.price("regolith", "leo") is None
    assert prices.footprint("metals", "leo").ore_unsourced
    assert prices.launch_usd_per_kg == 2720.0  # Jones 2018, Falcon 9


def test_the_value_of_a_target_from_its_diameter_density_and_composition():
    prices = default_prices()
    # 1 km, S-type: 2.2 / 2.7 / 3.2 g/cm3 (Carry 2012). Typical mass pi/6 (1000 m)^3 2700
    # kg/m3 = 1.4137e12 kg; 10-20% metal at the metals price above, no water or PGM.
    value = target_value(prices, {"metals": (0.10, 0.20), "water_ice": (0.0, 0.0)},
                         diameter_km=1.0, spectral_class="S(IV)", delta_v_km_s=5.0)
    mass = math.pi / 6 * 1000.0 ** 3 * 2700.0
    assert value.mass_kg[1] == pytest.approx(mass)
    metals = prices.price("metals", "leo").usd_per_kg
    assert value.usd[1] == pytest.approx(mass * 0.15 * metals[1])
    assert value.usd[0] == pytest.approx(math.pi / 6 * 1e9 * 2200.0 * 0.10 * metals[0])
    assert value.usd[2] == pytest.approx(math.pi / 6 * 1e9 * 3200.0 * 0.20 * metals[2])
    assert value.usd_per_km_s == pytest.approx(value.usd[1] / 5.0)
    assert body_mass_kg(2.0, 1.0) == pytest.approx(math.pi / 6 * 2000.0 ** 3 * 1000.0)
    assert any("Carry 2012" in a for a in value.assumptions)


def test_the_value_of_psyche_uses_its_published_mass():
    from spaceviz.core.mission.targets import mining_targets
    from spaceviz.core.scenario.economy import asteroid_value
    from spaceviz.core.scenario.world import Asteroid

    target = mining_targets().get("Psyche")
    asteroid = Asteroid("Psyche", target=target, elements=None, ephemeris=None)
    value = asteroid_value(default_prices(), asteroid)
    low_mass, high_mass = target.mass_kg  # 2.2e19 - 2.4e19 kg
    prices = default_prices()
    water, metals, pgm = (prices.price(r, "leo").usd_per_kg for r in ("water_ice", "metals", "pgm"))
    c = target.composition  # water 0-3 wt%, metal 30-60 wt%, PGM 5-30 ppm
    expected_low = low_mass * (c.water_wt_pct[0] / 100 * water[0] + c.metal_wt_pct[0] / 100
                               * metals[0] + c.pgm_ppm[0] * 1e-6 * pgm[0])
    assert value.usd[0] == pytest.approx(expected_low)
    assert value.delta_v_km_s == pytest.approx(target.delta_v_leo_km_s)
    assert value.usd[0] < value.usd[1] < value.usd[2]


def test_value_colours_run_from_blue_to_yellow():
    colors = value_colors(np.array([1e3, 1e6, 1e9, np.nan]))
    assert colors[0, 2] > colors[0, 0] and colors[2, 0] > colors[2, 2]
    assert colors[3].tolist() == pytest.approx([0.45, 0.45, 0.45])


def test_the_story_tells_the_models_figures():
    """The default tour's economics captions quote what the model computes."""
    from spaceviz.core.scenario.session import Session

    session = Session.load()
    end = session.scenario.end
    report = session.report(end)
    economics = session.economics
    captions = " ".join(" ".join(stop.caption.split()) for stop in session.scenario.tour[0].stop)
    earth = report["destinations"]["Earth"]
    to_leo_t = (earth["water_ice"] + earth["oxygen"]) / 1000
    assert f"By 2040, {round(to_leo_t, -2):,.0f} t worth" in captions  # water and oxygen
    assert f"{round(to_leo_t * 3 / 1000):.0f} billion USD at 3,000 USD/kg" in captions
    assert f"{round(to_leo_t * 25, -4):,.0f} t of CO2e" in captions  # ORACLE 25 kg/kg
    plant = report["facilities"]["Shackleton propellant plant"]["propellant_loaded_kg"] / 1000
    assert f"{plant * 35 / 1000:.0f} billion USD" in captions  # 35,000 USD/kg (Sowers 2020)
    psyche = report["facilities"]["Psyche metal works"]["delivered_kg"] / 1000
    assert f"the {round(psyche, -2):,.0f} t brought home" in captions
    assert f"fetch {economics.cumulative(end, 'Psyche metal works')['value_usd'][1] / 1e6:.0f} " \
           "million USD" in captions
    metals = economics.prices.price("metals", "leo").typ
    assert f"about {metals:.1f} USD/kg" in captions
    freighter = economics.cumulative(end, "Psyche metal works")["cost_usd"]
    assert 46e9 < freighter - 5e9 - 1e8 * 7.58 < 48e9  # 6 trips x 7.8 G USD ("47 billion")
    plants = ("Shackleton ice mine", "Cabeus ice plant", "Aristarchus oxygen plant",
              "Shackleton propellant plant")  # "by mid-2033 the lunar ice and oxygen plants"
    assert max(economics.break_even_tdb(p)[1] for p in plants) < parse_time("2033-07-01")
    assert np.isnan(economics.break_even_tdb("Psyche metal works")[1])
