"""`python -m spaceviz.ui.snapshot OUT.png [SCENARIO]`: a real screenshot of the app window.

Opens the main window on a scenario, waits for the first frames, grabs the window (3D view
included) and writes a PNG. Used for the README and to measure start-up to first frame.
`--economics`, `--tour-strip`, `--presentation` and `--authoring` make the README's other
pictures (`make screenshot`).
"""

from __future__ import annotations

import sys
import time as wallclock
from pathlib import Path


def snapshot(out: str | None, scenario: str | None = None, size=(1600, 940), select: str | None = "Earth",
             settle_frames: int = 3, fly_to: str | None = None, at: str | None = None,
             play: bool = True, prepare=None) -> dict:
    from PySide6.QtCore import QCoreApplication

    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.ui.app import create_app
    from spaceviz.ui.main_window import MainWindow
    from spaceviz.ui.settings import Settings

    started = wallclock.perf_counter()
    app = create_app()
    window = MainWindow(AppState(Session.load(scenario, defer_catalogs=True)), Settings(path=None))
    window.resize(*size)
    drawn = []
    # frames of the world (the window's first paint, before the layers are built, is empty)
    window.scene.canvas.events.draw.connect(
        lambda e: window.scene.built and drawn.append(wallclock.perf_counter()), position="last")
    window.show()  # the window is on the screen (its 3D view draws when next asked)
    shown_s = wallclock.perf_counter() - started
    while not drawn and wallclock.perf_counter() - started < 60:
        app.processEvents()
    first_frame_s = drawn[0] - started if drawn else float("nan")
    window.catalogs.wait()  # the belt, loaded in the background, for the picture
    belt_ready_s = wallclock.perf_counter() - started
    if at:
        from spaceviz.core.astro.time import parse_time

        window.state.timeline.set_time(parse_time(at))
    if fly_to:
        window.state.fly_to(fly_to)
        window.state.camera.step(10.0)  # finish the flight at once
    if select:
        window.state.selection.set(select)
    if play:
        window.state.timeline.play()
    frame_times = []
    last = wallclock.perf_counter()
    while len(drawn) < settle_frames + 30 and wallclock.perf_counter() - started < 120:
        if not play:
            window.scene.request_draw()  # frames for the fps figure without playing
            wallclock.sleep(0.01)
        app.processEvents()
        if len(drawn) > len(frame_times) + 1:
            now = wallclock.perf_counter()
            frame_times.append(now - last)
            last = now
    window.state.timeline.pause()
    detail = window.scene.detail
    rest_until = wallclock.perf_counter() + 15.0  # the view refines to every object at rest
    while (not detail.refined or not detail.resting) and wallclock.perf_counter() < rest_until:
        window.scene.request_draw()
        app.processEvents()
        wallclock.sleep(0.02)
    for _ in range(5):
        app.processEvents()
    if prepare is not None:
        prepare(window, app)
    if out is not None:  # None: only `prepare`'s pictures are wanted
        grab_png(window, out)
    window.close()
    window.deleteLater()  # its scene and GL context go with it (callers may open more windows)
    QCoreApplication.processEvents()
    import numpy as np

    frame_ms = 1000 * float(np.median(frame_times)) if frame_times else float("nan")
    return {"window_shown_ms": 1000 * shown_s, "first_frame_ms": 1000 * first_frame_s,
            "belt_ready_ms": 1000 * belt_ready_s,
            "median_frame_ms": frame_ms}


def grab_array(widget):
    """What a widget (a window with its 3D view, a dock, a dialog) shows: (H, W, 3) uint8."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return buffer.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(
        height, width, 3).copy()


def grab_png(widget, out: str) -> None:
    """Write what a widget shows to a PNG."""
    from spaceviz.export.screenshot import write_png

    write_png(out, grab_array(widget))


def authoring_shots(folder: str = "docs") -> None:
    """The README's authoring pictures: the tour editor on a lesson, and the lesson gallery."""
    from spaceviz.ui.authoring import LESSONS_DIR

    def editor(window, app):
        window.authoring.open_lesson(LESSONS_DIR / "lunar-south-pole-ice.toml")
        window.show_tour_editor()
        window.tour_editor.stops.setCurrentRow(1)
        window.tour_editor.show_stop()
        window.state.camera.step(10.0)
        for _ in range(40):
            window.scene.request_draw()
            app.processEvents()
        from spaceviz.ui.lessons import LessonGallery

        gallery = LessonGallery(window.authoring, LESSONS_DIR, window)
        gallery.list.setCurrentRow(2)
        gallery.show()
        for _ in range(10):
            app.processEvents()
        grab_png(gallery, str(Path(folder) / "lesson_gallery.png"))
        gallery.close()

    snapshot(str(Path(folder) / "tour_editor.png"), size=(1600, 940), select=None,
             play=False, prepare=editor)


def presentation_shot(out: str = "docs/presentation.png", stop: int = 2) -> None:
    """The README's presentation picture: F11, the default tour shown at one of its stops
    (caption, title card and counters as the audience sees them)."""

    def present(window, app):
        window.actions.trigger("present")
        window.state.start_tour(None, stop, play=False)
        window.state.camera.step(30.0)  # finish the flight to the stop at once
        for _ in range(60):
            window.scene.request_draw()
            app.processEvents()
            wallclock.sleep(0.02)

    snapshot(out, size=(1280, 720), select=None, play=False, prepare=present)


def economics_shot(out: str = "docs/economics.png", facility: str = "Shackleton ice mine",
                   width: int = 860) -> None:
    """The README's economics picture: the charts dock with the whole scenario's economics,
    above it with one facility's production and economics, at the scenario's end."""
    import numpy as np

    from spaceviz.export.screenshot import write_png

    def charts(window, app):
        window.state.timeline.set_time(window.state.timeline.end)
        dock = window.charts.parentWidget()
        dock.setFloating(True)
        dock.resize(width, 470)
        window.charts.show_scenario()
        for _ in range(20):
            app.processEvents()
        top = grab_array(window.charts)
        window.state.selection.set(facility)
        for _ in range(20):
            app.processEvents()
        bottom = grab_array(window.charts)
        width_px = min(top.shape[1], bottom.shape[1])
        write_png(out, np.ascontiguousarray(np.concatenate([top[:, :width_px],
                                                            bottom[:, :width_px]], axis=0)))

    snapshot(None, select=None, play=False, prepare=charts)


def tour_strip(out: str = "docs/tour_strip.png", stops=(0, 2, 3, 7, 10, 11),
               size=(640, 360)) -> None:
    """The README's tour strip: frames of the default tour's video (as `spaceviz video
    --tour` renders them) part-way through six of its stops, tiled three by two."""
    import numpy as np

    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.core.state.tour import build_tour
    from spaceviz.export.screenshot import write_png
    from spaceviz.export.video import VideoFrames, VideoSpec

    state = AppState(Session.load(None))
    tour = build_tour(state.session, None)
    fps = 30.0
    spec = VideoSpec(state.timeline.start, state.timeline.end, tour.duration_s, fps, size,
                     tour=tour.name)
    frames = VideoFrames(state, spec)
    try:
        tiles = [frames.render(int(fps * (tour.arrive_s[i] + 0.6 * tour.stops[i].duration_s)))
                 for i in stops]
    finally:
        frames.close()
    rows = [np.concatenate(tiles[r * 3:(r + 1) * 3], axis=1) for r in range(len(tiles) // 3)]
    write_png(out, np.ascontiguousarray(np.concatenate(rows, axis=0)[..., :3]))


DOC_PICTURES = {"--economics": economics_shot, "--tour-strip": tour_strip,
                "--presentation": presentation_shot, "--authoring": authoring_shots}
"""`python -m spaceviz.ui.snapshot --KIND [OUT]`: one of the README's other pictures."""


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1] in DOC_PICTURES:
        DOC_PICTURES[sys.argv[1]](*sys.argv[2:3])
        sys.exit(0)
    result = snapshot(sys.argv[1] if len(sys.argv) > 1 else "docs/app.png",
                      sys.argv[2] if len(sys.argv) > 2 else None)
    print(result)
