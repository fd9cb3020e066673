"""CCSDS OEM KVN: reading valid files, rejecting invalid ones by line, writing and reading back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest

from spaceviz.core.astro.oem import (
    ICRF_TO_EME2000,
    OemData,
    format_epoch_tdb,
    interpolate_segment,
    parse_oem,
    read_oem,
    to_icrf,
    write_oem,
)
from spaceviz.core.astro.time import parse_time, timescale
from spaceviz.core.astro.twobody import propagate_state
from spaceviz.core.constants import (
    AU_KM,
    GM_EARTH_KM3_PER_S2,
    GM_MOON_KM3_PER_S2,
    GM_SUN_KM3_PER_S2,
)
from spaceviz.core.errors import InputFileError

OEM_DIR = Path(__file__).parent.parent / "data" / "oem"
BAD_DIR = OEM_DIR / "bad"

SMALL = """CCSDS_OEM_VERS = 2.0
CREATION_DATE = 2026-01-15T10:00:00
ORIGINATOR = spaceviz tests
META_START
OBJECT_NAME = Tiny
OBJECT_ID = 2030-001A
CENTER_NAME = SUN
REF_FRAME = ICRF
TIME_SYSTEM = TDB
START_TIME = 2030-01-01T00:00:00
STOP_TIME = 2030-01-02T00:00:00
META_STOP
2030-01-01T00:00:00 1.0 2.0 3.0 0.1 0.2 0.3
2030-01-02T00:00:00 2.0 3.0 4.0 0.1 0.2 0.3
"""


# --------------------------------------------------------------------------- valid files

def test_heliocentric_lagrange_file():
    message = read_oem(OEM_DIR / "heliocentric_lagrange.oem")
    assert message.version == "2.0" and message.originator == "spaceviz tests"
    assert message.object_name == "Prospector-1"
    assert len(message.comments) == 3
    (segment,) = message.segments
    assert segment.center == "Sun" and segment.ref_frame == "ICRF"
    assert segment.interpolation == ("LAGRANGE", 7)
    assert segment.t_tdb.shape == (21,) and segment.pos_km.shape == (3, 21)
    assert segment.t_tdb[0] == 2462502.5  # 2030-01-01T00:00:00 TDB
    assert segment.comments == ["one state per day"]
    t = np.linspace(segment.t_tdb[0], segment.t_tdb[-1], 500)
    pos, vel = interpolate_segment(segment, t)
    ref_pos, ref_vel = propagate_state([1.2e8, -9.0e7, -3.9e7], [20.0, 22.0, 9.5],
                                       (t - t[0]) * 86400.0, GM_SUN_KM3_PER_S2)
    assert np.abs(pos - ref_pos).max() < 1e-3  # km
    assert np.abs(vel - ref_vel).max() < 1e-9  # km/s


def test_two_segments_with_covariance_in_utc_and_eme2000():
    message = read_oem(OEM_DIR / "geocentric_two_segments.oem")
    assert len(message.segments) == 2
    first, second = message.segments
    assert first.center == second.center == "Earth"
    assert first.time_system == "UTC" and first.ref_frame == "EME2000"
    assert first.interpolation == ("HERMITE", 5)
    assert first.t_tdb.size == second.t_tdb.size == 31
    expected = timescale().utc(2030, 3, 1, 0, 0, 0.0).tdb
    assert first.t_tdb[0] == pytest.approx(expected, abs=1e-11)
    assert first.useable_start_tdb == first.t_tdb[0]
    assert second.t_tdb[0] - first.t_tdb[0] == pytest.approx(1 / 24, abs=1e-9)  # 1 ulp
    t_start = first.t_tdb[0]
    for segment in message.segments:
        t = np.linspace(segment.t_tdb[0], segment.t_tdb[-1], 300)
        pos, vel = interpolate_segment(segment, t)
        pos, vel = to_icrf(pos, "EME2000"), to_icrf(vel, "EME2000")
        ref_pos, ref_vel = propagate_state([6800.0, 1200.0, 300.0], [-1.1, 6.4, 3.7],
                                           (t - t_start) * 86400.0, GM_EARTH_KM3_PER_S2)
        assert np.abs(pos - ref_pos).max() < 1e-3  # km
        assert np.abs(vel - ref_vel).max() < 1e-6  # km/s


def test_version_1_tt_day_of_year_with_accelerations():
    message = read_oem(OEM_DIR / "selenocentric_v1_tt.oem")
    assert message.version == "1.0"
    (segment,) = message.segments
    assert segment.center == "Moon" and segment.time_system == "TT"
    assert segment.interpolation == ("HERMITE", 5)  # the default when none is named
    assert segment.acc_km_s2.shape == (3, 41)
    assert len(segment.comments) == 2
    t0 = timescale().tt_jd(2462502.5 + 31).tdb  # 2030-032 = 1 February, TT
    assert segment.t_tdb[0] == pytest.approx(t0, abs=1e-11)
    t = np.linspace(segment.t_tdb[0], segment.t_tdb[-1], 300)
    pos, _ = interpolate_segment(segment, t)
    ref_pos, _ = propagate_state([1900.0, -300.0, 150.0], [0.25, 1.55, 0.4],
                                 (t - t0) * 86400.0, GM_MOON_KM3_PER_S2)
    assert np.abs(pos - ref_pos).max() < 1e-4  # km


def test_sources_text_bytes_and_files(tmp_path):
    from_text = parse_oem(SMALL)
    from_bytes = parse_oem(SMALL.encode())
    from_file = parse_oem(io.StringIO(SMALL))
    for message in (from_bytes, from_file):
        np.testing.assert_array_equal(message.segments[0].pos_km, from_text.segments[0].pos_km)
    assert from_text.filename == "<oem>"
    path = tmp_path / "named.oem"
    path.write_text(SMALL.replace("1.0 2.0 3.0", "1.0 2.0"))
    with open(path, "rb") as handle, pytest.raises(InputFileError) as info:
        parse_oem(handle)
    assert str(info.value).startswith(f"{path}:13: data:")


def test_linear_and_lagrange_interpolation_of_a_straight_line():
    text = SMALL.replace("META_STOP", "INTERPOLATION = LINEAR\nMETA_STOP")
    segment = parse_oem(text).segments[0]
    assert segment.interpolation == ("LINEAR", 1)
    t0 = segment.t_tdb[0]
    pos, vel = interpolate_segment(segment, np.array([t0, t0 + 0.25, t0 + 1.0]))
    np.testing.assert_allclose(pos[:, 1], [1.25, 2.25, 3.25])
    np.testing.assert_allclose(vel, np.tile([[0.1], [0.2], [0.3]], 3))


def test_hermite_reproduces_a_cubic_exactly():
    t0 = 2462502.5
    seconds = np.array([0.0, 600.0, 1500.0, 2400.0])
    lines = []
    for s in seconds:
        x, v = 2.0 + 0.5 * s - 1e-4 * s ** 2 + 3e-8 * s ** 3, 0.5 - 2e-4 * s + 9e-8 * s ** 2
        lines.append(f"{format_epoch_tdb(t0 + s / 86400)} {float(x)!r} 0 0 {float(v)!r} 0 0")
    text = SMALL.split("2030-01-01T00:00:00 1.0")[0].replace(
        "META_STOP", "INTERPOLATION = HERMITE\nINTERPOLATION_DEGREE = 3\nMETA_STOP")
    text = text.replace("2030-01-02T00:00:00\n", "2030-01-01T01:00:00\n")
    segment = parse_oem(text + "\n".join(lines) + "\n").segments[0]
    s = np.linspace(0, 2400, 17)
    pos, vel = interpolate_segment(segment, t0 + s / 86400)
    np.testing.assert_allclose(pos[0], 2.0 + 0.5 * s - 1e-4 * s ** 2 + 3e-8 * s ** 3,
                               atol=1e-6)
    np.testing.assert_allclose(vel[0], 0.5 - 2e-4 * s + 9e-8 * s ** 2, atol=1e-9)


def test_frame_bias_matches_skyfield():
    from skyfield.framelib import ICRS_to_J2000

    np.testing.assert_allclose(ICRF_TO_EME2000, ICRS_to_J2000, atol=1e-14)
    vec = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    np.testing.assert_allclose(to_icrf(ICRF_TO_EME2000 @ vec, "EME2000"), vec, atol=1e-15)
    assert to_icrf(vec, "ICRF") is vec


# --------------------------------------------------------------------------- invalid files

BAD_FILES = [
    # (file, line, field, words in the message)
    ("missing_meta_start", 4, "META_START", "before META_START"),
    ("missing_meta_stop", 12, "META_STOP", "META_STOP missing"),
    ("bad_epoch", 14, "epoch", "day is out of range"),
    ("wrong_count", 14, "data", "found 5 after the epoch"),
    ("unknown_ref_frame", 8, "REF_FRAME", "'TOD' is not supported"),
    ("non_monotonic", 15, "epoch", "is not after the previous epoch"),
    ("missing_version", 1, "CCSDS_OEM_VERS", "must begin with"),
    ("unsupported_version", 1, "CCSDS_OEM_VERS", "'4.0' is not supported"),
    ("unknown_center", 7, "CENTER_NAME", "'PHOBOS' is not supported"),
    ("not_a_number", 13, "data", "'abc' is not a number"),
    ("missing_object_id", 11, "OBJECT_ID", "has no OBJECT_ID"),
    ("unterminated_covariance", 20, "COVARIANCE_STOP", "line 16 has no COVARIANCE_STOP"),
    ("epoch_outside_span", 15, "epoch", "outside START_TIME..STOP_TIME"),
    ("unknown_time_system", 9, "TIME_SYSTEM", "'GMT' is not supported"),
    ("single_state", 12, "data", "at least 2"),
    ("bad_interpolation_degree", 13, "INTERPOLATION_DEGREE", "not a degree"),
    ("bad_start_time", 10, "START_TIME", "is not an epoch"),
    ("unknown_keyword", 5, "OBJECT_NAM", "unknown metadata keyword"),
    ("empty", 1, "CCSDS_OEM_VERS", "empty"),
]


def test_every_bad_file_is_in_the_table():
    assert {p.stem for p in BAD_DIR.glob("*.oem")} == {name for name, *_ in BAD_FILES}


@pytest.mark.parametrize(("name", "line", "field", "words"), BAD_FILES,
                         ids=[row[0] for row in BAD_FILES])
def test_bad_file_is_rejected_naming_the_line(name, line, field, words):
    path = BAD_DIR / f"{name}.oem"
    with pytest.raises(InputFileError) as info:
        read_oem(path)
    first = info.value.problems[0]
    assert (first.file, first.line, first.field) == (str(path), line, field)
    assert words in first.message
    assert str(info.value).splitlines()[0] == f"{path}:{line}: {field}: {first.message}"


def test_all_problems_are_reported():
    text = SMALL.replace("REF_FRAME = ICRF", "REF_FRAME = ITRF2000").replace(
        "2030-01-02T00:00:00 2.0", "2030-01-02T25:00:00 2.0")
    with pytest.raises(InputFileError) as info:
        parse_oem(text, filename="two.oem")
    assert [(p.line, p.field) for p in info.value.problems] == [(8, "REF_FRAME"), (14, "epoch")]


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputFileError, match="cannot read"):
        read_oem(tmp_path / "nowhere.oem")


def test_data_after_covariance_needs_a_new_segment():
    text = SMALL + "COVARIANCE_START\nEPOCH = 2030-01-02T00:00:00\n1.0\nCOVARIANCE_STOP\n" \
                   "2030-01-03T00:00:00 2.0 3.0 4.0 0.1 0.2 0.3\n"
    with pytest.raises(InputFileError) as info:
        parse_oem(text)
    assert (info.value.problems[0].line, info.value.problems[0].field) == (19, "data")


# --------------------------------------------------------------------------- writing

def _sample_states():
    t0 = parse_time("2031-03-01T00:00:00Z")
    times = t0 + np.linspace(0.0, 200.0, 97)
    pos, vel = propagate_state([1.4e8, 4.0e7, 1.0e7], [-9.0, 27.0, 11.0],
                               (times - t0) * 86400.0, GM_SUN_KM3_PER_S2)
    return times, pos, vel


def test_round_trip_within_a_metre():
    times, pos, vel = _sample_states()
    out = io.StringIO()
    write_oem(out, "Prospector-1", [OemData(times, pos, vel, "Sun")], "ICRF", "spaceviz",
              comments=["test export"],
              creation_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    text = out.getvalue()
    assert text.startswith("CCSDS_OEM_VERS = 2.0\nCOMMENT test export\n"
                           "CREATION_DATE = 2026-01-01T00:00:00\n")
    assert "TIME_SYSTEM = TDB\n" in text and "CENTER_NAME = SUN\n" in text
    message = parse_oem(text)
    segment = message.segments[0]
    np.testing.assert_array_equal(segment.t_tdb, times)
    assert np.abs(segment.pos_km - pos).max() < 1e-3
    assert np.abs(segment.vel_km_s - vel).max() < 1e-9
    assert segment.interpolation == ("HERMITE", 7)
    mid = 0.5 * (times[1:] + times[:-1])
    ipos, _ = interpolate_segment(segment, mid)
    ref, _ = propagate_state([1.4e8, 4.0e7, 1.0e7], [-9.0, 27.0, 11.0],
                             (mid - times[0]) * 86400.0, GM_SUN_KM3_PER_S2)
    assert np.abs(ipos - ref).max() < 1e-3


def test_round_trip_through_the_oem_package(tmp_path):
    oem = pytest.importorskip("oem")
    times, pos, vel = _sample_states()
    path = tmp_path / "ship.oem"
    with open(path, "w") as handle:
        write_oem(handle, "Prospector-1", [OemData(times, ICRF_TO_EME2000 @ pos,
                                                   ICRF_TO_EME2000 @ vel, "Earth")],
                  "EME2000", "spaceviz")
    message = oem.OrbitEphemerisMessage.open(str(path))
    states = list(message.states)
    assert len(states) == times.size
    assert states[0].frame == "EME2000" and states[0].center == "EARTH"
    their_pos = np.array([s.position for s in states]).T
    their_vel = np.array([s.velocity for s in states]).T
    assert np.abs(to_icrf(their_pos, "EME2000") - pos).max() < 1e-3
    assert np.abs(to_icrf(their_vel, "EME2000") - vel).max() < 1e-9
    first = states[0].epoch
    assert first.scale == "tdb"
    assert abs(first.jd1 + first.jd2 - times[0]) * 86400 < 1e-5


def test_epoch_formatting():
    assert format_epoch_tdb(2451544.5) == "2000-01-01T00:00:00.000000"
    assert format_epoch_tdb(2451545.0) == "2000-01-01T12:00:00.000000"
    assert format_epoch_tdb(2451545.5 - 1e-10) == "2000-01-02T00:00:00.000000"  # carries
    t = 2462502.5 + 12345.678901 / 86400  # float64 JDs resolve ~40 microseconds
    assert format_epoch_tdb(t).startswith("2030-01-01T03:25:45.67")


def test_writer_rejects_bad_input():
    times, pos, vel = _sample_states()
    out = io.StringIO()
    with pytest.raises(ValueError, match="increasing"):
        write_oem(out, "x", [OemData(times[::-1], pos, vel)])
    with pytest.raises(ValueError, match="at least 2"):
        write_oem(out, "x", [OemData(times[:1], pos[:, :1], vel[:, :1])])
    with pytest.raises(ValueError, match="frame"):
        write_oem(out, "x", [OemData(times, pos, vel)], frame="ITRF")
    with pytest.raises(ValueError, match="center"):
        write_oem(out, "x", [OemData(times, pos, vel, "Phobos")])
    with pytest.raises(ValueError, match="at least one segment"):
        write_oem(out, "x", [])
    assert out.getvalue() == ""


def test_several_segments_read_back():
    times, pos, vel = _sample_states()
    out = io.StringIO()
    write_oem(out, "Hauler", [OemData(times[:40], pos[:, :40], vel[:, :40], "Sun", "out"),
                              OemData(times[50:], pos[:, 50:], vel[:, 50:], "Sun", "back")])
    message = parse_oem(out.getvalue())
    assert len(message.segments) == 2
    np.testing.assert_array_equal(message.segments[1].t_tdb, times[50:])


def test_oem_3_header_and_a_system_barycentre_centre():
    """CCSDS 502.0-B-3 allows CLASSIFICATION and MESSAGE_ID in the header; EARTH BARYCENTER
    (the Earth-Moon barycentre, NAIF 3, in DE421) is a centre like any body."""
    from spaceviz.core.astro.ephemeris import default_ephemeris
    from spaceviz.core.mission.trajectories import OemArc

    message = read_oem(OEM_DIR / "barycentric_v3_classified.oem")
    assert message.header["CLASSIFICATION"] == "SBU"
    assert message.segments[0].center == "Earth barycenter"
    eph = default_ephemeris()
    arc = OemArc(message, eph)
    t = arc.depart_tdb + 1.0
    emb = eph.position("Earth barycenter", t)
    moon, earth = eph.position("Moon", t), eph.position("Earth", t)
    # The EMB lies on the Earth-Moon line, 1/82.3 of the way to the Moon (mass ratio).
    fraction = np.linalg.norm(emb - earth) / np.linalg.norm(moon - earth)
    assert fraction == pytest.approx(1 / 82.30057, rel=1e-4)
    pos, _ = arc.state(t)
    r, _ = propagate_state([380000.0, 15000.0, 2000.0], [-0.05, 1.02, 0.08], 86400.0,
                           398600.435436 + 4902.800066)
    assert np.linalg.norm(pos - (emb + r / AU_KM)) * AU_KM < 1e-3  # km
