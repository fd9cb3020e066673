"""Barycentric ICRF states of the Sun, planets and Moon from the DE421 kernel (skyfield-data).

Positions in AU, velocities in AU/day, times as TDB Julian dates (float64, scalar or array).
Arrays are (3,) for a scalar time and (3, N) for N times.
"""

from __future__ import annotations

import atexit
import functools
import os
import warnings
from collections.abc import Sequence

import numpy as np

from spaceviz.core.astro.bodies import KERNEL_CHAINS, canonical_body_name
from spaceviz.core.constants import AU_KM
from spaceviz.core.errors import EphemerisRangeError, UnknownNameError


def de421_path() -> str:
    """Path of the DE421 kernel shipped by the skyfield-data package (nothing is downloaded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data warns that its finals2000A.all expired
        import skyfield_data

        return os.path.join(skyfield_data.get_skyfield_data_path(), "de421.bsp")

RECENT_STATES = 64
"""Single-time states remembered (a frame asks for the same few bodies many times)."""


class Ephemeris:
    """A JPL SPK kernel evaluated with jplephem, vectorised over time."""

    def __init__(self, path: str | None = None):
        from jplephem.spk import SPK

        self.path = path or de421_path()
        self.name = os.path.splitext(os.path.basename(self.path))[0].upper()
        self._kernel = SPK.open(self.path)
        self._segments = {(s.center, s.target): s for s in self._kernel.segments}
        self.start_tdb = max(s.start_jd for s in self._kernel.segments)
        self.end_tdb = min(s.end_jd for s in self._kernel.segments)
        # single-time states asked for again within a frame (every asteroid needs the Sun's)
        self._recent: dict[tuple[str, float], tuple[np.ndarray, np.ndarray]] = {}

    def close(self) -> None:
        self._kernel.close()

    def range_text(self) -> str:
        """The kernel's span as calendar dates: '1899-07-29 to 2053-10-09 TDB' for DE421 (the
        span is defined in TDB; in UTC it begins 1899-07-28 23:59:18)."""
        import erfa

        def date(jd: float) -> str:
            year, month, day, _ = erfa.jd2cal(jd, 0.0)
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"

        return f"{date(self.start_tdb)} to {date(self.end_tdb)} TDB"

    def check_range(self, t_tdb) -> None:
        """Raise EphemerisRangeError when any time lies outside the kernel's span."""
        t = np.asarray(t_tdb, dtype=np.float64)
        if t.size == 0:
            return
        bad = (t < self.start_tdb) | (t > self.end_tdb) | ~np.isfinite(t)
        if np.any(bad):
            from spaceviz.core.astro.time import format_iso

            first = float(t[bad].flat[0]) if t.ndim else float(t)
            shown = format_iso(first) if np.isfinite(first) and abs(first) < 1e8 else repr(first)
            raise EphemerisRangeError(
                f"time {shown} (jd:{first:.6f}) is outside the {self.name} ephemeris range "
                f"{self.range_text()}"
            )

    def _chain(self, name: str) -> tuple[tuple[int, int], ...]:
        canonical = canonical_body_name(name)
        if canonical is None:
            raise UnknownNameError(name, known=list(KERNEL_CHAINS))
        return KERNEL_CHAINS[canonical]

    def state(self, name: str, t_tdb) -> tuple[np.ndarray, np.ndarray]:
        """Barycentric ICRF position (AU) and velocity (AU/day) of a body at TDB time(s)."""
        t = np.asarray(t_tdb, dtype=np.float64)
        if t.ndim == 0:
            key = (name, float(t))
            recent = self._recent.get(key)
            if recent is None:
                if len(self._recent) >= RECENT_STATES:
                    self._recent = {}
                recent = self._recent[key] = self._state(name, t)
            return recent[0].copy(), recent[1].copy()
        return self._state(name, t)

    def _state(self, name: str, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.check_range(t)
        shape = (3,) + t.shape
        pos_km = np.zeros(shape)
        vel_km_per_day = np.zeros(shape)
        whole = np.floor(t)
        fraction = t - whole
        for key in self._chain(name):
            p, v = self._segments[key].compute_and_differentiate(whole, fraction)
            pos_km += p
            vel_km_per_day += v
        return pos_km / AU_KM, vel_km_per_day / AU_KM

    def position(self, name: str, t_tdb) -> np.ndarray:
        """Barycentric ICRF position (AU) of a body at TDB time(s)."""
        t = np.asarray(t_tdb, dtype=np.float64)
        self.check_range(t)
        pos_km = np.zeros((3,) + t.shape)
        whole = np.floor(t)
        fraction = t - whole
        for key in self._chain(name):
            pos_km += self._segments[key].compute(whole, fraction)
        return pos_km / AU_KM

    def positions(self, names: Sequence[str], t_tdb: float) -> np.ndarray:
        """Barycentric ICRF positions (AU) of several bodies at one time: shape (3, len(names))."""
        self.check_range(t_tdb)
        cache: dict[tuple[int, int], np.ndarray] = {}
        whole = np.floor(t_tdb)
        fraction = t_tdb - whole
        out = np.zeros((3, len(names)))
        for column, name in enumerate(names):
            for key in self._chain(name):
                if key not in cache:
                    cache[key] = self._segments[key].compute(whole, fraction)
                out[:, column] += cache[key]
        return out / AU_KM


@functools.cache
def default_ephemeris() -> Ephemeris:
    """The shared DE421 ephemeris (opened once per process, closed at exit)."""
    ephemeris = Ephemeris()
    atexit.register(ephemeris.close)
    return ephemeris
