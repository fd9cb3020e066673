"""CCSDS Orbit Ephemeris Message (OEM 2.0, KVN text) output of a ship's trajectory.

States are ICRF, centred on the ship's central body (the Sun or the Earth), in km and km/s,
with TDB epochs written as calendar dates (TIME_SYSTEM = TDB).
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

import numpy as np

from spaceviz import __version__
from spaceviz.core.constants import AU_KM, AU_PER_DAY_TO_KM_PER_S

_J2000 = dt.datetime(2000, 1, 1, 12, 0, 0)


def tdb_calendar(t_tdb: float) -> str:
    """A TDB Julian date as a CCSDS calendar epoch (TDB scale, microseconds)."""
    moment = _J2000 + dt.timedelta(days=float(t_tdb) - 2451545.0)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


def write_oem(handle: TextIO, ship, world, step_hours: float = 6.0,
              originator: str = "spaceviz") -> int:
    """Write one segment covering the ship's transfer; returns the number of states."""
    leg = ship.leg
    count = max(2, int(np.ceil((leg.arrive_tdb - leg.depart_tdb) * 24.0 / step_hours)) + 1)
    times = np.linspace(leg.depart_tdb, leg.arrive_tdb, count)
    rel_pos, rel_vel = leg.relative_state(times)
    pos_km = rel_pos * AU_KM
    vel_km_s = rel_vel * AU_PER_DAY_TO_KM_PER_S
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    handle.write(
        "CCSDS_OEM_VERS = 2.0\n"
        f"CREATION_DATE = {created}\n"
        f"ORIGINATOR = {originator}\n\n"
        "META_START\n"
        f"OBJECT_NAME = {ship.name}\n"
        f"OBJECT_ID = {ship.name.upper().replace(' ', '-')}\n"
        f"CENTER_NAME = {leg.central.upper()}\n"
        "REF_FRAME = ICRF\n"
        "TIME_SYSTEM = TDB\n"
        f"START_TIME = {tdb_calendar(times[0])}\n"
        f"STOP_TIME = {tdb_calendar(times[-1])}\n"
        "INTERPOLATION = LAGRANGE\n"
        "INTERPOLATION_DEGREE = 7\n"
        "META_STOP\n\n"
        f"COMMENT Lambert transfer {leg.origin} -> {leg.target} written by spaceviz {__version__}\n")
    for k in range(count):
        p, v = pos_km[:, k], vel_km_s[:, k]
        handle.write(f"{tdb_calendar(times[k])} {p[0]:.6f} {p[1]:.6f} {p[2]:.6f} "
                     f"{v[0]:.9f} {v[1]:.9f} {v[2]:.9f}\n")
    return count
