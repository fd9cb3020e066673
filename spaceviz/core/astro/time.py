"""Time at the edges: parse ISO-8601 UTC or `jd:` strings into TDB Julian dates, format for display.

Inside core every time is a float64 TDB Julian date (`t_tdb`). UTC appears only here.
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


def _datetime_to_tdb(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    seconds = value.second + value.microsecond * 1e-6
    t = timescale().utc(value.year, value.month, value.day, value.hour, value.minute, seconds)
    return float(t.tdb)


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
    """The UTC datetime (timezone-aware, microseconds) of a TDB Julian date."""
    t = timescale().tdb_jd(float(t_tdb))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return t.utc_datetime()


def format_utc(t_tdb: float, seconds: bool = True) -> str:
    """`2030-01-01 00:00:00 UTC` for a TDB Julian date."""
    when = tdb_to_utc_datetime(t_tdb)
    when = when + dt.timedelta(microseconds=500_000) if seconds else when
    fmt = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    return when.strftime(fmt)


def format_iso(t_tdb: float) -> str:
    """`2030-01-01T00:00:00Z` for a TDB Julian date (rounded to the second)."""
    when = tdb_to_utc_datetime(t_tdb) + dt.timedelta(microseconds=500_000)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_iso_array(t_tdb) -> list[str]:
    """`format_iso` for an array of TDB Julian dates at once (vectorised), as a list."""
    t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(timescale().tdb_jd(t).utc_strftime(  # rounds to the second
            "%Y-%m-%dT%H:%M:%SZ"))
