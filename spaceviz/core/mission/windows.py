"""Where to look for a launch window between two places: departure dates and flight times
for a first porkchop, before anyone has chosen dates.

Inside the Earth-Moon system flights take days and windows recur every few weeks. Around
the Sun the flight time scales with the Hohmann transfer between the two orbits' present
distances, and windows recur once per synodic period of the two orbits.
"""

from __future__ import annotations

import math

import numpy as np

from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2
from spaceviz.core.mission.trajectories import Place

EARTH_MOON_TOF_DAYS = (2.0, 10.0)
EARTH_MOON_SPAN_DAYS = 60.0
MIN_SPAN_DAYS, MAX_SPAN_DAYS = 120.0, 800.0


def hohmann_days(r1_au: float, r2_au: float) -> float:
    """Half the period of the ellipse touching circular orbits of radii r1 and r2 (AU)."""
    a = 0.5 * (r1_au + r2_au)
    return math.pi * math.sqrt(a ** 3 / GM_SUN_AU3_PER_DAY2)


def search_grid(origin: Place, target: Place, t0_tdb: float, sun_position,
                size: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Departure dates (TDB, from t0) and flight times (days) to scan for a transfer:
    `sun_position(t)` gives the Sun's barycentric position (AU) at a TDB time."""
    if origin.system == "Earth" and target.system == "Earth":
        departures = t0_tdb + np.linspace(0.0, EARTH_MOON_SPAN_DAYS, size)
        return departures, np.linspace(*EARTH_MOON_TOF_DAYS, size)
    sun = sun_position(t0_tdb)
    r1 = float(np.linalg.norm(origin.state(t0_tdb)[0] - sun))
    r2 = float(np.linalg.norm(target.state(t0_tdb)[0] - sun))
    tof = hohmann_days(r1, r2)
    n1, n2 = (math.sqrt(GM_SUN_AU3_PER_DAY2 / r ** 3) for r in (r1, r2))
    synodic = 2.0 * math.pi / abs(n1 - n2) if abs(n1 - n2) > 1e-9 else MAX_SPAN_DAYS
    span = min(max(synodic, MIN_SPAN_DAYS), MAX_SPAN_DAYS)
    return t0_tdb + np.linspace(0.0, span, size), np.linspace(0.4 * tof, 1.6 * tof, size)
