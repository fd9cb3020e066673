"""A scenario's economics: its cash flows read from the operations model, the ships and the
scenario's keys, priced by core.mission.economics (the one home of prices, NPV and
footprints).

What counts (USD; times TDB):

- Value: cargo delivered out of the model or into a depot, at the price of the market it
  arrives in (`market_of`), credited to the facility it left from; cargo a depot ships on
  adds only the difference between the two markets. Cargo delivered into a mine or plant
  is an internal transfer (it is valued when its product is sold). Propellant a ship loads
  at a plant is sold there, at the plant's market.
- Costs: a facility's `capex_usd` at its start and `opex_usd_per_year` from its start to the
  scenario's end; a shipment's `cost_per_trip_usd` at each departure (counted for the
  facility it leaves from); a ship's `cost_usd` at its first departure and
  `cost_per_leg_usd` at each leg's; and the mass a ship with an engine lifts from the Earth
  or an Earth orbit on its first leg (dry, propellant and cargo) x the launch price.
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.mission.economics import (
    Cost,
    Economics,
    PriceOverride,
    PriceTable,
    RunningCost,
    Sale,
    TargetValue,
    composition_fractions,
    default_prices,
    evaluate,
    target_value,
    value_colors,
)
from spaceviz.core.mission.trajectories import OemArc
from spaceviz.core.scenario.schema import Scenario, names_of
from spaceviz.core.scenario.world import Asteroid, Body, Facility, Orbit, Ship, Site, World


def market_of(world: World, name: str) -> str:
    """The market of a place (core.mission.economics.MARKETS): the Earth and Earth orbits
    "leo", lunar orbits "lunar_orbit", the Moon and its sites "lunar_surface", anything else
    (asteroids, other planets) "space". A facility is in its host's market."""
    obj = world.exact(name)
    if isinstance(obj, Facility):
        obj = obj.host
    if isinstance(obj, Site):
        return "lunar_surface"
    body = obj.body.name if isinstance(obj, Orbit) else obj.name if isinstance(obj, Body) else None
    if body == "Earth":
        return "leo"
    if body == "Moon":
        return "lunar_orbit" if isinstance(obj, Orbit) else "lunar_surface"
    return "space"


def scenario_prices(scenario: Scenario) -> PriceTable:
    """The shipped price table with the scenario's `[[price]]` rows and launch price."""
    overrides = [PriceOverride(p.resource.value, p.band, p.source, p.at) for p in scenario.price]
    return default_prices().with_scenario(overrides, scenario.economics.launch_usd_per_kg)


def _sales(world: World, sim) -> list[Sale]:
    if sim is None:
        return []
    specs = sim.facilities
    sales = []
    for j, leg in enumerate(sim.legs):
        kg = float(sim.leg_cargo_kg[j])
        if leg.arrive_tdb > sim.t_tdb[-1] or kg <= 0:
            continue
        origin = specs[int(sim.leg_facility[j])]
        into = int(sim.leg_destination[j])
        if into >= 0 and getattr(specs[into], "role", "mine") != "depot":
            continue  # an internal transfer: valued when its product is sold
        resource = sim.leg_resource[j].value
        sales.append(Sale(origin.name, leg.arrive_tdb, resource, kg, market_of(world, leg.to)))
        if getattr(origin, "role", "mine") == "depot":
            sales.append(Sale(origin.name, leg.arrive_tdb, resource, kg,
                              market_of(world, origin.name), -1.0))
    by_name = {spec.name.lower(): spec for spec in specs}
    for d, draw in enumerate(sim.draws):
        plant = by_name[draw.facility.lower()]
        if getattr(plant, "role", "mine") != "depot" and sim.draw_kg[d] > 0:
            sales.append(Sale(plant.name, draw.t_tdb, draw.resource, float(sim.draw_kg[d]),
                              market_of(world, plant.name)))
    return sales


def _facility_costs(scenario: Scenario, world: World, sim) -> tuple[list[Cost], list[RunningCost]]:
    costs, running = [], []
    for facility in world.of_type(Facility):
        spec = facility.spec
        if spec.capex_usd:
            costs.append(Cost(facility.name, spec.start, spec.capex_usd, "capex"))
        if spec.opex_usd_per_year:
            running.append(RunningCost(facility.name, spec.start, scenario.end,
                                       spec.opex_usd_per_year))
    if sim is not None:
        origin = {s.name.lower(): s for s in scenario.shipment if s.cost_per_trip_usd}
        names = {f.name.lower(): f.name for f in world.of_type(Facility)}
        for leg in sim.legs:
            spec = origin.get(leg.ship.lower())
            if spec is not None:
                costs.append(Cost(names[spec.from_.strip().lower()], leg.depart_tdb,
                                  spec.cost_per_trip_usd, "flight"))
    return costs, running


def _ship_costs(scenario: Scenario, world: World, prices: PriceTable) -> list[Cost]:
    specs = {s.name.lower(): s for s in scenario.ship}
    costs = []
    for ship in world.of_type(Ship):
        spec, plan = specs.get(ship.name.lower()), ship.plan
        if spec is None:
            continue
        if spec.cost_usd:
            costs.append(Cost(ship.name, plan.start_tdb, spec.cost_usd, "flight"))
        for leg in plan.legs:
            if spec.cost_per_leg_usd and leg.depart_tdb <= scenario.end:
                costs.append(Cost(ship.name, leg.depart_tdb, spec.cost_per_leg_usd, "flight"))
        first = plan.legs[0]
        if plan.budgets and not isinstance(first, OemArc) \
                and market_of(world, first.from_name) == "leo":
            kg = float(plan.budgets[0].mass_start_kg)
            costs.append(Cost(ship.name, first.depart_tdb, kg * prices.launch_usd_per_kg,
                              "launch", launched_kg=kg))
    return costs


def scenario_economics(scenario: Scenario, world: World, sim) -> Economics:
    """The scenario's economics from its operations model `sim` (an OperationsSim or None)
    and ships. Owners: every facility, then the ships with a cost."""
    prices = scenario_prices(scenario)
    sales = _sales(world, sim)
    costs, running = _facility_costs(scenario, world, sim)
    ship_costs = _ship_costs(scenario, world, prices)
    owners = [(f.name, "facility") for f in world.of_type(Facility)]
    owners += [(name, "ship") for name in dict.fromkeys(c.owner for c in ship_costs)]
    return evaluate(owners, sales, costs + ship_costs, running, prices,
                    t_start_tdb=scenario.start, t_end_tdb=scenario.end,
                    discount_rate=scenario.economics.discount_rate)


def operators(scenario: Scenario) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Who runs each facility and ship: name -> (operators, countries); several operators
    make a shared venture."""
    out = {}
    for spec in list(scenario.facility) + list(scenario.ship):
        out[spec.name] = (names_of(spec.operator), names_of(spec.country))
    return out


def target_colors(prices: PriceTable, records, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of `records` that are mining targets and their RGB colours (N, 3) for a colour
    mode (AppState's BeltFilters.targets_by): "value" (the typical worth of their content),
    "value_per_dv" (that per km/s of delta-v from LEO), "class" (none: the records keep
    their colours by spectral class)."""
    rows, values = [], []
    if mode != "class":
        for k, record in enumerate(records):
            if isinstance(record, Asteroid) and record.target is not None:
                value = asteroid_value(prices, record)
                figure = None if value is None else (value.usd[1] if mode == "value"
                                                     else value.usd_per_km_s)
                rows.append(k)
                values.append(np.nan if figure is None else figure)
    return np.array(rows, dtype=np.int64), value_colors(np.array(values, dtype=np.float64))


def asteroid_value(prices: PriceTable, asteroid: Asteroid) -> TargetValue | None:
    """'Why this target': the worth of a mining target's content (its composition ranges x
    prices in low Earth orbit, its published mass) next to its delta-v from LEO; None for an
    asteroid without composition data."""
    target = asteroid.target
    if target is None:
        return None
    c = target.composition
    return target_value(prices, composition_fractions(c.water_wt_pct, c.metal_wt_pct, c.pgm_ppm),
                        mass_kg=target.mass_kg, diameter_km=target.diameter_km,
                        spectral_class=target.spectral_class,
                        delta_v_km_s=target.delta_v_leo_km_s)


def _usd(value) -> float:
    return round(float(value), 2)


def _when(t_tdb: float) -> str | None:
    from spaceviz.core.astro.time import format_iso

    return None if t_tdb != t_tdb else format_iso(float(t_tdb))


def _figures(economics: Economics, t_tdb: float, owner: str | None) -> dict:
    """value, cost, net, NPV (USD) up to t and the break-even date, typical prices first,
    then `low` and `high` (the band of prices)."""
    now = economics.cumulative(t_tdb, owner)
    even = economics.break_even_tdb(owner)
    out = {"value_usd": _usd(now["value_usd"][1]), "cost_usd": _usd(now["cost_usd"]),
           "net_usd": _usd(now["net_usd"][1]), "npv_usd": _usd(now["npv_usd"][1]),
           "break_even_utc": _when(even[1])}
    for band, key in ((0, "low"), (2, "high")):
        out[key] = {"value_usd": _usd(now["value_usd"][band]),
                    "net_usd": _usd(now["net_usd"][band]), "npv_usd": _usd(now["npv_usd"][band]),
                    "break_even_utc": _when(even[band])}
    return out


def economics_report(economics: Economics, t_tdb: float, who: dict | None = None) -> dict:
    """The `economics` of `spaceviz report` at a time (TDB): the whole scenario's value,
    cost, net and NPV so far (USD; typical prices, with `low` and `high`), its break-even
    date (UTC; null: not within the scenario), the same per facility and ship, per operator
    (a shared venture's figures split equally among its operators), the footprint avoided
    so far (kg CO2e low/typ/high, kg of ore) and emitted by launches, the prices used with
    their sources, and the deliveries no price was known for (kg)."""
    who = who or {}
    out = {"currency": "USD", "discount_rate": economics.discount_rate,
           "launch_usd_per_kg": economics.prices.launch_usd_per_kg,
           "launch_price_source": economics.prices.launch_source(),
           **_figures(economics, t_tdb, None)}
    groups: dict[str, dict] = {"facilities": {}, "ships": {}}
    for name, kind in zip(economics.owners, economics.owner_kinds, strict=True):
        entry = _figures(economics, t_tdb, name)
        operators_, countries = who.get(name, ((), ()))
        entry["operator"], entry["country"] = list(operators_), list(countries)
        groups["facilities" if kind == "facility" else "ships"][name] = entry
    out.update(groups)
    by_operator: dict[str, dict] = {}
    for entry in list(groups["facilities"].values()) + list(groups["ships"].values()):
        share = 1.0 / len(entry["operator"]) if entry["operator"] else 0.0
        for operator in entry["operator"]:
            total = by_operator.setdefault(operator, dict.fromkeys(
                ("value_usd", "cost_usd", "net_usd", "npv_usd"), 0.0))
            for key in total:
                total[key] = _usd(total[key] + share * entry[key])
    out["operators"] = by_operator
    footprint = economics.footprint(t_tdb)
    bands = ("low", "typ", "high")
    out["footprint"] = {
        "co2e_avoided_kg": dict(zip(bands, (round(float(v), 1)
                                            for v in footprint["co2e_avoided_kg"]), strict=True)),
        "ore_avoided_kg": round(float(footprint["ore_avoided_kg"]), 1),
        "launch_co2e_kg": dict(zip(bands, (round(float(v), 1)
                                           for v in footprint["launch_co2e_kg"]), strict=True)),
        "unsourced_placeholders": economics.has_unsourced(),
        "sources": economics.footprint_sources()}
    prices = {}
    for sale in economics.sales:
        price = economics.prices.price(sale.resource, sale.market)
        if price is not None:
            prices[f"{sale.resource}@{sale.market}"] = {
                "usd_per_kg": list(price.usd_per_kg), "year": price.year,
                "basis": price.basis, "source": price.source}
    out["prices"] = prices
    out["unpriced"] = [{"resource": r, "market": m, "kg": round(kg, 3)}
                       for (r, m), kg in economics.unpriced.items()]
    return out
