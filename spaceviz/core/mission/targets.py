"""Real asteroids relevant to mining and exploration, from resources/targets/mining_targets.toml.

Each target carries osculating heliocentric elements (ecliptic J2000, epoch TDB), physical data,
composition ranges from meteorite analogues and spacecraft results, an indicative delta-v from
low Earth orbit, mission history and sources. `mining_targets()` returns them with one
OrbitalElements array for all of them.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spaceviz.core.astro.orbits import OrbitalElements
from spaceviz.core.errors import InputFileError, Problem, UnknownNameError
from spaceviz.paths import RESOURCES_DIR

TARGETS_PATH = RESOURCES_DIR / "targets" / "mining_targets.toml"

V_EARTH_KM_S = 29.784       # Earth's mean orbital speed (Shoemaker & Helin's normalisation)
V_LEO_KM_S = 7.727          # circular speed in a ~300 km low Earth orbit

Range = Annotated[tuple[float, float], Field(description="[low, high]")]


def _check_range(name: str, value: tuple[float, float]) -> None:
    low, high = value
    if not (0 <= low <= high):
        raise ValueError(f"{name} must be [low, high] with 0 <= low <= high, got {list(value)}")


class Composition(BaseModel):
    """Bulk composition ranges: water (incl. OH in hydrated minerals) and Fe-Ni metal in wt%,
    platinum-group metals in ppm by mass."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    water_wt_pct: Range
    metal_wt_pct: Range
    pgm_ppm: Range
    basis: str = Field(min_length=10)

    @model_validator(mode="after")
    def _ranges(self) -> Composition:
        for key in ("water_wt_pct", "metal_wt_pct", "pgm_ppm"):
            _check_range(key, getattr(self, key))
        if self.water_wt_pct[1] + self.metal_wt_pct[1] > 100:
            raise ValueError("water + metal upper bounds exceed 100 wt%")
        return self


class Target(BaseModel):
    """One asteroid: identity, elements (degrees, ecliptic J2000), physical and resource data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int | None = Field(default=None, ge=1)
    designation: str = ""
    name: str = Field(min_length=1)
    a_au: float = Field(gt=0)
    e: float = Field(ge=0, lt=1)
    i_deg: float = Field(ge=0, le=180)
    node_deg: float = Field(ge=0, lt=360)
    peri_deg: float = Field(ge=0, lt=360)
    M_deg: float = Field(ge=0, lt=360)
    epoch_tdb: float = Field(gt=2_300_000, lt=2_600_000)
    elements_source: str = Field(min_length=10)
    diameter_km: float = Field(gt=0)
    spectral_class: str = Field(min_length=1)
    mass_kg: Range
    composition: Composition
    resource_mass_kg: Range
    delta_v_method: str = Field(min_length=10)
    missions: list[str]
    why: str = Field(min_length=40)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges(self) -> Target:
        _check_range("mass_kg", self.mass_kg)
        _check_range("resource_mass_kg", self.resource_mass_kg)
        if self.resource_mass_kg[1] > self.mass_kg[1]:
            raise ValueError("resource_mass_kg exceeds the body's mass")
        return self

    @property
    def delta_v_leo_km_s(self) -> float:
        """Rendezvous delta-v from low Earth orbit (km/s), Shoemaker & Helin's approximation
        from the elements (`shoemaker_helin_delta_v_km_s`)."""
        return float(shoemaker_helin_delta_v_km_s(self.a_au, self.e, self.i_deg))

    @property
    def label(self) -> str:
        """'(16) Psyche', or the designation for an unnumbered object."""
        if self.number is None:
            return self.name
        return f"({self.number}) {self.name}"


class TargetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(ge=1, le=1)
    description: str
    target: list[Target] = Field(min_length=1)


@dataclass(frozen=True, eq=False)
class MiningTargets:
    """The targets in file order and their elements as one OrbitalElements (same order)."""

    targets: tuple[Target, ...]
    elements: OrbitalElements
    source: str

    def __len__(self) -> int:
        return len(self.targets)

    def __iter__(self):
        return iter(self.targets)

    def index(self, query: str | int) -> int:
        """Row of a target by name, number, designation or '(16) Psyche' (case-insensitive)."""
        key = " ".join(str(query).split()).lower()
        for k, t in enumerate(self.targets):
            keys = {t.name.lower(), t.designation.lower(), t.label.lower()}
            if t.number is not None:
                keys |= {str(t.number), f"{t.number} {t.name.lower()}"}
            if key in keys:
                return k
        raise UnknownNameError(str(query), known=[t.label for t in self.targets])

    def get(self, query: str | int) -> Target:
        return self.targets[self.index(query)]


def shoemaker_helin_delta_v_km_s(a_au, e, i_deg) -> np.ndarray:
    """Rendezvous delta-v (km/s) from LEO after Shoemaker & Helin (1978), vectorised.

    The approximation behind Benner's near-Earth asteroid delta-v list: a Hohmann-like
    transfer from a 1 AU circular orbit with the plane change shared between the burns,
    formulas chosen by orbit class (Aten a < 1; Apollo q <= 1; Amor q > 1), plus 0.5 km/s.
    Indicative only for main-belt and trojan orbits, which it was not made for.
    """
    a = np.asarray(a_au, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    half_i = np.radians(np.asarray(i_deg, dtype=np.float64)) / 2.0
    big_q = a * (1.0 + e)
    q = a * (1.0 - e)
    cos_h = np.cos(half_i)
    p_over_q = a * (1.0 - e * e) / big_q
    aten = a < 1.0
    amor = ~aten & (q > 1.0)
    with np.errstate(invalid="ignore"):
        ut2 = np.where(aten, 2.0 - 2.0 * cos_h * np.sqrt(np.abs(2.0 * big_q - big_q ** 2)),
                       3.0 - 2.0 / (big_q + 1.0) - 2.0 * cos_h * np.sqrt(2.0 * big_q / (big_q + 1.0)))
        uc2_aten = 3.0 / big_q - 1.0 - (2.0 / big_q) * np.sqrt(np.abs(2.0 - big_q))
        uc2_other = 3.0 / big_q - 2.0 / (big_q + 1.0) - (
            (2.0 / big_q) * np.where(amor, cos_h, 1.0) * np.sqrt(2.0 / (big_q + 1.0)))
        uc2 = np.where(aten, uc2_aten, uc2_other)
        ur2 = 3.0 / big_q - 1.0 / a - (2.0 / big_q) * np.where(amor, 1.0, cos_h) * np.sqrt(p_over_q)
    u0 = V_LEO_KM_S / V_EARTH_KM_S
    s = np.sqrt(2.0) * u0
    u_launch = np.sqrt(ut2 + s * s) - u0
    u_rendezvous = np.sqrt(np.maximum(uc2 - 2.0 * np.sqrt(np.maximum(ur2 * uc2, 0.0)) * cos_h
                                      + ur2, 0.0))
    return 30.0 * (u_launch + u_rendezvous) + 0.5


def load_targets(path: str | Path | None = None) -> MiningTargets:
    """Read and validate a targets TOML file; problems raise InputFileError naming file and key."""
    path = Path(path) if path is not None else TARGETS_PATH
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
        parsed = TargetFile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError([Problem(str(path), getattr(exc, "lineno", 0) or 0, "toml",
                                      str(exc))]) from None
    except ValidationError as exc:
        from spaceviz.core.tomlpos import key_lines, line_of

        lines = key_lines(text)
        raise InputFileError([Problem(str(path), line_of(lines, tuple(err["loc"])),
                                      ".".join(str(p) for p in err["loc"]), err["msg"])
                              for err in exc.errors()]) from None
    targets = tuple(parsed.target)
    column = {key: np.array([getattr(t, key) for t in targets], dtype=np.float64)
              for key in ("a_au", "e", "i_deg", "node_deg", "peri_deg", "M_deg", "epoch_tdb")}
    elements = OrbitalElements.from_degrees(
        column["a_au"], column["e"], column["i_deg"], column["node_deg"], column["peri_deg"],
        column["M_deg"], column["epoch_tdb"], plane="ecliptic",
        names=[t.label for t in targets])
    return MiningTargets(targets, elements, str(path))


@functools.cache
def mining_targets() -> MiningTargets:
    """The shipped mining/exploration targets (resources/targets/mining_targets.toml)."""
    return load_targets(TARGETS_PATH)
