import datetime as dt

import pytest

from spaceviz.core.astro.time import format_iso, format_utc, parse_time
from spaceviz.core.errors import TimeFormatError


def test_jd_prefix_is_tdb_passthrough():
    assert parse_time("jd:2458886.5") == 2458886.5
    assert parse_time("JD: 2451545") == 2451545.0


def test_utc_to_tdb_offset_at_j2000():
    # 2000-01-01T12:00:00 UTC = TT - 64.184 s; TDB ~ TT (within 2 ms).
    t = parse_time("2000-01-01T12:00:00Z")
    assert t == pytest.approx(2451545.0 + 64.184 / 86400, abs=3e-8)


def test_utc_offset_in_2030_includes_37_leap_seconds():
    # TT - UTC = 32.184 + 37 = 69.184 s (no leap second announced after 2017).
    t = parse_time("2030-01-01T00:00:00Z")
    assert (t - 2462502.5) * 86400 == pytest.approx(69.184, abs=0.01)


def test_accepts_datetime_date_and_offsets():
    assert parse_time(dt.date(2030, 1, 1)) == parse_time("2030-01-01T00:00:00Z")
    assert parse_time("2030-01-01T02:00:00+02:00") == parse_time("2030-01-01T00:00:00Z")


@pytest.mark.parametrize("bad", ["", "yesterday", "2030-13-01", "jd:", "jd:abc", "2030/01/01"])
def test_bad_time_strings_name_the_forms(bad):
    with pytest.raises(TimeFormatError, match="ISO-8601"):
        parse_time(bad)


def test_format_round_trip():
    t = parse_time("2031-03-01T12:34:56Z")
    assert format_iso(t) == "2031-03-01T12:34:56Z"
    assert format_utc(t) == "2031-03-01 12:34:56 UTC"
