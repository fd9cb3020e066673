"""Time at the edges: parse ISO-8601 UTC or `jd:` strings into TDB Julian dates, format for display.

Inside core every time is a float64 TDB Julian date (`t_tdb`). UTC appears only here:
- from 1972 (leap seconds) through skyfield's built-in timescale;
- 1960-1971, when UTC ran with "rubber seconds" and offsets that drifted against TAI, through
  ERFA's table of them (`erfa.utctai`, the IAU SOFA algorithms) - skyfield would take a fixed
  10 s there, up to 300 km of Earth's motion;
- before 1960 UTC did not exist: such times are refused with a message that asks for a TDB
  Julian date (`jd:`), and displayed in TT.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings

import numpy as np

from spaceviz.core.errors import TimeFormatError

SECONDS_PER_DAY = 86400.0
J2000_TDB = 2451545.0

_JD_PATTERN = re.compile(r"^\s*jd\s*:\s*([+-]?\d+(\.\d*)?([eE][+-]?\d+)?)\s*$", re.IGNORECASE)


@functools.cache
def timescale():
    """skyfield's built-in timescale (leap seconds and ΔT shipped with skyfield; no download)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from skyfield.api import load

        return load.timescale(builtin=True)


UTC_START = dt.datetime(1960, 1, 1, tzinfo=dt.UTC)
"""UTC begins (before it, broadcast time was UT)."""
LEAP_SECONDS_START = dt.datetime(1972, 1, 1, tzinfo=dt.UTC)
"""Whole leap seconds from here on; before, ERFA's drifting TAI-UTC."""
LEAP_SECONDS_START_TDB = 2441317.5 + (10.0 + 32.184) / SECONDS_PER_DAY
"""1972-01-01T00:00:00 UTC as a TDB Julian date (TAI-UTC = 10 s then; TDB-TT < 2 ms)."""
UTC_START_TDB = 2436934.5 + (1.4178180 + 32.184) / SECONDS_PER_DAY
"""1960-01-01T00:00:00 UTC as a TDB Julian date (TAI-UTC = 1.4178180 s, USNO tai-utc.dat)."""


def _datetime_to_tdb(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    seconds = value.second + value.microsecond * 1e-6
    if value < UTC_START:
        raise TimeFormatError(
            f"'{value.strftime('%Y-%m-%dT%H:%M:%SZ')}' is before 1960, when UTC began; give the "
            f"time as a TDB Julian date instead, for example jd:{_rough_jd(value):.1f}")
    if value < LEAP_SECONDS_START:
        return _erfa_utc_to_tdb(value.year, value.month, value.day, value.hour, value.minute,
                                seconds)
    t = timescale().utc(value.year, value.month, value.day, value.hour, value.minute, seconds)
    return float(t.tdb)


def _rough_jd(value: dt.datetime) -> float:
    return (value - dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC)).total_seconds() / SECONDS_PER_DAY \
        + J2000_TDB


def _erfa_utc_to_tdb(year, month, day, hour, minute, seconds) -> float:
    """TDB Julian date of a 1960-1971 UTC time (ERFA: drifting TAI-UTC, then TT, then TDB)."""
    import erfa

    utc1, utc2 = erfa.dtf2d("UTC", year, month, day, hour, minute, seconds)
    tai1, tai2 = erfa.utctai(utc1, utc2)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    tt = timescale().tt_jd(float(tt1), float(tt2))
    return float(tt.tdb)


def parse_time(value: str | float | dt.datetime | dt.date) -> float:
    """A TDB Julian date (days) from `2030-01-01T00:00:00Z` (UTC), `2030-01-01`, `jd:2458886.5` (TDB).

    A datetime without a zone is taken as UTC; a bare float is taken as a TDB Julian date.
    Raises TimeFormatError with a message that shows the accepted forms.
    """
    if isinstance(value, bool):
        raise TimeFormatError(f"expected a time, got {value!r}")
    if isinstance(value, int | float | np.floating | np.integer):
        return float(value)
    if isinstance(value, dt.datetime):
        return _datetime_to_tdb(value)
    if isinstance(value, dt.date):
        return _datetime_to_tdb(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC))
    if not isinstance(value, str):
        raise TimeFormatError(f"expected a time string, got {type(value).__name__}")
    match = _JD_PATTERN.match(value)
    if match:
        return float(match.group(1))
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise TimeFormatError(
            f"'{value}' is not a time: use ISO-8601 UTC like 2030-01-01T00:00:00Z "
            f"or a TDB Julian date like jd:2458886.5"
        ) from None
    return _datetime_to_tdb(parsed)


def tdb_to_utc_datetime(t_tdb: float) -> dt.datetime:
    """The UTC datetime (timezone-aware, microseconds) of a TDB Julian date; before 1960, when
    there was no UTC, the TT calendar time."""
    t = timescale().tdb_jd(float(t_tdb))
    if t_tdb < LEAP_SECONDS_START_TDB:
        import erfa

        tt = t.tt
        whole = float(np.floor(tt - 0.5) + 0.5)
        if t_tdb < UTC_START_TDB:
            year, month, day, hmsf = erfa.d2dtf("TT", 6, whole, tt - whole)
        else:
            tai1, tai2 = erfa.tttai(whole, tt - whole)
            year, month, day, hmsf = erfa.d2dtf("UTC", 6, *erfa.taiutc(tai1, tai2))
        h, m, s, f = (int(v) for v in hmsf)
        return dt.datetime(int(year), int(month), int(day), h, m, s, f, tzinfo=dt.UTC)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return t.utc_datetime()


def format_utc(t_tdb: float, seconds: bool = True) -> str:
    """`2030-01-01 00:00:00 UTC` for a TDB Julian date (`... TT` before 1960)."""
    when = tdb_to_utc_datetime(t_tdb)
    when = when + dt.timedelta(microseconds=500_000) if seconds else when
    scale = "TT" if t_tdb < UTC_START_TDB else "UTC"
    fmt = f"%Y-%m-%d %H:%M:%S {scale}" if seconds else f"%Y-%m-%d %H:%M {scale}"
    return when.strftime(fmt)


def format_iso(t_tdb: float) -> str:
    """`2030-01-01T00:00:00Z` for a TDB Julian date (rounded to the second)."""
    when = tdb_to_utc_datetime(t_tdb) + dt.timedelta(microseconds=500_000)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_iso_array(t_tdb) -> list[str]:
    """`format_iso` for an array of TDB Julian dates at once (vectorised), as a list."""
    t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
    if np.any(t < LEAP_SECONDS_START_TDB):
        return [format_iso(v) for v in t]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(timescale().tdb_jd(t).utc_strftime(  # rounds to the second
            "%Y-%m-%dT%H:%M:%SZ"))
