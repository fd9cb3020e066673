"""`spaceviz oem`: a ship's trajectory as CCSDS OEM 2.0 that reads back (with the `oem`
package) to the same states within 1 m."""

import numpy as np
import pytest


def test_exported_oem_reads_back_to_the_same_states(run_cli, tmp_path):
    from oem import OrbitEphemerisMessage

    from spaceviz.core.scenario.session import Session

    out = tmp_path / "prospector.oem"
    result = run_cli("oem", "Prospector-1", "--out", str(out), "--step-hours", "12")
    assert result.returncode == 0, result.stderr
    message = OrbitEphemerisMessage.open(str(out))
    states = list(message.states)
    leg = Session.load().ship("Prospector-1").plan.legs[0]
    # 12-hour steps from departure, then the arrival itself: 475 days -> 951 states.
    assert len(states) == int(np.floor(leg.tof_days * 2 + 1e-9)) + 1 + (leg.tof_days * 2 % 1 > 1e-9)
    epochs = np.array([s.epoch.tdb.jd for s in states])
    assert epochs[0] == pytest.approx(leg.depart_tdb, abs=1e-8)
    assert epochs[-1] == pytest.approx(leg.arrive_tdb, abs=1e-8)
    assert np.diff(epochs)[:-1] == pytest.approx(0.5, abs=1e-9)  # exact 12 h steps
    ours_pos, ours_vel = leg.relative_state(epochs)  # km, km/s about the Sun
    theirs_pos = np.array([s.position for s in states]).T
    theirs_vel = np.array([s.velocity for s in states]).T
    assert np.abs(theirs_pos - ours_pos).max() < 1e-3          # km: within 1 m
    assert np.abs(theirs_vel - ours_vel).max() < 1e-6          # km/s
    segment = message.segments[0]
    assert segment.metadata["CENTER_NAME"] == "SUN" and segment.metadata["REF_FRAME"] == "ICRF"


@pytest.mark.parametrize(("args", "fragment"), [
    (["Earth"], "'Earth' is not a ship; ships: Prospector-1"),
    (["Nobody"], "unknown name 'Nobody'"),
    (["Prospector-1", "--step-hours", "-1"], "must be positive"),
])
def test_oem_bad_arguments(run_cli, tmp_path, args, fragment):
    out = tmp_path / "x.oem"
    result = run_cli("oem", *args, "--out", str(out))
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_porkchop_png_headless(run_cli, tmp_path):
    from PIL import Image

    out = tmp_path / "pork.png"
    result = run_cli("porkchop", "Earth", "Mars", "--depart", "2020-05-01", "2020-10-01",
                     "--tof", "120", "400", "--grid", "60", "--out", str(out),
                     env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert "best: depart 2020-07" in result.stderr
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape[1] == 1000 and image.std() > 20  # a real plot, not a blank image


def test_oem_of_a_multi_leg_ship_has_a_segment_per_leg(run_cli, tmp_path):
    from oem import OrbitEphemerisMessage

    out = tmp_path / "hayate.oem"
    result = run_cli("oem", "Hayate", "--out", str(out), "--step-hours", "24")
    assert result.returncode == 0, result.stderr
    message = OrbitEphemerisMessage.open(str(out))
    assert len(message.segments) == 2
    steps = np.diff([s.epoch.tdb.jd for s in message.segments[0].states])
    assert steps[:-1] == pytest.approx(1.0, abs=1e-9)  # 24 h, not 23 h 57 min


def test_porkchop_csv_for_earth_and_moon(run_cli, tmp_path):
    """The pair that used to fail (an end at the central body): a CSV of every cell, with
    the TLI + LOI minimum near 3.9 km/s."""
    import csv

    out = tmp_path / "em.csv"
    result = run_cli("porkchop", "Earth", "Moon", "--depart", "2030-01-01", "2030-03-01",
                     "--tof", "2", "10", "--grid", "30", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["depart_utc", "arrive_utc", "tof_days", "c3_km2_s2",
                             "departure_dv_km_s", "arrival_dv_km_s", "total_dv_km_s"]
    assert len(rows) == 30 * 30
    assert rows[0]["depart_utc"] == "2030-01-01T00:00:00Z" and float(rows[0]["tof_days"]) == 2.0
    totals = [float(r["total_dv_km_s"]) for r in rows if r["total_dv_km_s"]]
    assert len(totals) > 0.9 * len(rows) and 3.5 < min(totals) < 4.3
    first = rows[0]
    assert float(first["total_dv_km_s"]) == pytest.approx(
        float(first["departure_dv_km_s"]) + float(first["arrival_dv_km_s"]), abs=2e-6)


def test_porkchop_with_no_transfer_is_a_user_error(run_cli, tmp_path):
    result = run_cli("porkchop", "Earth", "Sun", "--depart", "2030-01-01", "2030-02-01",
                     "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "do not fly to the Sun" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.csv").exists()


def test_oem_of_an_electric_leg_has_a_segment_per_arc(run_cli, tmp_path):
    """The tug's spiral about the Earth and its capture spiral about the Moon: one segment
    each, centred on their bodies, reading back to the flight plan's states within 1 m."""
    from oem import OrbitEphemerisMessage

    from spaceviz.core.scenario.session import Session

    out = tmp_path / "tug.oem"
    result = run_cli("oem", "Ion tug", "--out", str(out), "--step-hours", "24")
    assert result.returncode == 0, result.stderr
    message = OrbitEphemerisMessage.open(str(out))
    segments = list(message.segments)
    assert [s.metadata["CENTER_NAME"] for s in segments] == ["EARTH", "MOON"]
    arcs = Session.load().ship("Ion tug").plan.legs[0].arcs
    for segment, arc in zip(segments, arcs, strict=True):
        states = list(segment.states)
        epochs = np.array([s.epoch.tdb.jd for s in states])
        assert epochs[0] == pytest.approx(arc.depart_tdb, abs=1e-8)
        assert epochs[-1] == pytest.approx(arc.arrive_tdb, abs=1e-8)
        ours = arc.relative_state(epochs)[0]
        assert np.abs(np.array([s.position for s in states]).T - ours).max() < 1e-3
