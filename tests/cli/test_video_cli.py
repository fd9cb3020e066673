"""`spaceviz video`: exact frame counts, workers, and bad arguments."""

import imageio_ffmpeg
import pytest


def test_video_frame_count_and_progress(run_cli, tmp_path):
    out = tmp_path / "out.mp4"
    result = run_cli("video", "--from", "2030-01-01T00:00:00Z", "--to", "2030-06-01T00:00:00Z",
                     "--duration", "1.5", "--fps", "10", "--size", "321x181", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "15/15 frames" in result.stderr and "even sizes; writing 320x180" in result.stderr
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 15 and seconds == pytest.approx(1.5, abs=0.05)


def decoded(path, size=(160, 90)):
    import subprocess

    import numpy as np

    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(path),
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True,
                            check=True)
    return np.frombuffer(result.stdout, dtype=np.uint8).reshape(-1, size[1], size[0], 3)


def test_dask_video_equals_the_serial_one_even_when_a_worker_dies(run_cli, tmp_path, small_story):
    """12 frames in two 6-frame chunks on a 2-worker LocalCluster: the same file as a serial
    run, byte for byte (so frame for frame), also when the worker rendering chunk 1 dies."""
    args = ["video", str(small_story), "--duration", "4", "--fps", "3", "--size", "160x90"]
    serial = run_cli(*args, "--out", str(tmp_path / "serial.mp4"))
    assert serial.returncode == 0, serial.stderr
    dask = run_cli(*args, "--out", str(tmp_path / "dask.mp4"), "--workers", "2", "--cluster",
                   "local")
    assert dask.returncode == 0, dask.stderr
    assert "12/12 frames" in dask.stderr
    died = run_cli(*args, "--out", str(tmp_path / "died.mp4"), "--workers", "2", "--quiet",
                   env={"SPACEVIZ_FAULT_CHUNK": "1:exit-once"})
    assert died.returncode == 0, died.stderr
    frames = decoded(tmp_path / "serial.mp4")
    assert len(frames) == 12
    for name in ("dask.mp4", "died.mp4"):
        assert (tmp_path / name).read_bytes() == (tmp_path / "serial.mp4").read_bytes()
        assert (decoded(tmp_path / name) == frames).all()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mp4" or "chunks" in p.name) \
        == ["dask.mp4", "died.mp4", "serial.mp4"]


def test_a_chunk_that_keeps_failing_is_reported_with_exit_1_and_no_output(run_cli, tmp_path,
                                                                           small_story):
    out = tmp_path / "failed.mp4"
    result = run_cli("video", str(small_story), "--duration", "4", "--fps", "3", "--size",
                     "160x90", "--out", str(out), "--workers", "2", "--cluster", "local",
                     env={"SPACEVIZ_FAULT_CHUNK": "1"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "chunk 2 of 2 (frames 6-11) failed after 3 tries" in result.stderr
    assert "no video was written" in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".mp4", ".part") or "chunks" in p.name]


def test_fisheye_video_from_the_command_line(run_cli, tmp_path, data_dir):
    out = tmp_path / "dome.mp4"
    result = run_cli("video", str(data_dir / "scenarios" / "solar_system.toml"), "--duration",
                     "1", "--fps", "2", "--size", "256x256", "--projection", "fisheye",
                     "--tilt", "20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    frames = decoded(out, (256, 256))
    assert len(frames) == 2 and frames[0][:8, :8].max() < 20
    # The scenario's view looks at the Sun; tilted 20 degrees, it sits 20/90 of the radius
    # below the dome's centre.
    assert frames[0][128 + round(128 * 20 / 90), 128][:2].min() > 200  # the yellow Sun


@pytest.mark.parametrize("args, fragment", [
    (["--duration", "0"], "must be a positive number"),
    (["--fps", "1000"], "between 0 and 240"),
    (["--from", "2070-01-01"], "outside the DE421 ephemeris range"),
    (["--target", "Vulcan"], "unknown name 'Vulcan'"),
    (["--workers", "0"], "at least 1"),
    (["--projection", "dome"], "not one of perspective, fisheye, equirectangular"),
    (["--projection", "fisheye", "--fov", "300"], "a fisheye covers 1 to 220 degrees"),
    (["--projection", "fisheye", "--size", "320x180"], "dome master is square"),
    (["--projection", "equirectangular", "--size", "320x180"], "twice as wide"),
    (["--chunk", "0/2", "--workers", "2"], "does not combine"),
])
def test_video_bad_arguments(run_cli, tmp_path, args, fragment):
    result = run_cli("video", "--out", str(tmp_path / "x.mp4"), "--size", "160x90", *args)
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.mp4").exists()


def test_ctrl_c_stops_a_dask_video_and_leaves_nothing(tmp_path, small_story):
    import os
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, SPACEVIZ_CONFIG_DIR=str(tmp_path / "config"),
               SPACEVIZ_LOG_DIR=str(tmp_path / "logs"))
    process = subprocess.Popen(
        [sys.executable, "-m", "spaceviz", "video", str(small_story), "--duration", "60",
         "--fps", "3", "--size", "160x90", "--out", "long.mp4", "--workers", "2"],
        cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "0/180 frames" in process.stderr.readline()  # the cluster is up, tasks are out
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "cancelled; no output was written" in stderr
    assert not [p for p in tmp_path.iterdir() if p.name not in ("config", "logs")]
