"""Soak: play the default scenario for many frames; resident memory and GL objects stay flat.

Usage: python benchmarks/run_soak.py [FRAMES] [--belt N]
Prints a markdown table (growth from the first to the last checkpoint).
"""

from __future__ import annotations

import argparse
import gc
import os
import time


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def gl_objects(canvas) -> int:
    """GL objects VisPy's GLIR parser holds for this canvas (buffers, textures, programs)."""
    parser = getattr(canvas.context.shared, "parser", None)
    return len(getattr(parser, "_objects", {})) if parser is not None else -1


def soak(frames: int, belt: int) -> list[str]:
    from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    session = Session.load()
    if belt:
        session.world.add_catalog(synthetic_belt(belt, seed=7))
    state = AppState(session)
    timeline, camera = state.timeline, state.camera
    camera.set_pose("Sun", 7.0, 20.0, 35.0)
    scene = SpaceScene(state, size=(640, 360), interactive=False)
    step = (timeline.end - timeline.start) / max(frames, 1)
    checkpoints = []
    started = time.perf_counter()
    for frame in range(frames + 1):
        timeline.set_time(timeline.start + (frame * step) % (timeline.end - timeline.start))
        camera.orbit(0.05, 0.0)
        scene.render_image()
        if frame % max(frames // 10, 1) == 0:
            gc.collect()
            checkpoints.append((frame, rss_mb(), gl_objects(scene.canvas)))
    elapsed = time.perf_counter() - started
    scene.close()
    (_, rss0, gl0), (_, rss1, gl1) = checkpoints[1], checkpoints[-1]
    label = f"default scenario{f' + {belt:,} belt' if belt else ''}"
    return [f"| {label} | {frames:,} | {rss0:.0f} -> {rss1:.0f} MB ({rss1 - rss0:+.1f} MB) | "
            f"{gl0} -> {gl1} | {frames / elapsed:.1f} fps |"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("frames", nargs="?", type=int, default=10_000)
    parser.add_argument("--belt-frames", type=int, default=300)
    parser.add_argument("--belt", type=int, default=1_400_000)
    args = parser.parse_args()
    print("### Soak (memory and GL objects, first checkpoint after warm-up -> last)\n")
    print("| scene | frames | resident memory | GL objects | speed |")
    print("|---|---|---|---|---|")
    for row in soak(args.frames, 0) + (soak(args.belt_frames, args.belt) if args.belt else []):
        print(row, flush=True)


if __name__ == "__main__":
    main()
