"""Mouse interaction on the canvas: drag to orbit, wheel to zoom, click to pick.

Moves go to the core CameraModel (which the scene observes), never to VisPy's camera.
"""

from __future__ import annotations

import numpy as np

DRAG_DEG_PER_PX = 0.3
WHEEL_ZOOM_PER_STEP = 0.85
CLICK_SLOP_PX = 4.0


class CameraInteraction:
    """VisPy canvas mouse events -> CameraModel orbit/zoom, scene picked/activated signals."""

    def __init__(self, scene):
        self.scene = scene
        self._press_pos = None
        self._last_pos = None
        self.hover_pos = None  # last canvas position of a mouse not dragging (for hover names)
        events = scene.canvas.events
        events.mouse_press.connect(self.on_press)
        events.mouse_move.connect(self.on_move)
        events.mouse_release.connect(self.on_release)
        events.mouse_wheel.connect(self.on_wheel)
        events.mouse_double_click.connect(self.on_double_click)

    def on_press(self, event):
        self._press_pos = np.array(event.pos[:2], dtype=float)
        self._last_pos = self._press_pos.copy()
        event.handled = True

    def on_move(self, event):
        if self._last_pos is None or not event.is_dragging:
            self.hover_pos = tuple(float(v) for v in event.pos[:2])
            return
        pos = np.array(event.pos[:2], dtype=float)
        dx, dy = pos - self._last_pos
        self._last_pos = pos
        self.scene.state.camera.orbit(-dx * DRAG_DEG_PER_PX, dy * DRAG_DEG_PER_PX)
        event.handled = True

    def on_release(self, event):
        if self._press_pos is not None:
            moved = np.linalg.norm(np.array(event.pos[:2], dtype=float) - self._press_pos)
            if moved <= CLICK_SLOP_PX:
                self.scene.picked.emit(self.scene.pick(*event.pos[:2]))
        self._press_pos = None
        self._last_pos = None

    def on_wheel(self, event):
        steps = float(event.delta[1])
        self.scene.state.camera.zoom(WHEEL_ZOOM_PER_STEP ** steps)
        event.handled = True

    def on_double_click(self, event):
        name = self.scene.pick(*event.pos[:2])
        if name is not None:
            self.scene.activated.emit(name)
