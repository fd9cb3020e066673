"""`spaceviz benchmark`: fly a fixed camera path through a scenario offscreen, time playing,
and measure what this machine can draw: frames, fps, median and 95th-percentile frame time,
the share of belt objects drawn (level of detail) and the time from process start to the
first frame. With `full=True` the level of detail is off (every object, every frame)."""

from __future__ import annotations

import math
import os
import time

import numpy as np

from spaceviz.render.scene import SpaceScene

PATH_SECONDS = 20.0
"""The camera path's period: one full turn around the focus, in and out once."""


def process_age_s() -> float:
    """Seconds since this process started (Linux /proc; elsewhere since this module loaded)."""
    try:
        with open("/proc/self/stat") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _LOADED


_LOADED = time.perf_counter()


def camera_on_path(state, u: float, base_distance_au: float) -> None:
    """The scripted pose at phase u (cycles): orbit once around the focus, zoom in to a
    quarter of the distance and back, rock the elevation between 20 and 60 degrees."""
    angle = 2.0 * math.pi * u
    state.camera.set_pose(distance_au=base_distance_au * 2.0 ** (-2.0 * math.sin(angle / 2) ** 2),
                          azimuth_deg=(20.0 + 360.0 * u) % 360.0,
                          elevation_deg=40.0 + 20.0 * math.sin(angle))


def run_benchmark(state, seconds: float = 10.0, size: tuple[int, int] = (1280, 720),
                  full: bool = False) -> dict:
    """Fly the path for `seconds` of wall time with the clock playing at the scenario's rate
    (scenario time follows the wall clock); returns the figures as a dict."""
    scene = SpaceScene(state, size=size, interactive=False, level_of_detail=not full)
    base_distance = state.camera.distance_au
    belt = scene.belt_layer()
    scene.render_image()
    first_frame_s = process_age_s()
    times_ms: list[float] = []
    fractions: list[float] = []
    started = last = time.perf_counter()
    t_start = state.timeline.time
    while (now := time.perf_counter()) - started < seconds:
        elapsed = now - started
        state.timeline.set_time(t_start + state.timeline.rate * elapsed)
        camera_on_path(state, elapsed / PATH_SECONDS, base_distance)
        before = time.perf_counter()
        scene.render_image()
        frame_ms = 1000.0 * (time.perf_counter() - before)
        scene.detail.frame_drawn(frame_ms)
        times_ms.append(1000.0 * (time.perf_counter() - last))
        last = time.perf_counter()
        fractions.append(belt.drawn_fraction if belt is not None else 1.0)
    scene.close()
    total = time.perf_counter() - started
    frame_times = np.array(times_ms)
    return {
        "frames": len(frame_times),
        "fps": round(len(frame_times) / total, 2),
        "median_ms": round(float(np.median(frame_times)), 1),
        "p95_ms": round(float(np.percentile(frame_times, 95)), 1),
        "drawn_fraction": round(float(np.mean(fractions)), 4),
        "objects": int(belt.count) if belt is not None else 0,
        "first_frame_s": round(first_frame_s, 2),
        "size": f"{size[0]}x{size[1]}",
        "full": full,
    }
