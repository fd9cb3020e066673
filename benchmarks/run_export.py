"""Video export throughput: rendering alone, encoding alone, and the overlapped export,
measured side by side; the time of a 4K dome master and a 4K 360 frame (cube map remapped
on the GPU); and a serial `video` against Dask (`--cluster local --workers N`)."""

from __future__ import annotations

import os
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


def dome_rows() -> str:
    """Seconds per projected frame of the default scene (render of the faces + GPU remap +
    read-back), against a perspective frame of the same pixel count."""
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.core.state.projection import parse_projection
    from spaceviz.export.screenshot import FrameRenderer

    session = Session.load()
    lines = []
    for label, kind, size in [("perspective 4096x4096", "perspective", (4096, 4096)),
                              ("fisheye dome master 4096x4096", "fisheye", (4096, 4096)),
                              ("equirectangular 4096x2048", "equirectangular", (4096, 2048))]:
        renderer = FrameRenderer(AppState(session), size, parse_projection(kind))
        try:
            renderer.render()  # warm-up: shaders, fonts, textures
            times = []
            for _ in range(3):
                started = time.perf_counter()
                renderer.render()
                times.append(time.perf_counter() - started)
        finally:
            renderer.close()
        lines.append(f"| {label} | {1000 * min(times):.0f} ms |")
    return "\n".join(["| frame | time (best of 3) |", "|---|---|", *lines])


def cluster_rows() -> str:
    """A serial `video` against Dask LocalClusters of 1 and 2 workers (start-up included)."""
    base = ["--duration", "4", "--fps", "24", "--size", "1280x720", "--quiet"]
    with tempfile.TemporaryDirectory() as folder:
        def run(extra: list[str], name: str) -> float:
            command = [sys.executable, "-m", "spaceviz", "video", *base,
                       "--out", str(Path(folder) / name), *extra]
            started = time.perf_counter()
            subprocess.run(command, check=True)
            return time.perf_counter() - started

        serial = run([], "serial.mp4")
        one = run(["--cluster", "local", "--workers", "1"], "dask1.mp4")
        two = run(["--cluster", "local", "--workers", "2"], "dask2.mp4")
        same = all((Path(folder) / f"dask{n}.mp4").read_bytes()
                   == (Path(folder) / "serial.mp4").read_bytes() for n in (1, 2))
    return "\n".join([
        "| 96 frames, 1280x720 (start-up included) | seconds | vs serial |", "|---|---|---|",
        f"| serial | {serial:.1f} | 1.00x |",
        f"| `--cluster local --workers 1` | {one:.1f} | {serial / one:.2f}x |",
        f"| `--cluster local --workers 2` | {two:.1f} | {serial / two:.2f}x |",
        f"\nDask files identical to the serial one, byte for byte: {same}."])


def main() -> None:
    from spaceviz.export.backend import ensure_headless_backend

    backend = ensure_headless_backend()
    print(f"### Video export, frames per second ({backend}, {FRAMES} frames, default scene)\n")
    print("| size | render alone | encode alone (libx264 veryfast) | export (overlapped) | "
          "export / slower of the two |")
    print("|---|---|---|---|---|")
    for size in [(1280, 720), (1920, 1080)]:
        print(row(size), flush=True)
    print(f"\n### Projected frames ({backend}, default scene)\n")
    print(dome_rows(), flush=True)
    print(f"\n### Serial video against Dask ({os.cpu_count()} cores)\n")
    print(cluster_rows())


if __name__ == "__main__":
    main()
