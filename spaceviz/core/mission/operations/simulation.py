"""Mining operations: facilities that extract resources and shipments that carry them away.

Scenario tables `[[facility]]` and `[[shipment]]` (core.scenario.schema) give `Plant`s and
`Route`s. `simulate()` runs a deterministic model over a time grid (TDB Julian dates):

- A facility extracts `rate_kg_per_day` from `start`, ramping up linearly over
  `ramp_up_days`; production is integrated exactly at the grid points (the ramp's
  antiderivative), times an availability of 0..1 per grid step (darkness stops solar plants;
  the sunlight source is sampled at each step's midpoint, so a sunrise lands within half a
  step, 3 hours at the default step).
- Extraction stops while storage is full (`storage_kg`); extracted mass goes to storage.
- Each cargo leg (a trip of a ship) takes min(stored, payload_kg) at departure and delivers it
  at arrival; delivered cargo leaves the model (it is consumed at the destination).
- Mass is conserved: at every time mined = stored + in transit + delivered, per facility.

The grid is regular (`step_days`, default 1/4 day) plus every plant start, ramp end,
departure and arrival; each departure and arrival time appears twice (the state just before
and just after), so `state_at(t)` interpolates linearly between grid points and is exact at
events (right-continuous: at a departure time the cargo has left). No Python loop runs over
time steps: storage between two departures from one facility is one clipped cumulative sum
(production is never negative, so min(capacity, cumsum) is the capped level).

Ships whose times come from elsewhere (Lambert transfers) carry cargo as `CargoLeg`s passed
to `simulate(legs=...)`; `[[shipment]]` routes expand into the same legs.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import numpy as np

from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.core.mission.events import MissionEvent
from spaceviz.core.mission.operations.resources import Resource

log = logging.getLogger(__name__)

DEFAULT_STEP_DAYS = 0.25
MAX_LEGS_PER_SHIPMENT = 100_000
MIN_RAMP_DAYS = 1e-6
"""Ramps shorter than this (0.09 s) count as none."""


class CargoLeg(NamedTuple):
    """One trip: `ship` loads up to `payload_kg` at facility `from_facility` at `depart_tdb`
    and delivers it to `to` at `arrive_tdb` (TDB JD). Lambert-transfer ships pass these in."""

    ship: str
    from_facility: str
    to: str
    depart_tdb: float
    arrive_tdb: float
    payload_kg: float


class Plant(Protocol):
    """A facility as the simulation reads it (a scenario `[[facility]]`): rates kg/day, masses
    kg, times TDB Julian dates."""

    name: str
    at: str
    resource: Resource
    rate_kg_per_day: float
    start: float
    ramp_up_days: float
    power: str
    stops_in_darkness: bool
    storage_kg: float


class Route(Protocol):
    """A shipment route as the simulation reads it (a scenario `[[shipment]]`)."""

    name: str
    from_: str

    def legs(self, facility_start_tdb: float, t_end_tdb: float) -> list[CargoLeg]: ...


EVENT_KINDS = ("plant start", "ramp-up complete", "storage full", "departure", "arrival")

_BLOCK_NAMES = ("mined_kg", "stored_kg", "shipped_kg", "delivered_kg", "ship_shipped_kg",
                "ship_delivered_kg")

STATUS_NOT_BUILT = "not built"
STATUS_RAMPING = "ramping"
STATUS_RUNNING = "running"
STATUS_DARK = "idle (darkness)"
STATUS_FULL = "storage full"
FACILITY_STATUSES = (STATUS_NOT_BUILT, STATUS_RAMPING, STATUS_RUNNING, STATUS_DARK, STATUS_FULL)

LitSource = Callable[[np.ndarray], Any] | tuple[Sequence[float], Sequence[float]] | float | bool
"""Availability of sunlight for a facility: a callable `lit(t_tdb array) -> bool/0..1 array`,
a sampled pair (t_tdb, values) held from each sample to the next, or a constant."""


# ---------------------------------------------------------------------------------------
# Simulation results


@dataclass(frozen=True)
class FacilityState:
    """One facility at one time: masses in kg, rate in kg/day."""

    name: str
    resource: Resource
    status: str
    rate_kg_per_day: float
    mined_kg: float
    stored_kg: float
    shipped_kg: float
    in_transit_kg: float
    delivered_kg: float


@dataclass(frozen=True)
class OperationsState:
    """Everything at one time `t_tdb`: per-facility arrays (F,) and per-ship arrays (S,), kg."""

    t_tdb: float
    facility_names: tuple[str, ...]
    status: tuple[str, ...]
    rate_kg_per_day: np.ndarray
    mined_kg: np.ndarray
    stored_kg: np.ndarray
    shipped_kg: np.ndarray
    delivered_kg: np.ndarray
    ship_names: tuple[str, ...]
    ship_cargo_kg: np.ndarray
    ship_shipped_kg: np.ndarray
    ship_delivered_kg: np.ndarray
    resources: tuple[Resource, ...] = ()

    @property
    def in_transit_kg(self) -> np.ndarray:
        return self.shipped_kg - self.delivered_kg

    def facility(self, name: str) -> FacilityState:
        """The state of one facility by name (case-insensitive)."""
        i = _index_of(self.facility_names, name)
        return FacilityState(self.facility_names[i], self.resources[i], self.status[i],
                             float(self.rate_kg_per_day[i]), float(self.mined_kg[i]),
                             float(self.stored_kg[i]), float(self.shipped_kg[i]),
                             float(self.in_transit_kg[i]), float(self.delivered_kg[i]))


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def _index_of(names: Sequence[str], name: str) -> int:
    key = name.strip().lower()
    for i, candidate in enumerate(names):
        if candidate.lower() == key:
            return i
    raise UnknownNameError(name, known=list(names))


@dataclass
class OperationsSim:
    """The simulated operations: cumulative masses (kg) on a time grid `t_tdb` (K,).

    Facility arrays are (F, K): mined, stored, shipped (departed), delivered (arrived), of the
    facility's resource. Ship arrays are (S, K) for cargo loaded and delivered by each ship
    name. `availability` (F, K-1) is the 0..1 sunlight factor per grid step. Legs are the
    simulated trips with the cargo each carried (`leg_cargo_kg`).
    """

    t_tdb: np.ndarray
    facilities: tuple[Plant, ...]
    mined_kg: np.ndarray
    stored_kg: np.ndarray
    shipped_kg: np.ndarray
    delivered_kg: np.ndarray
    availability: np.ndarray
    ship_names: tuple[str, ...]
    ship_shipped_kg: np.ndarray
    ship_delivered_kg: np.ndarray
    legs: tuple[CargoLeg, ...]
    leg_cargo_kg: np.ndarray
    leg_facility: np.ndarray
    leg_ship: np.ndarray
    events: list[MissionEvent] = field(default_factory=list)

    @property
    def facility_names(self) -> tuple[str, ...]:
        return self._names

    @property
    def in_transit_kg(self) -> np.ndarray:
        """Cargo in transit from each facility (F, K), kg."""
        return self.shipped_kg - self.delivered_kg

    @property
    def ship_cargo_kg(self) -> np.ndarray:
        """Cargo aboard each ship (S, K), kg."""
        return self.ship_shipped_kg - self.ship_delivered_kg

    def facility_index(self, name: str) -> int:
        return _index_of(self.facility_names, name)

    def facility_series(self, name: str) -> dict[str, np.ndarray]:
        """Arrays over the grid for one facility (for charts): t_tdb and kg quantities."""
        i = self.facility_index(name)
        return {"t_tdb": self.t_tdb, "mined_kg": self.mined_kg[i], "stored_kg": self.stored_kg[i],
                "shipped_kg": self.shipped_kg[i], "in_transit_kg": self.in_transit_kg[i],
                "delivered_kg": self.delivered_kg[i]}

    def __post_init__(self) -> None:
        f = self.facilities
        self._names = tuple(x.name for x in f)
        self._resources = tuple(x.resource for x in f)
        self._starts = np.array([x.start for x in f], dtype=np.float64)
        self._ramps = np.array([x.ramp_up_days for x in f], dtype=np.float64)
        self._rates = np.array([x.rate_kg_per_day for x in f], dtype=np.float64)
        self._caps = np.array([x.storage_kg for x in f], dtype=np.float64)
        self._safe_ramps = np.where(self._ramps > MIN_RAMP_DAYS, self._ramps, 1.0)
        # One (4F + 2S, K) block so a query gathers two columns once; the named arrays are views.
        parts = [getattr(self, name) for name in _BLOCK_NAMES]
        rows = np.cumsum([0] + [p.shape[0] for p in parts])
        self._slices = {name: slice(rows[k], rows[k + 1]) for k, name in enumerate(_BLOCK_NAMES)}
        base = parts[0].base
        # simulate() hands in views of one block in this order; anything else is stacked.
        in_place = (isinstance(base, np.ndarray) and base.shape == (rows[-1], self.t_tdb.size)
                    and all(p.base is base and _address(p) == _address(base[self._slices[name]])
                            for p, name in zip(parts, _BLOCK_NAMES, strict=True)))
        self._block = base if in_place else np.vstack(parts)
        for name, rows_of in self._slices.items():
            setattr(self, name, self._block[rows_of])

    def _locate(self, t_tdb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Grid interval index i (t_i <= t, the last of duplicates) and weight in [0, 1]."""
        t = self.t_tdb
        if t_tdb.ndim == 0:  # the scrubbing path: plain floats are several times faster
            k = min(max(int(np.searchsorted(t, t_tdb, side="right")) - 1, 0), t.size - 2)
            width = float(t[k + 1] - t[k])
            offset = max(float(t_tdb) - float(t[k]), 0.0)
            return np.intp(k), np.float64(min(offset / width, 1.0) if width > 0 else 1.0)
        i = np.clip(np.searchsorted(t, t_tdb, side="right") - 1, 0, t.size - 2)
        width = t[i + 1] - t[i]
        offset = np.clip(t_tdb - t[i], 0.0, None)
        w = np.divide(offset, width, out=np.ones_like(offset, dtype=np.float64), where=width > 0)
        return i, np.clip(w, 0.0, 1.0)

    def _values(self, i: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        lo = self._block[:, i]
        values = lo + w * (self._block[:, i + 1] - lo)
        return {name: values[rows] for name, rows in self._slices.items()}

    def values_at(self, t_tdb) -> dict[str, np.ndarray]:
        """Interpolated kg quantities at time(s), keyed mined_kg, stored_kg, shipped_kg,
        delivered_kg (facility arrays (F,) or (F, M)) and ship_shipped_kg, ship_delivered_kg
        (ship arrays (S,) or (S, M)). Exact at grid points and events (the state just after)."""
        return self._values(*self._locate(np.asarray(t_tdb, dtype=np.float64)))

    def _rate_and_status(self, t: float, i: np.ndarray, stored: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
        starts, ramps = self._starts, self._ramps
        ramp_fraction = np.minimum(np.maximum((t - starts) / self._safe_ramps, 0.0), 1.0)
        ramp_fraction[self._ramps <= MIN_RAMP_DAYS] = 1.0
        ramp_fraction[t < starts] = 0.0
        available = self.availability[:, i]
        full = stored >= self._caps * (1.0 - 1e-9)
        rate = self._rates * ramp_fraction * available
        rate[full] = 0.0
        codes = np.full(starts.shape, 2)  # running; later assignments take precedence
        codes[t < starts + ramps] = 1
        codes[available <= 0.0] = 3
        codes[full] = 4
        codes[t < starts] = 0
        return rate, tuple(FACILITY_STATUSES[c] for c in codes.tolist())

    def state_at(self, t_tdb: float) -> OperationsState:
        """Everything at one time (TDB JD), for scrubbing the timeline."""
        t = float(t_tdb)
        i, w = self._locate(np.asarray(t))
        v = self._values(i, w)
        rate, status = self._rate_and_status(t, i, v["stored_kg"])
        return OperationsState(
            t_tdb=t, facility_names=self.facility_names, status=status,
            rate_kg_per_day=rate, mined_kg=v["mined_kg"], stored_kg=v["stored_kg"],
            shipped_kg=v["shipped_kg"], delivered_kg=v["delivered_kg"],
            ship_names=self.ship_names,
            ship_cargo_kg=v["ship_shipped_kg"] - v["ship_delivered_kg"],
            ship_shipped_kg=v["ship_shipped_kg"], ship_delivered_kg=v["ship_delivered_kg"],
            resources=self._resources)




# ---------------------------------------------------------------------------------------
# Simulation


def _ramp_integral_days(t_tdb: np.ndarray, start: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """Integral of the ramp factor (0 before start, linear to 1 over `ramp` days) up to t: days.

    start, ramp: (F, 1); t_tdb: (K,) -> (F, K).
    """
    x = np.clip(t_tdb[None, :] - start, 0.0, None)
    ramp = np.where(ramp > MIN_RAMP_DAYS, ramp, 0.0)
    safe_ramp = np.where(ramp > 0, ramp, 1.0)
    return np.where(x < ramp, x * x / (2.0 * safe_ramp), x - ramp / 2.0)


def _availability(source: LitSource | None, mid_tdb: np.ndarray,
                  cache: dict[int, np.ndarray]) -> np.ndarray:
    """Sunlight factor 0..1 at step midpoints from a callable, a sampled pair or a constant."""
    if source is None:
        return np.ones_like(mid_tdb)
    key = id(source)
    if key in cache:
        return cache[key]
    if callable(source):
        values = np.asarray(source(mid_tdb), dtype=np.float64)
        values = np.broadcast_to(values, mid_tdb.shape)
    elif isinstance(source, tuple):
        t_samples = np.asarray(source[0], dtype=np.float64)
        samples = np.asarray(source[1], dtype=np.float64)
        if t_samples.ndim != 1 or t_samples.shape != samples.shape or t_samples.size == 0:
            raise ValueError("a sampled lit source needs equal-length 1-D (t_tdb, values)")
        j = np.clip(np.searchsorted(t_samples, mid_tdb, side="right") - 1, 0, t_samples.size - 1)
        values = samples[j]
    else:
        values = np.full(mid_tdb.shape, float(source))
    values = np.clip(values, 0.0, 1.0)
    cache[key] = values
    return values


def _build_grid(t_begin: float, t_end: float, step_days: float, singles: np.ndarray,
                events: np.ndarray) -> np.ndarray:
    """Regular grid plus single points plus each event time twice (before/after)."""
    n = max(1, int(math.ceil((t_end - t_begin) / step_days - 1e-9)))
    regular = np.append(t_begin + step_days * np.arange(n), t_end)
    inside = (singles > t_begin) & (singles < t_end)
    base = np.unique(np.concatenate([regular, singles[inside], events]))
    return np.sort(np.concatenate([base, np.unique(events)]))


def simulate(facilities: Sequence[Plant], shipments: Sequence[Route] = (), *,
             t_start_tdb: float, t_end_tdb: float, legs: Iterable[CargoLeg] = (),
             lit: Mapping[str, LitSource | None] | None = None,
             step_days: float = DEFAULT_STEP_DAYS) -> OperationsSim:
    """Simulate facilities and cargo from `t_start_tdb` to `t_end_tdb` (TDB JD).

    The grid starts at the earlier of `t_start_tdb` and the first plant start, so a plant
    built before the scenario opens has its stock. `lit` maps facility names to a sunlight
    source (see `LitSource`, e.g. a lunar site's `sunlit`); facilities without one, or with
    `stops_in_darkness` false, are always available. `legs` adds trips of ships flown
    elsewhere (Lambert transfers). Legs departing outside the span are ignored.
    Raises UnknownNameError for a leg from an unknown facility, UserError for a leg that
    arrives before it departs.
    """
    if not t_end_tdb > t_start_tdb:
        raise UserError("the operations span needs an end after its start")
    if not step_days > 0:
        raise ValueError("step_days must be positive")
    specs = tuple(facilities)
    names = tuple(f.name for f in specs)
    count = len(specs)
    starts = np.array([f.start for f in specs], dtype=np.float64)
    ramps = np.array([f.ramp_up_days for f in specs], dtype=np.float64)
    t_begin = float(min(t_start_tdb, starts.min())) if count else float(t_start_tdb)
    t_end = float(t_end_tdb)

    all_legs = _collect_legs(specs, shipments, legs, t_end)
    in_span = [leg for leg in all_legs if t_begin <= leg.depart_tdb <= t_end]
    if len(in_span) < len(all_legs):
        log.debug("%d cargo legs depart outside the operations span", len(all_legs) - len(in_span))
    in_span.sort(key=lambda leg: leg.depart_tdb)
    depart = np.array([leg.depart_tdb for leg in in_span], dtype=np.float64)
    arrive = np.array([leg.arrive_tdb for leg in in_span], dtype=np.float64)
    payload = np.array([leg.payload_kg for leg in in_span], dtype=np.float64)
    leg_facility = np.array([_index_of(names, leg.from_facility) for leg in in_span], dtype=np.int64)
    ship_names = tuple(dict.fromkeys(leg.ship for leg in in_span))
    leg_ship = np.array([ship_names.index(leg.ship) for leg in in_span], dtype=np.int64)

    event_times = np.concatenate([depart, arrive[arrive <= t_end]])
    t = _build_grid(t_begin, t_end, step_days, np.concatenate([starts, starts + ramps]), event_times)
    size = t.size
    dep_after = np.searchsorted(t, depart, side="right") - 1  # post-event index (2nd duplicate)
    arrives_in_span = arrive <= t_end
    arr_after = np.where(arrives_in_span, np.searchsorted(t, arrive, side="right") - 1, size)

    # Potential production per step (F, K-1), kg, times sunlight availability.
    rates = np.array([f.rate_kg_per_day for f in specs], dtype=np.float64)[:, None]
    potential = rates * np.diff(_ramp_integral_days(t, starts[:, None], ramps[:, None]), axis=1)
    mid = 0.5 * (t[:-1] + t[1:])
    availability = np.ones((count, size - 1))
    cache: dict[int, np.ndarray] = {}
    for i, spec in enumerate(specs):
        if spec.stops_in_darkness and lit is not None:
            availability[i] = _availability(lit.get(spec.name), mid, cache)
    cumulative = np.zeros((count, size))
    np.cumsum(potential * availability, axis=1, out=cumulative[:, 1:])

    ships = len(ship_names)
    block = np.empty((4 * count + 2 * ships, size))  # mined, stored, shipped, delivered, ship x2
    mined, stored, shipped, delivered = (block[k * count:(k + 1) * count] for k in range(4))
    ship_shipped, ship_delivered = block[4 * count:4 * count + ships], block[4 * count + ships:]
    cargo = np.zeros(depart.size)
    caps = np.array([f.storage_kg for f in specs], dtype=np.float64)
    for i in range(count):
        _fill_storage(stored[i], cumulative[i], caps[i], np.flatnonzero(leg_facility == i),
                      dep_after, payload, cargo)

    _cumulative_steps(leg_facility, dep_after, cargo, shipped)
    _cumulative_steps(leg_facility, arr_after, cargo, delivered)
    _cumulative_steps(leg_ship, dep_after, cargo, ship_shipped)
    _cumulative_steps(leg_ship, arr_after, cargo, ship_delivered)
    np.add(stored, shipped, out=mined)

    sim = OperationsSim(
        t_tdb=t, facilities=specs, mined_kg=mined, stored_kg=stored,
        shipped_kg=shipped, delivered_kg=delivered, availability=availability,
        ship_names=ship_names, ship_shipped_kg=ship_shipped, ship_delivered_kg=ship_delivered,
        legs=tuple(in_span), leg_cargo_kg=cargo, leg_facility=leg_facility, leg_ship=leg_ship)
    sim.events = _events(sim, cumulative, t_begin, t_end)
    return sim


def _collect_legs(specs: Sequence[Plant], shipments: Sequence[Route],
                  legs: Iterable[CargoLeg], t_end: float) -> list[CargoLeg]:
    names = tuple(f.name for f in specs)
    out: list[CargoLeg] = []
    for shipment in shipments:
        facility = specs[_index_of(names, shipment.from_)]
        out.extend(shipment.legs(facility.start, t_end))
    for leg in legs:
        leg = CargoLeg(*leg)
        _index_of(names, leg.from_facility)
        if not leg.arrive_tdb >= leg.depart_tdb:
            raise UserError(f"ship '{leg.ship}' arrives before it departs")
        if not leg.payload_kg >= 0:
            raise UserError(f"ship '{leg.ship}' has a negative payload")
        out.append(leg)
    return out


def _fill_storage(stored: np.ndarray, cumulative: np.ndarray, capacity: float, leg_indices: np.ndarray,
                  dep_after: np.ndarray, payload: np.ndarray, cargo: np.ndarray) -> None:
    """Storage level of one facility over the grid, and the cargo each of its legs takes.

    Between departures the level is min(capacity, level + production so far): production is
    never negative, so once full it stays full. Legs are in departure order.
    """
    level = 0.0
    begin = 0
    for j in leg_indices:
        before = dep_after[j] - 1  # the grid point just before the departure
        if begin <= before:
            segment = slice(begin, before + 1)
            np.minimum(capacity, level + cumulative[segment] - cumulative[begin], out=stored[segment])
            level = float(stored[before])
            begin = before + 1
        take = min(level, payload[j])
        cargo[j] = take
        level -= take
    np.minimum(capacity, level + cumulative[begin:] - cumulative[begin], out=stored[begin:])


def _cumulative_steps(owner: np.ndarray, index: np.ndarray, amount: np.ndarray,
                      out: np.ndarray) -> None:
    """Into `out` (rows, K): cumulative sums of `amount` added at grid `index` to row `owner`
    (an index of K or more is never reached)."""
    size = out.shape[1]
    steps = np.zeros((out.shape[0], size + 1))
    np.add.at(steps, (owner, np.minimum(index, size)), amount)
    np.cumsum(steps[:, :size], axis=1, out=out)


def _event(t_tdb: float, who: str, kind: str, detail: str) -> MissionEvent:
    """An operations event: `target` is the facility or ship, `name` says what happened."""
    return MissionEvent(float(t_tdb), f"{who}: {kind}", kind, who, detail)


def _events(sim: OperationsSim, cumulative: np.ndarray, t_begin: float, t_end: float) -> list[MissionEvent]:
    events: list[MissionEvent] = []
    t = sim.t_tdb
    for i, spec in enumerate(sim.facilities):
        what = f"{spec.resource.display_name} at {spec.at}"
        if t_begin <= spec.start <= t_end:
            events.append(_event(spec.start, spec.name, "plant start", f"starts extracting {what}"))
        ramp_end = spec.start + spec.ramp_up_days
        if spec.ramp_up_days > 0 and t_begin <= ramp_end <= t_end:
            events.append(_event(ramp_end, spec.name, "ramp-up complete",
                                f"at {spec.rate_kg_per_day:g} kg/day"))
        full = sim.stored_kg[i] >= spec.storage_kg * (1.0 - 1e-12)
        for k in np.flatnonzero(full[1:] & ~full[:-1]) + 1:
            gained = cumulative[i, k] - cumulative[i, k - 1]
            fraction = (spec.storage_kg - sim.stored_kg[i, k - 1]) / gained if gained > 0 else 1.0
            when = t[k - 1] + min(max(fraction, 0.0), 1.0) * (t[k] - t[k - 1])
            events.append(_event(float(when), spec.name, "storage full",
                                f"{spec.storage_kg:g} kg of {spec.resource.display_name.lower()}"))
    for j, leg in enumerate(sim.legs):
        resource = sim.facilities[sim.leg_facility[j]].resource.display_name.lower()
        load = f"{sim.leg_cargo_kg[j]:.0f} kg of {resource}"
        events.append(_event(leg.depart_tdb, leg.ship, "departure",
                            f"leaves {leg.from_facility} for {leg.to} with {load}"))
        if leg.arrive_tdb <= t_end:
            events.append(_event(leg.arrive_tdb, leg.ship, "arrival", f"delivers {load} to {leg.to}"))
    events.sort(key=lambda e: (e.t_tdb, EVENT_KINDS.index(e.kind)))
    return events
