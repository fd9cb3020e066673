"""Frame cost of the default scene (sync + draw) and the ephemeris vs skyfield, side by side."""

from __future__ import annotations

import warnings

import numpy as np
from timing import best_of


def ephemeris_rows() -> list[str]:
    from skyfield.api import load
    from skyfield.jpllib import SpiceKernel

    from spaceviz.core.astro.ephemeris import de421_path, default_ephemeris

    warnings.simplefilter("ignore")
    times = np.linspace(2451545.0, 2451545.0 + 3652.5, 10_000)
    ours = default_ephemeris()
    kernel = SpiceKernel(de421_path())
    ts = load.timescale(builtin=True)
    t = ts.tdb_jd(times)
    ours_s = best_of(lambda: ours.state("Moon", times))
    theirs_s = best_of(lambda: kernel["moon"].at(t))
    diff = np.abs(ours.position("Moon", times) - kernel["moon"].at(t).position.au).max()
    kernel.close()
    return [f"| Moon state, 10,000 times (vectorised) | {ours_s * 1e3:.1f} ms | skyfield {theirs_s * 1e3:.1f} ms "
            f"| **{theirs_s / ours_s:.1f}x** | max diff {diff * 1.496e11:.1e} m |"]


def render_rows() -> list[str]:
    """Frames of the default scene: time moving (every time-dependent layer refreshes) and
    the camera turning (layers only re-sort and re-label: nothing is re-propagated)."""
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    backend = ensure_headless_backend()
    session = Session.load()
    rows = []
    for width, height in [(1280, 720), (1920, 1080)]:
        state = AppState(session)
        state.camera.set_pose("Sun", 7.0, 20.0, 35.0)
        scene = SpaceScene(state, size=(width, height), interactive=False)
        scene.render_image()  # compile shaders, upload fonts
        timeline, camera = state.timeline, state.camera

        def time_sync(timeline=timeline, scene=scene):
            timeline.set_time(timeline.time + 1.0)
            scene.sync()

        def camera_sync(camera=camera, scene=scene):
            camera.orbit(0.5, 0.0)
            scene.sync()

        def full_frame(timeline=timeline, scene=scene):
            timeline.set_time(timeline.time + 1.0)
            scene.render_image()

        time_s = best_of(time_sync, 10)
        camera_s = best_of(camera_sync, 10)
        frame_s = best_of(full_frame, 10)
        rows.append(f"| default scene {width}x{height} ({backend}) | sync after a time step "
                    f"{time_s * 1e3:.1f} ms, after a camera turn {camera_s * 1e3:.1f} ms | "
                    f"sync + draw + read back {frame_s * 1e3:.1f} ms | {1 / frame_s:.0f} fps | "
                    f"camera-only sync {time_s / camera_s:.1f}x cheaper |")
        scene.close()
    return rows


def main() -> None:
    print("### Ephemeris and rendering\n")
    print("| what | ours | baseline | ratio | note |")
    print("|---|---|---|---|---|")
    for row in ephemeris_rows() + render_rows():
        print(row)


if __name__ == "__main__":
    main()
