"""`spaceviz oem`: a ship's trajectory as CCSDS OEM 2.0 that reads back (with the `oem`
package) to the same states within 1 m."""

import numpy as np
import pytest

from spaceviz.core.constants import AU_KM, AU_PER_DAY_TO_KM_PER_S


def test_exported_oem_reads_back_to_the_same_states(run_cli, tmp_path):
    from oem import OrbitEphemerisMessage

    from spaceviz.core.scenario.session import Session

    out = tmp_path / "prospector.oem"
    result = run_cli("oem", "Prospector-1", "--out", str(out), "--step-hours", "12")
    assert result.returncode == 0, result.stderr
    message = OrbitEphemerisMessage.open(str(out))
    states = list(message.states)
    leg = Session.load().world.ships["Prospector-1"].leg
    assert len(states) == int(np.ceil((leg.arrive_tdb - leg.depart_tdb) * 2)) + 1
    epochs = np.array([s.epoch.tdb.jd for s in states])
    assert epochs[0] == pytest.approx(leg.depart_tdb, abs=1e-8)
    assert epochs[-1] == pytest.approx(leg.arrive_tdb, abs=1e-8)
    ours_pos, ours_vel = leg.relative_state(epochs)
    theirs_pos = np.array([s.position for s in states]).T
    theirs_vel = np.array([s.velocity for s in states]).T
    assert np.abs(theirs_pos - ours_pos * AU_KM).max() < 1e-3          # km: within 1 m
    assert np.abs(theirs_vel - ours_vel * AU_PER_DAY_TO_KM_PER_S).max() < 1e-6  # km/s
    segment = message.segments[0]
    assert segment.metadata["CENTER_NAME"] == "SUN" and segment.metadata["REF_FRAME"] == "ICRF"


@pytest.mark.parametrize(("args", "fragment"), [
    (["Earth"], "is a planet, not a ship"),
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
