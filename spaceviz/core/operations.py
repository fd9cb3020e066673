"""Mining operations: facilities that extract resources and shipments that carry them away.

Scenario tables `[[facility]]` and `[[shipment]]` validate into `FacilitySpec` and
`ShipmentSpec`. `simulate()` runs a deterministic model over a time grid (TDB Julian dates):

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

import enum
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple

import numpy as np
from pydantic import Field, model_validator

from spaceviz.core.errors import Problem, UnknownNameError, UserError
from spaceviz.core.spec_types import Name, StrictModel, TimeTDB
from spaceviz.core.tomlpos import line_of

log = logging.getLogger(__name__)

DEFAULT_STEP_DAYS = 0.25
MAX_LEGS_PER_SHIPMENT = 100_000
MIN_RAMP_DAYS = 1e-6
"""Ramps shorter than this (0.09 s) count as none."""


# ---------------------------------------------------------------------------------------
# Resources


class Resource(enum.StrEnum):
    """What a facility extracts. Every quantity is a mass in kg."""

    WATER_ICE = "water_ice"
    OXYGEN = "oxygen"
    HYDROGEN = "hydrogen"
    METALS = "metals"
    PGM = "pgm"
    HELIUM3 = "helium3"
    REGOLITH = "regolith"
    VOLATILES = "volatiles"

    @property
    def display_name(self) -> str:
        return RESOURCE_INFO[self][0]

    @property
    def unit(self) -> str:
        return "kg"

    @property
    def description(self) -> str:
        return RESOURCE_INFO[self][1]


RESOURCE_INFO: dict[Resource, tuple[str, str]] = {
    Resource.WATER_ICE: ("Water ice", "water ice from permanently shadowed craters or C-type asteroids"),
    Resource.OXYGEN: ("Oxygen", "oxygen reduced from regolith oxides (ilmenite, glass)"),
    Resource.HYDROGEN: ("Hydrogen", "hydrogen from water electrolysis or solar-wind implanted gas"),
    Resource.METALS: ("Iron-nickel metals", "iron, nickel and cobalt from metal asteroids"),
    Resource.PGM: ("Platinum-group metals", "platinum, palladium, iridium and related metals"),
    Resource.HELIUM3: ("Helium-3", "solar-wind helium-3 from titanium-rich mare regolith"),
    Resource.REGOLITH: ("Regolith", "bulk surface material for construction and shielding"),
    Resource.VOLATILES: ("Volatiles", "mixed volatiles: CO2, ammonia, methane, sulphur compounds"),
}


# ---------------------------------------------------------------------------------------
# Scenario tables


ResourceName = Annotated[Resource, Field(strict=False)]
"""A resource written as its key in TOML ("water_ice", ...)."""


class FacilitySpec(StrictModel):
    """A mining plant (`[[facility]]`). Keys and units:

    - `name`: unique name.
    - `at`: the site or asteroid the plant sits at (a `[[site]]` or `[[asteroid]]` name).
    - `resource`: what it extracts: water_ice, oxygen, hydrogen, metals, pgm, helium3,
      regolith or volatiles (mass in kg).
    - `rate_kg_per_day`: nameplate extraction rate, kg/day (> 0).
    - `start`: time the plant starts (ISO-8601 UTC or `jd:` TDB).
    - `ramp_up_days`: days over which the rate grows linearly from 0 to nameplate (>= 0;
      default 0).
    - `power`: "solar" (default), "nuclear" or "fission".
    - `stops_in_darkness`: whether extraction stops while the Sun is below the site's horizon;
      default true for solar power, false otherwise. Only lunar sites have darkness; asteroid
      plants are always lit.
    - `storage_kg`: storage capacity on site, kg (> 0); extraction stops while it is full.
    - `info`: free text shown in the info panel.
    """

    name: Name
    at: Name
    resource: ResourceName
    rate_kg_per_day: Annotated[float, Field(gt=0.0, le=1e12)]
    start: TimeTDB
    ramp_up_days: Annotated[float, Field(ge=0.0, le=36525.0)] = 0.0
    power: Literal["solar", "nuclear", "fission"] = "solar"
    stops_in_darkness: bool | None = None
    storage_kg: Annotated[float, Field(gt=0.0, le=1e15)]
    info: str | None = None

    @model_validator(mode="after")
    def _default_darkness(self) -> FacilitySpec:
        if self.stops_in_darkness is None:
            self.stops_in_darkness = self.power == "solar"
        return self


class ShipmentSpec(StrictModel):
    """A direct shipment route (`[[shipment]]`): cargo from a facility to a destination.

    - `name`: unique name (shown as a ship in reports).
    - `from`: the facility the cargo is loaded at (a `[[facility]]` name).
    - `to`: the destination: a body, site, asteroid or facility name. Delivered cargo is
      counted there and leaves the model.
    - `resource`: optional; must be the facility's resource (a facility extracts one).
    - `payload_kg`: most cargo per trip, kg (> 0); each trip takes min(stored, payload_kg).
    - `transit_days`: days from departure to arrival (> 0).
    - `every_days`: departure cadence, days (>= 0.25); with it, `first` (default: the
      facility's start plus one cadence) and `last` (default: the scenario end) bound the
      departures.
    - `times`: instead of `every_days`, an explicit list of departure times.
    - `info`: free text.
    """

    name: Name
    from_: Name = Field(alias="from")
    to: Name
    resource: ResourceName | None = None
    payload_kg: Annotated[float, Field(gt=0.0, le=1e15)]
    transit_days: Annotated[float, Field(gt=0.0, le=36525.0)]
    every_days: Annotated[float, Field(ge=0.25, le=36525.0)] | None = None
    first: TimeTDB | None = None
    last: TimeTDB | None = None
    times: Annotated[list[TimeTDB], Field(min_length=1, max_length=MAX_LEGS_PER_SHIPMENT)] | None = None
    info: str | None = None

    @model_validator(mode="after")
    def _cadence_or_times(self) -> ShipmentSpec:
        if (self.every_days is None) == (self.times is None):
            raise ValueError("give exactly one of 'every_days' or 'times'")
        if self.times is not None and (self.first is not None or self.last is not None):
            raise ValueError("'first' and 'last' go with 'every_days', not with 'times'")
        if self.first is not None and self.last is not None and self.last < self.first:
            raise ValueError("'last' must not be before 'first'")
        return self

    def departures(self, facility_start_tdb: float, t_end_tdb: float) -> np.ndarray:
        """Departure times (TDB JD, sorted) up to `t_end_tdb` (the scenario end)."""
        if self.times is not None:
            t = np.sort(np.asarray(self.times, dtype=np.float64))
            return t[t <= t_end_tdb]
        assert self.every_days is not None
        first = self.first if self.first is not None else facility_start_tdb + self.every_days
        last = min(self.last, t_end_tdb) if self.last is not None else t_end_tdb
        if last < first:
            return np.empty(0)
        count = int(math.floor((last - first) / self.every_days + 1e-9)) + 1
        if count > MAX_LEGS_PER_SHIPMENT:
            raise UserError(f"shipment '{self.name}' would make {count} trips; at most "
                            f"{MAX_LEGS_PER_SHIPMENT} are allowed (raise every_days)")
        return first + self.every_days * np.arange(count)

    def legs(self, facility_start_tdb: float, t_end_tdb: float) -> list[CargoLeg]:
        """The route's trips as cargo legs (ship name = route name)."""
        return [CargoLeg(self.name, self.from_, self.to, float(t), float(t) + self.transit_days,
                         self.payload_kg)
                for t in self.departures(facility_start_tdb, t_end_tdb)]


class CargoLeg(NamedTuple):
    """One trip: `ship` loads up to `payload_kg` at facility `from_facility` at `depart_tdb`
    and delivers it to `to` at `arrive_tdb` (TDB JD). Lambert-transfer ships pass these in."""

    ship: str
    from_facility: str
    to: str
    depart_tdb: float
    arrive_tdb: float
    payload_kg: float


class Event(NamedTuple):
    """A moment for the timeline: `kind` is one of EVENT_KINDS; `name` is the facility or ship;
    `detail` is a short human sentence."""

    t_tdb: float
    name: str
    kind: str
    detail: str = ""


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
    facilities: tuple[FacilitySpec, ...]
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
    events: list[Event] = field(default_factory=list)

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

    def rate_at(self, t_tdb: float) -> np.ndarray:
        """Current extraction rate (kg/day) of each facility at one time, 0 when idle or full."""
        t = float(t_tdb)
        i, w = self._locate(np.asarray(t))
        return self._rate_and_status(t, i, self._values(i, w)["stored_kg"])[0]

    def status_at(self, t_tdb: float) -> tuple[str, ...]:
        """Each facility's status at one time (one of FACILITY_STATUSES)."""
        t = float(t_tdb)
        i, w = self._locate(np.asarray(t))
        return self._rate_and_status(t, i, self._values(i, w)["stored_kg"])[1]

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

    def events_between(self, t0_tdb: float, t1_tdb: float, kinds: Iterable[str] | None = None) -> list[Event]:
        """Events with t0 <= t < t1, optionally of the given kinds."""
        wanted = set(kinds) if kinds is not None else None
        return [e for e in self.events if t0_tdb <= e.t_tdb < t1_tdb
                and (wanted is None or e.kind in wanted)]


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


def simulate(facilities: Sequence[FacilitySpec], shipments: Sequence[ShipmentSpec] = (), *,
             t_start_tdb: float, t_end_tdb: float, legs: Iterable[CargoLeg] = (),
             lit: Mapping[str, LitSource | None] | None = None,
             step_days: float = DEFAULT_STEP_DAYS) -> OperationsSim:
    """Simulate facilities and cargo from `t_start_tdb` to `t_end_tdb` (TDB JD).

    The grid starts at the earlier of `t_start_tdb` and the first plant start, so a plant
    built before the scenario opens has its stock. `lit` maps facility names to a sunlight
    source (see `LitSource`, e.g. from `lunar_lit_sources`); facilities without one, or with
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


def _collect_legs(specs: Sequence[FacilitySpec], shipments: Sequence[ShipmentSpec],
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


def _events(sim: OperationsSim, cumulative: np.ndarray, t_begin: float, t_end: float) -> list[Event]:
    events: list[Event] = []
    t = sim.t_tdb
    for i, spec in enumerate(sim.facilities):
        what = f"{spec.resource.display_name} at {spec.at}"
        if t_begin <= spec.start <= t_end:
            events.append(Event(spec.start, spec.name, "plant start", f"starts extracting {what}"))
        ramp_end = spec.start + spec.ramp_up_days
        if spec.ramp_up_days > 0 and t_begin <= ramp_end <= t_end:
            events.append(Event(ramp_end, spec.name, "ramp-up complete",
                                f"at {spec.rate_kg_per_day:g} kg/day"))
        full = sim.stored_kg[i] >= spec.storage_kg * (1.0 - 1e-12)
        for k in np.flatnonzero(full[1:] & ~full[:-1]) + 1:
            gained = cumulative[i, k] - cumulative[i, k - 1]
            fraction = (spec.storage_kg - sim.stored_kg[i, k - 1]) / gained if gained > 0 else 1.0
            when = t[k - 1] + min(max(fraction, 0.0), 1.0) * (t[k] - t[k - 1])
            events.append(Event(float(when), spec.name, "storage full",
                                f"{spec.storage_kg:g} kg of {spec.resource.display_name.lower()}"))
    for j, leg in enumerate(sim.legs):
        resource = sim.facilities[sim.leg_facility[j]].resource.display_name.lower()
        load = f"{sim.leg_cargo_kg[j]:.0f} kg of {resource}"
        events.append(Event(leg.depart_tdb, leg.ship, "departure",
                            f"leaves {leg.from_facility} for {leg.to} with {load}"))
        if leg.arrive_tdb <= t_end:
            events.append(Event(leg.arrive_tdb, leg.ship, "arrival", f"delivers {load} to {leg.to}"))
    events.sort(key=lambda e: (e.t_tdb, EVENT_KINDS.index(e.kind)))
    return events


# ---------------------------------------------------------------------------------------
# Sunlight for lunar facilities


def lunar_lit_sources(facilities: Sequence[FacilitySpec], sites: Sequence[Any]) -> dict[str, LitSource]:
    """Sunlight callables for facilities at lunar sites (objects with name, lat, lon,
    elevation_m and optionally horizon_deg, degrees); facilities elsewhere get none (always lit).
    Facilities at one site share one callable, so the Sun is computed once per site."""
    from spaceviz.core.moon import lit_predicate

    by_name = {s.name.strip().lower(): s for s in sites if getattr(s, "body", "Moon") == "Moon"}
    per_site: dict[str, LitSource] = {}
    out: dict[str, LitSource] = {}
    for facility in facilities:
        key = facility.at.strip().lower()
        site = by_name.get(key)
        if site is None or not facility.stops_in_darkness:
            continue
        if key not in per_site:
            per_site[key] = lit_predicate(site.lat, site.lon,
                                          getattr(site, "horizon_deg", None) or 0.0,
                                          getattr(site, "elevation_m", 0.0) or 0.0)
        out[facility.name] = per_site[key]
    return out


# ---------------------------------------------------------------------------------------
# Report


def _kg(value: float) -> float:
    return round(float(value), 3)


def report(sim: OperationsSim, t_tdb: float) -> dict[str, Any]:
    """JSON-ready summary at one time (TDB JD) for `spaceviz report`: every facility and ship.

    Keys: `jd_tdb`, `time_utc` (ISO-8601); `facilities` {name: at, resource, resource_name, power, status,
    rate_kg_per_day, nameplate_rate_kg_per_day, storage_capacity_kg, mined_kg, stored_kg,
    shipped_kg, in_transit_kg, delivered_kg}; `ships` {name: from, to, resource, status,
    cargo_kg, shipped_kg, delivered_kg, trips_departed, trips_arrived, next_departure_jd_tdb};
    `resources` {resource: name, unit, mined_kg, stored_kg, in_transit_kg, delivered_kg};
    `destinations` {to: {resource: delivered_kg}}. Masses are rounded to grams.
    """
    t = float(t_tdb)
    state = sim.state_at(t)
    facilities: dict[str, Any] = {}
    for i, spec in enumerate(sim.facilities):
        facilities[spec.name] = {
            "at": spec.at,
            "resource": spec.resource.value,
            "resource_name": spec.resource.display_name,
            "power": spec.power,
            "status": state.status[i],
            "rate_kg_per_day": _kg(state.rate_kg_per_day[i]),
            "nameplate_rate_kg_per_day": float(spec.rate_kg_per_day),
            "storage_capacity_kg": float(spec.storage_kg),
            "mined_kg": _kg(state.mined_kg[i]),
            "stored_kg": _kg(state.stored_kg[i]),
            "shipped_kg": _kg(state.shipped_kg[i]),
            "in_transit_kg": _kg(state.in_transit_kg[i]),
            "delivered_kg": _kg(state.delivered_kg[i]),
        }
    resources: dict[str, Any] = {}
    for i, spec in enumerate(sim.facilities):
        entry = resources.setdefault(spec.resource.value, {
            "name": spec.resource.display_name, "unit": "kg", "mined_kg": 0.0, "stored_kg": 0.0,
            "in_transit_kg": 0.0, "delivered_kg": 0.0})
        for key in ("mined_kg", "stored_kg", "in_transit_kg", "delivered_kg"):
            entry[key] = _kg(entry[key] + getattr(state, key)[i])
    return {"jd_tdb": t, "time_utc": _iso_or_none(t), "facilities": facilities, "ships": _ship_report(sim, state, t),
            "resources": resources, "destinations": _destinations(sim, t)}


def _iso_or_none(t_tdb: float) -> str | None:
    from spaceviz.core.time import format_iso

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
            "resource": sim.facilities[sim.leg_facility[first]].resource.value,
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
            resource = sim.facilities[sim.leg_facility[j]].resource.value
            into = out.setdefault(leg.to, {})
            into[resource] = _kg(into.get(resource, 0.0) + sim.leg_cargo_kg[j])
    return out


# ---------------------------------------------------------------------------------------
# Scenario cross-checks


def operations_problems(data: Mapping[str, Any], lines: Mapping[tuple, int], source: str,
                        places: Iterable[str], names: Iterable[str],
                        has_catalog: bool = False) -> list[Problem]:
    """Problems in the raw `facility` and `shipment` tables of a scenario, with lines.

    `places` are the names a facility may sit at (sites and asteroids); `names` are all other
    names already used (bodies, asteroids, sites, ships) for duplicates and destinations.
    With a catalogue, `at` and `to` may name catalogue asteroids and are not checked.
    """
    problems: list[Problem] = []
    place_keys = {p.strip().lower() for p in places}
    used = {n.strip().lower() for n in names}
    destination_keys = set(used) | place_keys

    def problem(loc: tuple, label: str, message: str) -> None:
        problems.append(Problem(source, line_of(dict(lines), loc), label, message))

    facilities: dict[str, str | None] = {}
    for section in ("facility", "shipment"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            name = item["name"]
            key = name.strip().lower()
            if key in used:
                problem((section, index, "name"), f"{section}[{name}].name",
                        f"duplicate name '{name}'")
            used.add(key)
            if section == "facility":
                facilities[key] = item.get("resource") if isinstance(item.get("resource"), str) else None
                destination_keys.add(key)

    for index, item in enumerate(data.get("facility") or []):
        if not isinstance(item, dict):
            continue
        label = f"facility[{item.get('name', index)}]"
        at = item.get("at")
        if isinstance(at, str) and at.strip().lower() not in place_keys and not has_catalog:
            problem(("facility", index, "at"), f"{label}.at",
                    f"'{at}' is not a site or asteroid of this scenario")

    for index, item in enumerate(data.get("shipment") or []):
        if not isinstance(item, dict):
            continue
        label = f"shipment[{item.get('name', index)}]"
        origin = item.get("from")
        if isinstance(origin, str):
            okey = origin.strip().lower()
            if okey not in facilities:
                problem(("shipment", index, "from"), f"{label}.from",
                        f"'{origin}' is not a facility of this scenario")
            else:
                resource = item.get("resource")
                made = facilities[okey]
                if isinstance(resource, str) and made is not None and resource != made:
                    problem(("shipment", index, "resource"), f"{label}.resource",
                            f"'{origin}' extracts {made}, not {resource}")
        to = item.get("to")
        if isinstance(to, str):
            if isinstance(origin, str) and to.strip().lower() == origin.strip().lower():
                problem(("shipment", index, "to"), f"{label}.to", "'from' and 'to' are the same")
            elif to.strip().lower() not in destination_keys and not has_catalog:
                problem(("shipment", index, "to"), f"{label}.to",
                        f"'{to}' is not a body, site, asteroid or facility of this scenario")
    return problems
