"""MP4 export: exact frame counts, sizes, moving content, cancel and failures leave nothing."""

import subprocess
import threading

import imageio_ffmpeg
import numpy as np
import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import UserError
from spaceviz.core.scenario.session import Session
from spaceviz.core.state.app_state import AppState
from spaceviz.export import video


def read_frames(path, size):
    """Decode every frame of an MP4 as (H, W, 3) uint8 arrays (ffmpeg, raw RGB on a pipe)."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(path),
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True,
                            check=True)
    width, height = size
    raw = np.frombuffer(result.stdout, dtype=np.uint8)
    assert raw.size % (width * height * 3) == 0  # the stream really has this size
    return list(raw.reshape(-1, height, width, 3))


@pytest.fixture(scope="module")
def session():
    return Session.load()


def test_frame_count_and_times():
    assert video.frame_count(2.5, 30) == 75
    assert video.frame_count(0.1, 24) == 2  # round(2.4)
    with pytest.raises(UserError):
        video.frame_count(0.01, 24)
    times = video.frame_times(10.0, 20.0, 5)
    assert list(times) == [10.0, 12.5, 15.0, 17.5, 20.0]
    assert video.even_size((641, 359)) == (640, 358)
    assert [len(c) for c in video.chunk_ranges(10, 3)] == [3, 4, 3]


def test_a_video_is_cut_into_fixed_chunks_whoever_renders_it():
    assert [len(c) for c in video.video_chunks(130, 30)] == [60, 60, 10]
    assert video.video_chunks(130, 30, range(50, 70)) == [range(50, 60), range(60, 70)]
    assert video.video_chunks(5, 0.2) == [range(0, 1), range(1, 2), range(2, 3), range(3, 4),
                                          range(4, 5)]


def test_export_writes_exact_frames_that_change_with_time(session, tmp_path):
    out = tmp_path / "sweep.mp4"
    seen = []
    state = AppState(session)
    state.look_at("Earth", distance_au=0.02)
    video.export_video(state, parse_time("2030-01-01"), parse_time("2030-07-01"), 1.0, 12,
                       (320, 180), out, progress=seen.append)
    frames = read_frames(out, (320, 180))
    assert len(frames) == 12 and imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 12
    assert [p.done for p in seen] == list(range(1, 13)) and seen[-1].eta_s == 0
    assert not (tmp_path / "sweep.mp4.part").exists()
    differences = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(frames, frames[1:], strict=False)]
    assert min(differences) > 0.05  # the Moon moves around the Earth from frame to frame
    assert frames[0].max() > 100    # not black


def test_cancel_leaves_no_file(session, tmp_path):
    out = tmp_path / "cancelled.mp4"
    cancel = threading.Event()

    def progress(p):
        if p.done == 3:
            cancel.set()

    with pytest.raises(video.ExportCancelled):
        video.export_video(AppState(session), session.scenario.start, session.scenario.end,
                           2.0, 10, (160, 90), out, progress=progress, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_encoder_failure_is_reported_and_leaves_nothing(tmp_path):
    frame = np.zeros((90, 160, 3), dtype=np.uint8)
    out = tmp_path / "missing-folder" / "x.mp4"
    with pytest.raises(video.EncoderError, match="encoder failed"):
        video.encode_frames(lambda k: frame, 5, out, (160, 90), 10)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_render_error_midway_leaves_no_partial_file(tmp_path):
    out = tmp_path / "broken.mp4"

    def render(k):
        if k == 4:
            raise RuntimeError("GPU lost")
        return np.full((90, 160, 3), 40 * k, dtype=np.uint8)

    with pytest.raises(RuntimeError, match="GPU lost"):
        video.encode_frames(render, 10, out, (160, 90), 10)
    assert list(tmp_path.iterdir()) == []
