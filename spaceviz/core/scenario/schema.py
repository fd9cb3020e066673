"""The scenario file's schema: pydantic models of every table, validated strictly.

Times become TDB Julian dates (float64); paths stay as written (the loader resolves them
against the scenario file's folder). Unknown keys are errors (they are usually typos).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import numpy as np
from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from spaceviz.core.errors import Problem, UserError
from spaceviz.core.mission.economics import PRICE_MARKETS
from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.mission.operations.simulation import (
    MAX_LEGS_PER_SHIPMENT,
    CargoLeg,
    facility_outputs,
)
from spaceviz.core.mission.propulsion import ENGINE_CHOICES, ENGINES
from spaceviz.core.scenario.fields import Color, FilePath, Name, StrictModel, TimeTDB

SCHEMA_VERSION = 1

ResourceName = Annotated[Resource, Field(strict=False)]
"""A resource written as its key in TOML ("water_ice", ...)."""
Usd = Annotated[float, Field(ge=0.0, le=1e15)]
"""An amount of money, US dollars (USD), at most a quadrillion."""


def _name_or_names(value):
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError('give a name ("Polar Resources") or a list of names '
                         '(["Polar Resources", "Selene Mining"])')
    return value


Operators = Annotated[list[Name], BeforeValidator(_name_or_names), Field(min_length=1,
                                                                        max_length=20)]
"""Who runs something: one name, or several for a shared venture (`["A", "B"]`); kept as a
list."""


def names_of(value: list[str] | None) -> tuple[str, ...]:
    """An `operator` or `country` key as a tuple of names (empty when not given)."""
    return tuple(value) if value else ()


class AsteroidSpec(StrictModel):
    """One asteroid with osculating heliocentric elements (AU, degrees, epoch TDB)."""

    name: Name
    designation: str | None = None
    epoch: TimeTDB
    a: Annotated[float, Field(gt=0.0, lt=1000.0, description="semi-major axis, AU")]
    e: Annotated[float, Field(ge=0.0, lt=1.0, description="eccentricity (elliptic orbits only)")]
    i: Annotated[float, Field(ge=0.0, le=180.0, description="inclination, degrees")]
    node: Annotated[float, Field(ge=-360.0, le=360.0)]
    peri: Annotated[float, Field(ge=-360.0, le=360.0)]
    M: Annotated[float, Field(ge=-360.0, le=360.0)]
    plane: Literal["ecliptic", "equator"] = "ecliptic"
    diameter_km: Annotated[float, Field(gt=0.0)] | None = None
    spectral_class: str | None = None
    color: Color | None = None
    info: str | None = None


class CatalogSpec(StrictModel):
    """Many asteroids: a file (MPCORB.DAT[.gz] or SBDB CSV) or a synthetic belt."""

    path: FilePath | None = None
    synthetic: Annotated[int, Field(gt=0, le=5_000_000)] | None = None
    seed: int = 1
    limit: Annotated[int, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CatalogSpec:
        if (self.path is None) == (self.synthetic is None):
            raise ValueError("give exactly one of 'path' or 'synthetic'")
        return self


class SiteSpec(StrictModel):
    """A surface site by selenographic latitude/longitude (degrees; east longitude). The local
    horizon (degrees) is high in a crater, below 0 on a rim that stands above its surroundings."""

    name: Name
    body: Literal["Moon"] = "Moon"
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lon: Annotated[float, Field(ge=-180.0, le=360.0)]
    elevation_m: Annotated[float, Field(ge=-20_000.0, le=20_000.0)] = 0.0
    horizon_deg: Annotated[float, Field(ge=-10.0, le=45.0)] = 0.0
    info: str | None = None


ORBIT_BODIES = ("Mercury", "Venus", "Earth", "Moon", "Mars", "Jupiter", "Saturn", "Uranus",
                "Neptune")


class OrbitSpec(StrictModel):
    """A named circular orbit (`[[orbit]]`): a place ships fly to and from and depots stand
    in. Keys and units:

    - `name`: unique name.
    - `around`: the body it circles: a planet or the Moon.
    - `altitude_km`: height above the body's equatorial radius, km (> 0).
    - `inclination_deg`: inclination to the body's equator (the IAU pole; the Earth's: the
      ICRF equator), degrees 0-180; default 0.
    - `node_deg`: longitude of the ascending node, measured from the node of the body's
      equator on the ICRF equator (the Earth: from the equinox), degrees; default 0.
    - `phase_deg`: argument of latitude of the orbit's reference point at J2000 TDB,
      degrees; default 0 (where `spaceviz where` puts it; ships keep their own phase).
    - `info`: free text.
    """

    name: Name
    around: Literal[ORBIT_BODIES]  # type: ignore[valid-type]
    altitude_km: Annotated[float, Field(gt=0.0, le=1e8)]
    inclination_deg: Annotated[float, Field(ge=0.0, le=180.0)] = 0.0
    node_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    phase_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    info: str | None = None


Revolutions = Annotated[int, Field(ge=0, le=10)]
"""Complete revolutions of a transfer arc; omitted: the engine flies the cheapest arc."""
Branch = Literal["left", "right"]
"""Which of the two multi-revolution arcs (shorter or longer period); omitted: the cheaper."""


class LegSpec(StrictModel):
    """One leg of a multi-leg ship: where to, when (an electric leg may leave out `arrive`:
    its thrust sets it), the cargo carried (kg) and which resource it is (from a facility
    holding several), and optionally the arc's revolutions and branch."""

    to: Name
    depart: TimeTDB
    arrive: TimeTDB | None = None
    cargo_kg: Annotated[float, Field(ge=0.0)] = 0.0
    resource: ResourceName | None = None
    revolutions: Revolutions | None = None
    branch: Branch | None = None


class PlannedLeg(NamedTuple):
    """A leg as the engine needs it: where to, departure and arrival (TDB; arrival None: the
    thrust sets it), cargo (kg) and its resource, revolutions and branch (None: the engine
    picks), and the key path of the leg's table."""

    to: str
    depart: float
    arrive: float | None
    cargo_kg: float
    resource: Resource | None
    revolutions: int | None
    branch: str | None
    loc: tuple


ENGINE_KEYS = ("engine", "isp_s", "thrust_n", "dry_mass_kg", "propellant_kg", "tank_kg",
               "refuel_at", "launch_c3_km2_s2")
"""The keys of a ship's engine and tanks (core.mission.propulsion documents them)."""


class ShipSpec(StrictModel):
    """A ship: a Lambert transfer between two named objects, several legs from `from`
    (`legs`), or a CCSDS OEM file; optionally an engine and tanks (`engine`, `isp_s`,
    `thrust_n`, `dry_mass_kg`, `propellant_kg`, `tank_kg`, `refuel_at`, `launch_c3_km2_s2`:
    see core.mission.propulsion). Masses kg, Isp s, thrust N, C3 km^2/s^2. Economics:
    `cost_usd` (USD, spent at its first departure: building and launching it),
    `cost_per_leg_usd` (USD, at each leg's departure), `operator` and `country` (a name, or
    a list for a shared venture)."""

    name: Name
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    depart: TimeTDB | None = None
    arrive: TimeTDB | None = None
    legs: Annotated[list[LegSpec], Field(min_length=1, max_length=100)] | None = None
    oem: FilePath | None = None
    cargo_kg: Annotated[float, Field(ge=0.0)] = 0.0
    resource: ResourceName | None = None
    revolutions: Revolutions | None = None
    branch: Branch | None = None
    engine: Literal[ENGINE_CHOICES] | None = None  # type: ignore[valid-type]
    isp_s: Annotated[float, Field(gt=0.0, le=1e6)] | None = None
    thrust_n: Annotated[float, Field(gt=0.0, le=1e8)] | None = None
    dry_mass_kg: Annotated[float, Field(gt=0.0, le=1e12)] | None = None
    propellant_kg: Annotated[float, Field(ge=0.0, le=1e12)] | None = None
    tank_kg: Annotated[float, Field(ge=0.0, le=1e12)] | None = None
    refuel_at: Name | Annotated[list[Name], Field(min_length=1, max_length=20)] | None = None
    launch_c3_km2_s2: Annotated[float, Field(ge=0.0, le=200.0)] | None = None
    cost_usd: Usd | None = None
    cost_per_leg_usd: Usd | None = None
    operator: Operators | None = None
    country: Operators | None = None
    info: str | None = None

    @property
    def electric(self) -> bool:
        """Whether the ship's engine is electric (low thrust)."""
        return self.engine == "electric" or (self.engine in ENGINES
                                             and ENGINES[self.engine].electric)

    @property
    def refuel_names(self) -> tuple[str, ...]:
        if self.refuel_at is None:
            return ()
        return (self.refuel_at,) if isinstance(self.refuel_at, str) else tuple(self.refuel_at)

    def leg_list(self, index: int) -> list[PlannedLeg]:
        """Every leg in order; `index` is this ship's position in the scenario's [[ship]]."""
        if self.legs is not None:
            return [PlannedLeg(leg.to, leg.depart, leg.arrive, leg.cargo_kg, leg.resource,
                               leg.revolutions, leg.branch, ("ship", index, "legs", k))
                    for k, leg in enumerate(self.legs)]
        return [PlannedLeg(self.to, self.depart, self.arrive, self.cargo_kg, self.resource,
                           self.revolutions, self.branch, ("ship", index))]

    @model_validator(mode="after")
    def _transfer_or_file(self) -> ShipSpec:
        transfer = [self.from_, self.to, self.depart, self.arrive]
        if self.oem is not None:
            if (any(v is not None for v in transfer) or self.legs is not None
                    or self.revolutions is not None or self.branch is not None):
                raise ValueError("give either 'oem' or 'from'/'to'/'depart'/'arrive', not both")
            if any(getattr(self, key) is not None for key in ENGINE_KEYS):
                raise ValueError("an OEM trajectory carries no engine: leave out "
                                 + ", ".join(k for k in ENGINE_KEYS if getattr(self, k) is not None))
            return self
        if self.legs is not None:
            if any(v is not None for v in transfer[1:]) or self.revolutions is not None \
                    or self.branch is not None or self.resource is not None:
                raise ValueError("with 'legs', give only 'from' (each leg has to/depart/arrive "
                                 "and its own revolutions, branch and resource)")
            if self.from_ is None:
                raise ValueError("a ship with 'legs' needs 'from'")
            return self
        keys = ("from", "to", "depart") if self.electric else ("from", "to", "depart", "arrive")
        missing = [k for k, v in zip(keys, transfer, strict=False) if v is None]
        if missing:
            raise ValueError("a transfer needs " + ", ".join(f"'{m}'" for m in missing)
                             + " (or an 'oem' file)")
        return self


class EventSpec(StrictModel):
    """A named moment on the timeline."""

    name: Name
    time: TimeTDB
    target: str | None = None
    description: str = ""


class TourStopSpec(StrictModel):
    """One stop of a tour: target, scenario time (or a range to play through), camera, text."""

    target: str
    time: TimeTDB
    until: TimeTDB | None = None
    distance_au: Annotated[float, Field(gt=0.0, le=1000.0)] = 1.0
    azimuth: float | None = None  # default: overhead for surface targets, sunlit for bodies
    elevation: Annotated[float, Field(ge=-90.0, le=90.0)] | None = None
    caption: str = ""
    title: str = ""
    duration_s: Annotated[float, Field(ge=0.0, le=3600.0)] = 8.0
    transition_s: Annotated[float, Field(gt=0.0, le=600.0)] = 3.0


class TourSpec(StrictModel):
    """A guided tour: a name and its stops, played in order."""

    name: Name
    title: str = ""
    stop: Annotated[list[TourStopSpec], Field(min_length=1)]


class EconomicsSpec(StrictModel):
    """`[economics]`: `discount_rate` per year (0 to 1; NPV discounts each cash flow at its
    own time from the scenario start; default 0.08) and `launch_usd_per_kg` (USD per kg
    lifted from Earth to low Earth orbit; default the shipped price, Falcon 9's 2,720)."""

    discount_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.08
    launch_usd_per_kg: Annotated[float, Field(gt=0.0, le=1e7)] | None = None


class PriceSpec(StrictModel):
    """`[[price]]`: what a kg of a resource delivered is worth, overriding the shipped table
    (resources/economics/prices.csv): `usd_per_kg` (typical, USD/kg), `low` and `high` (the
    band; default the typical value), `source` (shown with the figure), and `at`: the
    market it applies to ("leo": the Earth and its orbits, "lunar_orbit", "lunar_surface";
    left out: everywhere)."""

    resource: ResourceName
    usd_per_kg: Usd
    low: Usd | None = None
    high: Usd | None = None
    source: Annotated[str, Field(min_length=1, max_length=300)]
    at: Literal[PRICE_MARKETS] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _band(self) -> PriceSpec:
        low, typical, high = self.band
        if low > typical:
            raise ValueError(f"'low' ({low:g}) is above 'usd_per_kg' ({typical:g})")
        if high < typical:
            raise ValueError(f"'high' ({high:g}) is below 'usd_per_kg' ({typical:g})")
        return self

    @property
    def band(self) -> tuple[float, float, float]:
        """USD/kg low, typical, high."""
        return (self.low if self.low is not None else self.usd_per_kg, self.usd_per_kg,
                self.high if self.high is not None else self.usd_per_kg)


class ViewSpec(StrictModel):
    """The camera when the scenario opens: target, distance (AU) and angles (degrees)."""

    target: str = "Sun"
    distance_au: Annotated[float, Field(gt=0.0, le=1000.0)] = 6.0
    azimuth: float = 30.0
    elevation: Annotated[float, Field(ge=-90.0, le=90.0)] = 35.0
    rate: float = Field(default=30.0, description="initial playback rate, days per second")


class Scenario(StrictModel):
    """A whole scenario file. Times are TDB Julian dates."""

    schema_version: Literal[1]
    title: Name
    description: str = ""
    notes: str = ""  # teacher notes (Markdown): what to point at, questions, sources
    start: TimeTDB
    end: TimeTDB
    mining_targets: bool = False  # add the shipped targets (resources/targets) as asteroids
    view: ViewSpec = ViewSpec()
    asteroid: list[AsteroidSpec] = []
    catalog: list[CatalogSpec] = []
    site: list[SiteSpec] = []
    ship: list[ShipSpec] = []
    event: list[EventSpec] = []
    tour: list[TourSpec] = []
    facility: list[FacilitySpec] = []
    shipment: list[ShipmentSpec] = []
    orbit: list[OrbitSpec] = []
    economics: EconomicsSpec = EconomicsSpec()
    price: list[PriceSpec] = []

    source_path: Path | None = Field(default=None, exclude=True)
    _source: str = PrivateAttr(default="<scenario>")
    _lines: dict = PrivateAttr(default_factory=dict)
    _data: dict = PrivateAttr(default_factory=dict)
    _indices: dict = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str:
        """The file name problems are reported against."""
        return self._source

    def key_path(self, loc: tuple) -> tuple:
        """The file's key path for a path into this model (("ship", 2, "to")): the same,
        except that indices skip tables dropped as invalid from a partial scenario."""
        if len(loc) >= 2 and loc[0] in self._indices and isinstance(loc[1], int):
            indices = self._indices[loc[0]]
            if loc[1] < len(indices):
                return (loc[0], indices[loc[1]]) + tuple(loc[2:])
        return tuple(loc)

    def raw_tables(self, section: str) -> list[tuple[int, int | None, dict]]:
        """(index in the file, index in this model or None when it was invalid, the table) of
        every table of an array, as written."""
        items = self._data.get(section)
        if not isinstance(items, list):
            return [(k, k, {}) for k in range(len(getattr(self, section)))]
        kept = self._indices.get(section, list(range(len(items))))
        return [(k, kept.index(k) if k in kept else None, item if isinstance(item, dict) else {})
                for k, item in enumerate(items)]

    def line_of_raw(self, loc: tuple) -> int:
        """The line of a key path of the file."""
        from spaceviz.core.tomlpos import line_of

        return line_of(self._lines, tuple(loc))

    def problem(self, loc: tuple, message: str, raw: bool = False) -> Problem:
        """A Problem at a key path of this scenario (of the file itself when `raw`):
        `FILE:LINE: field: message`."""
        from spaceviz.core.tomlpos import field_text, line_of

        path = tuple(loc) if raw else self.key_path(loc)
        return Problem(self._source, line_of(self._lines, path), field_text(path, self._data),
                       message)


# ---------------------------------------------------------------------------------------
# Mining operations tables




FACILITY_ROLES = ("mine", "depot")
PROCESSES = ("electrolysis",)


class FacilitySpec(StrictModel):
    """A facility (`[[facility]]`): a mine (the default) extracts a resource; a depot only
    stores what ships and shipments deliver; either may process what enters its stock.
    Keys and units:

    - `name`: unique name.
    - `at`: the site, asteroid or orbit the facility stands at (a `[[site]]`, `[[asteroid]]`
      or `[[orbit]]` name; mines stand on sites or asteroids).
    - `role`: "mine" (default) or "depot".
    - `resource`: what a mine extracts: water_ice, oxygen, hydrogen, metals, pgm, helium3,
      regolith or volatiles (mass in kg). Not for depots.
    - `rate_kg_per_day`: a mine's nameplate extraction rate, kg/day (> 0).
    - `start`: time the facility starts (ISO-8601 UTC or `jd:` TDB); a depot's default is
      the scenario's start.
    - `ramp_up_days`: days over which the rate grows linearly from 0 to nameplate (>= 0;
      default 0).
    - `power`: "solar" (default), "nuclear" or "fission".
    - `stops_in_darkness`: whether extraction stops while the Sun is below the site's horizon;
      default true for solar power, false otherwise. Only lunar sites have darkness; asteroid
      plants are always lit.
    - `storage_kg`: storage capacity, kg (> 0; all resources together); extraction stops while
      the stock is at it. Deliveries are always accepted. Optional for a depot.
    - `process`: "electrolysis" splits water (mined or delivered) as it enters the stock into
      0.888 kg of oxygen and 0.112 kg of hydrogen per kg (the masses of O and 2 H in H2O).
    - `capex_usd`: what building it costs, USD, spent at its `start`.
    - `opex_usd_per_year`: what running it costs, USD per year, from its `start` on.
    - `operator`, `country`: who runs it and under which flag (a name, or a list of names
      for a shared venture).
    - `info`: free text shown in the info panel.
    """

    name: Name
    at: Name
    role: Literal[FACILITY_ROLES] = "mine"  # type: ignore[valid-type]
    resource: ResourceName | None = None
    rate_kg_per_day: Annotated[float, Field(gt=0.0, le=1e12)] | None = None
    start: TimeTDB | None = None
    ramp_up_days: Annotated[float, Field(ge=0.0, le=36525.0)] = 0.0
    power: Literal["solar", "nuclear", "fission"] = "solar"
    stops_in_darkness: bool | None = None
    storage_kg: Annotated[float, Field(gt=0.0, le=1e15)] | None = None
    process: Literal[PROCESSES] | None = None  # type: ignore[valid-type]
    capex_usd: Usd | None = None
    opex_usd_per_year: Usd | None = None
    operator: Operators | None = None
    country: Operators | None = None
    info: str | None = None

    @model_validator(mode="after")
    def _role_keys(self) -> FacilitySpec:
        if self.role == "mine":
            missing = [k for k in ("resource", "rate_kg_per_day", "start", "storage_kg")
                       if getattr(self, k) is None]
            if missing:
                raise ValueError("a mine needs " + ", ".join(f"'{m}'" for m in missing)
                                 + " (or role = \"depot\")")
        else:
            given = [k for k in ("resource", "rate_kg_per_day") if getattr(self, k) is not None]
            if given:
                raise ValueError("a depot extracts nothing: leave out "
                                 + ", ".join(f"'{g}'" for g in given))
            if self.storage_kg is None:
                self.storage_kg = math.inf
            self.rate_kg_per_day = 0.0
        if self.stops_in_darkness is None:
            self.stops_in_darkness = self.power == "solar"
        return self

    def outputs(self) -> tuple[Resource, ...]:
        """What a mine's extraction adds to its stock: its resource, or the products of its
        process (electrolysis of water: oxygen and hydrogen); nothing for a depot."""
        return facility_outputs(self)


class ShipmentSpec(StrictModel):
    """A direct shipment route (`[[shipment]]`): cargo from a facility to a destination.

    - `name`: unique name (shown as a ship in reports).
    - `from`: the facility the cargo is loaded at (a `[[facility]]` name).
    - `to`: the destination: a body, site, asteroid, orbit or facility name. Cargo delivered
      to a facility enters its stock; anywhere else it is counted there and leaves the model.
    - `resource`: what is loaded; default the facility's resource (required from a facility
      holding several: a depot, or an electrolysis plant's oxygen and hydrogen).
    - `payload_kg`: most cargo per trip, kg (> 0); each trip takes min(stored, payload_kg).
    - `transit_days`: days from departure to arrival (> 0).
    - `every_days`: departure cadence, days (>= 0.25); with it, `first` (default: the
      facility's start plus one cadence) and `last` (default: the scenario end) bound the
      departures.
    - `times`: instead of `every_days`, an explicit list of departure times.
    - `cost_per_trip_usd`: what each trip costs, USD, at its departure (counted for the
      facility it leaves from).
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
    cost_per_trip_usd: Usd | None = None
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
        resource = self.resource.value if self.resource is not None else None
        return [CargoLeg(self.name, self.from_, self.to, float(t), float(t) + self.transit_days,
                         self.payload_kg, resource)
                for t in self.departures(facility_start_tdb, t_end_tdb)]

