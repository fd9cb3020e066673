"""A dome preview: the fisheye dome master of what the view shows, for a planetarium operator
to check framing before exporting.

It draws the live AppState (its time, camera and overlay) in an offscreen scene of its own
through the same cube-map path as `render --projection fisheye`, at most PREVIEW_HZ times a
second and only after something changed. Hidden, it has no scene, no GL objects, no timer
and no subscriptions: the main view does not pay for it.
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from spaceviz.core.state.app_state import AppState
from spaceviz.core.state.projection import FISHEYE_FOV_DEG, MAX_FISHEYE_FOV_DEG, Projection

log = logging.getLogger(__name__)
PREVIEW_HZ = 4.0
PREVIEW_PX = 384


class DomePreview(QWidget):
    """A square fisheye image of the live view with the dome's aperture and tilt."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        self.image = QLabel(self)
        self.image.setObjectName("DomeImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(200, 200)
        self.fov = QDoubleSpinBox(self)
        self.fov.setRange(90.0, MAX_FISHEYE_FOV_DEG)
        self.fov.setValue(FISHEYE_FOV_DEG)
        self.fov.setSuffix(" deg")
        self.tilt = QDoubleSpinBox(self)
        self.tilt.setRange(-90.0, 90.0)
        self.tilt.setSuffix(" deg")
        self.tilt.setToolTip("A tilted dome: its zenith lies this far above the view direction")
        form = QFormLayout()
        form.addRow("Aperture", self.fov)
        form.addRow("Tilt", self.tilt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, stretch=1)
        layout.addLayout(form)
        for box in (self.fov, self.tilt):
            box.valueChanged.connect(self._projection_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 / PREVIEW_HZ))
        self.timer.timeout.connect(self.refresh)
        self.renderer = None
        self.frames = 0
        self._dirty = True
        self._signals = (state.timeline.time_changed, state.camera.changed, state.session_changed,
                         state.presentation.events.all, state.view.events.all)

    def projection(self) -> Projection:
        return Projection("fisheye", self.fov.value(), self.tilt.value())

    def _changed(self, *args) -> None:
        self._dirty = True

    def _projection_changed(self) -> None:
        self._close_renderer()
        self._dirty = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.timer.isActive():
            for signal in self._signals:
                signal.connect(self._changed)
            self.timer.start()
        self._dirty = True

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self.timer.isActive():
            self.timer.stop()
            for signal in self._signals:
                signal.disconnect(self._changed)
        self._close_renderer()

    def _close_renderer(self) -> None:
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None

    def refresh(self) -> None:
        """Draw the dome master again if the state changed since the last one."""
        if not self._dirty:
            return
        from spaceviz.export.screenshot import FrameRenderer

        self._dirty = False
        if self.renderer is None:
            self.renderer = FrameRenderer(self.state, (PREVIEW_PX, PREVIEW_PX), self.projection())
        rgb = np.ascontiguousarray(self.renderer.render())
        image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1],
                       QImage.Format.Format_RGB888).copy()
        side = min(self.image.width(), self.image.height())
        self.image.setPixmap(QPixmap.fromImage(image).scaled(
            side, side, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.frames += 1
