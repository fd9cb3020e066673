"""What mining is worth, what it costs and what it saves on Earth: prices, cash flows over
time, net present value, break-even, the Earth-side footprint avoided, and the value of a
mining target. Pure numpy; every amount is in US dollars (USD, nominal, of the price year
named with each price), every mass in kg, every time a TDB Julian date, rates per Julian
year (365.25 days).

The shipped tables live in resources/economics/ (each row names its source):

- prices.csv: low, typical and high USD/kg per commodity, where location matters per
  market (`at`): water and propellant are worth the launch they avoid, which differs by
  orders of magnitude between low Earth orbit, lunar orbit and the lunar surface.
- mixes.csv: a resource that is a mixture (iron-nickel `metals`, the `pgm` basket) priced
  and footprinted from its components by mass fraction.
- footprint.csv: kg CO2e per kg of primary production on Earth and tonnes of ore per kg
  (figures marked UNSOURCED are placeholders, and said so wherever they are shown), and the
  CO2e of a kg launched to low Earth orbit.
- densities.csv: bulk density by spectral class, for a target's mass from its diameter.

Markets (`MARKETS`): cargo delivered to the Earth or an Earth orbit is priced in low Earth
orbit (ships reach a 400 km parking orbit); metals there at their terrestrial price (no
premium, no de-orbit cost counted). A depot or site on or around the Moon is in the lunar
orbit or lunar surface market; anywhere else ("space") has no default price.

Cash flows (`evaluate`): value when mass is delivered (`Sale`: kg x price at the market it
is delivered to), costs at their times (`Cost`: capex at a facility's start, flights,
launched mass x launch price) and running costs spread over time (`RunningCost`: opex while
built). Each cash flow is discounted at its own time from the scenario start: a flow at t is
worth (1 + r) ** -((t - t0) / 365.25) of itself at t0. The band: the same with every price
at its low or its high value (costs have no band).
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spaceviz.paths import RESOURCES_DIR

ECONOMICS_DIR = RESOURCES_DIR / "economics"
DAYS_PER_YEAR = 365.25
BANDS = ("low", "typ", "high")
"""The rows of every (3, ...) array of USD or CO2e: low, typical, high prices or factors."""

MARKETS = ("leo", "lunar_orbit", "lunar_surface", "space")
MARKET_NAMES = {"leo": "in low Earth orbit", "lunar_orbit": "in lunar orbit",
                "lunar_surface": "on the lunar surface", "space": "in deep space"}
"""Where each market is, in words ("oxygen on the lunar surface")."""
PRICE_MARKETS = MARKETS[:3]
"""Where a scenario's `[[price]] at` may place a price (left out: every market)."""

LAUNCH = "launch_leo"
"""The commodity row of a kg launched from Earth to low Earth orbit (USD/kg, CO2e/kg)."""
LAUNCH_CAVEAT = ("launch CO2e counts fuel burn to life cycle (ORACLE, Kukreja et al. 2025); "
                 "soot and alumina released high in the stratosphere may warm far more "
                 "(Dominguez Calabuig et al. 2024)")
TARGET_MARKET = "leo"
"""A mining target's content is valued as if delivered to low Earth orbit."""


def format_usd(usd: float, digits: int = 3) -> str:
    """An amount in words people read: "35.1 billion USD", "-520 million USD", "12,300
    USD"; "n/a" when not finite."""
    if not math.isfinite(usd):
        return "n/a"
    sign = "-" if usd < 0 else ""
    size = abs(usd)
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if size >= scale:
            return f"{sign}{size / scale:.{digits}g} {word} USD"
    return f"{sign}{size:,.0f} USD"


def format_tonnes(kg: float) -> str:
    """A mass in tonnes for counters: "216,600 t", "0.6 t"."""
    t = kg / 1000.0
    return f"{t:,.0f} t" if t >= 100 else f"{t:.3g} t"


# ---------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Price:
    """A price: USD per kg low, typical and high (`usd_per_kg`, (3,)), the year it is of,
    what it stands for and its source. `at`: the market ("" for any)."""

    commodity: str
    at: str
    usd_per_kg: tuple[float, float, float]
    year: int | None
    basis: str
    source: str

    @property
    def typ(self) -> float:
        return self.usd_per_kg[1]


@dataclass(frozen=True)
class Footprint:
    """Earth-side footprint of a kg: CO2e kg per kg (low, typical, high), tonnes of ore mined
    per kg, whether the ore figure is an UNSOURCED placeholder, its basis and the source."""

    commodity: str
    at: str
    co2e_kg_per_kg: tuple[float, float, float]
    ore_t_per_kg: float
    ore_unsourced: bool
    basis: str
    source: str


@dataclass(frozen=True)
class Density:
    """Bulk density of a spectral class, g/cm^3 (low, typical, high), and its source."""

    spectral_class: str
    g_cm3: tuple[float, float, float]
    source: str


@dataclass(frozen=True)
class PriceOverride:
    """A scenario's `[[price]]`: USD/kg low, typical, high for a resource, at a market
    (None: every market), with its source."""

    resource: str
    usd_per_kg: tuple[float, float, float]
    source: str
    at: str | None = None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _triple(row: Mapping[str, str], prefix: str) -> tuple[float, float, float]:
    return tuple(float(row[f"{prefix}_{band}"]) for band in BANDS)  # type: ignore[return-value]


@dataclass(frozen=True)
class PriceTable:
    """Prices, mixtures, footprints and densities (resources/economics), with a scenario's
    overrides on top. Look-ups: `price(resource, market)`, `footprint(resource, market)`,
    `density(spectral_class)`; `launch_usd_per_kg` is the price of a kg lifted to LEO."""

    prices: Mapping[tuple[str, str], Price]
    mixes: Mapping[str, tuple[tuple[str, float, str], ...]]
    footprints: Mapping[tuple[str, str], Footprint]
    densities: Mapping[str, Density]
    overrides: Mapping[tuple[str, str], Price] = field(default_factory=dict)
    launch_override_usd_per_kg: float | None = None

    @classmethod
    def load(cls, folder: Path = ECONOMICS_DIR) -> PriceTable:
        """Read the four CSV tables of a folder (the shipped one by default)."""
        prices = {}
        for row in _read_csv(folder / "prices.csv"):
            key = (row["commodity"], row["at"])
            prices[key] = Price(row["commodity"], row["at"], _triple(row, "usd_per_kg"),
                                int(row["price_year"]) if row["price_year"] else None,
                                row["basis"], row["source"])
        mixes: dict[str, list[tuple[str, float, str]]] = {}
        for row in _read_csv(folder / "mixes.csv"):
            parts = mixes.setdefault(row["resource"], [])
            basis = row["basis"] if row["basis"] != "same" else parts[-1][2]
            parts.append((row["commodity"], float(row["mass_fraction"]), basis))
        footprints = {}
        for row in _read_csv(folder / "footprint.csv"):
            footprints[(row["commodity"], row["at"])] = Footprint(
                row["commodity"], row["at"], _triple(row, "co2e_kg_per_kg"),
                float(row["ore_t_per_kg"] or 0.0), row["ore_unsourced"] == "yes",
                row["ore_basis"], row["source"])
        densities = {row["class"]: Density(row["class"], _triple(row, "density_g_cm3"),
                                           row["source"])
                     for row in _read_csv(folder / "densities.csv")}
        return cls(prices, {k: tuple(v) for k, v in mixes.items()}, footprints, densities)

    def with_scenario(self, overrides: Iterable[PriceOverride],
                      launch_usd_per_kg: float | None = None) -> PriceTable:
        """This table with a scenario's prices (they win over the shipped ones: a price
        without a market applies to every market) and launch price (USD/kg)."""
        mine = {(o.resource, o.at or ""): Price(o.resource, o.at or "", o.usd_per_kg, None,
                                                 "scenario price", o.source)
                for o in overrides}
        return PriceTable(self.prices, self.mixes, self.footprints, self.densities, mine,
                          launch_usd_per_kg)

    @property
    def launch_usd_per_kg(self) -> float:
        if self.launch_override_usd_per_kg is not None:
            return float(self.launch_override_usd_per_kg)
        return self.prices[(LAUNCH, "")].typ

    def launch_source(self) -> str:
        if self.launch_override_usd_per_kg is not None:
            return "scenario ([economics] launch_usd_per_kg)"
        return self.prices[(LAUNCH, "")].source

    def price(self, resource: str, market: str) -> Price | None:
        """The price of a kg of a resource (or commodity) delivered to a market: the
        scenario's price there, its price for every market, the shipped price there, the
        shipped price for every market, else the mixture of its components; None when none
        is known."""
        for table in (self.overrides, self.prices):
            for key in ((resource, market), (resource, "")):
                if key in table:
                    return table[key]
        parts = self.mixes.get(resource)
        if not parts:
            return None
        found = [(self.price(commodity, market), share) for commodity, share, _ in parts]
        if any(p is None for p, _ in found):
            return None
        usd = tuple(sum(share * p.usd_per_kg[b] for p, share in found) for b in range(3))
        years = [p.year for p, _ in found if p.year is not None]
        formula = " + ".join(f"{share:g} x {commodity}" for commodity, share, _ in parts)
        sources = "; ".join(dict.fromkeys(p.source for p, _ in found))
        return Price(resource, market, usd, max(years) if years else None,
                     f"{formula} ({parts[0][2]})", sources)

    def footprint(self, resource: str, market: str) -> Footprint | None:
        """The Earth-side footprint a kg delivered to a market avoids (None: nothing
        known): the row there, the row for every market, else the mixture's."""
        for key in ((resource, market), (resource, "")):
            if key in self.footprints:
                return self.footprints[key]
        parts = self.mixes.get(resource)
        if not parts:
            return None
        found = [(self.footprint(commodity, market), share) for commodity, share, _ in parts]
        found = [(f, share) for f, share in found if f is not None]
        if not found:
            return None
        co2e = tuple(sum(share * f.co2e_kg_per_kg[b] for f, share in found) for b in range(3))
        ore = sum(share * f.ore_t_per_kg for f, share in found)
        formula = " + ".join(f"{share:g} x {f.commodity}" for f, share in found)
        return Footprint(resource, market, co2e, ore, any(f.ore_unsourced for f, _ in found),
                         formula, "; ".join(dict.fromkeys(f.source for f, _ in found)))

    @property
    def launch_footprint(self) -> Footprint:
        return self.footprints[(LAUNCH, "")]

    def density(self, spectral_class: str | None) -> Density | None:
        """The density row of a spectral class written as in the targets file ("M
        (Bus-DeMeo Xk)", "Cb", "S(IV)"): the exact class (Xk, Xc), else its first letter;
        None when unknown."""
        if not spectral_class:
            return None
        token = spectral_class.strip().split()[0].split("(")[0].split("/")[0]
        if token in self.densities:
            return self.densities[token]
        return self.densities.get(token[:1].upper())


@functools.cache
def default_prices() -> PriceTable:
    """The shipped tables (resources/economics)."""
    return PriceTable.load()


# ---------------------------------------------------------------------------------------
# The value of a mining target


def body_mass_kg(diameter_km, density_g_cm3):
    """Mass of a sphere (kg) from its diameter (km) and bulk density (g/cm^3): pi/6 D^3 rho.
    Scalars or arrays."""
    d_m = np.asarray(diameter_km, dtype=np.float64) * 1000.0
    return math.pi / 6.0 * d_m ** 3 * np.asarray(density_g_cm3, dtype=np.float64) * 1000.0


@dataclass(frozen=True)
class TargetValue:
    """A mining target's content at today's prices if delivered to low Earth orbit: USD low,
    typical, high (`usd`, (3,)); the mass used (kg, (3,)); the delta-v from LEO (km/s, or
    None); the assumptions, one sentence each (the first says where the mass came from)."""

    usd: tuple[float, float, float]
    mass_kg: tuple[float, float, float]
    delta_v_km_s: float | None
    assumptions: tuple[str, ...]

    @property
    def usd_per_km_s(self) -> float | None:
        """Typical value per km/s of delta-v from LEO (USD per km/s)."""
        if not self.delta_v_km_s:
            return None
        return self.usd[1] / self.delta_v_km_s


def target_value(prices: PriceTable, fractions: Mapping[str, tuple[float, float]], *,
                 mass_kg: tuple[float, float] | None = None, diameter_km: float | None = None,
                 spectral_class: str | None = None,
                 delta_v_km_s: float | None = None) -> TargetValue | None:
    """The worth of a body's content (USD low, typical, high): mass x sum over resources of
    mass fraction x price in low Earth orbit. `fractions`: resource -> (low, high) mass
    fraction (0..1). The mass is `mass_kg` (low, high; measured or published) when given,
    else a sphere of `diameter_km` at the density of its spectral class (low, typical,
    high); typical uses the middle of each range and typical prices. None when there is no
    mass or no composition."""
    density = prices.density(spectral_class)
    sphere = None
    if diameter_km is not None and density is not None:
        sphere = tuple(float(body_mass_kg(diameter_km, rho)) for rho in density.g_cm3)
        sphere_text = (f"a sphere of {diameter_km:g} km at {density.g_cm3[0]:g}-"
                       f"{density.g_cm3[2]:g} g/cm³ ({density.spectral_class}-type; "
                       f"{density.source})")
    if mass_kg is not None:
        low, high = float(mass_kg[0]), float(mass_kg[1])
        mass = (low, 0.5 * (low + high), high)
        basis = f"published {low:.3g}-{high:.3g} kg (targets file)"
        if sphere is not None:
            basis += f"; {sphere_text} would weigh {sphere[0]:.2g}-{sphere[2]:.2g} kg"
    elif sphere is not None:
        mass, basis = sphere, sphere_text
    else:
        return None
    if not fractions:
        return None
    per_kg = np.zeros(3)
    assumptions = [f"Mass: {basis}."]
    for resource, (f_low, f_high) in fractions.items():
        price = prices.price(resource, TARGET_MARKET)
        if price is None:
            assumptions.append(f"{resource}: no price, counted as 0.")
            continue
        share = np.array([f_low, 0.5 * (f_low + f_high), f_high])
        per_kg += share * np.asarray(price.usd_per_kg)
        assumptions.append(f"{resource} {f_low:.3g}-{f_high:.3g} of the mass at "
                           f"{price.usd_per_kg[0]:,.4g}-{price.usd_per_kg[2]:,.4g} USD/kg "
                           f"({price.source}).")
    assumptions.append("The whole body at today's prices, delivered to low Earth orbit: "
                       "no extraction, transport or market saturation counted (prices would "
                       "fall long before).")
    usd = tuple(float(m * p) for m, p in zip(mass, per_kg, strict=True))
    return TargetValue(usd, mass, delta_v_km_s, tuple(assumptions))


def composition_fractions(water_wt_pct, metal_wt_pct, pgm_ppm) -> dict[str, tuple[float, float]]:
    """A target's composition ranges (wt%, wt%, ppm) as resource mass fractions."""
    return {"water_ice": (water_wt_pct[0] / 100.0, water_wt_pct[1] / 100.0),
            "metals": (metal_wt_pct[0] / 100.0, metal_wt_pct[1] / 100.0),
            "pgm": (pgm_ppm[0] * 1e-6, pgm_ppm[1] * 1e-6)}


def value_colors(values: np.ndarray) -> np.ndarray:
    """RGB (N, 3) in 0..1 for positive values on a log scale from their smallest to their
    largest: dark blue (least) through teal and green to yellow (most); grey where a value
    is not positive or not finite."""
    values = np.asarray(values, dtype=np.float64)
    known = np.isfinite(values) & (values > 0)
    out = np.tile([0.45, 0.45, 0.45], (values.size, 1))
    if not known.any():
        return out
    logs = np.log10(values[known])
    span = logs.max() - logs.min()
    x = (logs - logs.min()) / span if span > 0 else np.ones_like(logs)
    stops = np.array([[0.25, 0.30, 0.85], [0.10, 0.70, 0.75], [0.35, 0.85, 0.35],
                      [1.00, 0.90, 0.20]])
    positions = np.linspace(0.0, 1.0, len(stops))
    out[known] = np.stack([np.interp(x, positions, stops[:, c]) for c in range(3)], axis=1)
    return out


# ---------------------------------------------------------------------------------------
# Cash flows over time


@dataclass(frozen=True)
class Sale:
    """Mass delivered to a market and worth its price there: `kg` of `resource` at
    `t_tdb`, credited to `owner`; `sign` -1 takes back a value counted earlier (cargo a
    depot ships on: only what the move adds counts)."""

    owner: str
    t_tdb: float
    resource: str
    kg: float
    market: str
    sign: float = 1.0


@dataclass(frozen=True)
class Cost:
    """A payment of `usd` at `t_tdb` by `owner`: `kind` capex, flight or launch;
    `launched_kg` is the mass lifted from Earth (launch)."""

    owner: str
    t_tdb: float
    usd: float
    kind: str
    launched_kg: float = 0.0


@dataclass(frozen=True)
class RunningCost:
    """A cost spread evenly over time: `usd_per_year` from `start_tdb` to `end_tdb`."""

    owner: str
    start_tdb: float
    end_tdb: float
    usd_per_year: float


def _discount(t_tdb, t0_tdb: float, rate: float) -> np.ndarray:
    """What a USD at t is worth at t0 at `rate` per year: (1 + rate) ** -years."""
    years = (np.asarray(t_tdb, dtype=np.float64) - t0_tdb) / DAYS_PER_YEAR
    return np.power(1.0 + rate, -years)


def _step_sums(times: np.ndarray, amounts: np.ndarray, t: np.ndarray, side: str) -> np.ndarray:
    """Sums of `amounts` (..., N) of the flows at `times` (N,) up to each t (M,): those at
    or before t (`side` "right") or strictly before (`side` "left"). (..., M)."""
    order = np.argsort(times, kind="stable")
    sums = np.cumsum(amounts[..., order], axis=-1)
    sums = np.concatenate([np.zeros(amounts.shape[:-1] + (1,)), sums], axis=-1)
    return sums[..., np.searchsorted(times[order], t, side=side)]


@dataclass
class Economics:
    """Cash flows and footprints of a scenario (see `evaluate`). Owners are facilities
    and ships (`owners`, `owner_kinds`); every query takes an owner name (None: the whole
    scenario) and times (TDB, scalar or (M,)) and returns arrays with the band first:
    (3, ...) low, typical, high."""

    owners: tuple[str, ...]
    owner_kinds: tuple[str, ...]
    t_start_tdb: float
    t_end_tdb: float
    discount_rate: float
    prices: PriceTable
    sales: tuple[Sale, ...]
    costs: tuple[Cost, ...]
    running: tuple[RunningCost, ...]
    unpriced: dict[tuple[str, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index = {name: k for k, name in enumerate(self.owners)}
        self._sale_t = np.array([s.t_tdb for s in self.sales], dtype=np.float64)
        self._sale_owner = np.array([index[s.owner] for s in self.sales], dtype=np.int64)
        usd = np.zeros((3, len(self.sales)))
        co2e = np.zeros((3, len(self.sales)))
        ore = np.zeros(len(self.sales))
        for j, sale in enumerate(self.sales):
            price = self.prices.price(sale.resource, sale.market)
            if price is not None:
                usd[:, j] = sale.sign * sale.kg * np.asarray(price.usd_per_kg)
            else:
                key = (sale.resource, sale.market)
                self.unpriced[key] = self.unpriced.get(key, 0.0) + sale.sign * sale.kg
            footprint = self.prices.footprint(sale.resource, sale.market)
            if footprint is not None:
                co2e[:, j] = sale.sign * sale.kg * np.asarray(footprint.co2e_kg_per_kg)
                ore[j] = sale.sign * sale.kg * footprint.ore_t_per_kg * 1000.0
        self._sale_usd, self._sale_co2e, self._sale_ore = usd, co2e, ore
        self._cost_t = np.array([c.t_tdb for c in self.costs], dtype=np.float64)
        self._cost_owner = np.array([index[c.owner] for c in self.costs], dtype=np.int64)
        self._cost_usd = np.array([c.usd for c in self.costs], dtype=np.float64)
        launched = np.array([c.launched_kg for c in self.costs], dtype=np.float64)
        self._launch_co2e = (np.asarray(self.prices.launch_footprint.co2e_kg_per_kg)[:, None]
                             * launched[None, :])
        self._run_owner = np.array([index[r.owner] for r in self.running], dtype=np.int64)
        self._run_start = np.array([r.start_tdb for r in self.running], dtype=np.float64)
        self._run_end = np.array([r.end_tdb for r in self.running], dtype=np.float64)
        self._run_rate = np.array([r.usd_per_year for r in self.running], dtype=np.float64)

    # --- sums over time -------------------------------------------------------------------
    def _pick(self, owners: np.ndarray, owner: str | None) -> np.ndarray:
        if owner is None:
            return np.ones(owners.shape, dtype=bool)
        return owners == self.owners.index(owner)

    def _running(self, t: np.ndarray, owner: str | None, discounted: bool) -> np.ndarray:
        """Running costs paid up to each t (USD, (M,)), discounted to the start or not."""
        mine = self._pick(self._run_owner, owner)
        start, end, rate = self._run_start[mine, None], self._run_end[mine, None], \
            self._run_rate[mine, None]
        upto = np.clip(t[None, :], start, np.maximum(end, start))
        if not discounted or self.discount_rate == 0.0:
            return (rate * (upto - start) / DAYS_PER_YEAR).sum(axis=0)
        log = math.log1p(self.discount_rate)
        d_start = _discount(start, self.t_start_tdb, self.discount_rate)
        d_upto = _discount(upto, self.t_start_tdb, self.discount_rate)
        return (rate * (d_start - d_upto) / log).sum(axis=0)

    def cumulative(self, t_tdb, owner: str | None = None, side: str = "right") -> dict:
        """Cumulative figures up to t (USD): value_usd (3, ...), cost_usd (...), net_usd
        (3, ...), and the same discounted to the scenario start: pv_value_usd, pv_cost_usd,
        npv_usd. `side` "left" leaves out flows at exactly t."""
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        sales = self._pick(self._sale_owner, owner)
        costs = self._pick(self._cost_owner, owner)
        s_t, s_usd = self._sale_t[sales], self._sale_usd[:, sales]
        c_t, c_usd = self._cost_t[costs], self._cost_usd[costs]
        rate = self.discount_rate
        value = _step_sums(s_t, s_usd, t, side)
        cost = _step_sums(c_t, c_usd, t, side) + self._running(t, owner, False)
        pv_value = _step_sums(s_t, s_usd * _discount(s_t, self.t_start_tdb, rate), t, side)
        pv_cost = (_step_sums(c_t, c_usd * _discount(c_t, self.t_start_tdb, rate), t, side)
                   + self._running(t, owner, True))
        out = {"value_usd": value, "cost_usd": cost, "net_usd": value - cost[None, :],
               "pv_value_usd": pv_value, "pv_cost_usd": pv_cost,
               "npv_usd": pv_value - pv_cost[None, :]}
        if np.ndim(t_tdb) == 0:
            out = {k: v[..., 0] for k, v in out.items()}
        return out

    def break_even_tdb(self, owner: str | None = None) -> np.ndarray:
        """When cumulative net (undiscounted) reaches zero and stays at or above it to the
        scenario's end (TDB, (3,) for low, typical, high prices; NaN: never within the
        scenario, or nothing was spent). Net rises only when a sale arrives and falls
        between, so the date is a sale's, checked just before and after every flow."""
        flows = np.concatenate([self._sale_t[self._pick(self._sale_owner, owner)],
                                self._cost_t[self._pick(self._cost_owner, owner)],
                                self._run_start[self._pick(self._run_owner, owner)]])
        out = np.full(3, np.nan)
        if not flows.size:
            return out
        points = np.unique(np.append(flows[flows <= self.t_end_tdb], self.t_end_tdb))
        after = self.cumulative(points, owner, "right")
        before = self.cumulative(points, owner, "left")
        if not after["cost_usd"][-1] > 0:
            return out
        scale = 1e-9 * max(float(after["cost_usd"][-1]), 1.0)
        for band in range(3):
            net_after, net_before = after["net_usd"][band], before["net_usd"][band]
            if net_after[-1] < -scale:
                continue
            negative = np.flatnonzero((net_before < -scale) | (net_after < -scale))
            out[band] = points[negative[-1]] if negative.size else points[0]
        return out

    def series(self, owner: str | None = None, samples: int = 1500) -> dict:
        """Cumulative figures for a chart: `t_tdb` (K,) over the scenario, every flow's time
        twice (just before and at it, so steps are drawn as steps), and the arrays of
        `cumulative` (value_usd and net_usd (3, K), cost_usd (K,))."""
        flows = np.concatenate([self._sale_t, self._cost_t])
        flows = flows[(flows >= self.t_start_tdb) & (flows <= self.t_end_tdb)]
        regular = np.linspace(self.t_start_tdb, self.t_end_tdb, samples)
        t = np.sort(np.concatenate([regular, flows, flows]))
        before = np.zeros(t.size, dtype=bool)
        before[1:] = t[1:] == t[:-1]
        before = np.roll(before, -1)  # the first of each duplicated pair: just before
        left = self.cumulative(t, owner, "left")
        right = self.cumulative(t, owner, "right")
        out = {"t_tdb": t}
        for key, value in right.items():
            out[key] = np.where(before, left[key], value)
        return out

    # --- footprint ------------------------------------------------------------------------
    def footprint(self, t_tdb, owner: str | None = None) -> dict:
        """Earth-side footprint up to t: co2e_avoided_kg (3, ...) low, typical, high (the
        primary production or launches that delivered mass replaces), ore_avoided_kg
        (...), launch_co2e_kg (3, ...) (what the scenario's launches from Earth emit)."""
        t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
        sales = self._pick(self._sale_owner, owner)
        costs = self._pick(self._cost_owner, owner)
        out = {"co2e_avoided_kg": _step_sums(self._sale_t[sales], self._sale_co2e[:, sales],
                                             t, "right"),
               "ore_avoided_kg": _step_sums(self._sale_t[sales], self._sale_ore[sales], t,
                                            "right"),
               "launch_co2e_kg": _step_sums(self._cost_t[costs], self._launch_co2e[:, costs],
                                            t, "right")}
        if np.ndim(t_tdb) == 0:
            out = {k: v[..., 0] for k, v in out.items()}
        return out

    def footprint_text(self, t_tdb: float) -> str:
        """The presentation counter: CO2e avoided so far (typical, with the band) and what
        the scenario's launches emitted, one line."""
        now = self.footprint(t_tdb)
        low, typ, high = now["co2e_avoided_kg"]
        text = (f"CO2e avoided on Earth so far: {format_tonnes(typ)} "
                f"({format_tonnes(low)} to {format_tonnes(high)})")
        launched = now["launch_co2e_kg"][1]
        if launched > 0:
            text += f"; launches emitted {format_tonnes(launched)}"
        return text

    def footprint_sources(self) -> list[str]:
        """What the footprint figures rest on: one line per footprint row used, UNSOURCED
        placeholders named as such, and the caveat on launch emissions."""
        lines = []
        for resource, market in dict.fromkeys((s.resource, s.market) for s in self.sales):
            row = self.prices.footprint(resource, market)
            if row is None:
                continue
            flag = " (ore figure UNSOURCED: a placeholder)" if row.ore_unsourced else ""
            lines.append(f"{resource} {MARKET_NAMES.get(market, market)}: "
                         f"{row.co2e_kg_per_kg[0]:g}-{row.co2e_kg_per_kg[2]:g} kg CO2e/kg, "
                         f"{row.ore_t_per_kg:g} t ore/kg{flag}; {row.basis}; {row.source}")
        lines.append(LAUNCH_CAVEAT)
        return lines

    def has_unsourced(self) -> bool:
        """Whether a footprint figure in use is an UNSOURCED placeholder."""
        return any(row is not None and row.ore_unsourced
                   for row in (self.prices.footprint(s.resource, s.market) for s in self.sales))


def evaluate(owners: Sequence[tuple[str, str]], sales: Iterable[Sale], costs: Iterable[Cost],
             running: Iterable[RunningCost], prices: PriceTable, *, t_start_tdb: float,
             t_end_tdb: float, discount_rate: float) -> Economics:
    """The economics of a set of cash flows: `owners` (name, kind) in display order, the
    sales (value), costs and running costs, priced with `prices`, discounted at
    `discount_rate` per year from `t_start_tdb` (TDB); the span ends at `t_end_tdb`."""
    if discount_rate <= -1.0:
        raise ValueError("a discount rate must be above -100% per year")
    names = tuple(name for name, _ in owners)
    kinds = tuple(kind for _, kind in owners)
    return Economics(names, kinds, float(t_start_tdb), float(t_end_tdb), float(discount_rate),
                     prices, tuple(sales), tuple(costs), tuple(running))
