"""Engines and propellant: what a ship burns to change its velocity.

One home for the rocket equation and the engines ships carry. Units: masses kg, specific
impulse s, thrust N, delta-v km/s, mass flow kg/s, times s (days where named).

Scenario keys of a `[[ship]]` (core.scenario.schema.ShipSpec) that describe its engine:

| key | type / unit | meaning |
|---|---|---|
| `engine` | `"chemical"`, `"electric"` or a preset name (below) | impulsive burns (chemical) or low thrust (electric); a preset fills `isp_s`, `thrust_n` and the propellant |
| `isp_s` | s | specific impulse; required with `"chemical"` and `"electric"`, overrides a preset's |
| `thrust_n` | N | full thrust of an electric engine (a cluster: the sum); required with `"electric"`, overrides a preset's |
| `dry_mass_kg` | kg | the ship without propellant or cargo |
| `propellant_kg` | kg | aboard at the first departure (loaded from outside the supply chain) |
| `tank_kg` | kg | tank capacity (default `propellant_kg`); refuelling fills up to it |
| `refuel_at` | facility name or list | depots or plants where the ship fills its tanks from the stock whenever a leg departs from them |
| `launch_c3_km2_s2` | km^2/s^2 | an electric ship's first heliocentric leg starts on a launcher's escape hyperbola (Dawn: 11.3) instead of spiralling out |

Presets (`ENGINES`), each with its source:

| preset | kind | Isp (s) | thrust (N) | propellant | source |
|---|---|---|---|---|---|
| `lox-lh2` | chemical | 450 | - | LOX/LH2, O/F 5.5 | RL10 family, 450-465 s; RL10A-4-2 mixture ratio 5.5 |
| `hypergolic` | chemical | 316 | - | MMH/NTO | AJ10-190 (Space Shuttle OMS) |
| `methalox` | chemical | 380 | - | LOX/CH4 | Raptor vacuum, about 380 s (press) |
| `hall-smart1` | electric | 1640 | 0.068 | xenon | PPS-1350-G on SMART-1 (ESA, 16 Nov 2004) |
| `ion-dawn` | electric | 3100 | 0.092 | xenon | NSTAR on Dawn (Garner, Rayman, Brophy, AIAA 2009-5091) |
| `ion-hayabusa` | electric | 3200 | 0.008 | xenon | mu10, one thruster (Kuninaka et al. 2006) |

A LOX/LH2 engine refuels from the supply chain: its propellant is the `oxygen` and
`hydrogen` a depot or an electrolysis plant stores, in its mixture ratio (oxidiser to fuel
by mass). The other propellants come from Earth only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

G0_M_S2 = 9.80665
"""Standard gravity (m/s^2): exhaust velocity = Isp * g0 (CGPM 1901)."""

EngineKind = Literal["chemical", "electric"]


@dataclass(frozen=True)
class Engine:
    """A ship's engine. `kind` 'chemical' (impulsive burns) or 'electric' (continuous low
    thrust of `thrust_n` N at full throttle); `isp_s` in s; `propellant` names what it burns;
    `mixture_ratio` is oxidiser/fuel by mass for bipropellants the supply chain makes;
    `name` the preset (or the kind); `source` where the figures come from."""

    kind: EngineKind
    isp_s: float
    thrust_n: float | None = None
    propellant: str = ""
    mixture_ratio: float | None = None
    name: str = ""
    source: str = ""

    @property
    def exhaust_velocity_km_s(self) -> float:
        """Effective exhaust velocity, km/s."""
        return self.isp_s * G0_M_S2 / 1000.0

    @property
    def mass_flow_kg_s(self) -> float:
        """Propellant flow at full thrust, kg/s (electric engines; 0 for impulsive ones)."""
        if not self.thrust_n:
            return 0.0
        return self.thrust_n / (self.isp_s * G0_M_S2)

    @property
    def electric(self) -> bool:
        return self.kind == "electric"

    def propellant_split(self) -> dict[str, float]:
        """Mass fractions of supply-chain resources in a kg of propellant ({} when the
        propellant comes from Earth only): LOX/LH2 is oxygen and hydrogen in its mixture
        ratio."""
        if self.propellant == "LOX/LH2" and self.mixture_ratio:
            ratio = self.mixture_ratio
            return {"oxygen": ratio / (1.0 + ratio), "hydrogen": 1.0 / (1.0 + ratio)}
        return {}

    def describe(self) -> dict:
        """JSON-ready facts: name, kind, isp_s, thrust_n, propellant, source."""
        return {"name": self.name or self.kind, "kind": self.kind, "isp_s": self.isp_s,
                "thrust_n": self.thrust_n, "propellant": self.propellant or None,
                "source": self.source or None}


LOX_LH2_MIXTURE_RATIO = 5.5
"""Oxidiser/fuel mass ratio of the LOX/LH2 preset (RL10A-4-2)."""

ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("chemical", 450.0, None, "LOX/LH2", LOX_LH2_MIXTURE_RATIO, "lox-lh2",
           "RL10 family, 450-465 s (engine data); RL10A-4-2 mixture ratio 5.5"),
    Engine("chemical", 316.0, None, "MMH/NTO", None, "hypergolic",
           "AJ10-190, Space Shuttle OMS, 316 s (engine data)"),
    Engine("chemical", 380.0, None, "LOX/CH4", None, "methalox",
           "Raptor vacuum, about 380 s (press)"),
    Engine("electric", 1640.0, 0.068, "xenon", None, "hall-smart1",
           "PPS-1350-G Hall thruster on SMART-1, about 1640 s and 68 mN (ESA, 16 Nov 2004)"),
    Engine("electric", 3100.0, 0.092, "xenon", None, "ion-dawn",
           "NSTAR gridded ion engine on Dawn, 3100 s and up to 92 mN (Garner, Rayman, "
           "Brophy, AIAA 2009-5091)"),
    Engine("electric", 3200.0, 0.008, "xenon", None, "ion-hayabusa",
           "mu10 microwave ion engine on Hayabusa, 8 mN and 3200 s per thruster "
           "(Kuninaka et al. 2006)"),
)}
"""Engine presets by name (see the module table)."""

ENGINE_CHOICES = ("chemical", "electric", *ENGINES)


def make_engine(engine: str, isp_s: float | None = None, thrust_n: float | None = None
                ) -> Engine:
    """The engine a ship's keys describe: a kind ('chemical', 'electric') with `isp_s` (and
    `thrust_n` for electric), or a preset whose figures `isp_s` and `thrust_n` override.
    Raises ValueError naming what is missing or wrong."""
    if engine in ENGINES:
        preset = ENGINES[engine]
        if thrust_n is not None and preset.kind == "chemical":
            raise ValueError(f"'{engine}' is a chemical engine (impulsive burns): thrust_n "
                             "applies to electric engines only")
        changes = {k: v for k, v in (("isp_s", isp_s), ("thrust_n", thrust_n)) if v is not None}
        return replace(preset, **changes) if changes else preset
    if engine == "chemical":
        if isp_s is None:
            raise ValueError("a chemical engine needs isp_s (or a preset: lox-lh2, "
                             "hypergolic, methalox)")
        if thrust_n is not None:
            raise ValueError("thrust_n applies to electric engines only")
        return Engine("chemical", isp_s, None, name="chemical")
    if engine == "electric":
        if isp_s is None or thrust_n is None:
            raise ValueError("an electric engine needs isp_s and thrust_n (or a preset: "
                             "hall-smart1, ion-dawn, ion-hayabusa)")
        return Engine("electric", isp_s, thrust_n, "xenon", name="electric")
    raise ValueError(f"unknown engine {engine!r}; use one of: " + ", ".join(ENGINE_CHOICES))


# --------------------------------------------------------------------------- the rocket equation

def propellant_for_dv(mass_start_kg: ArrayLike, dv_km_s: ArrayLike, isp_s: float) -> np.ndarray:
    """Propellant (kg) burnt to change velocity by dv (km/s) from a mass of mass_start_kg
    (Tsiolkovsky): m0 (1 - exp(-dv / (Isp g0)))."""
    ve = isp_s * G0_M_S2 / 1000.0
    return np.asarray(mass_start_kg, dtype=np.float64) * -np.expm1(
        -np.asarray(dv_km_s, dtype=np.float64) / ve)


def dv_for_propellant(mass_start_kg: ArrayLike, propellant_kg: ArrayLike, isp_s: float
                      ) -> np.ndarray:
    """Delta-v (km/s) from burning propellant_kg out of mass_start_kg (Tsiolkovsky):
    Isp g0 ln(m0 / (m0 - mp))."""
    m0 = np.asarray(mass_start_kg, dtype=np.float64)
    return isp_s * G0_M_S2 / 1000.0 * -np.log1p(-np.asarray(propellant_kg, dtype=np.float64) / m0)


def burn_time_s(propellant_kg: ArrayLike, thrust_n: float, isp_s: float) -> np.ndarray:
    """Seconds of full thrust that burn propellant_kg: mass / mass flow, with the flow
    thrust / (Isp g0)."""
    return np.asarray(propellant_kg, dtype=np.float64) * isp_s * G0_M_S2 / thrust_n


def burns_kg(mass_start_kg: float, dvs_km_s: tuple[float, ...], isp_s: float
             ) -> tuple[float, ...]:
    """Propellant (kg) of impulsive burns flown one after another from mass_start_kg."""
    out = []
    mass = mass_start_kg
    for dv in dvs_km_s:
        burnt = float(propellant_for_dv(mass, dv, isp_s)) if math.isfinite(dv) else math.nan
        out.append(burnt)
        mass -= burnt
    return tuple(out)
