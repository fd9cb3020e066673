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
