"""Export from the app: screenshot larger than the window, video with progress and cancel."""

import imageio_ffmpeg
import numpy as np
from PIL import Image


def test_screenshot_is_rendered_offscreen_at_any_size(window, tmp_path):
    window.state.camera.set_pose(target="Earth", distance_au=0.004)
    out = tmp_path / "shot.png"
    window.exports.save_screenshot(out, (2400, 1350))  # larger than the 1200x760 window
    image = Image.open(out)
    assert image.size == (2400, 1350)
    assert image.text["Time"].startswith("2030-01-01")
    pixels = np.asarray(image.convert("RGB")).astype(int)
    assert pixels[675 - 3:675 + 4, 1200 - 3:1200 + 4, 2].max() > 60  # the Earth in the middle
    assert window.scene.canvas.size[0] < 2400  # the live view was not resized


def test_video_export_from_the_app_and_cancel(window, tmp_path, monkeypatch):
    out = tmp_path / "app.mp4"
    start = window.state.timeline.start
    assert window.exports.export_video(out, start, start + 30, 1.0, 8, (320, 180))
    assert imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 8
    # Cancel from the progress dialog after a few frames: no file is left behind.
    from spaceviz.ui import export_dialogs

    original = export_dialogs.QProgressDialog.setValue

    def cancel_at_three(self, value):
        original(self, value)
        if value == 3:
            self.cancel()

    monkeypatch.setattr(export_dialogs.QProgressDialog, "setValue", cancel_at_three)
    cancelled = tmp_path / "cancelled.mp4"
    assert not window.exports.export_video(cancelled, start, start + 30, 2.0, 10, (320, 180))
    assert sorted(p.name for p in tmp_path.glob("*.mp4*")) == ["app.mp4"]


def test_projection_in_the_screenshot_dialog_and_a_dome_master_from_the_app(window, tmp_path):
    from spaceviz.core.state.projection import Projection
    from spaceviz.ui.export_dialogs import ScreenshotDialog

    dialog = ScreenshotDialog(window.settings, window)
    rows = dialog.projection_rows
    assert not rows.fov.isEnabled()
    rows.kind.setCurrentIndex(rows.kind.findData("fisheye"))
    assert rows.fov.isEnabled() and dialog.size_box.currentText() == "4096x4096"
    dialog.size_box.setCurrentText("1920x1080")
    dialog._try_accept()
    assert dialog.error.isVisibleTo(dialog) and "square" in dialog.error.text()
    dialog.size_box.setCurrentText("1024x1024")
    rows.tilt.setValue(15.0)
    dialog._try_accept()
    assert dialog.chosen_projection == Projection("fisheye", 180.0, 15.0)
    assert dialog.chosen_size == (1024, 1024)
    again = ScreenshotDialog(window.settings, window)  # the choice is remembered
    assert again.projection_rows.kind.currentData() == "fisheye"

    out = tmp_path / "dome.png"
    window.exports.save_screenshot(out, (512, 512), Projection("fisheye", 180.0, 0.0))
    image = Image.open(out)
    assert image.size == (512, 512) and image.text["Projection"] == "fisheye fov=180 tilt=0"
    pixels = np.asarray(image.convert("RGB")).astype(int)
    assert pixels[:12, :12].max() == 0 and pixels[-12:, -12:].max() == 0  # outside the disc


def test_dome_preview_draws_while_shown_and_costs_nothing_when_hidden(window, qtbot):
    preview, timeline = window.dome_preview, window.state.timeline
    connections = len(timeline.time_changed)
    assert not window.dome_dock.isVisible() and preview.renderer is None
    window.actions["dome_preview"].trigger()
    assert window.dome_dock.isVisible()
    qtbot.waitUntil(lambda: preview.frames > 0, timeout=20_000)
    assert not preview.image.pixmap().isNull() and preview.timer.isActive()
    drawn = preview.frames
    qtbot.wait(600)
    assert preview.frames == drawn  # nothing changed: nothing redrawn
    timeline.set_time(timeline.time + 5.0)
    qtbot.waitUntil(lambda: preview.frames > drawn, timeout=20_000)
    window.actions["dome_preview"].trigger()
    assert not window.dome_dock.isVisible()
    assert preview.renderer is None and not preview.timer.isActive()
    assert len(timeline.time_changed) == connections
