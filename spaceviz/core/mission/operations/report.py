"""The `spaceviz report` summary of a simulated operations model at one time (kg)."""

from __future__ import annotations

from typing import Any

import numpy as np

from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.mission.operations.simulation import OperationsSim, OperationsState
from spaceviz.core.mission.propulsion import LOX_LH2_MIXTURE_RATIO


def _kg(value: float) -> float:
    return round(float(value), 3)


def report(sim: OperationsSim, t_tdb: float) -> dict[str, Any]:
    """JSON-ready summary at one time (TDB JD) for `spaceviz report`: every facility and ship.

    Keys: `jd_tdb`, `time_utc` (ISO-8601); `facilities` {name: at, role, process, resource,
    resource_name, power, status, rate_kg_per_day, nameplate_rate_kg_per_day,
    storage_capacity_kg, mined_kg, stored_kg, shipped_kg, in_transit_kg, delivered_kg,
    received_kg, processed_kg, propellant_loaded_kg, stock_kg {resource: kg} and, for an
    electrolysis plant, surplus_oxygen_kg}; `ships` {name: from, to, resource, status,
    cargo_kg, shipped_kg, delivered_kg, trips_departed, trips_arrived, next_departure_jd_tdb};
    `resources` {resource: name, unit, mined_kg, stored_kg, in_transit_kg, delivered_kg,
    made_kg, processed_kg, propellant_kg}; `destinations` {to: {resource: delivered_kg}}.
    Per facility, mined + received = stored + shipped + propellant loaded (shipped = in transit
    + delivered). Masses are rounded to grams; a depot's capacity may be null (unlimited).
    """
    t = float(t_tdb)
    state = sim.state_at(t)
    facilities: dict[str, Any] = {}
    for i, spec in enumerate(sim.facilities):
        figures = state.facility(spec.name)
        entry = {
            "at": spec.at,
            "role": getattr(spec, "role", "mine"),
            "process": getattr(spec, "process", None),
            "resource": spec.resource.value if spec.resource is not None else None,
            "resource_name": spec.resource.display_name if spec.resource is not None else None,
            "power": spec.power,
            "status": state.status[i],
            "rate_kg_per_day": _kg(state.rate_kg_per_day[i]),
            "nameplate_rate_kg_per_day": float(spec.rate_kg_per_day),
            "storage_capacity_kg": float(spec.storage_kg) if np.isfinite(spec.storage_kg) else None,
            "mined_kg": _kg(state.mined_kg[i]),
            "stored_kg": _kg(state.stored_kg[i]),
            "shipped_kg": _kg(state.shipped_kg[i]),
            "in_transit_kg": _kg(state.in_transit_kg[i]),
            "delivered_kg": _kg(state.delivered_kg[i]),
            "received_kg": _kg(figures.received_kg),
            "processed_kg": _kg(figures.processed_kg),
            "propellant_loaded_kg": _kg(figures.propellant_loaded_kg),
            "stock_kg": {r: _kg(kg) for r, kg in figures.stock_kg.items()},
        }
        if getattr(spec, "process", None) == "electrolysis":
            entry["surplus_oxygen_kg"] = _kg(surplus_oxygen_kg(figures.stock_kg))
        facilities[spec.name] = entry
    ledger = sim.ledger(t)
    resources: dict[str, Any] = {}
    for key, entry in ledger.items():
        resource = Resource(key)
        resources[key] = {"name": resource.display_name, "unit": "kg",
                          **{k: _kg(v) for k, v in entry.items()
                             if k not in ("balance_kg", "received_kg")}}
    return {"jd_tdb": t, "time_utc": _iso_or_none(t), "facilities": facilities, "ships": _ship_report(sim, state, t),
            "resources": resources, "destinations": _destinations(sim, t)}


def surplus_oxygen_kg(stock_kg: dict[str, float],
                      mixture_ratio: float = LOX_LH2_MIXTURE_RATIO) -> float:
    """Oxygen in a stock beyond what its hydrogen burns at a LOX/LH2 mixture ratio (kg):
    electrolysis gives 7.9 kg of oxygen per kg of hydrogen, an RL10 burns 5.5."""
    oxygen = stock_kg.get(Resource.OXYGEN.value, 0.0)
    hydrogen = stock_kg.get(Resource.HYDROGEN.value, 0.0)
    return max(oxygen - mixture_ratio * hydrogen, 0.0)


def _iso_or_none(t_tdb: float) -> str | None:
    from spaceviz.core.astro.time import format_iso

    try:
        return format_iso(t_tdb)
    except (ValueError, OverflowError):
        return None


def _ship_report(sim: OperationsSim, state: OperationsState, t: float) -> dict[str, Any]:
    depart = np.array([leg.depart_tdb for leg in sim.legs])
    arrive = np.array([leg.arrive_tdb for leg in sim.legs])
    ships: dict[str, Any] = {}
    for s, name in enumerate(sim.ship_names):
        mine = sim.leg_ship == s
        first = int(np.flatnonzero(mine)[0])
        leg = sim.legs[first]
        departed = int(np.count_nonzero(mine & (depart <= t)))
        arrived = int(np.count_nonzero(mine & (arrive <= t)))
        upcoming = depart[mine & (depart > t)]
        if departed > arrived:
            status = "in transit"
        elif departed == 0:
            status = "scheduled"
        elif upcoming.size:
            status = "waiting"
        else:
            status = "done"
        ships[name] = {
            "from": leg.from_facility,
            "to": leg.to,
            "resource": sim.leg_resource[first].value,
            "status": status,
            "cargo_kg": _kg(state.ship_cargo_kg[s]),
            "shipped_kg": _kg(state.ship_shipped_kg[s]),
            "delivered_kg": _kg(state.ship_delivered_kg[s]),
            "trips_departed": departed,
            "trips_arrived": arrived,
            "next_departure_jd_tdb": float(upcoming.min()) if upcoming.size else None,
        }
    return ships


def _destinations(sim: OperationsSim, t: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for j, leg in enumerate(sim.legs):
        if leg.arrive_tdb <= t:
            resource = sim.leg_resource[j].value
            into = out.setdefault(leg.to, {})
            into[resource] = _kg(into.get(resource, 0.0) + sim.leg_cargo_kg[j])
    return out

