"""Export from the app: screenshots of any size and MP4 videos, with progress and cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
)

from spaceviz.core.astro.time import format_iso, parse_time
from spaceviz.core.errors import UserError

SIZES = ["1280x720", "1920x1080", "2560x1440", "3840x2160", "7680x4320", "16384x9216"]


class ScreenshotDialog(QDialog):
    """Output size for a screenshot (independent of the window and of HiDPI scaling)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Save screenshot")
        form = QFormLayout(self)
        self.size_box = QComboBox(self)
        self.size_box.setEditable(True)
        self.size_box.addItems(SIZES)
        self.size_box.setCurrentText("3840x2160")
        self.size_box.setToolTip("Any size up to 32768x32768; large images render in tiles")
        form.addRow("Size (WxH)", self.size_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class VideoDialog(QDialog):
    """Video settings: size, fps, quality, and a time span or a tour."""

    def __init__(self, session, timeline, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export video")
        form = QFormLayout(self)
        self.source = QComboBox(self)
        self.source.addItem("Time span", None)
        for tour in session.scenario.tour:
            self.source.addItem(f"Tour: {tour.title or tour.name}", tour.name)
        form.addRow("Follow", self.source)
        self.t_from = QLineEdit(format_iso(timeline.start), self)
        self.t_to = QLineEdit(format_iso(timeline.end), self)
        for edit in (self.t_from, self.t_to):
            edit.setToolTip("ISO-8601 UTC (2030-01-01T00:00:00Z) or jd:<TDB Julian date>")
        form.addRow("From", self.t_from)
        form.addRow("To", self.t_to)
        self.duration = QDoubleSpinBox(self)
        self.duration.setRange(0.1, 3600.0)
        self.duration.setValue(10.0)
        self.duration.setSuffix(" s")
        form.addRow("Duration", self.duration)
        self.fps = QSpinBox(self)
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        form.addRow("Frames per second", self.fps)
        self.size_box = QComboBox(self)
        self.size_box.setEditable(True)
        self.size_box.addItems(SIZES[:4])
        self.size_box.setCurrentText("1920x1080")
        form.addRow("Size (WxH)", self.size_box)
        self.quality = QComboBox(self)
        self.quality.addItems(["draft", "medium", "high"])
        self.quality.setCurrentText("medium")
        form.addRow("Quality", self.quality)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.tour_durations = {t.name: session.tour(t.name).duration_s for t in session.scenario.tour}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _source_changed(self) -> None:
        tour = self.source.currentData()
        for edit in (self.t_from, self.t_to):
            edit.setEnabled(tour is None)
        if tour is not None:
            self.duration.setValue(self.tour_durations[tour])


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


def parse_time_field(text: str) -> float:
    try:
        return parse_time(text)
    except UserError as exc:
        raise UserError(f"'{text}': {exc}") from None
