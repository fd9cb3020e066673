"""Porkchop grids: transfer cost for every (departure, time of flight) pair, vectorised.

One Lambert call solves the whole grid. Delta-v is the hyperbolic excess speed at each end
relative to the bodies (km/s); C3 is the departure v-infinity squared (km^2/s^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spaceviz.core.astro.lambert import lambert
from spaceviz.core.constants import AU_PER_DAY_TO_KM_PER_S
from spaceviz.core.mission.ships import MU_AU3_PER_DAY2, central_body


@dataclass
class Porkchop:
    """Arrays shaped (departures, flight times); times TDB Julian dates, days."""

    origin: str
    target: str
    depart_tdb: np.ndarray
    tof_days: np.ndarray
    departure_dv_km_s: np.ndarray
    arrival_dv_km_s: np.ndarray

    @property
    def total_dv_km_s(self) -> np.ndarray:
        return self.departure_dv_km_s + self.arrival_dv_km_s

    @property
    def c3_km2_s2(self) -> np.ndarray:
        return self.departure_dv_km_s ** 2

    def best(self) -> tuple[float, float, float]:
        """(departure TDB, arrival TDB, total delta-v km/s) of the cheapest cell."""
        total = self.total_dv_km_s
        i, j = np.unravel_index(np.nanargmin(total), total.shape)
        return (float(self.depart_tdb[i]), float(self.depart_tdb[i] + self.tof_days[j]),
                float(total[i, j]))


def porkchop(world, origin: str, target: str, depart_tdb: np.ndarray,
             tof_days: np.ndarray) -> Porkchop:
    """Transfer cost over a grid of departure times and times of flight (days)."""
    origin, target = world.get(origin).name, world.get(target).name
    central = central_body(world, origin, target)
    departures, flights = np.meshgrid(np.asarray(depart_tdb, float), np.asarray(tof_days, float),
                                      indexing="ij")
    t1, t2 = departures.ravel(), (departures + flights).ravel()
    p1, pv1 = world.state(origin, t1)
    p2, pv2 = world.state(target, t2)
    c1, cv1 = world.state(central, t1)
    c2, cv2 = world.state(central, t2)
    v1, v2 = lambert(p1 - c1, p2 - c2, flights.ravel(), MU_AU3_PER_DAY2[central])
    dv1 = np.linalg.norm(v1 - (pv1 - cv1), axis=0) * AU_PER_DAY_TO_KM_PER_S
    dv2 = np.linalg.norm((pv2 - cv2) - v2, axis=0) * AU_PER_DAY_TO_KM_PER_S
    return Porkchop(origin, target, np.asarray(depart_tdb, float), np.asarray(tof_days, float),
                    dv1.reshape(departures.shape), dv2.reshape(departures.shape))
