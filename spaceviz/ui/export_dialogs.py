"""Export from the app: screenshots of any size and MP4 videos, with progress and cancel.

The dialogs check what is typed before closing (a bad size or time is shown in the dialog,
next to the field) and remember their last settings. Every export draws a snapshot of the
AppState in a scene of its own: the live view keeps its time, camera and look."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
)

from spaceviz.core.astro.time import format_iso, parse_time
from spaceviz.core.errors import UserError
from spaceviz.core.state.app_state import AppState
from spaceviz.core.state.projection import (
    FISHEYE_FOV_DEG,
    MAX_FISHEYE_FOV_DEG,
    Projection,
    parse_projection,
)
from spaceviz.export.screenshot import parse_size

SIZES = ["1280x720", "1920x1080", "2560x1440", "3840x2160", "7680x4320", "16384x9216"]
PROJECTIONS = (("Perspective", "perspective"), ("Fisheye dome master (square)", "fisheye"),
               ("Equirectangular 360 (2:1)", "equirectangular"))
PROJECTED_SIZES = {"fisheye": ["1024x1024", "2048x2048", "4096x4096", "8192x8192"],
                   "equirectangular": ["2048x1024", "4096x2048", "8192x4096"]}


class _CheckedDialog(QDialog):
    """A form whose Save button checks the fields first and says what is wrong."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = QLabel(self)
        self.error.setObjectName("DialogError")
        self.error.setStyleSheet("color: #ff7060")
        self.error.setWordWrap(True)
        self.error.hide()

    def _buttons(self) -> None:
        self.form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def _try_accept(self) -> None:
        try:
            self.check()
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()

    def check(self) -> None:
        raise NotImplementedError


def _size_box(parent, sizes, current: str) -> QComboBox:
    box = QComboBox(parent)
    box.setEditable(True)
    box.addItems(sizes)
    box.setCurrentText(current)
    box.setToolTip("Width x height in pixels, any size up to 32768x32768 (large images "
                   "render in tiles)")
    return box


class ProjectionRows:
    """The Projection, Aperture and Tilt rows of an export form. Choosing a projection offers
    sizes that suit it (square dome masters, 2:1 panoramas); aperture and tilt apply to
    fisheye dome masters only."""

    def __init__(self, dialog: _CheckedDialog, settings, key: str, size_box: QComboBox,
                 sizes: list[str]):
        self.settings, self.key, self.size_box, self.sizes = settings, key, size_box, sizes
        self.kind = QComboBox(dialog)
        for label, kind in PROJECTIONS:
            self.kind.addItem(label, kind)
        self.fov = QDoubleSpinBox(dialog)
        self.fov.setRange(1.0, MAX_FISHEYE_FOV_DEG)
        self.fov.setSuffix(" deg")
        self.fov.setToolTip("Degrees across the dome disc (180: a hemisphere)")
        self.tilt = QDoubleSpinBox(dialog)
        self.tilt.setRange(-90.0, 90.0)
        self.tilt.setSuffix(" deg")
        self.tilt.setToolTip("A tilted dome: its zenith lies this far above the view direction")
        saved = settings.get(f"{key}_projection", {}) or {}
        self.fov.setValue(float(saved.get("fov", FISHEYE_FOV_DEG)))
        self.tilt.setValue(float(saved.get("tilt", 0.0)))
        dialog.form.addRow("Projection", self.kind)
        dialog.form.addRow("Aperture", self.fov)
        dialog.form.addRow("Tilt", self.tilt)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        index = self.kind.findData(saved.get("kind", "perspective"))
        self.kind.setCurrentIndex(max(index, 0))
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for box in (self.fov, self.tilt):
            box.setEnabled(kind == "fisheye")
        offered = PROJECTED_SIZES.get(kind, self.sizes)
        current = self.size_box.currentText()
        self.size_box.clear()
        self.size_box.addItems(offered)
        try:  # keep a typed size that suits the projection
            Projection(kind).check_size(parse_size(current))
        except UserError:
            current = offered[min(2, len(offered) - 1)]
        self.size_box.setCurrentText(current)

    def projection(self, size: tuple[int, int]) -> Projection:
        """The chosen projection, checked against the size (UserError to show)."""
        fisheye = self.kind.currentData() == "fisheye"
        projection = parse_projection(self.kind.currentData(),
                                      self.fov.value() if fisheye else None,
                                      self.tilt.value() if fisheye else None)
        projection.check_size(size)
        self.settings.set(f"{self.key}_projection", {"kind": projection.kind,
                                                      "fov": self.fov.value(),
                                                      "tilt": self.tilt.value()})
        return projection


class ScreenshotDialog(_CheckedDialog):
    """Output size and projection for a screenshot (independent of the window and of HiDPI
    scaling)."""

    def __init__(self, settings, parent=None):
        super().__init__("Save screenshot", parent)
        self.settings = settings
        self.size_box = _size_box(self, SIZES, settings.get("screenshot_size", "3840x2160"))
        self.form.addRow("Size (WxH)", self.size_box)
        self.projection_rows = ProjectionRows(self, settings, "screenshot", self.size_box, SIZES)
        self.chosen_size: tuple[int, int] | None = None
        self.chosen_projection: Projection | None = None
        self._buttons()

    def check(self) -> None:
        size = parse_size(self.size_box.currentText(), "Size")
        self.chosen_projection = self.projection_rows.projection(size)
        self.chosen_size = size
        self.settings.set("screenshot_size", self.size_box.currentText())


@dataclass(frozen=True)
class VideoOptions:
    """What the video dialog asks: times TDB, seconds, frames per second, pixels."""

    t0: float
    t1: float
    duration_s: float
    fps: float
    size: tuple[int, int]
    quality: str
    tour: str | None
    projection: Projection = Projection()


class VideoDialog(_CheckedDialog):
    """Video settings: size, fps, quality, and a time span or a tour."""

    def __init__(self, state, settings, parent=None):
        super().__init__("Export video", parent)
        from spaceviz.core.state.tour import build_tour

        self.settings = settings
        session, timeline = state.session, state.timeline
        self.source = QComboBox(self)
        self.source.addItem("Time span", None)
        for tour in session.scenario.tour:
            self.source.addItem(f"Tour: {tour.title or tour.name}", tour.name)
        self.form.addRow("Follow", self.source)
        self.t_from = QLineEdit(format_iso(timeline.start), self)
        self.t_to = QLineEdit(format_iso(timeline.end), self)
        for edit in (self.t_from, self.t_to):
            edit.setToolTip("ISO-8601 UTC (2030-01-01T00:00:00Z) or jd:<TDB Julian date>")
        self.form.addRow("From", self.t_from)
        self.form.addRow("To", self.t_to)
        self.duration = QDoubleSpinBox(self)
        self.duration.setRange(0.1, 3600.0)
        self.duration.setValue(float(settings.get("video_duration_s", 10.0)))
        self.duration.setSuffix(" s")
        self.form.addRow("Duration", self.duration)
        self.fps = QSpinBox(self)
        self.fps.setRange(1, 120)
        self.fps.setValue(int(settings.get("video_fps", 30)))
        self.form.addRow("Frames per second", self.fps)
        self.size_box = _size_box(self, SIZES[:4], settings.get("video_size", "1920x1080"))
        self.form.addRow("Size (WxH)", self.size_box)
        self.quality = QComboBox(self)
        self.quality.addItems(["draft", "medium", "high"])
        self.quality.setCurrentText(settings.get("video_quality", "medium"))
        self.form.addRow("Quality", self.quality)
        self.projection_rows = ProjectionRows(self, settings, "video", self.size_box, SIZES[:4])
        self.source.currentIndexChanged.connect(self._source_changed)
        self.tour_durations = {t.name: build_tour(session, t.name).duration_s
                               for t in session.scenario.tour}
        self._options: VideoOptions | None = None
        self._buttons()

    def _source_changed(self) -> None:
        tour = self.source.currentData()
        for edit in (self.t_from, self.t_to):
            edit.setEnabled(tour is None)
        if tour is not None:
            self.duration.setValue(self.tour_durations[tour])

    def check(self) -> None:
        t0 = parse_time_field("From", self.t_from.text())
        t1 = parse_time_field("To", self.t_to.text())
        size = parse_size(self.size_box.currentText(), "Size")
        if self.source.currentData() is None and not t1 > t0:
            raise UserError("'To' must be after 'From'")
        projection = self.projection_rows.projection(size)
        self._options = VideoOptions(t0, t1, self.duration.value(), float(self.fps.value()),
                                     size, self.quality.currentText(), self.source.currentData(),
                                     projection)
        for key, value in (("video_size", self.size_box.currentText()),
                           ("video_fps", self.fps.value()),
                           ("video_quality", self.quality.currentText()),
                           ("video_duration_s", self.duration.value())):
            self.settings.set(key, value)

    def options(self) -> VideoOptions:
        assert self._options is not None, "options() is read after the dialog was accepted"
        return self._options


def run_with_progress(parent, title: str, total: int, work) -> bool:
    """Run `work(progress_callback, cancel_event)` with a modal progress dialog (ETA, Cancel).

    Rendering must stay on the GUI thread (it owns the GL context); the callback keeps the
    window responsive by processing events between frames. Returns False when cancelled."""
    dialog = QProgressDialog(title, "Cancel", 0, total, parent)
    dialog.setObjectName("ExportProgress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    cancel = threading.Event()
    dialog.canceled.connect(cancel.set)

    def progress(p) -> None:
        dialog.setValue(p.done)
        eta = "" if p.eta_s is None else f", about {p.eta_s:.0f} s left"
        dialog.setLabelText(f"{title}\n{p.done} of {p.total} frames{eta}")
        QCoreApplication.processEvents()
        if dialog.wasCanceled():
            cancel.set()

    from spaceviz.export.video import ExportCancelled

    try:
        work(progress, cancel)
    except ExportCancelled:
        return False
    finally:
        dialog.close()
    return True


def ask_output(parent, title: str, suggestion: str, pattern: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggestion, pattern)
    return Path(path) if path else None


def show_error(parent, title: str, exc: Exception) -> None:
    QMessageBox.warning(parent, "spaceviz", f"{title}\n\n{exc}")


def parse_time_field(label: str, text: str) -> float:
    try:
        return parse_time(text)
    except UserError as exc:
        raise UserError(f"{label}: {exc}") from None


class ExportCommands:
    """File > Save screenshot and File > Export video for a window: dialogs, progress, errors
    and a status-bar message. `show_message(text)` reports the outcome; `before_export()`
    runs first (the window waits for catalogues still loading: exports are complete)."""

    def __init__(self, parent, state: AppState, settings, show_message, before_export=None):
        self.parent = parent
        self.state = state
        self.settings = settings
        self.show_message = show_message
        self.before_export = before_export or (lambda: None)

    def save_screenshot(self, path, size: tuple[int, int],
                        projection: Projection | None = None) -> None:
        """Write what the view shows at `size` pixels (tiled past the GL limit), in a
        projection (default perspective)."""
        from spaceviz.export.screenshot import screenshot

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.before_export()
            screenshot(self.state.snapshot(), size, path, projection=projection)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_message(f"Saved {path} ({size[0]}x{size[1]})")

    def screenshot_dialog(self) -> None:
        dialog = ScreenshotDialog(self.settings, self.parent)
        if dialog.exec() != ScreenshotDialog.DialogCode.Accepted:
            return
        path = ask_output(self.parent, "Save screenshot", "spaceviz.png", "PNG images (*.png)")
        if path is None:
            return
        try:
            self.save_screenshot(path, dialog.chosen_size, dialog.chosen_projection)
        except UserError as exc:
            show_error(self.parent, "Could not save the screenshot", exc)

    def export_video(self, path, t0: float, t1: float, duration_s: float, fps: float,
                     size: tuple[int, int], quality: str = "medium", tour: str | None = None,
                     projection: Projection | None = None) -> bool:
        """Write an MP4 (TDB times t0..t1, in a projection: default perspective) with a
        progress dialog; False when cancelled."""
        from spaceviz.export.video import export_video, frame_count

        self.before_export()
        snapshot = self.state.snapshot()
        done = run_with_progress(
            self.parent, f"Writing {Path(path).name}", frame_count(duration_s, fps),
            lambda progress, cancel: export_video(
                snapshot, t0, t1, duration_s, fps, size, path, quality=quality,
                progress=progress, cancel=cancel, tour=tour, overlay=True,
                projection=projection))
        self.show_message(f"Saved {path}" if done else "Video export cancelled")
        return done

    def video_dialog(self) -> None:
        dialog = VideoDialog(self.state, self.settings, self.parent)
        if dialog.exec() != VideoDialog.DialogCode.Accepted:
            return
        path = ask_output(self.parent, "Export video", "spaceviz.mp4", "MP4 videos (*.mp4)")
        if path is None:
            return
        try:
            options = dialog.options()
            self.export_video(path, options.t0, options.t1, options.duration_s, options.fps,
                              options.size, options.quality, options.tour, options.projection)
        except (UserError, RuntimeError) as exc:
            show_error(self.parent, "Could not export the video", exc)
