"""Video export throughput: rendering alone, encoding alone, and the overlapped export,
measured side by side; plus the speed-up of --workers 2 (two processes, chunks joined)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FRAMES = 48


def fps(function, frames: int) -> float:
    started = time.perf_counter()
    function()
    return frames / (time.perf_counter() - started)


def row(size: tuple[int, int]) -> str:
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.export.screenshot import export_scene, render_tiled
    from spaceviz.export.video import encode_frames, export_video

    session = Session.load()
    t0, t1 = session.scenario.start, session.scenario.start + 365.0
    state = AppState(session)
    scene = export_scene(state, size)
    times = np.linspace(t0, t1, FRAMES)
    render_tiled(scene, size)  # warm-up: shaders and fonts

    frames = []

    def render_only():
        for t in times:
            state.timeline.set_time(t)
            frames.append(render_tiled(scene, size))

    render_fps = fps(render_only, FRAMES)
    scene.close()
    with tempfile.TemporaryDirectory() as folder:
        encode_fps = fps(lambda: encode_frames(lambda k: frames[k], FRAMES,
                                               Path(folder) / "e.mp4", size, 30), FRAMES)
        export_fps = fps(lambda: export_video(AppState(session), t0, t1, FRAMES / 30, 30, size,
                                              Path(folder) / "x.mp4"), FRAMES)
    slower = min(render_fps, encode_fps)
    return (f"| {size[0]}x{size[1]} | {render_fps:.1f} | {encode_fps:.1f} | {export_fps:.1f} | "
            f"**{export_fps / slower:.2f}** |")


def workers_row() -> str:
    with tempfile.TemporaryDirectory() as folder:
        def run(workers: int) -> float:
            command = [sys.executable, "-m", "spaceviz", "video", "--duration", "4", "--fps", "24",
                       "--size", "1280x720", "--out", str(Path(folder) / f"w{workers}.mp4"),
                       "--workers", str(workers), "--quiet"]
            started = time.perf_counter()
            subprocess.run(command, check=True)
            return time.perf_counter() - started

        one, two = run(1), run(2)
    return (f"\n`--workers 2` on 96 frames at 1280x720 (including start-up): {one:.1f} s with one "
            f"process, {two:.1f} s with two: **{one / two:.2f}x** (2 cores).")


def main() -> None:
    from spaceviz.export.backend import ensure_headless_backend

    backend = ensure_headless_backend()
    print(f"### Video export, frames per second ({backend}, {FRAMES} frames, default scene)\n")
    print("| size | render alone | encode alone (libx264 veryfast) | export (overlapped) | "
          "export / slower of the two |")
    print("|---|---|---|---|---|")
    for size in [(1280, 720), (1920, 1080)]:
        print(row(size), flush=True)
    print(workers_row())


if __name__ == "__main__":
    main()
