"""The major bodies: names, kernel chains, sizes, colours, periods (facts for science and display)."""

from __future__ import annotations

from dataclasses import dataclass

from spaceviz.core.constants import GM_EARTH_KM3_PER_S2, GM_MOON_KM3_PER_S2, GM_SUN_KM3_PER_S2


@dataclass(frozen=True)
class BodyInfo:
    """Facts about a major body. Radii in km (equatorial, polar: IAU 2015, Archinal et al.
    2018; the Earth's WGS 84), period in days, colour as RGB in 0..1."""

    name: str
    kind: str  # "star", "planet", "moon"
    radius_km: float  # equatorial
    polar_radius_km: float
    color: tuple[float, float, float]
    orbital_period_days: float | None
    parent: str | None  # the body it orbits, for orbit lines
    gm_km3_per_s2: float
    summary: str


BODIES: dict[str, BodyInfo] = {
    b.name: b
    for b in [
        BodyInfo("Sun", "star", 695_700.0, 695_700.0,
                 (1.0, 0.85, 0.35), None, None, GM_SUN_KM3_PER_S2,
                 "The Sun: 99.86% of the solar system's mass and its source of power."),
        BodyInfo("Mercury", "planet", 2_440.5, 2_438.26,
                 (0.62, 0.60, 0.58), 87.969, "Sun", 22_031.78,
                 "The smallest planet, closest to the Sun."),
        BodyInfo("Venus", "planet", 6_051.8, 6_051.8,
                 (0.93, 0.83, 0.62), 224.701, "Sun", 324_858.59,
                 "Cloud-covered, with a crushing CO2 atmosphere."),
        BodyInfo("Earth", "planet", 6_378.137, 6_356.752,
                 (0.30, 0.55, 0.95), 365.256, "Sun", GM_EARTH_KM3_PER_S2,
                 "Home, and the market for most mined material."),
        BodyInfo("Moon", "moon", 1_737.4, 1_737.4,
                 (0.78, 0.78, 0.76), 27.3217, "Earth", GM_MOON_KM3_PER_S2,
                 "Earth's Moon: water ice in polar craters, oxygen in its regolith."),
        BodyInfo("Mars", "planet", 3_396.2, 3_376.2,
                 (0.85, 0.45, 0.30), 686.980, "Sun", 42_828.37,
                 "The red planet; gateway to the asteroid belt."),
        BodyInfo("Jupiter", "planet", 71_492.0, 66_854.0,
                 (0.85, 0.75, 0.60), 4_332.59, "Sun", 126_712_764.0,
                 "The largest planet; its gravity sculpts the asteroid belt."),
        BodyInfo("Saturn", "planet", 60_268.0, 54_364.0,
                 (0.90, 0.82, 0.60), 10_759.22, "Sun", 37_940_585.0,
                 "The ringed giant."),
        BodyInfo("Uranus", "planet", 25_559.0, 24_973.0,
                 (0.60, 0.85, 0.90), 30_685.4, "Sun", 5_794_549.0,
                 "An ice giant tipped on its side."),
        BodyInfo("Neptune", "planet", 24_764.0, 24_341.0,
                 (0.35, 0.50, 0.95), 60_189.0, "Sun", 6_836_527.0,
                 "The outermost planet."),
    ]
}

MAJOR_BODY_NAMES: tuple[str, ...] = tuple(BODIES)

# NAIF codes: segment chains from the solar-system barycentre (0) to each body in DE421.
KERNEL_CHAINS: dict[str, tuple[tuple[int, int], ...]] = {
    "Sun": ((0, 10),),
    "Mercury": ((0, 1), (1, 199)),
    "Venus": ((0, 2), (2, 299)),
    "Earth": ((0, 3), (3, 399)),
    "Moon": ((0, 3), (3, 301)),
    "Mars": ((0, 4), (4, 499)),
    "Jupiter": ((0, 5),),
    "Saturn": ((0, 6),),
    "Uranus": ((0, 7),),
    "Neptune": ((0, 8),),
    "SSB": (),
    # System barycentres (OEM centres): 3 is the Earth-Moon barycentre.
    "Mercury barycenter": ((0, 1),),
    "Venus barycenter": ((0, 2),),
    "Earth barycenter": ((0, 3),),
    "Mars barycenter": ((0, 4),),
    "Jupiter barycenter": ((0, 5),),
    "Saturn barycenter": ((0, 6),),
    "Uranus barycenter": ((0, 7),),
    "Neptune barycenter": ((0, 8),),
    "Pluto barycenter": ((0, 9),),
}


def canonical_body_name(name: str) -> str | None:
    """The canonical spelling of a major body's name (case-insensitive), or None."""
    lowered = name.strip().lower()
    aliases = {"ssb": "SSB", "solar system barycenter": "SSB", "luna": "Moon"}
    if lowered in aliases:
        return aliases[lowered]
    for known in KERNEL_CHAINS:
        if known.lower() == lowered:
            return known
    return None
