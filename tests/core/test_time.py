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


def test_utc_in_the_1960s_uses_the_drifting_offsets():
    """UTC of 1960-1971 ran with rubber seconds: TAI-UTC = 3.5401300 s + (MJD - 38761) x
    0.001296 s from 1965-01-01 (USNO tai-utc.dat). A fixed 10 s would misplace the Earth by
    up to 300 km. Checked against the published table and against astropy (ERFA) too."""
    from astropy.time import Time

    t = parse_time("1965-01-01T00:00:00Z")
    tt_minus_utc_s = 32.184 + 3.5401300
    assert (t - 2438761.5) * 86400.0 == pytest.approx(tt_minus_utc_s, abs=0.002)  # TDB-TT < 2 ms
    later = parse_time("1968-07-01T12:00:00Z")
    mjd = 40038.5
    expected = 32.184 + 4.2131700 + (mjd - 39126.0) * 0.002592  # the 1968-02-01 line
    assert (later - 2440039.0) * 86400.0 == pytest.approx(expected, abs=0.002)
    for text in ("1960-06-15T06:00:00Z", "1965-01-01T00:00:00Z", "1971-12-31T23:59:59Z"):
        reference = Time(text.rstrip("Z"), scale="utc").tdb.jd
        assert parse_time(text) == pytest.approx(reference, abs=1e-11)  # ~1 microsecond
        assert format_iso(parse_time(text)) == text


def test_utc_before_1960_is_refused_with_a_way_forward():
    with pytest.raises(TimeFormatError, match=r"before 1960, when UTC began.*jd:2433282\.5"):
        parse_time("1950-01-01T00:00:00Z")
    assert format_utc(2433282.5).endswith(" TT")  # shown in TT, not as a UTC it never had
