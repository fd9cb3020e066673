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


def test_video_workers_join_chunks_without_losing_frames(run_cli, tmp_path):
    out = tmp_path / "parallel.mp4"
    result = run_cli("video", "--duration", "1", "--fps", "13", "--size", "160x90",
                     "--out", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 13
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(("config", "logs"))) == ["parallel.mp4"]


@pytest.mark.parametrize("args, fragment", [
    (["--duration", "0"], "must be a positive number"),
    (["--fps", "1000"], "between 0 and 240"),
    (["--from", "2070-01-01"], "outside the DE421 ephemeris range"),
    (["--target", "Vulcan"], "unknown name 'Vulcan'"),
    (["--workers", "0"], "at least 1"),
])
def test_video_bad_arguments(run_cli, tmp_path, args, fragment):
    result = run_cli("video", "--out", str(tmp_path / "x.mp4"), "--size", "160x90", *args)
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.mp4").exists()
