"""Mining operations: facilities that extract, store and process resources, and the ships and
shipments that carry them.

Scenario tables `[[facility]]` and `[[shipment]]` (core.scenario.schema) give `Plant`s and
`Route`s. `simulate()` runs a deterministic model over a time grid (TDB Julian dates):

- A mine extracts `rate_kg_per_day` from `start`, ramping up linearly over `ramp_up_days`;
  production is integrated exactly at the grid points (the ramp's antiderivative), times an
  availability of 0..1 per grid step (darkness stops solar plants; the sunlight source is
  sampled at each step's midpoint, so a sunrise lands within half a step, 3 hours at the
  default step). A depot extracts nothing.
- A facility's stock is kept per resource (an account per facility and resource). Extraction
  stops while the whole stock is at `storage_kg`; deliveries are always accepted.
- A facility with `process = "electrolysis"` splits water as it enters its stock (mined or
  delivered) into oxygen and hydrogen, 0.888 and 0.112 of its mass (`processed_kg`).
- Each cargo leg (a trip of a ship) takes min(stock of its resource, payload_kg) at
  departure and delivers it at arrival: into the destination's stock when the destination is
  a facility, else out of the model ("delivered").
- Ships refuelling at a facility draw propellant from its stock at their departure
  (`PropellantDraw`s): min(stock, request) of each resource; the rest is a shortfall.
- Mass is conserved: per facility, mined + received = stored + shipped + loaded as
  propellant; over the model, mined = stored + in transit + delivered out of the model +
  loaded as propellant (processing turns water into oxygen and hydrogen of the same mass).

The grid is regular (`step_days`, default 1/4 day) plus every plant start, ramp end,
departure, arrival and refuelling; each such time appears twice (the state just before and
just after), so `state_at(t)` interpolates linearly between grid points and is exact at
events (right-continuous: at a departure time the cargo has left). Events run in time order
(a Python loop over trips, not over time steps): between two events touching a facility its
stock is one clipped cumulative sum (production is never negative, so min(capacity,
cumsum) is the capped level).

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
    """One trip: `ship` loads up to `payload_kg` of `resource` (a Resource value; None: what
    the facility makes) at facility `from_facility` at `depart_tdb` and delivers it to `to`
    at `arrive_tdb` (TDB JD). Lambert-transfer ships pass these in."""

    ship: str
    from_facility: str
    to: str
    depart_tdb: float
    arrive_tdb: float
    payload_kg: float
    resource: str | None = None


class PropellantDraw(NamedTuple):
    """A ship filling its tanks: `kg` of `resource` (a Resource value) from the stock of
    `facility` at `t_tdb` (TDB JD)."""

    ship: str
    facility: str
    t_tdb: float
    resource: str
    kg: float


class Plant(Protocol):
    """A facility as the simulation reads it (a scenario `[[facility]]`): rates kg/day, masses
    kg, times TDB Julian dates. A depot has no resource and no rate; `process` (optional
    attribute) names what it does to what enters its stock."""

    name: str
    at: str
    resource: Resource | None
    rate_kg_per_day: float
    start: float | None
    ramp_up_days: float
    power: str
    stops_in_darkness: bool
    storage_kg: float


class Route(Protocol):
    """A shipment route as the simulation reads it (a scenario `[[shipment]]`)."""

    name: str
    from_: str

    def legs(self, facility_start_tdb: float, t_end_tdb: float) -> list[CargoLeg]: ...


EVENT_KINDS = ("plant start", "ramp-up complete", "storage full", "departure", "arrival",
               "refuel")

_BLOCK_NAMES = ("mined_kg", "stored_kg", "shipped_kg", "delivered_kg", "received_kg",
                "processed_kg", "propellant_kg", "account_kg", "ship_shipped_kg",
                "ship_delivered_kg")

ELECTROLYSIS_SPLIT = {Resource.OXYGEN: 15.999 / 18.015, Resource.HYDROGEN: 2.016 / 18.015}
"""Mass fractions of a kg of water split by electrolysis (2 H2O -> 2 H2 + O2): O 15.999 and
2 H 2.016 of H2O 18.015 g/mol (IUPAC standard atomic weights): 0.888 and 0.112."""


def process_split(process: str | None, resource: Resource) -> dict[Resource, float]:
    """What a kg of `resource` entering a facility's stock becomes there: the products'
    mass fractions (water under electrolysis), else itself."""
    if process == "electrolysis" and resource is Resource.WATER_ICE:
        return dict(ELECTROLYSIS_SPLIT)
    return {resource: 1.0}


def facility_outputs(plant) -> tuple[Resource, ...]:
    """What a facility's extraction adds to its stock: its resource, or the products of its
    process; nothing for a depot."""
    if plant.resource is None:
        return ()
    return tuple(process_split(getattr(plant, "process", None), plant.resource))

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
    """One facility at one time: masses in kg, rate in kg/day. `stock_kg` holds the stock per
    resource; `stored_kg` is its total. mined + received = stored + shipped + propellant
    loaded; `processed_kg` is the water split so far (electrolysis)."""

    name: str
    resource: Resource | None
    status: str
    rate_kg_per_day: float
    mined_kg: float
    stored_kg: float
    shipped_kg: float
    in_transit_kg: float
    delivered_kg: float
    received_kg: float = 0.0
    processed_kg: float = 0.0
    propellant_loaded_kg: float = 0.0
    stock_kg: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OperationsState:
    """Everything at one time `t_tdb`: per-facility arrays (F,), per-ship arrays (S,) and
    per-account stocks (A,) (`accounts`: (facility index, resource)), kg."""

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
    resources: tuple[Resource | None, ...] = ()
    received_kg: np.ndarray | None = None
    processed_kg: np.ndarray | None = None
    propellant_kg: np.ndarray | None = None
    account_kg: np.ndarray | None = None
    accounts: tuple[tuple[int, Resource], ...] = ()

    @property
    def in_transit_kg(self) -> np.ndarray:
        return self.shipped_kg - self.delivered_kg

    def facility(self, name: str) -> FacilityState:
        """The state of one facility by name (case-insensitive)."""
        i = _index_of(self.facility_names, name)
        extra = {}
        if self.received_kg is not None:
            stock = {r.value: float(self.account_kg[a]) for a, (f, r) in enumerate(self.accounts)
                     if f == i}
            extra = {"received_kg": float(self.received_kg[i]),
                     "processed_kg": float(self.processed_kg[i]),
                     "propellant_loaded_kg": float(self.propellant_kg[i]), "stock_kg": stock}
        return FacilityState(self.facility_names[i], self.resources[i], self.status[i],
                             float(self.rate_kg_per_day[i]), float(self.mined_kg[i]),
                             float(self.stored_kg[i]), float(self.shipped_kg[i]),
                             float(self.in_transit_kg[i]), float(self.delivered_kg[i]), **extra)


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

    Facility arrays are (F, K): mined, stored (the whole stock), shipped (cargo departed),
    delivered (its cargo arrived anywhere), received (cargo arrived into it), processed (water
    split), propellant (drawn by ships). `account_kg` (A, K) is the stock per account
    (`accounts`: (facility index, resource)). Ship arrays are (S, K) for cargo loaded and
    delivered by each ship name. `availability` (F, K-1) is the 0..1 sunlight factor per grid
    step. Legs are the simulated trips with the cargo each carried (`leg_cargo_kg`), their
    resource and destination facility (-1: out of the model); draws the refuellings with what
    each got (`draw_kg`).
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
    received_kg: np.ndarray | None = None
    processed_kg: np.ndarray | None = None
    propellant_kg: np.ndarray | None = None
    account_kg: np.ndarray | None = None
    accounts: tuple[tuple[int, Resource], ...] = ()
    leg_resource: tuple[Resource, ...] = ()
    leg_destination: np.ndarray | None = None
    draws: tuple[PropellantDraw, ...] = ()
    draw_kg: np.ndarray | None = None

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

    @property
    def draw_shortfall_kg(self) -> np.ndarray:
        """What each refuelling asked for and the stock could not give (kg, (D,))."""
        return np.array([d.kg for d in self.draws]) - self.draw_kg

    def facility_index(self, name: str) -> int:
        return _index_of(self.facility_names, name)

    def facility_series(self, name: str) -> dict[str, np.ndarray]:
        """Arrays over the grid for one facility (for charts): t_tdb and kg quantities."""
        i = self.facility_index(name)
        return {"t_tdb": self.t_tdb, "mined_kg": self.mined_kg[i], "stored_kg": self.stored_kg[i],
                "shipped_kg": self.shipped_kg[i], "in_transit_kg": self.in_transit_kg[i],
                "delivered_kg": self.delivered_kg[i], "received_kg": self.received_kg[i],
                "propellant_kg": self.propellant_kg[i]}

    def __post_init__(self) -> None:
        f = self.facilities
        self._names = tuple(x.name for x in f)
        self._resources = tuple(x.resource for x in f)
        size = self.t_tdb.size
        zeros = np.zeros((len(f), size))
        for name in ("received_kg", "processed_kg", "propellant_kg"):
            if getattr(self, name) is None:
                setattr(self, name, zeros.copy())
        if self.account_kg is None:
            self.account_kg = np.zeros((0, size))
        if self.leg_destination is None:
            self.leg_destination = np.full(len(self.legs), -1, dtype=np.int64)
        if self.draw_kg is None:
            self.draw_kg = np.zeros(len(self.draws))
        self._starts = np.array([x.start for x in f], dtype=np.float64)
        self._ramps = np.array([x.ramp_up_days for x in f], dtype=np.float64)
        self._rates = np.array([x.rate_kg_per_day for x in f], dtype=np.float64)
        self._caps = np.array([x.storage_kg for x in f], dtype=np.float64)
        self._safe_ramps = np.where(self._ramps > MIN_RAMP_DAYS, self._ramps, 1.0)
        # One block so a query gathers two columns once; the named arrays are views.
        parts = [getattr(self, name) for name in _BLOCK_NAMES]
        rows = np.cumsum([0] + [p.shape[0] for p in parts])
        self._slices = {name: slice(rows[k], rows[k + 1]) for k, name in enumerate(_BLOCK_NAMES)}
        base = parts[0].base
        # simulate() hands in views of one block in this order; anything else is stacked.
        in_place = (isinstance(base, np.ndarray) and base.shape == (rows[-1], size)
                    and all(p.base is base and (p.shape[0] == 0 or _address(p) == _address(
                        base[self._slices[name]])) for p, name in zip(parts, _BLOCK_NAMES,
                                                                     strict=True)))
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
        delivered_kg, received_kg, processed_kg, propellant_kg (facility arrays (F,) or
        (F, M)), account_kg ((A,) or (A, M)) and ship_shipped_kg, ship_delivered_kg (ship
        arrays (S,) or (S, M)). Exact at grid points and events (the state just after)."""
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
        codes[(available <= 0.0) & (self._rates > 0)] = 3
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
            resources=self._resources, received_kg=v["received_kg"],
            processed_kg=v["processed_kg"], propellant_kg=v["propellant_kg"],
            account_kg=v["account_kg"], accounts=self.accounts)

    def ledger(self, t_tdb: float) -> dict[str, dict[str, float]]:
        """Where every kg of each resource is at a time (kg, by Resource value): mined_kg,
        made_kg (by processing), processed_kg (split by processing), stored_kg, in_transit_kg,
        delivered_kg (arrived out of the model), propellant_kg (loaded into ships), and
        received_kg (arrived into facilities: now stored or processed). Mass balance per
        resource: mined + made - processed = stored + in transit + delivered + propellant;
        `balance_kg` is the difference (zero to rounding)."""
        t = float(t_tdb)
        v = self.values_at(t)
        out: dict[str, dict[str, float]] = {}

        def entry(resource: Resource) -> dict[str, float]:
            return out.setdefault(resource.value, dict.fromkeys(
                ("mined_kg", "made_kg", "processed_kg", "stored_kg", "in_transit_kg",
                 "delivered_kg", "received_kg", "propellant_kg"), 0.0))

        for i, plant in enumerate(self.facilities):
            if plant.resource is None:
                continue
            mined = float(v["mined_kg"][i])
            entry(plant.resource)["mined_kg"] += mined
            split = process_split(getattr(plant, "process", None), plant.resource)
            if split != {plant.resource: 1.0}:
                entry(plant.resource)["processed_kg"] += mined
                for product, share in split.items():
                    entry(product)["made_kg"] += share * mined
        for a, (_, resource) in enumerate(self.accounts):
            entry(resource)["stored_kg"] += float(v["account_kg"][a])
        for j, leg in enumerate(self.legs):
            resource = self.leg_resource[j]
            cargo = float(self.leg_cargo_kg[j])
            if leg.depart_tdb > t:
                continue
            if leg.arrive_tdb > t:
                entry(resource)["in_transit_kg"] += cargo
                continue
            g = int(self.leg_destination[j])
            if g < 0:
                entry(resource)["delivered_kg"] += cargo
                continue
            entry(resource)["received_kg"] += cargo
            split = process_split(getattr(self.facilities[g], "process", None), resource)
            if split != {resource: 1.0}:
                entry(resource)["processed_kg"] += cargo
                for product, share in split.items():
                    entry(product)["made_kg"] += share * cargo
        for d, draw in enumerate(self.draws):
            if draw.t_tdb <= t:
                entry(Resource(draw.resource))["propellant_kg"] += float(self.draw_kg[d])
        for e in out.values():
            e["balance_kg"] = (e["mined_kg"] + e["made_kg"] - e["processed_kg"] - e["stored_kg"]
                               - e["in_transit_kg"] - e["delivered_kg"] - e["propellant_kg"])
        return out


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
             draws: Iterable[PropellantDraw] = (),
             lit: Mapping[str, LitSource | None] | None = None,
             step_days: float = DEFAULT_STEP_DAYS) -> OperationsSim:
    """Simulate facilities, cargo and refuelling from `t_start_tdb` to `t_end_tdb` (TDB JD).

    The grid starts at the earlier of `t_start_tdb` and the first plant start, so a plant
    built before the scenario opens has its stock. `lit` maps facility names to a sunlight
    source (see `LitSource`, e.g. a lunar site's `sunlit`); facilities without one, or with
    `stops_in_darkness` false, are always available. `legs` adds trips of ships flown
    elsewhere (Lambert transfers); `draws` the propellant ships load. Legs and draws outside
    the span are ignored. Raises UnknownNameError for a leg or draw at an unknown facility,
    UserError for a leg that arrives before it departs or whose resource is not said where
    the facility holds several.
    """
    if not t_end_tdb > t_start_tdb:
        raise UserError("the operations span needs an end after its start")
    if not step_days > 0:
        raise ValueError("step_days must be positive")
    specs = tuple(facilities)
    names = tuple(f.name for f in specs)
    count = len(specs)
    starts = np.array([f.start if f.start is not None else t_start_tdb for f in specs],
                      dtype=np.float64)
    ramps = np.array([f.ramp_up_days for f in specs], dtype=np.float64)
    t_begin = float(min(t_start_tdb, starts.min())) if count else float(t_start_tdb)
    t_end = float(t_end_tdb)

    all_legs = _collect_legs(specs, shipments, legs, t_end, starts)
    in_span = [leg for leg in all_legs if t_begin <= leg.depart_tdb <= t_end]
    if len(in_span) < len(all_legs):
        log.debug("%d cargo legs depart outside the operations span", len(all_legs) - len(in_span))
    in_span.sort(key=lambda leg: leg.depart_tdb)
    draw_list = sorted((PropellantDraw(*d) for d in draws if t_begin <= d.t_tdb <= t_end),
                       key=lambda d: d.t_tdb)
    depart = np.array([leg.depart_tdb for leg in in_span], dtype=np.float64)
    arrive = np.array([leg.arrive_tdb for leg in in_span], dtype=np.float64)
    payload = np.array([leg.payload_kg for leg in in_span], dtype=np.float64)
    leg_facility = np.array([_index_of(names, leg.from_facility) for leg in in_span], dtype=np.int64)
    leg_resource = tuple(_leg_resource(specs[f], leg) for f, leg in zip(leg_facility, in_span,
                                                                         strict=True))
    lowered = {n.lower(): i for i, n in enumerate(names)}
    leg_destination = np.array([lowered.get(leg.to.strip().lower(), -1) for leg in in_span],
                               dtype=np.int64)
    draw_facility = np.array([_index_of(names, d.facility) for d in draw_list], dtype=np.int64)
    ship_names = tuple(dict.fromkeys(leg.ship for leg in in_span))
    leg_ship = np.array([ship_names.index(leg.ship) for leg in in_span], dtype=np.int64)

    draw_times = np.array([d.t_tdb for d in draw_list], dtype=np.float64)
    event_times = np.concatenate([depart, arrive[arrive <= t_end], draw_times])
    t = _build_grid(t_begin, t_end, step_days, np.concatenate([starts, starts + ramps]), event_times)
    size = t.size

    def post_event(times: np.ndarray) -> np.ndarray:  # the second of each duplicated time
        return np.searchsorted(t, times, side="right") - 1

    dep_after = post_event(depart)
    arrives_in_span = arrive <= t_end
    arr_after = np.where(arrives_in_span, post_event(arrive), size)

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

    accounts = _accounts(specs, leg_facility, leg_resource, leg_destination, draw_facility,
                         draw_list)
    ships = len(ship_names)
    rows = (7 * count + len(accounts) + 2 * ships)
    block = np.zeros((rows, size))  # in the order of _BLOCK_NAMES
    (mined, stored, shipped, delivered, received, processed,
     propellant) = (block[k * count:(k + 1) * count] for k in range(7))
    account_kg = block[7 * count:7 * count + len(accounts)]
    ship_shipped = block[7 * count + len(accounts):7 * count + len(accounts) + ships]
    ship_delivered = block[7 * count + len(accounts) + ships:]

    stocks = _Stocks(specs, accounts, cumulative, np.array([f.storage_kg for f in specs],
                                                          dtype=np.float64),
                     account_kg, mined, processed)
    cargo = np.zeros(depart.size)
    drawn = np.zeros(len(draw_list))
    received_at = []  # (facility, grid index, kg)
    # Events in time order; at one instant arrivals of earlier trips come first, then
    # departures and refuelling, then arrivals of trips that left at that very instant.
    queue = [(int(dep_after[j]), 1, 0, j) for j in range(depart.size)]
    queue += [(int(k), 1, 1, d) for d, k in enumerate(post_event(draw_times))]
    queue += [(int(arr_after[j]), 0 if arrive[j] > depart[j] else 2, 2, j)
              for j in range(depart.size) if arrives_in_span[j] and leg_destination[j] >= 0]
    for k, _, kind, j in sorted(queue):
        if kind == 0:
            cargo[j] = stocks.take(int(leg_facility[j]), leg_resource[j], payload[j], k)
        elif kind == 1:
            draw = draw_list[j]
            drawn[j] = stocks.take(int(draw_facility[j]), Resource(draw.resource), draw.kg, k)
        else:
            g = int(leg_destination[j])
            stocks.put(g, leg_resource[j], cargo[j], k)
            received_at.append((g, k, cargo[j]))
    stocks.finish()
    for f in range(count):
        mine = [a for a, (g, _) in enumerate(accounts) if g == f]
        if mine:
            np.sum(account_kg[mine], axis=0, out=stored[f])

    _cumulative_steps(leg_facility, dep_after, cargo, shipped)
    _cumulative_steps(leg_facility, arr_after, cargo, delivered)
    _cumulative_steps(leg_ship, dep_after, cargo, ship_shipped)
    _cumulative_steps(leg_ship, arr_after, cargo, ship_delivered)
    _cumulative_steps(draw_facility, post_event(draw_times), drawn, propellant)
    if received_at:
        who, where, amount = (np.array(x) for x in zip(*received_at, strict=True))
        _cumulative_steps(who.astype(np.int64), where.astype(np.int64), amount, received)

    sim = OperationsSim(
        t_tdb=t, facilities=specs, mined_kg=mined, stored_kg=stored,
        shipped_kg=shipped, delivered_kg=delivered, availability=availability,
        ship_names=ship_names, ship_shipped_kg=ship_shipped, ship_delivered_kg=ship_delivered,
        legs=tuple(in_span), leg_cargo_kg=cargo, leg_facility=leg_facility, leg_ship=leg_ship,
        received_kg=received, processed_kg=processed, propellant_kg=propellant,
        account_kg=account_kg, accounts=tuple(accounts), leg_resource=leg_resource,
        leg_destination=leg_destination, draws=tuple(draw_list), draw_kg=drawn)
    sim.events = _events(sim, cumulative, t_begin, t_end)
    return sim


def _leg_resource(plant, leg: CargoLeg) -> Resource:
    """The resource a trip loads: the one it names, else the one its facility makes."""
    if leg.resource is not None:
        return Resource(leg.resource)
    outputs = facility_outputs(plant)
    if len(outputs) != 1:
        held = " or ".join(r.value for r in outputs) or "what is delivered to it"
        raise UserError(f"'{plant.name}' holds {held}: say which resource '{leg.ship}' loads")
    return outputs[0]


def _accounts(specs, leg_facility, leg_resource, leg_destination, draw_facility, draws
              ) -> list[tuple[int, Resource]]:
    """Every (facility index, resource) that can hold stock: what mines make, what trips load
    and deliver (after processing), what ships draw."""
    found: dict[tuple[int, Resource], None] = {}
    for f, plant in enumerate(specs):
        for resource in facility_outputs(plant):
            found[(f, resource)] = None
    for f, resource, g in zip(leg_facility, leg_resource, leg_destination, strict=True):
        found[(int(f), resource)] = None
        if g >= 0:
            for product in process_split(getattr(specs[g], "process", None), resource):
                found[(int(g), product)] = None
    for f, draw in zip(draw_facility, draws, strict=True):
        found[(int(f), Resource(draw.resource))] = None
    return list(found)


class _Stocks:
    """The stock of every account over the grid, filled facility by facility as events come
    (each facility is advanced to an event's grid index when the event touches it)."""

    def __init__(self, specs, accounts, cumulative, caps, account_kg, mined, processed):
        self.specs, self.cumulative, self.caps = specs, cumulative, caps
        self.account_kg, self.mined, self.processed = account_kg, mined, processed
        self.index = {key: a for a, key in enumerate(accounts)}
        self.resource_of = [resource for _, resource in accounts]
        self.of_facility = [[a for a, (g, _) in enumerate(accounts) if g == f]
                            for f in range(len(specs))]
        self.outputs = []
        for plant in specs:
            split = (process_split(getattr(plant, "process", None), plant.resource)
                     if plant.resource is not None else {})
            self.outputs.append(split)
        self.level = np.zeros(len(accounts))
        self.known = np.zeros(len(specs), dtype=np.int64)  # grid index each is filled to
        self.mined_so_far = np.zeros(len(specs))
        self.processed_so_far = np.zeros(len(specs))

    def advance(self, f: int, k: int) -> None:
        """Fill facility f's rows up to grid index k (production since it was last known)."""
        k0 = int(self.known[f])
        if k <= k0:
            return
        segment = slice(k0 + 1, k + 1)
        mine = self.of_facility[f]
        total = float(self.level[mine].sum())
        made = self.cumulative[f, segment] - self.cumulative[f, k0]
        extracted = np.clip(made, 0.0, max(self.caps[f] - total, 0.0))
        for a in mine:
            share = self.outputs[f].get(self.resource_of[a], 0.0)
            self.account_kg[a, segment] = self.level[a] + share * extracted
        self.mined[f, segment] = self.mined_so_far[f] + extracted
        split_here = self.outputs[f] and self.outputs[f] != {self.specs[f].resource: 1.0}
        self.processed[f, segment] = self.processed_so_far[f] + (extracted if split_here else 0.0)
        last = float(extracted[-1])
        for a in mine:
            self.level[a] += self.outputs[f].get(self.resource_of[a], 0.0) * last
        self.mined_so_far[f] += last
        if split_here:
            self.processed_so_far[f] += last
        self.known[f] = k

    def take(self, f: int, resource: Resource, kg: float, k: int) -> float:
        """Take up to kg of a resource from facility f at grid index k: what was taken."""
        self.advance(f, k)
        a = self.index[(f, resource)]
        taken = min(max(float(self.level[a]), 0.0), float(kg))
        self.level[a] -= taken
        self.account_kg[a, k] = self.level[a]
        return taken

    def put(self, f: int, resource: Resource, kg: float, k: int) -> None:
        """Deliver kg of a resource into facility f at grid index k (processed on entry)."""
        self.advance(f, k)
        split = process_split(getattr(self.specs[f], "process", None), resource)
        for product, share in split.items():
            a = self.index[(f, product)]
            self.level[a] += share * kg
            self.account_kg[a, k] = self.level[a]
        if split != {resource: 1.0}:
            self.processed_so_far[f] += kg
            self.processed[f, k] = self.processed_so_far[f]

    def finish(self) -> None:
        """Fill every facility to the end of the grid."""
        last = self.cumulative.shape[1] - 1
        for f in range(len(self.specs)):
            self.advance(f, last)


def _collect_legs(specs: Sequence[Plant], shipments: Sequence[Route],
                  legs: Iterable[CargoLeg], t_end: float, starts: np.ndarray) -> list[CargoLeg]:
    names = tuple(f.name for f in specs)
    out: list[CargoLeg] = []
    for shipment in shipments:
        out.extend(shipment.legs(float(starts[_index_of(names, shipment.from_)]), t_end))
    for leg in legs:
        leg = CargoLeg(*leg)
        _index_of(names, leg.from_facility)
        if not leg.arrive_tdb >= leg.depart_tdb:
            raise UserError(f"ship '{leg.ship}' arrives before it departs")
        if not leg.payload_kg >= 0:
            raise UserError(f"ship '{leg.ship}' has a negative payload")
        out.append(leg)
    return out


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
        start = sim._starts[i]
        what = (f"{spec.resource.display_name} at {spec.at}" if spec.resource is not None
                else f"storing at {spec.at}")
        if t_begin <= start <= t_end:
            events.append(_event(start, spec.name, "plant start",
                                 f"starts extracting {what}" if spec.resource is not None
                                 else f"opens, {what}"))
        ramp_end = start + spec.ramp_up_days
        if spec.ramp_up_days > 0 and t_begin <= ramp_end <= t_end:
            events.append(_event(ramp_end, spec.name, "ramp-up complete",
                                f"at {spec.rate_kg_per_day:g} kg/day"))
        if spec.resource is None:
            continue
        full = sim.stored_kg[i] >= spec.storage_kg * (1.0 - 1e-12)
        for k in np.flatnonzero(full[1:] & ~full[:-1]) + 1:
            gained = cumulative[i, k] - cumulative[i, k - 1]
            fraction = (spec.storage_kg - sim.stored_kg[i, k - 1]) / gained if gained > 0 else 1.0
            when = t[k - 1] + min(max(fraction, 0.0), 1.0) * (t[k] - t[k - 1])
            events.append(_event(float(when), spec.name, "storage full",
                                f"{spec.storage_kg:g} kg of {spec.resource.display_name.lower()}"))
    for j, leg in enumerate(sim.legs):
        resource = sim.leg_resource[j].display_name.lower()
        load = f"{sim.leg_cargo_kg[j]:.0f} kg of {resource}"
        events.append(_event(leg.depart_tdb, leg.ship, "departure",
                            f"leaves {leg.from_facility} for {leg.to} with {load}"))
        if leg.arrive_tdb <= t_end:
            events.append(_event(leg.arrive_tdb, leg.ship, "arrival", f"delivers {load} to {leg.to}"))
    for d, draw in enumerate(sim.draws):
        events.append(_event(draw.t_tdb, draw.ship, "refuel",
                             f"loads {sim.draw_kg[d]:.0f} kg of {draw.resource} at {draw.facility}"))
    events.sort(key=lambda e: (e.t_tdb, EVENT_KINDS.index(e.kind)))
    return events
